import { useMemo } from "preact/hooks";
import { encode } from "uqr";

/**
 * A QR code as inline SVG: one path of dark modules on a white square (with the standard four-module
 * quiet zone, so it scans in dark mode too). Presentational: the value in, the picture out.
 */
export function QrCode({ value, label, class: className }: { value: string; label: string; class?: string }) {
  const { size, path } = useMemo(() => {
    const qr = encode(value, { ecc: "M", border: 4 });
    let d = "";
    qr.data.forEach((row, y) => {
      // One rectangle per horizontal run of dark modules keeps the path short.
      for (let x = 0; x < row.length; x++) {
        if (!row[x]) continue;
        let run = 1;
        while (row[x + run]) run++;
        d += `M${x} ${y}h${run}v1h-${run}z`;
        x += run - 1;
      }
    });
    return { size: qr.size, path: d };
  }, [value]);

  return (
    <svg class={className} role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg" data-testid="qr-code">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
