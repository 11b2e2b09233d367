/**
 * Cell values in and out of Excel. `toExcel` is the one door every value
 * the adapter writes goes through, so text stays text.
 *
 * Why: Range.values (and formulas, and TableRowCollection.add) parse what
 * they are given the way a typed entry is parsed. The Office.js reference
 * for Range.values says a string starting with "+", "-" or "=" is taken as a
 * formula; "@" starts a formula too, and numeric, date, time and TRUE/FALSE
 * strings become numbers, serials and booleans ("0012" → 12, "+86 138…" →
 * an error value, "=1+1" → 2). A leading apostrophe makes Excel keep the
 * rest literally (stored as the cell's quote prefix; `values` returns the
 * text without it). A text number format is not relied on: the API does not
 * document that it stops the parsing.
 *
 * Only strings Excel could read as something else get the apostrophe (those
 * starting with = + - @ ' or #, holding a digit, or spelling a boolean), so
 * plain Chinese text is written as it is and its formula bar stays clean.
 */
import type { CellValue } from "../../domain/case";
import { cellDateToSerial } from "../../domain/dates";

export type ExcelValue = string | number | boolean;

/** Strings Excel would not keep as typed. */
const RISKY = /^\s*[=+\-@'#]|[0-9０-９]|^\s*(true|false)\s*$/i;

/** A value for Range.values / rows.add: numbers and booleans as they are, dates as serials, text kept literal. */
export function toExcel(v: CellValue): ExcelValue {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return cellDateToSerial(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : "";
  if (typeof v === "boolean") return v;
  return v !== "" && RISKY.test(v) ? `'${v}` : v;
}

/** A row, or a block, of values for a range write. */
export const rowToExcel = (row: readonly CellValue[]): ExcelValue[] => row.map(toExcel);

/** A value read back: Excel's "" for an empty cell becomes null, as the other stores return it. */
export function fromExcel(v: unknown): CellValue {
  if (v === "" || v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

export const rowsFromExcel = (rows: readonly (readonly unknown[])[] | undefined): CellValue[][] => (rows ?? []).map((r) => r.map(fromExcel));

export const isBlankRow = (row: readonly CellValue[], skip: ReadonlySet<number> = new Set()): boolean =>
  row.every((v, i) => skip.has(i) || v === null || v === undefined || v === "");

/** Key/value rows of the meta sheet → a record (keys in column A, values in B). */
export function metaFromRows(rows: readonly (readonly unknown[])[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows ?? []) {
    const k = String(r[0] ?? "").trim();
    if (k) out[k] = String(r[1] ?? "");
  }
  return out;
}

/** The meta sheet's rows for a record, keys sorted so the sheet reads the same every time. */
export function metaToRows(meta: Record<string, string>): ExcelValue[][] {
  return Object.keys(meta)
    .sort()
    .map((k) => [toExcel(k), toExcel(meta[k])]);
}
