/**
 * The workbench's .xlsx as zip parts it can change one at a time (issue 26): the parts of the opened file
 * kept as their stored (compressed) bytes, a changed part as its new text; a download assembles the zip,
 * copying unchanged parts' bytes as they are and deflating only changed ones (once per change). No Node
 * APIs: it runs in the workbench's worker. zip-write.ts, the CLI's writer, streams through Node's zlib.
 */
import { Buffer } from "buffer";
import { crc32 } from "../xlsx/reader/crc32";
import { entryData, entryDataWith, type Inflater, unsupported, type ZipEntry, zipEntries } from "../xlsx/reader/zip-read";
import { LIMITS } from "../xlsx/limits";

/** Raw deflate of a part's bytes (the browser's CompressionStream in the worker, zlib in tests). */
export type Deflater = (data: Uint8Array) => Promise<Uint8Array>;

interface Streams {
  CompressionStream?: new (format: "deflate-raw") => { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
}

/** The deflater over CompressionStream("deflate-raw"), or undefined where there is none (parts are then stored). */
export function platformDeflater(scope: Streams = globalThis as typeof globalThis & Streams): Deflater | undefined {
  const CS = scope.CompressionStream;
  if (typeof CS !== "function") return undefined;
  return async (data) => {
    const cs = new CS("deflate-raw");
    const writer = cs.writable.getWriter();
    writer
      .write(data)
      .then(() => writer.close())
      .catch(() => undefined);
    const pieces: Uint8Array[] = [];
    const reader = cs.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(value);
    }
    return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
  };
}

/** A part as the next download writes it. */
interface Stored {
  method: number;
  crc: number;
  usize: number;
  raw: Uint8Array;
  /** DOS time and date of the original entry (2 + 2 bytes), kept for unchanged parts. */
  stamp: number;
  flags: number;
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const FLAG_UTF8 = 0x800;
/** 1980-01-01 00:00 in DOS form, for changed parts: the same bytes for the same content. */
const DOS_1980 = ((1 << 5) | 1) << 16;

export class ZipParts {
  private readonly entries: ZipEntry[];
  /** Changed parts' text, by name (the newest), and their stored form once deflated. */
  private readonly texts = new Map<string, string>();
  private readonly deflated = new Map<string, Stored>();

  constructor(
    private readonly buf: Buffer,
    private readonly inflate?: Inflater,
    private readonly deflate?: Deflater,
  ) {
    this.entries = zipEntries(buf);
    const seen = new Set<string>();
    for (const e of this.entries) {
      if (seen.has(e.name)) unsupported(`duplicate zip entry ${e.name}`);
      seen.add(e.name);
    }
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  get changed(): boolean {
    return this.texts.size > 0;
  }

  /** A part's text as it is now (changed or as opened); undefined when the zip has no such part. */
  async text(name: string): Promise<string | undefined> {
    const t = this.texts.get(name);
    if (t !== undefined) return t;
    const e = this.entries.find((x) => x.name === name);
    if (!e) return undefined;
    const data = this.inflate ? await entryDataWith(this.buf, e, this.inflate, LIMITS.partBytes) : entryData(this.buf, e, LIMITS.partBytes);
    return decoder.decode(data);
  }

  /** Replaces parts' texts together (the new texts of one save). */
  commit(changes: ReadonlyMap<string, string>): void {
    for (const [name, text] of changes) {
      if (!this.has(name)) throw new Error(`internal: no part ${name} to change`);
      this.texts.set(name, text);
      this.deflated.delete(name);
    }
  }

  private async stored(e: ZipEntry): Promise<Stored> {
    const text = this.texts.get(e.name);
    if (text === undefined) {
      const start = e.offset + 30 + this.buf.readUInt16LE(e.offset + 26) + this.buf.readUInt16LE(e.offset + 28);
      return {
        method: e.method,
        crc: e.crc,
        usize: e.usize,
        raw: this.buf.subarray(start, start + e.csize),
        stamp: this.buf.readUInt32LE(e.offset + 10),
        flags: e.flags & FLAG_UTF8,
      };
    }
    let s = this.deflated.get(e.name);
    if (!s) {
      const data = utf8.encode(text);
      const raw = this.deflate ? await this.deflate(data) : data;
      s = { method: this.deflate ? 8 : 0, crc: crc32(data, 0) >>> 0, usize: data.length, raw, stamp: DOS_1980, flags: FLAG_UTF8 };
      this.deflated.set(e.name, s);
    }
    return s;
  }

  /** The whole file: the opened file itself when nothing changed, else a zip of the parts in their stored order. */
  async bytes(): Promise<Uint8Array> {
    // A copy: the answer is transferred to the page.
    if (!this.changed) return new Uint8Array(this.buf);
    const parts = await Promise.all(this.entries.map(async (e) => ({ name: utf8.encode(e.name), s: await this.stored(e) })));
    const size = parts.reduce((n, p) => n + 30 + p.name.length + p.s.raw.length + 46 + p.name.length, 22);
    if (size > 0xffffffff) throw new Error("zip over 4 GB");
    const out = new Uint8Array(size);
    const v = new DataView(out.buffer);
    let at = 0;
    const offsets: number[] = [];
    const head = (sig: number, p: (typeof parts)[number], central: boolean) => {
      v.setUint32(at, sig, true);
      at += 4;
      if (central) {
        v.setUint16(at, 20, true);
        at += 2;
      }
      v.setUint16(at, 20, true);
      v.setUint16(at + 2, p.s.flags, true);
      v.setUint16(at + 4, p.s.method, true);
      v.setUint32(at + 6, p.s.stamp, true);
      v.setUint32(at + 10, p.s.crc, true);
      v.setUint32(at + 14, p.s.raw.length, true);
      v.setUint32(at + 18, p.s.usize, true);
      v.setUint16(at + 22, p.name.length, true);
      v.setUint16(at + 24, 0, true);
      at += 26;
    };
    for (const p of parts) {
      offsets.push(at);
      head(0x04034b50, p, false);
      out.set(p.name, at);
      at += p.name.length;
      out.set(p.s.raw, at);
      at += p.s.raw.length;
    }
    const dir = at;
    parts.forEach((p, i) => {
      head(0x02014b50, p, true);
      // comment length, disk, internal and external attributes: 0; then the local header's offset.
      at += 10;
      v.setUint32(at, offsets[i], true);
      at += 4;
      out.set(p.name, at);
      at += p.name.length;
    });
    v.setUint32(at, 0x06054b50, true);
    v.setUint16(at + 8, parts.length, true);
    v.setUint16(at + 10, parts.length, true);
    v.setUint32(at + 12, at - dir, true);
    v.setUint32(at + 16, dir, true);
    return out;
  }
}
