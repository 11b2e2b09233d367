/**
 * A ledger workbook built with exceljs: the ledger table with its
 * validation lists, date checks, conditional formats and frozen header, and
 * the Policy, People, Audit, Problems and (very hidden) meta sheets, in the
 * layout of layout.ts so the Excel adapter reads it too. No Node APIs here:
 * the browser workbench builds workbooks with the same code.
 */
import { Workbook, type Worksheet } from "exceljs";
import type { CellValue } from "../../domain/case";
import type { Policy } from "../../domain/policy/policy";
import { policyToRows } from "../../domain/policy/policy-table";
import { SLA_STATUSES } from "../../domain/sla";
import {
  AUDIT_COLUMNS,
  columnLetter,
  estimateFormula,
  META,
  PEOPLE_COLUMNS,
  PROBLEM_COLUMNS,
  SCHEMA_VERSION,
  SHEETS,
  TABLES,
  type LedgerColumn,
} from "../../ledger/workbook-layout";
import { columnsOfHeader, computeContext, computedValues, FORMAT_HEADROOM, FORMAT_ROWS_KEY, setLedgerCell, type ComputeContext } from "./columns";
import { validationOf } from "../../ledger/column-validation";
import { cellTooLong } from "./limits";
import { numberFormatOf } from "../../ledger/records";
import { findTable, internals, setTableRows, type TableSpot } from "./tables";
import { CellTooLong, storeWorkbookText } from "./stored-text";
import { rowsArray, type DeferredBody, type Rows } from "./sheet-xml";

// Defined beside the cell rules (no exceljs there): the workbench's saves read them without loading exceljs.
export { FORMAT_HEADROOM, FORMAT_ROWS_KEY } from "./columns";

export interface LedgerBookContent {
  policy: Policy;
  /** Ledger header texts (layout.ledgerColumns or an adopted sheet's columns). */
  header: string[];
  /** Body rows (held, or made when asked: a row source streams, decision #40); `undefined` in a computed column means its formula. */
  rows: Rows;
  peopleRows?: CellValue[][];
  auditRows?: Rows;
  problemRows?: CellValue[][];
  meta?: Record<string, string>;
  /** The ledger's sheet name (an adopted ledger keeps its own); default SHEETS.ledger. */
  ledgerSheet?: string;
  /** Judges the cached statuses; default now. */
  now?: Date;
}

const HEADER_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } } as const;

/**
 * Row 2 of a sheet whose body is deferred: one cell per column with the
 * column's number format and one past the last with the text format, so
 * exceljs registers the styles the streamed rows use and the writer reads
 * their ids back (sheet-xml.ts frameOf). The row itself is not written.
 */
function addProbeRow(ws: Worksheet, formats: readonly (string | undefined)[]): void {
  const row = ws.getRow(2);
  [...formats, "@"].forEach((fmt, j) => {
    const cell = row.getCell(j + 1);
    cell.value = 0;
    if (fmt) cell.style = { numFmt: fmt };
  });
}

/**
 * Appends a plain table (People, Audit, Problems) at A1 of a new sheet. With
 * `defer`, the rows are left to the streaming writer (a body is pushed there).
 */
export function addPlainTable(
  wb: Workbook,
  sheet: string,
  table: string,
  headers: readonly string[],
  rows: Rows,
  textCols: boolean[] = [],
  defer?: DeferredBody[],
): Worksheet {
  const ws = wb.addWorksheet(sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.addTable({
    name: table,
    ref: "A1",
    headerRow: true,
    style: { theme: "TableStyleLight9", showRowStripes: true },
    columns: headers.map((h) => ({ name: h, filterButton: true })),
    rows: [headers.map(() => null)],
  });
  const spot = findTable(wb, table)!;
  if (defer) {
    addProbeRow(
      ws,
      headers.map((_, j) => (textCols[j] ? "@" : undefined)),
    );
    defer.push({ sheet, sheetId: ws.id, width: headers.length, rows, textCols });
  } else writeRows(spot, 0, rowsArray(rows), textCols);
  setTableRows(spot, rows.length);
  headers.forEach((h, i) => {
    ws.getColumn(i + 1).width = Math.min(40, Math.max(10, h.length * 1.6));
  });
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** Writes rows into a plain table's body from body row `from`; text columns get the text format. */
export function writeRows(spot: TableSpot, from: number, rows: readonly CellValue[][], textCols: boolean[] = []): void {
  rows.forEach((r, i) => {
    const row = spot.ws.getRow(spot.top + 1 + from + i);
    for (let j = 0; j < spot.width; j++) {
      const cell = row.getCell(spot.left + j);
      const v = r[j];
      cell.value = v === undefined || v === null || v === "" ? null : v instanceof Date ? v.toISOString() : v;
      if (textCols[j]) cell.numFmt = "@";
    }
  });
}

/** Sets (or adds) key/value rows on the meta sheet. */
export function setMeta(ws: Worksheet, values: Record<string, string>): void {
  const at = new Map<string, number>();
  let last = 0;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    at.set(String(row.getCell(1).value ?? ""), n);
    last = Math.max(last, n);
  });
  for (const [k, v] of Object.entries(values)) {
    const n = at.get(k) ?? ++last;
    ws.getCell(n, 1).value = k;
    ws.getCell(n, 2).value = v;
    ws.getCell(n, 2).numFmt = "@";
  }
}

/**
 * Validation lists (labels in the policy's language), date and number
 * checks, conditional formats (overdue / due soon rows, serious severity)
 * for sheet rows [from, to] of the ledger table's columns.
 */
export function formatLedgerRows(ws: Worksheet, cols: LedgerColumn[], policy: Policy, left: number, from: number, to: number): void {
  if (to < from) return;
  const letter = (i: number) => columnLetter(left - 1 + i);
  cols.forEach((col, i) => {
    const rule = validationOf(col, policy);
    if (rule) internals(ws).dataValidations.add(`${letter(i)}${from}:${letter(i)}${to}`, rule);
  });
  const full = `${letter(0)}${from}:${letter(cols.length - 1)}${to}`;
  const status = cols.findIndex((c) => c.key === "replyStatus");
  if (status >= 0) {
    const ref = `$${letter(status)}${from}`;
    const is = (code: string) =>
      SLA_STATUSES.filter((s) => s.code === code)
        .flatMap((s) => [s.zh, s.en])
        .map((t) => `${ref}="${t}"`)
        .join(",");
    ws.addConditionalFormatting({
      ref: full,
      rules: [
        {
          type: "expression",
          priority: 1,
          formulae: [`OR(${is("OVERDUE")})`],
          style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: "FFFFC7CE" } }, font: { color: { argb: "FF9C0006" } } },
        },
        {
          type: "expression",
          priority: 2,
          formulae: [`OR(${is("DUE_SOON")})`],
          style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: "FFFFEB9C" } }, font: { color: { argb: "FF9C5700" } } },
        },
      ],
    });
  }
  const due = cols.findIndex((c) => c.key === "replyDue");
  if (due >= 0) {
    // Live where the add-in runs (CL.ESTIMATE); elsewhere the function is unknown and nothing is marked.
    const rec = cols.findIndex((c) => c.key === "receivedAt");
    const at = (i: number) => `$${letter(i)}${from}`;
    ws.addConditionalFormatting({
      ref: `${letter(due)}${from}:${letter(due)}${to}`,
      rules: [
        {
          type: "expression",
          priority: 4,
          formulae: [estimateFormula(at(due), rec >= 0 ? at(rec) : undefined).slice(1)],
          style: { font: { italic: true, color: { argb: "FF8A6100" } }, fill: { type: "pattern", pattern: "solid", bgColor: { argb: "FFFFF4CE" } } },
        },
      ],
    });
  }
  const sev = cols.findIndex((c) => c.key === "severity");
  if (sev >= 0) {
    const serious = policy.severities.filter((s) => policy.settings.eightDSeverities.includes(s.code)).flatMap((s) => [s.zh, s.en]);
    if (serious.length) {
      const ref = `$${letter(sev)}${from}`;
      ws.addConditionalFormatting({
        ref: `${letter(sev)}${from}:${letter(sev)}${to}`,
        rules: [
          {
            type: "expression",
            priority: 3,
            formulae: [`OR(${serious.map((t) => `${ref}="${t}"`).join(",")})`],
            style: { font: { bold: true, color: { argb: "FFC00000" } } },
          },
        ],
      });
    }
  }
}

/** Writes ledger rows into the table body from body row `from`, computing cached results for computed columns. */
export function writeLedgerRows(spot: TableSpot, cols: LedgerColumn[], rows: readonly CellValue[][], from: number, ctx: ComputeContext): void {
  rows.forEach((r, i) => {
    const row = spot.ws.getRow(spot.top + 1 + from + i);
    const computed = cols.some((c) => c.computed) ? computedValues(r, ctx) : {};
    cols.forEach((col, j) => {
      // A blank that has no cell yet stays without one: the column's style formats it (most of a
      // 50,000-row ledger is blank, and a cell object each cost gigabytes; issue 15).
      if (!col.computed && (r[j] === null || r[j] === undefined || r[j] === "") && !row.findCell(spot.left + j)) return;
      setLedgerCell(row.getCell(spot.left + j), col, r[j], computed[col.key]);
    });
  });
}

/** Table column names must be unique and non-blank. */
function uniqueHeaders(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    let name = String(h ?? "").trim() || `列${i + 1} Column ${i + 1}`;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${String(h).trim()} (${n})`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/** Adds the ledger sheet with its table, rows (or, with `defer`, a body for the streaming writer), formats and frozen header to a workbook. */
export function addLedgerSheet(wb: Workbook, c: LedgerBookContent, defer?: DeferredBody[]): { ws: Worksheet; formatRows: number } {
  const header = uniqueHeaders(c.header);
  const cols = columnsOfHeader(header, c.policy);
  const ws = wb.addWorksheet(c.ledgerSheet ?? SHEETS.ledger, { views: [{ state: "frozen", ySplit: 1, xSplit: 1 }] });
  ws.addTable({
    name: TABLES.ledger,
    ref: "A1",
    headerRow: true,
    style: { theme: "TableStyleMedium2", showRowStripes: true },
    columns: header.map((h) => ({ name: h, filterButton: true })),
    rows: [header.map(() => null)],
  });
  const spot = findTable(wb, TABLES.ledger)!;
  // Column formats first: blank cells are not written, Excel formats what is typed there by its column.
  cols.forEach((col, i) => {
    ws.getColumn(i + 1).numFmt = numberFormatOf(col);
  });
  const ctx = computeContext(header, c.policy, c.now ?? new Date());
  if (defer) {
    addProbeRow(ws, cols.map(numberFormatOf));
    defer.push({ sheet: ws.name, sheetId: ws.id, width: cols.length, rows: c.rows, ledger: { cols, ctx } });
  } else writeLedgerRows(spot, cols, rowsArray(c.rows), 0, ctx);
  setTableRows(spot, c.rows.length);
  const formatRows = 1 + Math.max(1, c.rows.length) + FORMAT_HEADROOM;
  formatLedgerRows(ws, cols, c.policy, 1, 2, formatRows);
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: "middle" };
  head.height = 32;
  cols.forEach((col, i) => {
    const t = col.field?.type;
    ws.getColumn(i + 1).width = t === "longtext" ? 36 : t === "datetime" ? 17 : t === "date" ? 12 : col.field?.protected ? 24 : 14;
    if (col.computed || col.field?.protected) head.getCell(i + 1).fill = HEADER_FILL;
  });
  return { ws, formatRows };
}

/** A complete ledger workbook: ledger, Policy, People, Audit, Problems and meta sheets. */
export function createLedgerWorkbook(c: LedgerBookContent): Workbook {
  const wb = new Workbook();
  wb.creator = "complaint-ledger";
  wb.created = c.now ?? new Date();
  const { formatRows } = addLedgerSheet(wb, c);
  addSupportSheets(wb, c, formatRows);
  return wb;
}

/**
 * A ledger workbook whose big bodies (ledger, Audit, Problems) are left out
 * for the streaming writer (file.ts saveLedgerBook, decision #40): the
 * exceljs workbook holds the rest — tables sized for the rows, validation
 * and formats, Policy, People, meta — and the bodies keep the rows as given.
 */
export interface LedgerBook {
  workbook: Workbook;
  bodies: DeferredBody[];
}

export function createLedgerBook(c: LedgerBookContent): LedgerBook {
  const wb = new Workbook();
  wb.creator = "complaint-ledger";
  wb.created = c.now ?? new Date();
  const bodies: DeferredBody[] = [];
  const { formatRows } = addLedgerSheet(wb, c, bodies);
  addSupportSheets(wb, c, formatRows, bodies);
  return { workbook: wb, bodies };
}

/** Fills an empty Policy sheet with the rows of domain/policy-table.ts, section markers in bold. */
export function writePolicyRows(policy: Worksheet, rows: readonly (readonly CellValue[])[]): void {
  rows.forEach((r, i) => {
    const row = policy.getRow(i + 1);
    r.forEach((v, j) => {
      row.getCell(j + 1).value = v === "" ? null : (v as string | number | boolean | null);
    });
    if (/^\[[A-Z_]+\]$/.test(String(r[0] ?? ""))) row.font = { bold: true, color: { argb: "FF1F4E79" } };
  });
  policy.columns.forEach((col) => {
    col.width = 18;
  });
}

/** Rows added below a Policy sheet's last row (an upgrade), markers in bold; the rows above and the column widths stay as they are. */
export function appendPolicyRows(policy: Worksheet, after: number, rows: readonly (readonly CellValue[])[]): void {
  rows.forEach((r, i) => {
    const row = policy.getRow(after + i + 1);
    r.forEach((v, j) => {
      if (v !== "" && v !== null && v !== undefined) row.getCell(j + 1).value = v as string | number | boolean;
    });
    if (/^\[[A-Z_]+\]$/.test(String(r[0] ?? ""))) row.font = { bold: true, color: { argb: "FF1F4E79" } };
  });
}

/** Policy, People, Audit, Problems and meta sheets; with `defer`, the Audit and Problems rows go to the streaming writer. */
export function addSupportSheets(wb: Workbook, c: LedgerBookContent, formatRows: number, defer?: DeferredBody[]): void {
  writePolicyRows(wb.addWorksheet(SHEETS.policy), policyToRows(c.policy));
  addPlainTable(
    wb,
    SHEETS.people,
    TABLES.people,
    PEOPLE_COLUMNS.map((x) => x.header),
    c.peopleRows ?? [],
    PEOPLE_COLUMNS.map(() => true),
  );
  addPlainTable(
    wb,
    SHEETS.audit,
    TABLES.audit,
    AUDIT_COLUMNS.map((x) => x.header),
    c.auditRows ?? [],
    AUDIT_COLUMNS.map((x) => x.key !== "seq"),
    defer,
  );
  addPlainTable(
    wb,
    SHEETS.problems,
    TABLES.problems,
    PROBLEM_COLUMNS.map((x) => x.header),
    c.problemRows ?? [],
    PROBLEM_COLUMNS.map((x) => x.key !== "row"),
    defer,
  );
  const meta = wb.addWorksheet(SHEETS.meta);
  meta.state = "veryHidden";
  setMeta(meta, { [META.schemaVersion]: SCHEMA_VERSION, ...c.meta, [FORMAT_ROWS_KEY]: String(formatRows) });
}

/**
 * The workbook as .xlsx bytes, text stored as Excel stores it (text.ts) and
 * put back in memory after; a cell over 32,767 characters refuses the write
 * (LIMIT, both languages). The browser's download and any writer without a
 * file use this; file.ts's saveWorkbook does the same for files.
 */
export async function workbookBuffer(wb: Workbook): Promise<ArrayBuffer> {
  let restore: () => void;
  try {
    restore = storeWorkbookText(wb as never);
  } catch (e) {
    if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
    throw e;
  }
  try {
    return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
  } finally {
    restore();
  }
}
