#!/usr/bin/env node
// Draws the Teams app icons: color.png (192×192, a white shield with a tick on the accent colour)
// and outline.png (32×32, the shield's outline in white on transparent, as Teams requires).
// Node only: shapes are sampled 4×4 per pixel for smooth edges, and the PNG is written by hand
// (signature, IHDR, one zlib-deflated IDAT, IEND). Run it again only to change the design; the
// PNGs are committed. Usage: node manifest/teams/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const ACCENT = [0x2b, 0x57, 0x97]; // keep in step with accentColor in manifest.json
const WHITE = [0xff, 0xff, 0xff];

/** The shield in unit coordinates: flat top, straight sides, curving to a point at the bottom. */
function inShield(x, y, inset = 0) {
  const top = 0.16 + inset;
  const shoulder = 0.52;
  const bottom = 0.9 - inset * 1.6;
  if (y < top || y > bottom) return false;
  const half = 0.32 - inset;
  const width = y <= shoulder ? half : half * Math.sqrt(Math.max(0, 1 - ((y - shoulder) / (bottom - shoulder)) ** 2));
  return Math.abs(x - 0.5) <= width;
}

/** A tick: two thick strokes, as the distance to two line segments. */
function inTick(x, y) {
  const near = (ax, ay, bx, by) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) < 0.045;
  };
  return near(0.36, 0.5, 0.46, 0.61) || near(0.46, 0.61, 0.65, 0.38);
}

function inRoundedSquare(x, y) {
  const r = 0.18;
  const dx = Math.max(0, Math.abs(x - 0.5) - (0.5 - r));
  const dy = Math.max(0, Math.abs(y - 0.5) - (0.5 - r));
  return dx * dx + dy * dy <= r * r;
}

/** RGBA pixels from a colour function of unit coordinates, averaged over 4×4 samples. */
function render(size, colourAt) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy += 1) {
        for (let sx = 0; sx < n; sx += 1) {
          const rgba = colourAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!rgba) continue;
          for (let i = 0; i < 3; i += 1) sum[i] += rgba[i] * rgba[3];
          sum[3] += rgba[3];
        }
      }
      const o = (py * size + px) * 4;
      const alpha = sum[3] / (n * n);
      for (let i = 0; i < 3; i += 1) pixels[o + i] = sum[3] === 0 ? 0 : Math.round(sum[i] / sum[3]);
      pixels[o + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const colour = render(192, (x, y) => {
  if (!inRoundedSquare(x, y)) return null;
  if (inShield(x, y) && !inTick(x, y)) return [...WHITE, 1];
  return [...ACCENT, 1];
});

const outline = render(32, (x, y) => (inShield(x, y) && !inShield(x, y, 0.085) ? [...WHITE, 1] : null));

fs.writeFileSync(path.join(here, 'color.png'), png(192, 192, colour));
fs.writeFileSync(path.join(here, 'outline.png'), png(32, 32, outline));
process.stdout.write('wrote manifest/teams/color.png (192×192) and manifest/teams/outline.png (32×32)\n');

function png(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  // compression, filter and interlace methods: 0
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y += 1) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
