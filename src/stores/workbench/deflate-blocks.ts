/**
 * Where a raw deflate stream's blocks start (issue 26): the bit each block header is at and how many inflated
 * bytes come before it. A download re-deflates only the blocks around what a save changed and copies every other
 * block's compressed bits as they are (deflate-splice.ts): a block depends on nothing before it but the 32 KB of
 * output it may copy from, so one that starts 32 KB past the last change decodes the same after it.
 *
 * The walk decodes the Huffman codes to count output bytes but writes no output: a few hundred ms for a 40 MB
 * part where inflating it is seconds. Throws on a stream that is not valid deflate (the caller re-deflates whole).
 */

export interface BlockStart {
  /** Bit offset of the block's header in the raw stream (LSB first, as deflate packs bits). */
  bit: number;
  /** Inflated bytes before the block. */
  out: number;
}

export interface DeflateBlocks {
  /** Every block's start, in order; the last one is the final block. */
  starts: BlockStart[];
  /** The bit after the final block's end-of-block code, and the inflated size. */
  end: BlockStart;
}

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Bits read at once from the lookup table; longer codes are decoded bit by bit (puff.c's canonical walk). */
const FAST = 10;

class Bad extends Error {
  constructor(why: string) {
    super(`not a deflate stream: ${why}`);
    this.name = "DeflateError";
  }
}

/** A canonical Huffman code: a FAST-bit table (symbol << 4 | length, 0 = longer) and counts and symbols for longer codes. */
interface Code {
  fast: Int32Array;
  count: Int32Array;
  symbol: Int32Array;
}

function code(lengths: ArrayLike<number>, n: number): Code {
  const count = new Int32Array(16);
  for (let i = 0; i < n; i++) count[lengths[i]]++;
  count[0] = 0;
  const offs = new Int32Array(16);
  for (let l = 1; l < 16; l++) offs[l] = offs[l - 1] + count[l - 1];
  const symbol = new Int32Array(n);
  for (let i = 0; i < n; i++) if (lengths[i]) symbol[offs[lengths[i]]++] = i;
  const fast = new Int32Array(1 << FAST);
  let c = 0;
  const next = new Int32Array(16);
  for (let l = 1; l < 16; l++) {
    c = (c + count[l - 1]) << 1;
    next[l] = c;
  }
  for (let i = 0; i < n; i++) {
    const l = lengths[i];
    if (!l) continue;
    const v = next[l]++;
    if (l > FAST) continue;
    let rev = 0;
    for (let k = 0; k < l; k++) rev |= ((v >> k) & 1) << (l - 1 - k);
    for (let j = rev; j < 1 << FAST; j += 1 << l) fast[j] = (i << 4) | l;
  }
  return { fast, count, symbol };
}

let fixed: { lit: Code; dist: Code } | undefined;
function fixedCodes(): { lit: Code; dist: Code } {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixed = { lit: code(l, 288), dist: code(new Uint8Array(30).fill(5), 30) };
  }
  return fixed;
}

/** The block starts of `raw` (a whole raw deflate stream). */
export function deflateBlocks(raw: Uint8Array): DeflateBlocks {
  const walk = blockWalk(raw);
  for (let r = walk.next(); ; r = walk.next()) if (r.done) return r.value;
}

/** deflateBlocks a few blocks at a time, letting other work in between (the worker answers saves meanwhile). */
export async function deflateBlocksAsync(raw: Uint8Array, pause: () => Promise<void> = () => new Promise((ok) => setTimeout(ok, 0))): Promise<DeflateBlocks> {
  const walk = blockWalk(raw);
  for (let r = walk.next(); ; r = walk.next()) {
    if (r.done) return r.value;
    await pause();
  }
}

/** Blocks between pauses: about 10-40 ms of walking each. */
const STEP = 32;

function* blockWalk(raw: Uint8Array): Generator<void, DeflateBlocks, void> {
  const len = raw.length;
  let pos = 0;
  let bb = 0; // bit buffer, LSB first
  let bc = 0; // bits in it
  const need = (n: number) => {
    while (bc < n) {
      if (pos >= len + 4) throw new Bad("ends early");
      bb |= (pos < len ? raw[pos] : 0) << bc;
      pos++;
      bc += 8;
    }
  };
  const bits = (n: number) => {
    need(n);
    const v = bb & ((1 << n) - 1);
    bb >>>= n;
    bc -= n;
    return v;
  };
  const decode = (h: Code): number => {
    need(15);
    const e = h.fast[bb & ((1 << FAST) - 1)];
    if (e) {
      const l = e & 15;
      bb >>>= l;
      bc -= l;
      return e >> 4;
    }
    // Longer than FAST bits: canonical decoding one bit at a time.
    let c = 0;
    let first = 0;
    let index = 0;
    for (let l = 1; l < 16; l++) {
      c |= bb & 1;
      bb >>>= 1;
      bc--;
      const count = h.count[l];
      if (c - count < first) return h.symbol[index + (c - first)];
      index += count;
      first = (first + count) << 1;
      c <<= 1;
    }
    throw new Bad("no such code");
  };

  const starts: BlockStart[] = [];
  let out = 0;
  for (;;) {
    if (starts.length % STEP === STEP - 1) yield;
    starts.push({ bit: pos * 8 - bc, out });
    const last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // To the byte boundary: whole bytes read ahead go back, the rest of this byte is padding.
      pos -= bc >> 3;
      bb = 0;
      bc = 0;
      if (pos + 4 > len) throw new Bad("stored block ends early");
      const n = raw[pos] | (raw[pos + 1] << 8);
      if ((n ^ 0xffff) !== (raw[pos + 2] | (raw[pos + 3] << 8))) throw new Bad("stored block length");
      pos += 4 + n;
      if (pos > len) throw new Bad("stored block ends early");
      out += n;
    } else if (type === 3) throw new Bad("block type 3");
    else {
      let lit: Code;
      let dist: Code;
      if (type === 1) ({ lit, dist } = fixedCodes());
      else {
        const nlen = bits(5) + 257;
        const ndist = bits(5) + 1;
        const ncode = bits(4) + 4;
        if (nlen > 286 || ndist > 30) throw new Bad("code counts");
        const cl = new Uint8Array(19);
        for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]] = bits(3);
        const clc = code(cl, 19);
        const lengths = new Uint8Array(nlen + ndist);
        for (let i = 0; i < nlen + ndist;) {
          const sym = decode(clc);
          if (sym < 16) lengths[i++] = sym;
          else {
            let rep: number;
            let v = 0;
            if (sym === 16) {
              if (i === 0) throw new Bad("repeat with no length");
              v = lengths[i - 1];
              rep = 3 + bits(2);
            } else if (sym === 17) rep = 3 + bits(3);
            else rep = 11 + bits(7);
            if (i + rep > nlen + ndist) throw new Bad("too many lengths");
            while (rep--) lengths[i++] = v;
          }
        }
        if (!lengths[256]) throw new Bad("no end-of-block code");
        lit = code(lengths.subarray(0, nlen), nlen);
        dist = code(lengths.subarray(nlen), ndist);
      }
      for (;;) {
        const sym = decode(lit);
        if (sym < 256) out++;
        else if (sym === 256) break;
        else {
          const i = sym - 257;
          if (i >= 29) throw new Bad("length code");
          out += LEN_BASE[i] + (LEN_EXTRA[i] ? bits(LEN_EXTRA[i]) : 0);
          const d = decode(dist);
          if (d >= 30) throw new Bad("distance code");
          if (DIST_EXTRA[d]) bits(DIST_EXTRA[d]);
        }
      }
    }
    if (last) break;
  }
  const end = pos * 8 - bc;
  if (end > len * 8) throw new Bad("ends early");
  return { starts, end: { bit: end, out } };
}
