/**
 * CRC-32 of the zip format, for the reader (every part checked, as Excel checks it) and the writer:
 * Node's zlib.crc32 where it exists (Node ≥ 20.15, native), else a table (older Nodes, the browser).
 */
import * as zlib from "zlib";

/** Slicing-by-8 tables: TABLE[k * 256 + n] is the CRC of byte n followed by k zero bytes. */
const TABLE = (() => {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) for (let k = 1, c = t[n]; k < 8; k++) t[k * 256 + n] = c = t[c & 0xff] ^ (c >>> 8);
  return t;
})();

const native = (zlib as { crc32?: unknown }).crc32;

/** Eight bytes a step (about twice a byte-at-a-time table in V8): the browser checks every part of a 400 MB ledger. */
function tableCrc(data: Uint8Array, prev: number): number {
  const t = TABLE;
  let c = ~prev;
  let i = 0;
  for (const n = data.length - 7; i < n; i += 8) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c =
      t[1792 + (c & 0xff)] ^
      t[1536 + ((c >>> 8) & 0xff)] ^
      t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC of `data` continued from `prev` (0 to start). */
export const crc32: (data: Uint8Array, prev: number) => number = typeof native === "function" ? (native as (d: Uint8Array, v: number) => number) : tableCrc;

/** The table CRC, for tests (Node has zlib's). */
export const crc32Table = tableCrc;
