/**
 * What goes into one ledger cell of an .xlsx file: the value with the right
 * type and number format, and for computed columns the formula plus a cached
 * result computed here with the domain (so LibreOffice, old Excel and any
 * reader that does not recalculate still show the due date and status).
 */
import type { Cell } from "exceljs";
import type { CellValue } from "../../domain/case";
import { cellDateToSerial, serialToYmd } from "../../domain/dates";
import { instantToSerial } from "../../domain/zone";
import { DomainError, inLang } from "../../domain/errors";
import { findNamed, type Policy } from "../../domain/policy/policy";
import type { WorkCalendar } from "../../domain/calendar/calendar";
import { calendarFor, dueDate, replyClockFor, replyJudged, SLA_STATUSES, slaStatus } from "../../domain/sla";
import { ledgerColumns, TABLES, type LedgerColumn } from "../../ledger/workbook-layout";
import { keysOfHeader, numberFormatOf } from "../../ledger/records";
import { RowReader } from "../../ledger/row-reader";
import { serialToDateCell } from "./cells";

/** Rows below the last case that already carry validation and formats, so typing a new row in Excel is checked too. */
export const FORMAT_HEADROOM = 1000;
/** Meta key: the last sheet row the ledger's validation and formats cover. */
export const FORMAT_ROWS_KEY = "format.rows";

/** The ledger's columns for a header as found in a file (known fields, computed columns, the user's extras). */
export function columnsOfHeader(header: readonly string[], policy: Policy): LedgerColumn[] {
  const keys = keysOfHeader(header, policy);
  const known = ledgerColumns(policy);
  return header.map((h, i) => known.find((c) => c.key === keys[i]) ?? { key: keys[i], header: h });
}

/**
 * A computed column's formula as stored in the file. Files spell the
 * "this row" shorthand out (`T[[#This Row],[col]]`), and Office stores
 * JavaScript custom functions as `_xldudf_<NAMESPACE>_<NAME>`: Excel maps
 * that back to CL.DUEDATE once the add-in is loaded.
 */
export function fileFormula(formula: string, table: string = TABLES.ledger): string {
  return formula
    .replace(/^=/, "")
    .replace(/\[@\[([^\]]+)\]\]/g, (_m, col: string) => `${table}[[#This Row],[${col.replace(/(['#[\]])/g, "'$1")}]]`)
    .replace(/\bCL\.([A-Z0-9_]+)\(/g, "_xldudf_CL_$1(");
}

export interface ComputeContext {
  policy: Policy;
  keys: string[];
  today: number;
  calendar?: WorkCalendar;
  /** readCase(rowToRecord(keys, row)) with the per-row work done once (50,000 rows of a sample or an adoption). */
  reader?: RowReader;
}

export function computeContext(header: readonly string[], policy: Policy, now: Date): ComputeContext {
  return { policy, keys: keysOfHeader(header, policy), today: instantToSerial(now, policy.settings.timeZone) };
}

/**
 * Cached results of the computed columns for one row, by key, mirroring the
 * formulas of layout.computedColumns: reply due from the receipt (domestic
 * or international clock) and its status as of `today`. Blank when the
 * formula would be blank or an error.
 */
export function computedValues(row: readonly CellValue[], ctx: ComputeContext): Record<string, CellValue> {
  const { policy } = ctx;
  ctx.reader ??= new RowReader(ctx.keys, policy, { defaultYear: serialToYmd(Math.floor(ctx.today)).year });
  const c = ctx.reader.read(row).case;
  const out: Record<string, CellValue> = { replyDue: null, replyStatus: null };
  if (c.receivedAt === undefined) return out;
  const clock = replyClockFor(c.market, policy);
  if (!clock) return out;
  try {
    ctx.calendar ??= calendarFor(policy);
    const due = dueDate(c.receivedAt, clock, { customerClass: c.customerClass, severity: c.severity, urgent: c.urgent }, policy, ctx.calendar);
    out.replyDue = due;
    const judged = replyJudged(c);
    if (!judged.judged) return out;
    const code = slaStatus(due, judged.done, ctx.today, ctx.calendar, policy.settings.dueSoonWorkdays);
    out.replyStatus = inLang(findNamed(SLA_STATUSES, code)!, policy.settings.language);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  return out;
}

/** Whether a column holds dates (so numbers are written as date cells). */
export const isDateColumn = (col: LedgerColumn): boolean =>
  col.field?.type === "date" || col.field?.type === "datetime" || col.computed?.numberFormat?.startsWith("yyyy") === true;

/**
 * Writes one value into a cell of a ledger column. Text stays text (a string
 * is never turned into a formula, whatever it starts with), numbers in date
 * columns become date cells, and each cell gets the column's number format.
 */
export function setLedgerCell(cell: Cell, col: LedgerColumn, value: CellValue, computed?: CellValue): void {
  const fmt = numberFormatOf(col);
  if (col.computed) {
    const result = computed === null || computed === undefined ? "" : typeof computed === "number" && isDateColumn(col) ? serialToDateCell(computed) : computed;
    cell.value = { formula: fileFormula(col.computed.formula), result } as never;
    setNumFmt(cell, fmt);
    return;
  }
  cell.value = toCellValue(value, isDateColumn(col));
  // A date column holding typed text keeps the text format, so Excel does not reinterpret it.
  setNumFmt(cell, typeof value === "string" && isDateColumn(col) ? "@" : fmt);
}

/**
 * One style object per number format: exceljs registers a style once per
 * object, so a style per cell made writing 50,000 rows cost more than linear
 * (issue 15). A cell with formatting of its own (a loaded sheet's) keeps it.
 */
function setNumFmt(cell: Cell, fmt: string): void {
  const own = cell.style as Record<string, unknown> | undefined;
  if (own && Object.keys(own).some((k) => k !== "numFmt" && own[k] !== undefined)) {
    cell.numFmt = fmt;
    return;
  }
  let shared = numFmtStyles.get(fmt);
  if (!shared) numFmtStyles.set(fmt, (shared = { numFmt: fmt }));
  cell.style = shared as Cell["style"];
}
const numFmtStyles = new Map<string, { numFmt: string }>();

/** A plain value as exceljs should store it. */
export function toCellValue(value: CellValue, asDate: boolean): string | number | boolean | Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) return serialToDateCell(cellDateToSerial(value));
  if (typeof value === "number" && asDate) return serialToDateCell(value);
  return value;
}
