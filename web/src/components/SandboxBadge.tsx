/** Shown while any outside service is a local stand-in, so nobody mistakes sandbox answers for real ones. */
export function SandboxBadge({ upstreams }: { upstreams: string[] }) {
  return (
    <span class="badge badge-sandbox" title={`Local stand-ins: ${upstreams.join(", ")}`} data-testid="sandbox-badge">
      sandbox
    </span>
  );
}
