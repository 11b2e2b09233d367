/**
 * Text a workbook can hold, one rule for every reader and writer.
 *
 * XML 1.0 cannot carry most control characters, U+FFFE/U+FFFF or a lone
 * surrogate, and an XML parser turns a raw CR into LF. Excel writes such a
 * character as `_xHHHH_` (four hex digits, read in either case) and reads it back; a
 * literal `_xHHHH_` typed by a person is written with its underscore escaped
 * (`_x005F_xHHHH_`). exceljs decodes this form when it reads shared and
 * inline strings but does not write it (it silently drops control
 * characters), so:
 *
 * - writers: `toStoredText` before exceljs serialises a string
 *   (file.ts/workbook.ts run it over a whole workbook before saving);
 * - readers: `fromStoredText` — exceljs already applies it; the fast reader
 *   calls it on shared and inline strings.
 *
 * What is hashed (the audit chain) is the text in memory; what is stored is
 * its escaped form, which reads back as the same text. Browser-safe: no
 * Node APIs.
 */

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_CHARS = 32767;

/**
 * Characters that must be escaped: C0 controls other than TAB and LF, CR
 * (a parser would turn it into LF), DEL and C1 controls (exceljs drops DEL),
 * U+FFFE/U+FFFF, and lone surrogates (UTF-8 cannot carry them).
 */
const NEEDS_ESCAPE = /[\x00-\x08\x0B-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|_(?=x[0-9A-Fa-f]{4}_)/;
const ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, "g");

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, "0");

/** The form a string is stored in: `toStoredText("a\rb")` → `"a_x000D_b"`; `"_x0041_"` → `"_x005F_x0041_"`. */
export function toStoredText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  // An underscore that would start `_xHHHH_` is escaped itself; the lookahead keeps "_x0041_x0042_" two literals.
  return text.replace(ESCAPE_ALL, (m) => `_x${hex4(m.charCodeAt(0))}_`);
}

// Excel, LibreOffice and SheetJS read the hex digits in either case (SheetJS writes `_x000d_`).
const STORED = /_x([0-9A-Fa-f]{4})_/g;

/** The text a stored string means (exceljs's own decoding rule): `"a_x000D_b"` → `"a\rb"`. */
export function fromStoredText(stored: string): string {
  if (!stored.includes("_x")) return stored;
  return stored.replace(STORED, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** True when a string needs escaping before it is stored (most do not: callers skip the copy). */
export const needsEscape = (text: string): boolean => NEEDS_ESCAPE.test(text);

/** The part of an exceljs workbook the text pass walks (structural, so this module needs no exceljs import). */
interface CellLike {
  value: unknown;
  address: string;
}
interface BookLike {
  eachSheet(
    cb: (ws: {
      name: string;
      eachRow(opts: { includeEmpty: boolean }, cb: (row: { eachCell(opts: { includeEmpty: boolean }, cb: (cell: CellLike) => void): void }) => void): void;
    }) => void,
  ): void;
}

/** A cell over Excel's limit, refused before anything is written. */
export class CellTooLong extends Error {
  constructor(
    readonly sheet: string,
    readonly cell: string,
    readonly chars: number,
  ) {
    super(`cell ${sheet}!${cell} holds ${chars} characters (Excel's limit: ${MAX_CELL_CHARS})`);
    this.name = "CellTooLong";
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !(v instanceof Date);

/**
 * Puts every string of a workbook in its stored form, in place, and returns
 * the function that puts the texts back (the workbench keeps using the
 * workbook after a download). Throws CellTooLong, changing nothing, when a
 * cell is over 32,767 characters. Shared and inline strings, rich-text runs
 * and hyperlink texts are escaped; a formula's cached result is not (exceljs
 * reads it back undecoded, and the rules never hash one).
 */
export function storeWorkbookText(wb: BookLike): () => void {
  const changes: { cell: CellLike; value: unknown }[] = [];
  const undo = () => {
    for (const c of changes) c.cell.value = c.value;
  };
  try {
    wb.eachSheet((ws) => {
      ws.eachRow({ includeEmpty: false }, (row) => {
        row.eachCell({ includeEmpty: false }, (cell) => {
          const v = cell.value;
          if (typeof v === "string") {
            if (v.length > MAX_CELL_CHARS) throw new CellTooLong(ws.name, cell.address, v.length);
            if (needsEscape(v)) {
              changes.push({ cell, value: v });
              cell.value = toStoredText(v);
            }
          } else if (isObj(v) && !("formula" in v) && !("sharedFormula" in v)) {
            const runs = Array.isArray(v.richText)
              ? (v.richText as { text?: string }[])
              : isObj(v.text) && Array.isArray(v.text.richText)
                ? (v.text.richText as { text?: string }[])
                : undefined;
            const texts = runs ? runs.map((r) => String(r.text ?? "")) : typeof v.text === "string" ? [v.text] : [];
            const chars = texts.reduce((n, t) => n + t.length, 0);
            if (chars > MAX_CELL_CHARS) throw new CellTooLong(ws.name, cell.address, chars);
            if (!texts.some(needsEscape)) return;
            changes.push({ cell, value: v });
            if (runs) {
              const escaped = runs.map((r) => ({ ...r, text: toStoredText(String(r.text ?? "")) }));
              cell.value = Array.isArray(v.richText) ? { ...v, richText: escaped } : { ...v, text: { ...(v.text as object), richText: escaped } };
            } else cell.value = { ...v, text: toStoredText(v.text as string) };
          }
        });
      });
    });
  } catch (e) {
    undo();
    throw e;
  }
  return undo;
}
