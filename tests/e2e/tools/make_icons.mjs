// Draws public/icons/icon-192.png and icon-512.png: the same picture as public/icons/icon.svg
// (a navy rounded square, two linked rings), rasterised here with 4×4 supersampling and
// written as PNG with node's zlib, so no image tool is needed. Run: node tests/e2e/tools/make_icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const NAVY = [0x1d, 0x35, 0x57], WHITE = [255, 255, 255], ORANGE = [0xff, 0x9f, 0x1c];

// Colour (and alpha) at a point of the 512×512 design.
function sample(x, y) {
  const r = 96;
  const cx = Math.min(Math.max(x, r), 512 - r), cy = Math.min(Math.max(y, r), 512 - r);
  if (x < 0 || y < 0 || x > 512 || y > 512 || Math.hypot(x - cx, y - cy) > r) return null;
  const ring = (ox) => Math.abs(Math.hypot(x - ox, y - 256) - 104) <= 20;
  if (ring(312)) return ORANGE;
  if (ring(200)) return WHITE;
  return NAVY;
}

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
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const s = 512 / size, n = 4;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;  // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const c = sample((x + (i + .5) / n) * s, (y + (j + .5) / n) * s);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? r / a : 0; raw[o + 1] = a ? g / a : 0; raw[o + 2] = a ? b / a : 0;
      raw[o + 3] = Math.round(255 * a / (n * n));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6;  // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = fileURLToPath(new URL('../../../public/icons/', import.meta.url));
for (const size of [192, 512]) writeFileSync(`${dir}icon-${size}.png`, png(size));
