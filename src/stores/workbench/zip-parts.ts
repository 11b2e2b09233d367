/**
 * The workbench's .xlsx as zip parts it can change one at a time (issue 26): the parts of the opened file
 * kept as their stored (compressed) bytes, a changed small part as its new text, a changed big sheet as the
 * cells set in it (sheet-splice.ts); a download assembles the zip, copying unchanged parts' bytes as they
 * are and deflating changed small parts once per change. A big sheet is inflated only around its changes, from
 * the checkpoints found after the first save (part-index.ts), and only the deflate blocks there are made again
 * (deflate-splice.ts); where that cannot be done, the sheet streams whole through inflate → splice → deflate. No
 * Node APIs: it runs in the workbench's worker. zip-write.ts, the CLI's writer, streams through Node's zlib.
 */
import { Buffer } from "buffer";
import { crc32 } from "../xlsx/reader/crc32";
import { entryData, entryDataWith, type Inflater, unsupported, type ZipEntry, zipEntries } from "../xlsx/reader/zip-read";
import { LIMITS } from "../xlsx/limits";
import { SheetEdits, spliceRuns, spliceStream } from "./sheet-splice";
import { deflateBlocksAsync, type DeflateBlocks } from "./deflate-blocks";
import { DeflateSplice } from "./deflate-splice";
import { CHECKPOINT_EVERY, indexPart, inflateFrom, type PartIndex } from "./part-index";

/** Raw deflate of a part's bytes (the browser's CompressionStream in the worker, zlib in tests). */
export type Deflater = (data: Uint8Array) => Promise<Uint8Array>;

interface StreamsGlobal {
  DecompressionStream: new (format: "deflate-raw") => { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
  CompressionStream?: new (format: "deflate-raw") => { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
}

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
  /** Big parts' cells set by saves, spliced in when the file is assembled (sheet-splice.ts). */
  private readonly edits = new Map<string, SheetEdits>();
  /** Big parts' deflate block starts, found once each (blocksOf). */
  private readonly blocks = new Map<string, Promise<DeflateBlocks>>();
  private readonly indexes = new Map<string, Promise<PartIndex>>();

  constructor(
    private readonly buf: Buffer,
    private readonly inflate?: Inflater,
    private readonly deflate?: Deflater,
    /** Inflated bytes between a big part's checkpoints (part-index.ts; tests make it small). */
    private readonly checkpointEvery = CHECKPOINT_EVERY,
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
    return this.texts.size > 0 || this.edits.size > 0;
  }

  /** A part's text as it is now (changed or as opened); undefined when the zip has no such part. Not for spliced parts. */
  async text(name: string): Promise<string | undefined> {
    if (this.edits.has(name)) throw new Error(`internal: part ${name} is spliced, not read whole`);
    const t = this.texts.get(name);
    if (t !== undefined) return t;
    const e = this.entries.find((x) => x.name === name);
    if (!e) return undefined;
    // Held whole and decoded to one string: the whole-sheet limit (512 MB, under V8's longest string), not the
    // streamed-sheet one (2 GB) zipEntries lets through for sheets read a piece at a time.
    const data = this.inflate ? await entryDataWith(this.buf, e, this.inflate, LIMITS.partBytes) : entryData(this.buf, e, LIMITS.partBytes);
    return decoder.decode(data);
  }

  /** Replaces parts' texts and adds cells to big parts' edits, together (one save). */
  commit(changes: ReadonlyMap<string, string>, edits: ReadonlyMap<string, SheetEdits> = new Map()): void {
    for (const name of [...changes.keys(), ...edits.keys()]) if (!this.has(name)) throw new Error(`internal: no part ${name} to change`);
    for (const name of edits.keys()) if (changes.has(name) || this.texts.has(name)) throw new Error(`internal: part ${name} both rewritten and spliced`);
    for (const [name, text] of changes) {
      this.texts.set(name, text);
      this.deflated.delete(name);
    }
    for (const [name, e] of edits) {
      const before = this.edits.get(name);
      this.edits.set(name, before ? before.merged(e) : e);
      this.deflated.delete(name);
      // The part's blocks found after this save has answered, while the user goes on: the download needs them.
      const entry = this.entries.find((x) => x.name === name)!;
      if (entry.method === 8 && this.deflate && !this.indexes.has(name)) setTimeout(() => void this.indexOf(entry), 0);
    }
  }

  /**
   * Where each block of a big part's deflate stream starts (deflate-blocks.ts), worked out once per part, the first
   * time a save changes it: a download then re-deflates only the blocks around the changes. Rejects on a stream the
   * walk cannot follow (the part is then re-deflated whole).
   */
  private blocksOf(e: ZipEntry): Promise<DeflateBlocks> {
    let b = this.blocks.get(e.name);
    if (!b) {
      b = deflateBlocksAsync(this.rawOf(e)).then((x) => {
        if (x.end.out !== e.usize || x.end.bit > e.csize * 8) throw new Error(`zip part ${e.name}: its deflate blocks do not add up`);
        return x;
      });
      b.catch(() => undefined);
      this.blocks.set(e.name, b);
    }
    return b;
  }

  /** A big part with its edits spliced in: the blocks around them re-deflated, the others copied, or else all of it. */
  private async spliced(e: ZipEntry, edits: SheetEdits): Promise<Stored> {
    const g = globalThis as typeof globalThis & StreamsGlobal;
    if (e.method === 8 && this.deflate && typeof g.DecompressionStream === "function") {
      const index = await this.indexOf(e).catch(() => undefined);
      if (index) {
        try {
          return await this.splicedIndexed(e, edits, index, this.deflate);
        } catch (err) {
          console.warn(`workbench: part ${e.name} spliced from its start instead`, err);
        }
      }
      const blocks = await this.blocksOf(e).catch(() => undefined);
      if (blocks) return this.splicedBlocks(e, edits, blocks, this.deflate);
    }
    return this.splicedWhole(e, edits);
  }

  /**
   * Finds the checkpoints of the parts saves will change (the ledger's and the audit's sheets) a little after the
   * file is opened, in the background: a download right after a few saves then finds them ready (finding them
   * takes seconds of the worker on a loaded machine; saves are answered in between).
   */
  prepare(names: string[], delayMs = 2000): void {
    for (const name of names) {
      const e = this.entries.find((x) => x.name === name);
      if (!e || e.method !== 8 || !this.deflate || this.indexes.has(name)) continue;
      // Node's timer (tests) must not keep the process alive; the browser's is a number.
      const t: number | { unref?(): void } = setTimeout(() => void this.indexOf(e), delayMs);
      if (typeof t === "object") t.unref?.();
    }
  }

  /** The part's checkpoints (part-index.ts), found once; rejects where there are none to find. */
  private indexOf(e: ZipEntry): Promise<PartIndex> {
    let x = this.indexes.get(e.name);
    if (!x) {
      x = this.blocksOf(e).then((b) => indexPart(this.rawOf(e), b, this.checkpointEvery));
      x.catch(() => undefined);
      this.indexes.set(e.name, x);
    }
    return x;
  }

  /**
   * The part inflated only around its changes: from the checkpoint before each changed row (and from the start, for
   * the head) to the first block start 32 KB past it; the blocks there re-deflated, all others copied.
   */
  private async splicedIndexed(e: ZipEntry, edits: SheetEdits, index: PartIndex, deflate: Deflater): Promise<Stored> {
    const raw = this.rawOf(e);
    const cks = index.checkpoints;
    const ckFor = (n: number) => {
      let i = 0;
      for (let j = 1; j < cks.length; j++) if (cks[j].firstRow <= n) i = j;
      return i;
    };
    // Rows whose checkpoints are next to each other are read in one go: a region never starts behind where the last one stopped.
    const regions: { ck: number; last: number; rows: number[] }[] = [{ ck: 0, last: 0, rows: [] }];
    for (const n of [...edits.rows.keys()].sort((a, b) => a - b)) {
      const ci = ckFor(n);
      const r = regions[regions.length - 1];
      if (ci <= r.last + 1) {
        r.rows.push(n);
        r.last = Math.max(r.last, ci);
      } else regions.push({ ck: ci, last: ci, rows: [n] });
    }
    const splice = new DeflateSplice(raw, index.blocks, e.crc >>> 0, e.usize);
    for (const region of regions) {
      const c = cks[region.ck];
      if (region.ck > 0) splice.jump(c.start, c.crc);
      const sub = new SheetEdits();
      for (const n of region.rows) for (const [col, x] of edits.rows.get(n)!) sub.set(n, col, x);
      if (region.ck === 0) sub.bottom = edits.bottom;
      const reader = inflateFrom(raw, region.ck > 0 ? c : { start: { bit: 0, out: 0 }, window: new Uint8Array(0) }, index.blocks.end.bit)
        .pipeThrough(spliceRuns(sub, region.ck > 0 ? { at: c.start.out, head: index.head } : undefined))
        .getReader();
      let stopped = false;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        splice.add(value);
        if (splice.stoppable) {
          stopped = true;
          await reader.cancel().catch(() => undefined);
          break;
        }
      }
      if (!stopped && region !== regions[regions.length - 1]) throw new Error(`internal: part ${e.name} ended before its last rows`);
    }
    const r = await splice.finish(deflate);
    if (r.usize > 0xffffffff) throw new Error(`zip part ${e.name} over 4 GB`);
    return { method: 8, crc: r.crc, usize: r.usize, raw: r.raw, stamp: DOS_1980, flags: FLAG_UTF8 };
  }

  /** The part inflated as far as the last change, through the splice; the blocks around the changes re-deflated. */
  private async splicedBlocks(e: ZipEntry, edits: SheetEdits, blocks: DeflateBlocks, deflate: Deflater): Promise<Stored> {
    const g = globalThis as typeof globalThis & StreamsGlobal;
    const raw = this.rawOf(e);
    let at = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (at >= raw.length) return ctl.close();
        ctl.enqueue(raw.subarray(at, (at += 1 << 20)));
      },
    });
    const splice = new DeflateSplice(raw, blocks, e.crc >>> 0, e.usize);
    const reader = source.pipeThrough(new g.DecompressionStream("deflate-raw")).pipeThrough(spliceRuns(edits)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      splice.add(value);
      if (splice.stoppable) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
    const r = await splice.finish(deflate);
    if (r.usize > 0xffffffff) throw new Error(`zip part ${e.name} over 4 GB`);
    return { method: 8, crc: r.crc, usize: r.usize, raw: r.raw, stamp: DOS_1980, flags: FLAG_UTF8 };
  }

  /** A big part with its edits spliced in as it streams: inflated, spliced, measured and deflated piece by piece. */
  private async splicedWhole(e: ZipEntry, edits: SheetEdits): Promise<Stored> {
    const g = globalThis as typeof globalThis & StreamsGlobal;
    if (typeof g.DecompressionStream !== "function") throw new Error("no DecompressionStream to stream a part through");
    const raw = this.rawOf(e);
    let at = 0;
    // The stored bytes in pieces, as they are pulled: nothing runs ahead of the deflater.
    let stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (at >= raw.length) return ctl.close();
        ctl.enqueue(raw.subarray(at, (at += 1 << 20)));
      },
    });
    if (e.method === 8) stream = stream.pipeThrough(new g.DecompressionStream("deflate-raw"));
    else if (e.method !== 0) throw new Error(`zip method ${e.method}`);
    let crc = 0;
    let usize = 0;
    stream = stream.pipeThrough(spliceStream(edits)).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, ctl) {
          crc = crc32(piece, crc);
          usize += piece.length;
          ctl.enqueue(piece);
        },
      }),
    );
    const deflate = this.deflate !== undefined && typeof g.CompressionStream === "function";
    if (deflate) stream = stream.pipeThrough(new g.CompressionStream!("deflate-raw"));
    const pieces: Uint8Array[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(value);
    }
    if (usize > 0xffffffff) throw new Error(`zip part ${e.name} over 4 GB`);
    return { method: deflate ? 8 : 0, crc: crc >>> 0, usize, raw: Buffer.concat(pieces), stamp: DOS_1980, flags: FLAG_UTF8 };
  }

  private rawOf(e: ZipEntry): Uint8Array {
    const start = e.offset + 30 + this.buf.readUInt16LE(e.offset + 26) + this.buf.readUInt16LE(e.offset + 28);
    return this.buf.subarray(start, start + e.csize);
  }

  private async stored(e: ZipEntry): Promise<Stored> {
    const text = this.texts.get(e.name);
    const edits = this.edits.get(e.name);
    if (edits) {
      let s = this.deflated.get(e.name);
      if (!s) this.deflated.set(e.name, (s = await this.spliced(e, edits)));
      return s;
    }
    if (text === undefined) {
      return { method: e.method, crc: e.crc, usize: e.usize, raw: this.rawOf(e), stamp: this.buf.readUInt32LE(e.offset + 10), flags: e.flags & FLAG_UTF8 };
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
