#!/usr/bin/env node
/*
 * Draws the add-in icons (assets/icon-16/32/64/80.png) without any image
 * library: shapes are described in unit coordinates, sampled 4x4 per pixel for
 * anti-aliasing, and written as RGBA PNG with Node's zlib. The PNGs are
 * committed; run `node scripts/make-icons.js` again only to change the design.
 *
 * Design: a blue rounded tile (Excel-friendly), a white ledger sheet with
 * rows, and an orange badge for "complaint".
 */
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const SIZES = [16, 32, 64, 80, 192]; // 192: the unified manifest's color icon
const OUT_DIR = path.join(__dirname, "..", "assets");
const SUB = 4; // samples per axis per pixel

const BLUE = [31, 94, 160, 255];
const WHITE = [255, 255, 255, 255];
const ROW = [120, 160, 205, 255];
const ORANGE = [232, 106, 36, 255];

function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour of the icon at unit point (x, y), or null for transparent. */
function shade(x, y, size) {
  // Small icons get thicker features so they stay legible at 16 px.
  const small = size <= 16;
  let c = null;
  if (inRoundRect(x, y, 0.02, 0.02, 0.98, 0.98, 0.16)) c = BLUE;
  if (inRoundRect(x, y, 0.2, 0.14, 0.72, 0.86, 0.05)) c = WHITE;
  const rows = small ? [0.34, 0.52, 0.7] : [0.3, 0.42, 0.54, 0.66];
  const half = small ? 0.05 : 0.025;
  for (const ry of rows) {
    if (x > 0.28 && x < 0.64 && Math.abs(y - ry) <= half) c = ROW;
  }
  const bx = 0.72,
    by = 0.72,
    br = small ? 0.24 : 0.2;
  if ((x - bx) ** 2 + (y - by) ** 2 <= br * br) c = ORANGE;
  // White "!" inside the badge (only where it can be seen).
  if (!small) {
    if (Math.abs(x - bx) <= 0.03 && y >= by - 0.12 && y <= by + 0.03) c = WHITE;
    if ((x - bx) ** 2 + (y - (by + 0.09)) ** 2 <= 0.033 ** 2) c = WHITE;
  }
  return c;
}

function render(size) {
  const px = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sj = 0; sj < SUB; sj++) {
        for (let si = 0; si < SUB; si++) {
          const c = shade((i + (si + 0.5) / SUB) / size, (j + (sj + 0.5) / SUB) / size, size);
          if (c) {
            // Accumulate premultiplied colour so edges blend correctly.
            r += c[0] * c[3];
            g += c[1] * c[3];
            b += c[2] * c[3];
            a += c[3];
          }
        }
      }
      const o = (j * size + i) * 4;
      px[o + 3] = Math.round(a / (SUB * SUB));
      if (a > 0) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
      }
    }
  }
  return px;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression, filter, interlace stay 0
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

fs.mkdirSync(OUT_DIR, { recursive: true });
for (const size of SIZES) {
  const file = path.join(OUT_DIR, `icon-${size}.png`);
  fs.writeFileSync(file, encodePng(size, render(size)));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
