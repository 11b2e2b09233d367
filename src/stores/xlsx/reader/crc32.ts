/**
 * CRC-32 of the zip format, for the reader (every part checked, as Excel checks it) and the writer:
 * Node's zlib.crc32 where it exists (Node ≥ 20.15, native), else a table (older Nodes, the browser).
 */
import * as zlib from "zlib";

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

const native = (zlib as { crc32?: unknown }).crc32;

/** The CRC of `data` continued from `prev` (0 to start). */
export const crc32: (data: Uint8Array, prev: number) => number =
  typeof native === "function"
    ? (native as (d: Uint8Array, v: number) => number)
    : (data, prev) => {
        let c = ~prev;
        for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        return ~c >>> 0;
      };
