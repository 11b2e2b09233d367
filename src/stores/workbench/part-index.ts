/**
 * Places a download can start inflating a big part from (issue 26), as zlib's zran.c does: a block start every few
 * MB with the 32 KB of output before it (what the block may copy from), the CRC of everything before it, and the
 * first row after it. Found once per part, in the worker after the first save that changes it; a download then
 * inflates only from the place before each changed row to a little past it, not the whole part from its start.
 */
import { crc32 } from "../xlsx/reader/crc32";
import type { BlockStart, DeflateBlocks } from "./deflate-blocks";

export interface Checkpoint {
  start: BlockStart;
  /** CRC of the inflated bytes before the block. */
  crc: number;
  /** Up to 32 KB of inflated bytes before the block. */
  window: Uint8Array;
  /** The number of the first `<row r="…">` starting at or after the block (Infinity: none). */
  firstRow: number;
}

export interface PartIndex {
  blocks: DeflateBlocks;
  checkpoints: Checkpoint[];
  /** The sheet's XML before `<sheetData` (its dimension and column styles). */
  head: string;
}

const WINDOW = 32768;
/** Inflated bytes between places: about 100 places and 3 MB of windows for a 200 MB sheet; a changed row costs at most this much inflating. */
export const CHECKPOINT_EVERY = 2 << 20;
const HEAD_LIMIT = 1 << 20;

const latin = new TextDecoder("windows-1252");

interface StreamsGlobal {
  DecompressionStream: new (format: "deflate-raw") => { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
}

/**
 * The part's inflated bytes from a checkpoint on: a stored block holding the window, then the original bits from
 * the block start to `end` (the bit after the final block), moved to a byte boundary; the window's bytes are not
 * passed on. Not a byte past `end`'s: moved back by up to 7 bits, the original's last byte may hold only padding,
 * and Chromium's DecompressionStream refuses a byte after the stream ("Junk found after end of compressed data").
 */
export function inflateFrom(raw: Uint8Array, c: Pick<Checkpoint, "start" | "window">, end: number): ReadableStream<Uint8Array> {
  const g = globalThis as typeof globalThis & StreamsGlobal;
  const w = c.window;
  const s = c.start.bit & 7;
  let at = c.start.bit >> 3;
  const stop = Math.min(raw.length, at + Math.ceil((end - c.start.bit) / 8));
  let first = true;
  const source = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (first && c.start.bit > 0) {
        first = false;
        // BFINAL 0, BTYPE 00 (stored), padding; LEN and its complement; the window.
        const head = new Uint8Array(5 + w.length);
        head.set([0, w.length & 0xff, w.length >> 8, ~w.length & 0xff, (~w.length >> 8) & 0xff]);
        head.set(w, 5);
        return ctl.enqueue(head);
      }
      first = false;
      if (at >= stop) return ctl.close();
      const to = Math.min(stop, at + (1 << 20));
      if (s === 0) ctl.enqueue(raw.subarray(at, to));
      else {
        const out = new Uint8Array(to - at);
        for (let i = 0; i < out.length; i++) out[i] = ((raw[at + i] >>> s) | (raw[at + i + 1] << (8 - s))) & 0xff;
        ctl.enqueue(out);
      }
      at = to;
    },
  });
  let skip = c.start.bit > 0 ? w.length : 0;
  return source.pipeThrough(new g.DecompressionStream("deflate-raw")).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(piece, ctl) {
        if (skip >= piece.length) {
          skip -= piece.length;
          return;
        }
        ctl.enqueue(skip ? piece.subarray(skip) : piece);
        skip = 0;
      },
    }),
  );
}

const ROW = /<row r="(\d+)"/;

/** The part inflated once: its checkpoints. Rejects on a part whose head is not a sheet's (no index; the download inflates it whole). */
export async function indexPart(raw: Uint8Array, blocks: DeflateBlocks, every: number = CHECKPOINT_EVERY): Promise<PartIndex> {
  // The places: the first block, one every `every` bytes, and the last block.
  const chosen: BlockStart[] = [];
  for (const s of blocks.starts) if (!chosen.length || s.out >= chosen[chosen.length - 1].out + every) chosen.push(s);
  const last = blocks.starts[blocks.starts.length - 1];
  if (chosen[chosen.length - 1] !== last && last.out > chosen[chosen.length - 1].out) chosen.push(last);
  const checkpoints: Checkpoint[] = [];
  let crc = 0;
  let seen = 0;
  let tail: Uint8Array = new Uint8Array(0);
  let head = "";
  let headDone = false;
  /** Checkpoints still looking for their first row, and the text that may hold a cut `<row r="…"`. */
  let looking: Checkpoint[] = [];
  let carry = "";
  let k = 0;
  const reader = inflateFrom(raw, { start: { bit: 0, out: 0 }, window: new Uint8Array(0) }, blocks.end.bit).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const piece = value;
    if (!headDone) {
      head += latin.decode(piece.subarray(0, Math.max(0, HEAD_LIMIT - head.length)));
      const at = head.indexOf("<sheetData");
      if (at >= 0) {
        head = head.slice(0, at);
        headDone = true;
      } else if (head.length >= HEAD_LIMIT) throw new Error("no <sheetData> in the sheet's first MB");
    }
    let from = 0;
    let text: string | undefined;
    let cutHere = -1;
    for (; k < chosen.length && chosen[k].out < seen + piece.length; k++) {
      const cut = chosen[k].out - seen;
      crc = crc32(piece.subarray(from, cut), crc);
      from = cut;
      const c: Checkpoint = { start: chosen[k], crc, window: joinTail(tail, piece.subarray(0, cut)), firstRow: Infinity };
      checkpoints.push(c);
      // Its first row: in this piece from the cut on, or in the next pieces (never one that began before the cut).
      text ??= latin.decode(piece);
      const m = ROW.exec(text.slice(cut));
      if (m) c.firstRow = Number(m[1]);
      else {
        looking.push(c);
        cutHere = cut;
      }
    }
    crc = crc32(piece.subarray(from), crc);
    if (looking.length) {
      text ??= latin.decode(piece);
      const earlier = looking.filter((c) => c.start.out < seen);
      const m = earlier.length ? ROW.exec(carry + text) : null;
      if (m) {
        for (const c of earlier) c.firstRow = Number(m[1]);
        looking = looking.filter((c) => c.start.out >= seen);
      }
      carry = text.slice(Math.max(cutHere, text.length - 24, 0));
    }
    tail = joinTail(tail, piece);
    seen += piece.length;
  }
  if (seen !== blocks.end.out) throw new Error("internal: the part inflated to another size than its blocks say");
  return { blocks, checkpoints, head };
}

/** The last 32 KB of a followed by b. */
function joinTail(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length >= WINDOW) return b.slice(b.length - WINDOW);
  const keep = Math.min(a.length, WINDOW - b.length);
  const out = new Uint8Array(keep + b.length);
  out.set(a.subarray(a.length - keep));
  out.set(b, keep);
  return out;
}
