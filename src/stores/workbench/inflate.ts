/**
 * Raw deflate (a zip entry's bytes) through the platform's DecompressionStream,
 * the fast reader's inflater in the workbench's worker (fast-read.ts `Inflater`).
 * "deflate-raw" is in the Compression Streams standard and in Chromium since
 * version 103 (and in Node since 21.2 / 20.12, where the tests run it).
 */
import type { Inflater } from "../xlsx/reader/fast-read";

interface Streams {
  DecompressionStream?: new (format: "deflate-raw") => { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
}

/** The inflater, or undefined where the platform has no DecompressionStream (the fast path then stays off). */
export function platformInflater(scope: Streams = globalThis as typeof globalThis & Streams): Inflater | undefined {
  const DS = scope.DecompressionStream;
  if (typeof DS !== "function") return undefined;
  return async (raw, onPiece) => {
    const ds = new DS("deflate-raw");
    const writer = ds.writable.getWriter();
    // Not awaited: the write completes as the output is read; a corrupt input rejects the read below too.
    writer
      .write(raw)
      .then(() => writer.close())
      .catch(() => undefined);
    const reader = ds.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (onPiece(value) === false) {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  };
}
