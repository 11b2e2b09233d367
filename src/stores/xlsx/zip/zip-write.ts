/**
 * A small zip writer over Node's zlib (decision #40): parts copied as they
 * are (already deflated) or deflated as they stream, each with a data
 * descriptor, so a part of hundreds of megabytes is never held whole.
 * Output goes to a sink function, a file or a buffer alike. No zip64: a
 * part or file past 4 GB is refused (our limits stop far below).
 */
import * as zlib from "zlib";
import { Readable, Transform, Writable } from "stream";
import { pipeline } from "stream/promises";
import { crc32 } from "../reader/crc32";
import { rawPieces, rawStart, zipEntries, type ZipSlices } from "../reader/zip-read";
import { LIMITS, partTooBig, sizeLie } from "../limits";

/** Where the zip's bytes go, in order; awaited, so a slow disk holds the writer back. */
export type ZipSink = (bytes: Buffer) => Promise<void>;

/** One stored entry of a zip (from its central directory), its data still deflated. */
export interface RawPart {
  name: string;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  /** The stored bytes whole (read from the file when the zip is read by slices: for small parts). */
  raw: Buffer;
  /** The stored bytes in pieces, read as they are taken (a zip read by slices); else `raw` is the one piece. */
  pieces?: () => Iterable<Buffer>;
}

/** A part's stored bytes, piece by piece. */
export const storedPieces = (p: RawPart): Iterable<Buffer> => (p.pieces ? p.pieces() : [p.raw]);

/**
 * The entries of a zip read by slices (zip-file.ts), sizes checked against the limits as the reader checks them
 * (zipEntries): each part's stored bytes are read only when used, a big one a piece at a time.
 */
export function slicedParts(src: ZipSlices): RawPart[] {
  return zipEntries(src).map((e) => ({
    name: e.name,
    method: e.method,
    crc: e.crc,
    csize: e.csize,
    usize: e.usize,
    get raw() {
      const at = rawStart(src, e);
      return src.slice(at, at + e.csize);
    },
    pieces: () => rawPieces(src, e),
  }));
}

/** The entries of a zip we wrote ourselves a moment ago (exceljs's output), in stored order. */
export function zipParts(buf: Buffer): RawPart[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("internal: no zip central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts: (RawPart & { offset: number })[] = [];
  for (let k = 0; k < count; k++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const offset = buf.readUInt32LE(p + 42);
    const csize = buf.readUInt32LE(p + 20);
    const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    parts.push({
      name: buf.toString("utf8", p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      csize,
      usize: buf.readUInt32LE(p + 24),
      raw: buf.subarray(start, start + csize),
      offset,
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return parts.sort((a, b) => a.offset - b.offset);
}

/**
 * The bytes of a part read whole, inflated: held to `limit` (what it declares checked first, then what it
 * inflates to, never more than it declares), as the reader's entryData holds the parts it reads whole.
 */
export function partBytes(p: RawPart, limit: number = LIMITS.wholePartBytes): Buffer {
  if (p.usize > limit) throw partTooBig(p.name, p.usize, limit, true);
  if (p.method === 0) return p.raw;
  try {
    return zlib.inflateRawSync(p.raw, { maxOutputLength: Math.max(1, p.usize) });
  } catch (e) {
    if ((e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE") throw sizeLie(p.name);
    throw e;
  }
}

/** The text of a part read whole (partBytes' limit; one argument, so `parts.map(partText)` reads as it did). */
export const partText = (p: RawPart): string => partBytes(p).toString("utf8");

const MAX32 = 0xffffffff;
/** 1980-01-01 00:00 in DOS form: the same bytes for the same content. */
const DOS_TIME = 0,
  DOS_DATE = (0 << 9) | (1 << 5) | 1;
const FLAG_UTF8 = 0x800,
  FLAG_DESCRIPTOR = 0x8;

export class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];

  constructor(private readonly sink: ZipSink) {}

  private async put(b: Buffer): Promise<void> {
    this.offset += b.length;
    if (this.offset > MAX32) throw new Error("zip over 4 GB");
    await this.sink(b);
  }

  private localHeader(name: Buffer, flags: number, method: number, crc: number, csize: number, usize: number): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(csize, 18);
    h.writeUInt32LE(usize, 22);
    h.writeUInt16LE(name.length, 26);
    return Buffer.concat([h, name]);
  }

  private record(name: Buffer, flags: number, method: number, crc: number, csize: number, usize: number, at: number): void {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(DOS_TIME, 12);
    c.writeUInt16LE(DOS_DATE, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(csize, 20);
    c.writeUInt32LE(usize, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    this.central.push(c, name);
  }

  /** Copies a part as it is stored (no inflating, no deflating). */
  async copy(p: RawPart): Promise<void> {
    const name = Buffer.from(p.name, "utf8");
    const at = this.offset;
    await this.put(this.localHeader(name, FLAG_UTF8, p.method, p.crc, p.csize, p.usize));
    let n = 0;
    for (const piece of storedPieces(p)) {
      n += piece.length;
      await this.put(piece);
    }
    if (n !== p.csize) throw new Error(`internal: part ${p.name} stores ${n} bytes, not ${p.csize}`);
    this.record(name, FLAG_UTF8, p.method, p.crc, p.csize, p.usize, at);
  }

  /** Deflates a part as its pieces arrive; sizes and CRC follow the data (a data descriptor). */
  async stream(partName: string, pieces: AsyncIterable<Buffer> | Iterable<Buffer>, level = 6): Promise<void> {
    const name = Buffer.from(partName, "utf8");
    const flags = FLAG_UTF8 | FLAG_DESCRIPTOR;
    const at = this.offset;
    await this.put(this.localHeader(name, flags, 8, 0, 0, 0));
    let crc = 0,
      usize = 0,
      csize = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        crc = crc32(chunk, crc);
        usize += chunk.length;
        done(null, chunk);
      },
    });
    const out = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        csize += chunk.length;
        this.put(chunk).then(() => done(), done);
      },
    });
    await pipeline(Readable.from(pieces, { objectMode: false }), measure, zlib.createDeflateRaw({ level }), out);
    if (usize > MAX32 || csize > MAX32) throw new Error(`zip part ${partName} over 4 GB`);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(crc >>> 0, 4);
    d.writeUInt32LE(csize, 8);
    d.writeUInt32LE(usize, 12);
    await this.put(d);
    this.record(name, flags, 8, crc >>> 0, csize, usize, at);
  }

  /** The central directory and its end record. */
  async finish(): Promise<void> {
    const dir = Buffer.concat(this.central);
    const at = this.offset;
    const entries = this.central.length / 2;
    await this.put(dir);
    const e = Buffer.alloc(22);
    e.writeUInt32LE(0x06054b50, 0);
    e.writeUInt16LE(entries, 8);
    e.writeUInt16LE(entries, 10);
    e.writeUInt32LE(dir.length, 12);
    e.writeUInt32LE(at, 16);
    await this.put(e);
  }
}
