/**
 * The part of Node's Buffer that the fast .xlsx reader (stores/xlsx/reader/fast-read.ts)
 * uses, for the workbench's worker: webpack aliases the "buffer" module to this
 * file (webpack.config.js), and Node keeps its own. A Uint8Array underneath, so
 * views cost no copy.
 *
 * Why not the `buffer` package: its latin1 decoding appends one character at a
 * time, and the reader decodes every worksheet (tens of MB at 50,000 cases) as
 * latin1. Why not TextDecoder("latin1"): the Encoding Standard maps that label
 * to windows-1252, which turns bytes 0x80–0x9F into other characters; the
 * reader needs byte n → U+00nn exactly, as Node gives.
 */

type Encoding = "latin1" | "binary" | "utf8" | "utf-8";

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** String.fromCharCode takes its arguments on the stack: decode in slices this long. */
const SLICE = 0x2000;

function latin1Of(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += SLICE) out += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return out;
}

function encodingOf(enc: string | undefined): "latin1" | "utf8" {
  const e = (enc ?? "utf8").toLowerCase() as Encoding;
  if (e === "latin1" || e === "binary") return "latin1";
  if (e === "utf8" || e === "utf-8") return "utf8";
  throw new TypeError(`Unknown encoding: ${enc}`);
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

// Node's Buffer narrows Uint8Array.from's overloads the same way; the static side cannot say so.
// @ts-expect-error TS2417
export class Buffer extends Uint8Array {
  /** A copy of bytes, a view on an ArrayBuffer, or a string's bytes in an encoding (latin1 or utf8). */
  static from(src: ArrayBufferLike | ArrayLike<number> | string, offsetOrEncoding?: number | string, length?: number): Buffer {
    if (typeof src === "string") {
      if (encodingOf(offsetOrEncoding as string | undefined) === "utf8") {
        const b = new TextEncoder().encode(src);
        return new Buffer(b.buffer, b.byteOffset, b.byteLength);
      }
      const out = new Buffer(src.length);
      for (let i = 0; i < src.length; i++) out[i] = src.charCodeAt(i) & 0xff;
      return out;
    }
    if (src instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && src instanceof SharedArrayBuffer)) {
      const offset = (offsetOrEncoding as number | undefined) ?? 0;
      return new Buffer(src as ArrayBuffer, offset, length ?? src.byteLength - offset);
    }
    const out = new Buffer((src as ArrayLike<number>).length);
    out.set(src as ArrayLike<number>);
    return out;
  }

  static concat(list: readonly Uint8Array[], total?: number): Buffer {
    const size = total ?? list.reduce((n, b) => n + b.length, 0);
    const out = new Buffer(size);
    let at = 0;
    for (const b of list) {
      if (at >= size) break;
      const part = b.length > size - at ? b.subarray(0, size - at) : b;
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  static isBuffer(x: unknown): x is Buffer {
    return x instanceof Buffer;
  }

  private check(offset: number, n: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + n > this.length) {
      throw new RangeError(`The value of "offset" is out of range. It must be >= 0 and <= ${this.length - n}. Received ${offset}`);
    }
  }

  readUInt16LE(offset = 0): number {
    this.check(offset, 2);
    return this[offset] | (this[offset + 1] << 8);
  }

  readUInt32LE(offset = 0): number {
    this.check(offset, 4);
    return (this[offset] | (this[offset + 1] << 8) | (this[offset + 2] << 16)) + this[offset + 3] * 0x1000000;
  }

  toString(encoding?: string, start = 0, end = this.length): string {
    const s = clamp(start, 0, this.length);
    const e = clamp(end, s, this.length);
    const bytes = this.subarray(s, e);
    return encodingOf(encoding) === "latin1" ? latin1Of(bytes) : utf8.decode(bytes);
  }

  private needle(value: string | Uint8Array, encoding?: string): Uint8Array {
    return typeof value === "string" ? Buffer.from(value, encoding ?? "utf8") : value;
  }

  /** First index of `value` at or after `byteOffset` (negative counts from the end), or -1. */
  indexOf(value: string | Uint8Array | number, byteOffset = 0, encoding?: string): number {
    if (typeof value === "number") return super.indexOf(value & 0xff, byteOffset);
    const n = this.needle(value, encoding);
    let from = byteOffset < 0 ? Math.max(0, this.length + byteOffset) : byteOffset;
    if (n.length === 0) return Math.min(from, this.length);
    const last = this.length - n.length;
    const first = n[0];
    for (; from <= last; from++) {
      from = super.indexOf(first, from);
      if (from < 0 || from > last) return -1;
      let j = 1;
      while (j < n.length && this[from + j] === n[j]) j++;
      if (j === n.length) return from;
    }
    return -1;
  }

  /** Last index of `value` starting at or before `byteOffset` (negative counts from the end), or -1. */
  lastIndexOf(value: string | Uint8Array | number, byteOffset: number = this.length, encoding?: string): number {
    if (typeof value === "number") return super.lastIndexOf(value & 0xff, byteOffset);
    const n = this.needle(value, encoding);
    let from = byteOffset < 0 ? this.length + byteOffset : byteOffset;
    from = Math.min(from, this.length - n.length);
    if (n.length === 0) return Math.max(-1, Math.min(from, this.length));
    const first = n[0];
    for (; from >= 0; from--) {
      from = super.lastIndexOf(first, from);
      if (from < 0) return -1;
      let j = 1;
      while (j < n.length && this[from + j] === n[j]) j++;
      if (j === n.length) return from;
    }
    return -1;
  }
}
