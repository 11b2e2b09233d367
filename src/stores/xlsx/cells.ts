/**
 * exceljs cell values ↔ the plain CellValue the ledger works with.
 *
 * Dates: exceljs reads a date-formatted cell as a JS Date at UTC midnight of
 * the serial (it never looks at the local time zone), so converting through
 * UTC keeps the serial exact wherever the code runs. The ledger, like
 * Office.js, sees dates as serial numbers.
 */
import { isBlank, type CellValue } from "../../domain/case";

const EPOCH = 25569; // serial of 1970-01-01
const MS_PER_DAY = 86400000;

/** exceljs Date (UTC-based) → serial, to the second. */
export function dateCellToSerial(d: Date): number {
  return Math.round((d.getTime() / MS_PER_DAY + EPOCH) * 86400) / 86400;
}

/** Serial → the Date exceljs writes back as the same serial. */
export function serialToDateCell(serial: number): Date {
  return new Date(Math.round((serial - EPOCH) * MS_PER_DAY));
}

type RichTextLike = { richText: { text: string }[] };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !(v instanceof Date);
const richText = (v: RichTextLike) => v.richText.map((r) => r.text ?? "").join("");

/**
 * What a person sees in the cell: rich text joined, a hyperlink's text, a
 * formula's last result, an error's code. Dates become serials unless
 * `keepDates` (the Policy sheet reader wants Dates).
 */
export function plainValue(raw: unknown, keepDates = false): CellValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : keepDates ? raw : dateCellToSerial(raw);
  // An empty string is a blank cell: the streaming and in-memory readers disagree on it otherwise.
  if (raw === "") return null;
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  if (isObj(raw)) {
    if (Array.isArray(raw.richText)) return richText(raw as RichTextLike);
    if ("hyperlink" in raw || ("text" in raw && !("formula" in raw))) {
      const t = raw.text;
      return isObj(t) && Array.isArray(t.richText) ? richText(t as RichTextLike) : t === undefined || t === null ? "" : String(t);
    }
    if ("formula" in raw || "sharedFormula" in raw) return plainValue(raw.result, keepDates);
    if ("error" in raw) return String(raw.error);
  }
  return String(raw);
}

/** True for a blank cell value (null, undefined, ""). */
export { isBlank };
