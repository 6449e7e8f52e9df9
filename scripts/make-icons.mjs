// Writes the PWA's PNG icons for both brands (run once; the PNGs are committed). Draws the brand colour
// with a white triangle mark; maskable icons keep the mark inside the 80% safe zone.
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

const brands = { swaggystacks: [0x7c, 0x3a, 0xed], scientiacapital: [0x0f, 0x4c, 0x81] };

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, [r, g, b], inset) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const u = x / size, v = y / size;
      // Triangle from (0.5, inset) to (inset, 1-inset) to (1-inset, 1-inset).
      const top = inset + 0.05, bottom = 1 - inset - 0.05;
      const t = (v - top) / (bottom - top);
      const inside = t >= 0 && t <= 1 && Math.abs(u - 0.5) <= t * (0.5 - inset - 0.05);
      const o = 1 + x * 3;
      row[o] = inside ? 255 : r; row[o + 1] = inside ? 255 : g; row[o + 2] = inside ? 255 : b;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}

for (const [id, rgb] of Object.entries(brands)) {
  writeFileSync(`web/public/icons/${id}-192.png`, png(192, rgb, 0.2));
  writeFileSync(`web/public/icons/${id}-512.png`, png(512, rgb, 0.2));
  writeFileSync(`web/public/icons/${id}-maskable-512.png`, png(512, rgb, 0.3));
}
