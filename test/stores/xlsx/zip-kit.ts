/**
 * Test helper: take an .xlsx apart and put it together again with parts
 * replaced — including hostile ones (a deflate stream that inflates to
 * gigabytes from a megabyte, a size the zip lies about) — without ever
 * holding the inflated bytes.
 */
import { deflateRawSync, inflateRawSync, constants } from "zlib";

export interface Part {
  name: string;
  /** Deflated (raw) bytes; the bytes themselves when `stored`. */
  raw: Buffer;
  /** Inflated size the zip declares. */
  usize: number;
  /** Stored without compression (method 0) rather than deflated (8). */
  stored?: boolean;
  /** CRC-32 of the inflated bytes; 0 when not worked out (our reader refuses a hostile part before it would check). */
  crc?: number;
  /** General-purpose flags beyond UTF-8 names (1 = encrypted). */
  flags?: number;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  return t;
})();

export function crc32(b: Buffer): number {
  let c = -1;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The parts of a zip (central directory order), deflated as stored. */
export function unzipParts(buf: Buffer): Part[] {
  let eocd = buf.length - 22;
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts: Part[] = [];
  for (let k = 0; k < count; k++) {
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const off = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    const start = off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28);
    const data = buf.subarray(start, start + csize);
    parts.push({ name, raw: method === 0 ? deflateRawSync(data) : Buffer.from(data), usize, crc: buf.readUInt32LE(p + 16) });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return parts;
}

export const inflatePart = (p: Part): string => inflateRawSync(p.raw).toString("utf8");
export const deflatePart = (name: string, text: string | Buffer, opts: { stored?: boolean; flags?: number } = {}): Part => {
  const b = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return { name, raw: opts.stored ? b : deflateRawSync(b), usize: b.length, crc: crc32(b), stored: opts.stored, flags: opts.flags };
};

/**
 * A part that inflates to `head + body × times + tail`, built from one
 * compressed copy of `body` repeated: each copy ends on a full flush, so it
 * needs nothing before it. 1.2 GB from about a megabyte.
 */
export function bombPart(name: string, head: string, body: string, times: number, tail: string, declared?: number): Part {
  const flush = (s: string) => deflateRawSync(Buffer.from(s, "utf8"), { finishFlush: constants.Z_FULL_FLUSH });
  const bodyRaw = flush(body);
  const raw = Buffer.concat([flush(head), ...Array.from({ length: times }, () => bodyRaw), flush(tail), Buffer.from([0x03, 0x00])]);
  const real = Buffer.byteLength(head) + Buffer.byteLength(body) * times + Buffer.byteLength(tail);
  return { name, raw, usize: declared ?? Math.min(real, 0xfffffffe) };
}

/** A zip of the parts, in this order. */
export function zipParts(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const flags = 0x800 | (p.flags ?? 0);
    const method = p.stored ? 0 : 8;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(p.crc ?? 0, 14);
    lh.writeUInt32LE(p.raw.length, 18);
    lh.writeUInt32LE(p.usize, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(p.crc ?? 0, 16);
    ch.writeUInt32LE(p.raw.length, 20);
    ch.writeUInt32LE(p.usize, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, p.raw);
    central.push(ch, name);
    offset += 30 + name.length + p.raw.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
