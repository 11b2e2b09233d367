/**
 * The zip container of an .xlsx file, read without a zip library: central directory entries, stored and
 * deflated parts inflated in bounded pieces (Node's zlib or an injected inflater), every size checked
 * against the limits before it is trusted. Part of the fast reader (fast-read.ts).
 */
import { Buffer } from "buffer";
import * as zlib from "zlib";
import { Readable } from "stream";
import { DomainError } from "../../../domain/errors";
import { crc32 } from "./crc32";
import { crcMismatch, LIMITS, partTooBig, sizeLie, tooManyEntries, totalTooBig } from "../limits";

/**
 * Inflates a zip entry's raw deflate bytes, piece by piece, into `onPiece`
 * (false stops). Injected where Node's zlib is absent: the browser
 * workbench passes one over `DecompressionStream("deflate-raw")`. Bounds
 * (never more than the entry declares) stay with the caller.
 */
export type Inflater = (raw: Uint8Array, onPiece: (piece: Uint8Array) => boolean | void) => Promise<void>;

/** The fast path cannot read this file faithfully: read it with exceljs instead. */
export class FastReadUnsupported extends Error {
  constructor(why: string) {
    super(`fast .xlsx read unsupported: ${why}`);
    this.name = "FastReadUnsupported";
  }
}

export const unsupported = (why: string): never => {
  throw new FastReadUnsupported(why);
};

/**
 * A zip's bytes read a slice at a time (the command line reads a large file so, from its file descriptor:
 * zip-file.ts): the compressed file is never held whole, only the slices a part's reading needs.
 */
export interface ZipSlices {
  readonly length: number;
  /** Bytes [start, end) of the file, or fewer at its end. */
  slice(start: number, end: number): Buffer;
}

/** A zip in memory, or one read a slice at a time. */
export type ZipBytes = Buffer | ZipSlices;

/** In memory (Node's Buffer, or the workbench's, which is a Uint8Array too): read by subarray, never copied. */
const inMemory = (src: ZipBytes): src is Buffer => src instanceof Uint8Array;

const bytesAt = (src: ZipBytes, start: number, end: number): Buffer => (inMemory(src) ? src.subarray(start, end) : src.slice(start, end));

/** Pieces a stored entry's bytes are read from a file in (a deflated sheet of a 200,000-case ledger is ~60 MB). */
const RAW_PIECE = 1 << 20;

export interface ZipEntry {
  name: string;
  flags: number;
  /** CRC-32 of the inflated bytes, from the central directory: checked as Excel checks it. */
  crc: number;
  method: number;
  csize: number;
  usize: number;
  offset: number;
}

/** Entries from the central directory, in the order they are stored (as a streaming unzip meets them). */
export function zipEntries(src: ZipBytes): ZipEntry[] {
  const length = src.length;
  if (length < 22) unsupported("too short for a zip");
  // The end record is in the last 64 KB (its comment at most 0xffff bytes), a zip64 locator 20 bytes before it.
  const tailAt = Math.max(0, length - 22 - 0xffff - 20);
  const tail = bytesAt(src, tailAt, length);
  const min = Math.max(0, length - 22 - 0xffff) - tailAt;
  let at = -1;
  for (let i = tail.length - 22; i >= min; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === 0x06054b50) {
      at = i;
      break;
    }
  }
  if (at < 0) unsupported("no zip central directory");
  if (at + tailAt >= 20 && tail.readUInt32LE(at - 20) === 0x07064b50) unsupported("zip64");
  const eocd = at + tailAt;
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (disk !== 0 || cdDisk !== 0) unsupported("multi-disk zip");
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) unsupported("zip64");
  if (cdOffset + cdSize > eocd) unsupported("central directory out of bounds");
  if (count > LIMITS.entries) throw tooManyEntries(count);
  // The directory to the file's end, read once: positions below are relative to cdOffset.
  const cd = cdOffset >= tailAt ? tail.subarray(cdOffset - tailAt) : bytesAt(src, cdOffset, length);
  const end = eocd - cdOffset;
  const out: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || cd.readUInt32LE(p) !== 0x02014b50) unsupported("bad central directory entry");
    const flags = cd.readUInt16LE(p + 8);
    const nameLen = cd.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags,
      crc: cd.readUInt32LE(p + 16),
      method: cd.readUInt16LE(p + 10),
      csize: cd.readUInt32LE(p + 20),
      usize: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
      name: cd.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLen),
    };
    if (entry.csize === 0xffffffff || entry.usize === 0xffffffff || entry.offset === 0xffffffff) unsupported("zip64");
    // The most any use allows (a sheet streamed); a part read whole is held to its lower limit where it is read (entryData).
    if (entry.usize > LIMITS.streamedPartBytes) throw partTooBig(entry.name, entry.usize, LIMITS.streamedPartBytes, true);
    out.push(entry);
    p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  const total = out.reduce((n, e) => n + e.usize, 0);
  if (total > LIMITS.totalBytes) throw totalTooBig(total, LIMITS.totalBytes);
  return out.sort((a, b) => a.offset - b.offset);
}

/** Where an entry's stored (compressed) bytes start in the zip. */
export function rawStart(src: ZipBytes, e: ZipEntry): number {
  if (e.flags & 0x41) unsupported(`encrypted entry ${e.name}`);
  const h = bytesAt(src, e.offset, e.offset + 30);
  if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) unsupported(`bad local header for ${e.name}`);
  const start = e.offset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  if (start + e.csize > src.length) unsupported(`entry ${e.name} out of bounds`);
  if (e.method !== 0 && e.method !== 8) unsupported(`compression method ${e.method} of ${e.name}`);
  return start;
}

/** The stored (compressed) bytes of an entry, whole. */
function rawOf(src: ZipBytes, e: ZipEntry): Buffer {
  const start = rawStart(src, e);
  return bytesAt(src, start, start + e.csize);
}

/** The stored bytes of an entry in pieces of at most RAW_PIECE (one piece of a zip in memory): read as they are taken. */
export function* rawPieces(src: ZipBytes, e: ZipEntry): Generator<Buffer> {
  const start = rawStart(src, e);
  if (inMemory(src)) {
    yield src.subarray(start, start + e.csize);
    return;
  }
  for (let at = start, end = start + e.csize; at < end; at += RAW_PIECE) yield src.slice(at, Math.min(end, at + RAW_PIECE));
}

const isTooLarge = (err: unknown) => (err as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";

/** A part read whole (workbook, rels, styles, shared strings): never more than it declares, nor over the limit. */
export function entryData(buf: ZipBytes, e: ZipEntry, limit: number = LIMITS.wholePartBytes): Buffer {
  if (e.usize > limit) throw partTooBig(e.name, e.usize, limit, true);
  const raw = rawOf(buf, e);
  let data: Buffer;
  if (e.method === 0) data = raw;
  else {
    try {
      // One output chunk of the announced size spares zlib collecting pieces; a zip that lies stops at its word.
      data = zlib.inflateRawSync(raw, { chunkSize: Math.max(64 * 1024, Math.min(e.usize, 1 << 30)), maxOutputLength: Math.max(1, e.usize) });
    } catch (err) {
      if (isTooLarge(err)) throw sizeLie(e.name);
      return unsupported(`cannot inflate ${e.name}: ${(err as Error).message}`);
    }
  }
  if (data.length !== e.usize) throw sizeLie(e.name);
  if (crc32(data, 0) !== e.crc) throw crcMismatch(e.name);
  return data;
}

/**
 * Inflates an entry into `onPiece`, holding one piece (≤ 1 MB) at a time:
 * memory stays flat in the part's size. Never more than the entry declares.
 * `onPiece` returning false stops early.
 */
export async function inflatePieces(buf: ZipBytes, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void, inflate?: Inflater): Promise<void> {
  if (e.method === 0 && !inMemory(buf) && e.usize > RAW_PIECE) return storedPieces(buf, e, onPiece);
  if (e.method === 0) {
    const raw = rawOf(buf, e);
    if (raw.length !== e.usize) throw sizeLie(e.name);
    if (crc32(raw, 0) !== e.crc) throw crcMismatch(e.name);
    onPiece(raw);
    return;
  }
  if (inflate) return injectedPieces(rawOf(buf, e), e, onPiece, inflate);
  const z = zlib.createInflateRaw({ chunkSize: 1 << 20 });
  let total = 0;
  let crc = 0;
  try {
    // In memory the whole input is written at once; from a file it is read a piece at a time as zlib takes it.
    // Either way zlib inflates only as pieces are taken (backpressure), one at a time.
    if (inMemory(buf)) z.end(rawOf(buf, e));
    else
      Readable.from(rawPieces(buf, e))
        .on("error", (err) => z.destroy(err))
        .pipe(z);
    for await (const piece of z as AsyncIterable<Buffer>) {
      total += piece.length;
      if (total > e.usize) throw sizeLie(e.name);
      crc = crc32(piece, crc);
      // A reader that stops early has what it wanted; only a part read to its end can be checked.
      if (onPiece(piece) === false) return;
    }
  } catch (err) {
    if (err instanceof FastReadUnsupported || err instanceof DomainError) throw err;
    return unsupported(`cannot inflate ${e.name}: ${(err as Error).message}`);
  } finally {
    z.destroy();
  }
  if (total !== e.usize) throw sizeLie(e.name);
  if (crc !== e.crc) throw crcMismatch(e.name);
}

/** A large stored entry read from a file a piece at a time (inflatePieces' bounds and checks). */
function storedPieces(src: ZipSlices, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void): void {
  if (e.csize !== e.usize) throw sizeLie(e.name);
  let crc = 0;
  let total = 0;
  for (const piece of rawPieces(src, e)) {
    total += piece.length;
    crc = crc32(piece, crc);
    if (onPiece(piece) === false) return;
  }
  if (total !== e.usize) throw sizeLie(e.name);
  if (crc !== e.crc) throw crcMismatch(e.name);
}

/** inflatePieces through an injected inflater, with the same bounds and errors as zlib's path. */
async function injectedPieces(raw: Buffer, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void, inflate: Inflater): Promise<void> {
  let total = 0;
  let crc = 0;
  let stopped = false;
  try {
    await inflate(raw, (p) => {
      total += p.length;
      if (total > e.usize) throw sizeLie(e.name);
      crc = crc32(p, crc);
      stopped = onPiece(Buffer.from(p.buffer, p.byteOffset, p.byteLength)) === false;
      return !stopped;
    });
  } catch (err) {
    if (err instanceof FastReadUnsupported || err instanceof DomainError) throw err;
    return unsupported(`cannot inflate ${e.name}: ${(err as Error)?.message ?? String(err)}`);
  }
  if (!stopped && total !== e.usize) throw sizeLie(e.name);
  if (!stopped && crc !== e.crc) throw crcMismatch(e.name);
}

/** A part read whole through an injected inflater (entryData's asynchronous twin). */
export async function entryDataWith(buf: ZipBytes, e: ZipEntry, inflate: Inflater, limit: number = LIMITS.wholePartBytes): Promise<Buffer> {
  if (e.usize > limit) throw partTooBig(e.name, e.usize, limit, true);
  const pieces: Buffer[] = [];
  await inflatePieces(buf, e, (p) => void pieces.push(p), inflate);
  const data = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
  if (data.length !== e.usize) throw sizeLie(e.name);
  return data;
}

/**
 * Inflates every entry only to count its bytes, holding one piece at a time:
 * run before a file goes to exceljs, which inflates without any bound.
 * Throws the limit error when the file would inflate to more than `limit`.
 */
export async function checkInflatedSize(buf: ZipBytes, limit: number): Promise<number> {
  const entries = zipEntries(buf);
  const declared = entries.reduce((n, e) => n + e.usize, 0);
  if (declared > limit) throw totalTooBig(declared, limit);
  let total = 0;
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    await inflatePieces(buf, e, (piece) => {
      total += piece.length;
    });
  }
  return total;
}

/**
 * Whether any entry whose name matches `names` holds `pattern` (pieces inflated one at a time, a match
 * across two pieces found too). Entries the reader cannot inflate are passed over.
 */
export async function partsContain(buf: ZipBytes, names: RegExp, pattern: string): Promise<boolean> {
  const needle = Buffer.from(pattern, "latin1");
  for (const e of zipEntries(buf)) {
    if (!names.test(e.name)) continue;
    let tail = Buffer.alloc(0);
    let found = false;
    await inflatePieces(buf, e, (piece) => {
      const joined = tail.length ? Buffer.concat([tail, piece]) : piece;
      found = joined.includes(needle);
      tail = Buffer.from(joined.subarray(Math.max(0, joined.length - needle.length + 1)));
      return !found;
    });
    if (found) return true;
  }
  return false;
}
