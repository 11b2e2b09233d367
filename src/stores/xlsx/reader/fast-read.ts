/**
 * A fast, read-only path through an .xlsx file for the commands that only
 * look (check, report, verify-audit): Node's zlib inflates the zip entries
 * and hand-written indexOf scanners read the XML parts. It reproduces what
 * exceljs's streaming WorkbookReader + `plainValue` give (file.ts keeps that
 * reader as the fallback and as the reference the tests compare against):
 *
 * - sheets in the order exceljs emits them (zip order; sheets stored before
 *   the shared strings or the workbook rels come last), named through
 *   xl/workbook.xml + its rels as exceljs matches them;
 * - shared and inline strings as Excel shows them (rich text runs joined,
 *   phonetic `<rPh>` readings left out, inline strings decoded once; exceljs
 *   reads the reading instead and decodes inline strings twice);
 * - cell values as exceljs's streaming worksheet reader makes them, then
 *   `plainValue`: date-formatted numbers (styles.xml cellXfs → numFmt,
 *   exceljs's isDateFmt, the row's style for unstyled cells, date1904) become
 *   serials, or Dates when `keepDates`; formula cells give their cached
 *   result (exceljs drops a falsy result of a written-out formula); booleans,
 *   errors, inline and formula strings;
 *   cells with no value are holes, as in exceljs's `row.values`.
 *
 * Where the two differ on purpose: text is decoded as one UTF-8 stream
 * (exceljs decodes each stream chunk on its own, which garbles a Chinese
 * character split between chunks of a large part: 83 signature cells of the
 * 50,000-case bench ledger), parts stored after the sheets are always read
 * (exceljs's reader now and then loses them when it parks sheets in
 * temporary files), and rows or cells without an `r` attribute take the next
 * number (exceljs numbers such a row NaN and fails on such a cell).
 *
 * Anything it does not understand — zip64, encryption, unusual compression,
 * non-UTF-8 XML, DTDs, comments or CDATA in a sheet, a prefixed
 * (namespaced) root element, cells out of column order, malformed or
 * truncated XML, undefined entities — throws FastReadUnsupported; the caller then reads
 * the file with exceljs, which gives its answer or its error as before.
 */
import { Buffer } from "buffer";
import { LIMITS } from "../limits";
import { type Inflater, unsupported, type ZipBytes, type ZipEntry, zipEntries, entryData, inflatePieces, entryDataWith } from "./zip-read";
import { xmlString, xmlBytes } from "./xml-text";
import { type Rel, parseRels, resolveTarget, type BookModel, parseWorkbook, type Styles, DEFAULT_STYLES, parseStyles, parseSharedStrings } from "./book-parts";
import { type RowSink, type SheetContext, CHUNK, SheetFeeder } from "./sheet-scanner";

// The reader's public face: what callers outside the fast reader use.
export { checkInflatedSize, FastReadUnsupported, partsContain, type Inflater, type ZipBytes } from "./zip-read";
export { isDateFormat } from "./book-parts";

export interface FastSheet {
  /** Sheet name as exceljs's streaming reader reports it. */
  name: string;
  /** Zip path of the sheet part. */
  path: string;
  /** "hidden" or "veryHidden" when Excel does not show the sheet. */
  state?: string;
}

interface SheetPlan extends FastSheet {
  entry: ZipEntry;
  styles: Styles;
  strings: (string | null)[] | undefined;
  date1904: boolean;
}

export interface FastReadOptions {
  /** Size of the pieces worksheet XML is scanned in (tests make it small to cross many piece ends). */
  chunkBytes?: number;
  /** Inflates instead of Node's zlib (the browser): open with `openAsync`, read with `streamRows`. */
  inflate?: Inflater;
}

/** How a sheet's rows are read: formulas as their source (`markFormulas`). */
export interface RowOptions {
  markFormulas?: boolean;
  /** Each inflated piece of the sheet's XML, before it is scanned (streamRows only): what the rows do not carry (`<mergeCells>`). */
  onPiece?: (piece: Buffer) => void;
}

/** The parts FastWorkbook.open reads whole before any sheet. */
const BOOK_PARTS = new Set(["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]);

const SHEET_PATH = /xl\/worksheets\/sheet(\d+)[.]xml/;

/** An .xlsx file opened for the fast read: its sheets, in the order exceljs's streaming reader gives them. */
export class FastWorkbook {
  private constructor(
    private readonly buf: ZipBytes,
    private readonly plans: SheetPlan[],
    private readonly chunk: number,
    private readonly entries: ZipEntry[],
    private readonly inflate?: Inflater,
  ) {}

  get sheets(): FastSheet[] {
    return this.plans.map(({ name, path, state }) => ({ name, path, ...(state ? { state } : {}) }));
  }

  /** Throws FastReadUnsupported for anything the fast path does not read like exceljs. */
  static open(buf: ZipBytes, opts: FastReadOptions = {}): FastWorkbook {
    if (opts.inflate) unsupported("an injected inflater needs openAsync");
    return FastWorkbook.plan(buf, zipEntries(buf), (e) => entryData(buf, e), opts);
  }

  /** `open` for an asynchronous injected inflater (`opts.inflate`): the workbook's own parts are inflated first. */
  static async openAsync(buf: ZipBytes, opts: FastReadOptions = {}): Promise<FastWorkbook> {
    if (!opts.inflate) return FastWorkbook.open(buf, opts);
    const entries = zipEntries(buf);
    const parts = new Map<string, Buffer>();
    for (const e of entries) if (BOOK_PARTS.has(e.name) && !parts.has(e.name)) parts.set(e.name, await entryDataWith(buf, e, opts.inflate));
    return FastWorkbook.plan(buf, entries, (e) => parts.get(e.name)!, opts);
  }

  private static plan(buf: ZipBytes, entries: ZipEntry[], part: (e: ZipEntry) => Buffer, opts: FastReadOptions): FastWorkbook {
    const names = new Set<string>();
    for (const e of entries) {
      if (names.has(e.name)) unsupported(`duplicate zip entry ${e.name}`);
      names.add(e.name);
    }
    if (!names.has("xl/workbook.xml") || !names.has("xl/_rels/workbook.xml.rels")) unsupported("no xl/workbook.xml or its rels");
    let rels: Rel[] | undefined;
    let book: BookModel | undefined;
    let strings: (string | null)[] | undefined;
    let styles = DEFAULT_STYLES;
    const now: SheetPlan[] = [];
    const later: { entry: ZipEntry; no: string }[] = [];
    // Targets relative ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/sheet1.xml", openpyxl) name the same part.
    const sheetOf = (no: string): { name: string; state?: string } => {
      const rel = (rels ?? []).find((r) => r.Target !== undefined && resolveTarget("xl/workbook.xml", r.Target) === `xl/worksheets/sheet${no}.xml`);
      if (!rel) return { name: `Sheet${no}` };
      if (!book) return unsupported("sheet before xl/workbook.xml");
      const sh = book.sheets.find((x) => x.rId === rel.Id);
      return sh ? { name: sh.name, ...(sh.state ? { state: sh.state } : {}) } : { name: `Sheet${no}` };
    };
    // The streaming reader's order: a sheet met once shared strings and rels are known is read at once,
    // with the styles known by then; the others wait in temporary files until the end of the zip.
    for (const entry of entries) {
      switch (entry.name) {
        case "xl/_rels/workbook.xml.rels":
          rels = parseRels(xmlBytes(part(entry)));
          break;
        case "xl/workbook.xml":
          book = parseWorkbook(xmlBytes(part(entry)));
          break;
        case "xl/sharedStrings.xml":
          strings = parseSharedStrings(xmlBytes(part(entry)));
          break;
        case "xl/styles.xml":
          styles = parseStyles(xmlBytes(part(entry)));
          break;
        default: {
          const m = SHEET_PATH.exec(entry.name);
          if (!m) break;
          if (strings && rels) {
            if (!book) unsupported("sheet read before xl/workbook.xml");
            now.push({ entry, path: entry.name, ...sheetOf(m[1]), styles, strings, date1904: book!.date1904 });
          } else later.push({ entry, no: m[1] });
        }
      }
    }
    if (!book) return unsupported("no workbook model");
    const plans = [...now, ...later.map(({ entry, no }) => ({ entry, path: entry.name, ...sheetOf(no), styles, strings, date1904: book!.date1904 }))];
    return new FastWorkbook(buf, plans, Math.max(1, opts.chunkBytes ?? CHUNK), entries, opts.inflate);
  }

  /** Names of the zip's entries (the workbench looks for table parts). */
  get partNames(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** A small part (a table, a sheet's rels) as XML text; undefined when the zip has no such entry. */
  async partText(name: string): Promise<string | undefined> {
    const e = this.entries.find((x) => x.name === name);
    if (!e) return undefined;
    return xmlString(this.inflate ? await entryDataWith(this.buf, e, this.inflate) : entryData(this.buf, e));
  }

  /** partText with Node's zlib (no injected inflater): for the synchronous callers. */
  partTextSync(name: string): string | undefined {
    if (this.inflate) unsupported("an injected inflater reads parts with partText");
    const e = this.entries.find((x) => x.name === name);
    return e ? xmlString(entryData(this.buf, e)) : undefined;
  }

  /**
   * Reads the rows of sheet `index` (an index into `sheets`) into `sink`,
   * which may return false to stop. Dates become serials unless `keepDates`.
   */
  readRows(index: number, keepDates: boolean, sink: RowSink, opts: RowOptions = {}): void {
    const plan = this.plans[index];
    if (this.inflate) unsupported("an injected inflater reads with streamRows");
    const feed = new SheetFeeder(this.context(plan, keepDates, opts), sink, this.chunk);
    // Read whole (within the part limit): for the small sheets and the synchronous callers.
    feed.push(entryData(this.buf, plan.entry, LIMITS.partBytes));
    feed.end();
  }

  /** readRows, inflating as it scans: memory flat in the sheet's size (the ledger and audit sheets of a large file). */
  async streamRows(index: number, keepDates: boolean, sink: RowSink, opts: RowOptions = {}): Promise<void> {
    const plan = this.plans[index];
    const feed = new SheetFeeder(this.context(plan, keepDates, opts), sink, this.chunk);
    const onPiece = opts.onPiece;
    await inflatePieces(this.buf, plan.entry, onPiece ? (piece) => (onPiece(piece), feed.push(piece)) : (piece) => feed.push(piece), this.inflate);
    feed.end();
  }

  private context(plan: SheetPlan, keepDates: boolean, opts: RowOptions): SheetContext {
    return {
      strings: plan.strings,
      styles: plan.styles,
      date1904: plan.date1904,
      keepDates,
      sheet: plan.name,
      markFormulas: opts.markFormulas ?? false,
    };
  }
}
