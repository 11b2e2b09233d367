/**
 * A big part's new compressed bytes made from its old ones (issue 26): the splice's output (sheet-splice.ts) is
 * cut at the original stream's block starts (deflate-blocks.ts); only the blocks around a change are deflated
 * again, every other block's bits are copied as they are. A re-deflated stretch starts at a block start at or
 * before the change and ends at the first block start 32 KB or more past it, so the copied blocks after it find
 * the same 32 KB behind them that they may refer to. The CRC is put together from the original's (crc32_combine,
 * as zlib does), so the bytes after the last change are neither inflated nor checked again.
 */
import { crc32 } from "../xlsx/reader/crc32";
import { deflateBlocks, type BlockStart, type DeflateBlocks } from "./deflate-blocks";
import type { SpliceRun } from "./sheet-splice";

/** The window a deflate block may copy from. */
const WINDOW = 32768;
const POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC polynomial (zlib's multmodp, reflected). */
function multmodp(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

const X2N: number[] = (() => {
  const t: number[] = [];
  let p = 1 << 30; // x^1
  t.push(p);
  for (let n = 1; n < 32; n++) t.push((p = multmodp(p, p)));
  return t;
})();

/** x^(n·2^k) modulo the polynomial. */
function x2nmodp(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n) {
    if (n & 1) p = multmodp(X2N[k & 31], p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC of A followed by B from their CRCs (zlib's crc32_combine). */
export function crc32Combine(crcA: number, crcB: number, lenB: number): number {
  return lenB ? (multmodp(x2nmodp(lenB, 3), crcA) ^ crcB) >>> 0 : crcA >>> 0;
}

/** The CRC of B from the CRCs of A and of A followed by B. */
export function crc32Tail(crcA: number, crcAB: number, lenB: number): number {
  return lenB ? (multmodp(x2nmodp(lenB, 3), crcA) ^ crcAB) >>> 0 : 0;
}

/** Bits appended one range at a time (deflate's order: LSB first). */
class BitWriter {
  private at = 0;
  constructor(readonly out: Uint8Array) {}

  get bit(): number {
    return this.at;
  }

  copy(src: Uint8Array, from: number, to: number): void {
    const out = this.out;
    let n = to - from;
    const one = () => {
      out[this.at >> 3] |= ((src[from >> 3] >> (from & 7)) & 1) << (this.at & 7);
      this.at++;
      from++;
      n--;
    };
    while (n > 0 && this.at & 7) one();
    const o = this.at >> 3;
    const i = from >> 3;
    const s = from & 7;
    const whole = n >> 3;
    if (s === 0) out.set(src.subarray(i, i + whole), o);
    else for (let k = 0; k < whole; k++) out[o + k] = ((src[i + k] >>> s) | (src[i + k + 1] << (8 - s))) & 0xff;
    this.at += whole * 8;
    from += whole * 8;
    n -= whole * 8;
    while (n > 0) one();
  }

  clear(bit: number): void {
    this.out[bit >> 3] &= ~(1 << (bit & 7));
  }
}

type Op = { bits: [number, number] } | { seg: Uint8Array[]; final: boolean };

function concat(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Raw deflate of a stretch (the worker's CompressionStream). */
export type SegmentDeflater = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * Collects a spliced part's runs (in order) and assembles its new compressed bytes. `stoppable` says when the rest
 * of the part is its original bytes, so the caller may stop inflating it.
 */
export class DeflateSplice {
  private readonly starts: BlockStart[];
  private next = 0;
  private readonly ops: Op[] = [];
  private copyFrom = 0;
  private open = false;
  private seg: Uint8Array[] = [];
  private pending: Uint8Array[] = [];
  private lastStart: BlockStart;
  /** The original offset a re-deflated stretch may end at (a block start this far on); Infinity inside a change. */
  private safeFrom = Infinity;
  private origPos = 0;
  private crcOrig = 0;
  /** The original bytes since the last change (copied to the output as they are), from `rangeAt`. */
  private inRange = false;
  private rangeAt = 0;
  private crcAtRange = 0;
  private crcOut = 0;
  private outLen = 0;
  private placed = false;

  constructor(
    private readonly raw: Uint8Array,
    private readonly blocks: DeflateBlocks,
    /** The original part's CRC and inflated size. */
    private readonly crc: number,
    private readonly usize: number,
  ) {
    this.starts = blocks.starts;
    this.lastStart = this.starts[0];
  }

  /** Every edit is placed and no re-deflated stretch is open: the rest is the original's. */
  get stoppable(): boolean {
    return this.placed && !this.open;
  }

  private closeRange(): void {
    if (!this.inRange) return;
    const len = this.origPos - this.rangeAt;
    this.crcOut = crc32Combine(this.crcOut, crc32Tail(this.crcAtRange, this.crcOrig, len), len);
    this.outLen += len;
    this.inRange = false;
  }

  private openSegment(): void {
    this.safeFrom = Infinity;
    if (this.open) return;
    this.open = true;
    this.ops.push({ bits: [this.copyFrom, this.lastStart.bit] });
    this.seg = this.pending;
    this.pending = [];
  }

  /**
   * Goes on at a block start past everything seen (a part-index.ts checkpoint): the bytes between are the
   * original's, not inflated; `crcBefore` is the CRC of every original byte before the block.
   */
  jump(to: BlockStart, crcBefore: number): void {
    if (this.open || to.out < this.origPos) throw new Error("internal: a jump back, or out of a re-deflated stretch");
    this.placed = false;
    if (to.out === this.origPos) return;
    if (!this.inRange) {
      this.inRange = true;
      this.rangeAt = this.origPos;
      this.crcAtRange = this.crcOrig;
    }
    this.crcOrig = crcBefore;
    this.origPos = to.out;
    this.lastStart = to;
    this.pending = [];
  }

  /** Where the original has been read to. */
  get at(): number {
    return this.origPos;
  }

  add(r: SpliceRun): void {
    if (r.kind === "done") {
      this.placed = true;
      return;
    }
    if (r.kind === "new") {
      this.closeRange();
      this.openSegment();
      this.seg.push(r.bytes);
      this.crcOut = crc32(r.bytes, this.crcOut);
      this.outLen += r.bytes.length;
      return;
    }
    if (r.at !== this.origPos) throw new Error(`internal: splice run at ${r.at}, expected ${this.origPos}`);
    const end = r.at + r.bytes.length;
    while (this.next < this.starts.length && this.starts[this.next].out < r.at) this.next++;
    if (r.kind === "dropped") {
      this.closeRange();
      this.openSegment();
    } else {
      if (!this.inRange) {
        this.inRange = true;
        this.rangeAt = r.at;
        this.crcAtRange = this.crcOrig;
      }
      if (this.open && this.safeFrom === Infinity) this.safeFrom = r.at + WINDOW;
      let from = 0;
      for (; this.next < this.starts.length && this.starts[this.next].out < end; this.next++) {
        const s = this.starts[this.next];
        const cut = s.out - r.at;
        if (this.open) {
          if (s.out < this.safeFrom) continue;
          this.seg.push(r.bytes.subarray(from, cut));
          this.ops.push({ seg: this.seg, final: false });
          this.seg = [];
          this.open = false;
          this.copyFrom = s.bit;
        }
        this.pending = [];
        this.lastStart = s;
        from = cut;
      }
      (this.open ? this.seg : this.pending).push(r.bytes.subarray(from));
    }
    this.crcOrig = crc32(r.bytes, this.crcOrig);
    this.origPos = end;
  }

  /** The new compressed bytes, CRC and size; `deflate` re-deflates the changed stretches. */
  async finish(deflate: SegmentDeflater): Promise<{ raw: Uint8Array; crc: number; usize: number }> {
    // The original's bytes not seen (the caller stopped) or seen since the last change: their CRC from the part's.
    if (this.origPos < this.usize || this.inRange) {
      if (this.open && this.origPos < this.usize) throw new Error("internal: stopped with a re-deflated stretch open");
      const at = this.inRange ? this.rangeAt : this.origPos;
      const crcAt = this.inRange ? this.crcAtRange : this.crcOrig;
      const len = this.usize - at;
      this.crcOut = crc32Combine(this.crcOut, crc32Tail(crcAt, this.crc, len), len);
      this.outLen += len;
      this.inRange = false;
    }
    const ops = [...this.ops, this.open ? { seg: this.seg, final: true } : { bits: [this.copyFrom, this.blocks.end.bit] as [number, number] }];
    // Each stretch deflated on its own, its last block made not-last unless it ends the part.
    // The stretches deflated side by side (the platform's deflater runs off this thread).
    const made = await Promise.all(
      ops.map(async (op) => {
        if ("bits" in op) return op.bits[1] > op.bits[0] ? { src: this.raw, from: op.bits[0], to: op.bits[1] } : undefined;
        const data = concat(op.seg);
        const z = await deflate(data);
        const b = deflateBlocks(z);
        if (b.end.out !== data.length) throw new Error("internal: the deflater's output does not inflate to its input");
        return { src: z, from: 0, to: b.end.bit, clear: op.final ? undefined : b.starts[b.starts.length - 1].bit };
      }),
    );
    const parts = made.filter((p): p is { src: Uint8Array; from: number; to: number; clear?: number } => p !== undefined);
    const bits = parts.reduce((n, p) => n + p.to - p.from, 0);
    const w = new BitWriter(new Uint8Array(Math.ceil(bits / 8)));
    for (const p of parts) {
      const at = w.bit;
      w.copy(p.src, p.from, p.to);
      if (p.clear !== undefined) w.clear(at + p.clear);
    }
    return { raw: w.out, crc: this.crcOut >>> 0, usize: this.outLen };
  }
}
