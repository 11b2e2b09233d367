/**
 * Writes a LedgerBook (workbook.ts createLedgerBook) as .xlsx: exceljs
 * writes the workbook without the big bodies (a few hundred kilobytes), and
 * each body's sheet part is rewritten as it streams — exceljs's own header
 * row, then our rows (sheet-xml.ts), deflated on the way (zip-write.ts).
 * Memory is the rows the caller holds plus a quarter megabyte of XML; the
 * bytes go to a sink (a file, or a buffer). Decision #40.
 */
import { cellTooLong, checkRowsFit } from "./limits";
import {
  appendSharedStrings,
  bodyWriter,
  checkBodyText,
  frameOf,
  sharedStringCount,
  sharedTextsAfter,
  type DeferredBody,
  type SharedText,
  type SheetFrame,
} from "./sheet-xml";
import { CellTooLong, storeWorkbookText } from "./stored-text";
import type { LedgerBook } from "./workbook";
import { partText, ZipWriter, zipParts, type ZipSink } from "./zip/zip-write";

const SHARED_STRINGS = "xl/sharedStrings.xml";

/** XML handed to the deflater in pieces of about this many characters. */
const PIECE_CHARS = 1 << 18;

/** A deferred body's sheet part as pieces of XML: the frame's head, the rows, the frame's tail. */
export function* bodyPieces(frame: SheetFrame, b: DeferredBody, shared: SharedText): Generator<Buffer> {
  yield Buffer.from(frame.head, "utf8");
  const w = bodyWriter(b, frame.styles, shared);
  let parts: string[] = [];
  let size = 0;
  for (let i = 0; i < w.count; i++) {
    const x = w.rowXml(i);
    parts.push(x);
    size += x.length;
    if (size >= PIECE_CHARS) {
      yield Buffer.from(parts.join(""), "utf8");
      parts = [];
      size = 0;
    }
  }
  parts.push(frame.tail);
  yield Buffer.from(parts.join(""), "utf8");
}

/** Each body's rows go below its header row (row 1): refused whole, before a byte, when they would pass Excel's grid. */
export function checkBodyRows(bodies: readonly DeferredBody[]): void {
  for (const b of bodies) if (!b.backup) checkRowsFit(b.sheet, 1, b.rows.length);
}

/**
 * Writes the book's .xlsx bytes to `sink`. Text is stored as text.ts says; a
 * cell over 32,767 characters, or a body past Excel's grid, is a LIMIT error
 * (both languages), raised before the first byte. Callers still write to a temporary file or a buffer
 * they drop on error (file.ts saveLedgerBook does): a disk can fill half-way.
 */
export async function writeLedgerBook(book: LedgerBook, sink: ZipSink): Promise<void> {
  try {
    checkBodyRows(book.bodies);
    checkBodyText(book.bodies);
    const restore = storeWorkbookText(book.workbook as never);
    let skeleton: Buffer;
    try {
      // exceljs declares its own Buffer type; the bytes are Node's at run time.
      skeleton = Buffer.from((await book.workbook.xlsx.writeBuffer()) as ArrayBuffer);
    } finally {
      restore();
    }
    const byPart = new Map(book.bodies.map((b) => [`xl/worksheets/sheet${b.sheetId}.xml`, b]));
    const parts = zipParts(skeleton);
    const strings = parts.find((p) => p.name === SHARED_STRINGS);
    // Escaped texts join the shared strings after exceljs's own: the part must come after the bodies (exceljs puts it there).
    const lastBody = Math.max(-1, ...parts.map((p, i) => (byPart.has(p.name) ? i : -1)));
    if (!strings || lastBody > parts.indexOf(strings)) {
      throw new Error("internal: exceljs's shared strings part is missing or precedes the sheets");
    }
    const base = sharedStringCount(partText(strings));
    const { shared, added, refs } = sharedTextsAfter(base);
    const zip = new ZipWriter(sink);
    let streamed = 0;
    for (const p of parts) {
      const b = byPart.get(p.name);
      if (b) {
        await zip.stream(p.name, bodyPieces(frameOf(partText(p), b), b, shared));
        streamed++;
      } else if (p === strings && added.size) {
        await zip.stream(p.name, [Buffer.from(appendSharedStrings(partText(p), [...added.keys()], refs()), "utf8")]);
      } else await zip.copy(p);
    }
    if (streamed !== book.bodies.length) throw new Error("internal: a deferred sheet body has no part in exceljs's output");
    await zip.finish();
  } catch (e) {
    if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
    throw e;
  }
}

/** The book as bytes in memory (tests, small books). */
export async function ledgerBookBuffer(book: LedgerBook): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeLedgerBook(book, async (b) => {
    chunks.push(b);
  });
  return Buffer.concat(chunks);
}
