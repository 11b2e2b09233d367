/**
 * The zip container of an .xlsx file, read without a zip library: central directory entries, stored and
 * deflated parts inflated in bounded pieces (Node's zlib or an injected inflater), every size checked
 * against the limits before it is trusted. Part of the fast reader (fast-read.ts).
 */
import { Buffer } from "buffer";
import * as zlib from "zlib";
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
export function zipEntries(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) unsupported("too short for a zip");
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) unsupported("no zip central directory");
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) unsupported("zip64");
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0) unsupported("multi-disk zip");
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) unsupported("zip64");
  if (cdOffset + cdSize > eocd) unsupported("central directory out of bounds");
  if (count > LIMITS.entries) throw tooManyEntries(count);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) unsupported("bad central directory entry");
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags,
      crc: buf.readUInt32LE(p + 16),
      method: buf.readUInt16LE(p + 10),
      csize: buf.readUInt32LE(p + 20),
      usize: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLen),
    };
    if (entry.csize === 0xffffffff || entry.usize === 0xffffffff || entry.offset === 0xffffffff) unsupported("zip64");
    // The most any use allows (a sheet streamed); a part read whole is held to its lower limit where it is read (entryData).
    if (entry.usize > LIMITS.streamedPartBytes) throw partTooBig(entry.name, entry.usize, LIMITS.streamedPartBytes, true);
    out.push(entry);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  const total = out.reduce((n, e) => n + e.usize, 0);
  if (total > LIMITS.totalBytes) throw totalTooBig(total, LIMITS.totalBytes);
  return out.sort((a, b) => a.offset - b.offset);
}

/** The stored (compressed) bytes of an entry. */
function rawOf(buf: Buffer, e: ZipEntry): Buffer {
  if (e.flags & 0x41) unsupported(`encrypted entry ${e.name}`);
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) unsupported(`bad local header for ${e.name}`);
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  if (start + e.csize > buf.length) unsupported(`entry ${e.name} out of bounds`);
  if (e.method !== 0 && e.method !== 8) unsupported(`compression method ${e.method} of ${e.name}`);
  return buf.subarray(start, start + e.csize);
}

const isTooLarge = (err: unknown) => (err as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";

/** A part read whole (workbook, rels, styles, shared strings): never more than it declares, nor over the limit. */
export function entryData(buf: Buffer, e: ZipEntry, limit: number = LIMITS.wholePartBytes): Buffer {
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
export async function inflatePieces(buf: Buffer, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void, inflate?: Inflater): Promise<void> {
  const raw = rawOf(buf, e);
  if (e.method === 0) {
    if (raw.length !== e.usize) throw sizeLie(e.name);
    if (crc32(raw, 0) !== e.crc) throw crcMismatch(e.name);
    onPiece(raw);
    return;
  }
  if (inflate) return injectedPieces(raw, e, onPiece, inflate);
  const z = zlib.createInflateRaw({ chunkSize: 1 << 20 });
  let total = 0;
  let crc = 0;
  try {
    // The whole input is written at once; zlib inflates only as pieces are taken (backpressure), one at a time.
    z.end(raw);
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
export async function entryDataWith(buf: Buffer, e: ZipEntry, inflate: Inflater, limit: number = LIMITS.wholePartBytes): Promise<Buffer> {
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
export async function checkInflatedSize(buf: Buffer, limit: number): Promise<number> {
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
export async function partsContain(buf: Buffer, names: RegExp, pattern: string): Promise<boolean> {
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
