/**
 * A zip read from its file a slice at a time (Node only): the command line opens a large ledger so, and the
 * reader and the patch take the slices a part needs (the directory, a small part, a sheet's compressed bytes a
 * megabyte at a time) instead of the whole compressed file. A 200,000-case ledger is ~150 MB on disk.
 */
import { closeSync, fstatSync, openSync, readSync } from "fs";
import type { ZipSlices } from "../reader/zip-read";

/** Files larger than this are read by slices; smaller ones whole (fewer reads; tests lower it to take this path). */
export const SLICED = { aboveBytes: 16 * 1024 * 1024 };

export class ZipFile implements ZipSlices {
  private fd: number | undefined;

  private constructor(
    fd: number,
    readonly length: number,
  ) {
    this.fd = fd;
  }

  /** Opens `file` for reading (its size as it is now); close it when done. */
  static open(file: string): ZipFile {
    const fd = openSync(file, "r");
    try {
      return new ZipFile(fd, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  slice(start: number, end: number): Buffer {
    if (this.fd === undefined) throw new Error("internal: zip file read after close");
    const to = Math.min(end, this.length);
    const from = Math.max(0, Math.min(start, to));
    const b = Buffer.allocUnsafe(to - from);
    let n = 0;
    while (n < b.length) {
      const k = readSync(this.fd, b, n, b.length - n, from + n);
      // A file cut short since it was opened: fewer bytes, which the reader finds out of bounds.
      if (k === 0) break;
      n += k;
    }
    return n < b.length ? b.subarray(0, n) : b;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
