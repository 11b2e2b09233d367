/**
 * Tables of an exceljs workbook as plain geometry. exceljs keeps a loaded
 * table as its XML model (`tableRef`) and a created one as `ref` + rows, and
 * has no API to grow a loaded table, so the store writes cells itself and
 * moves the table's range here.
 */
import type { Table, Workbook, Worksheet } from "exceljs";
import { columnLetter, columnNumber, TABLES } from "../../ledger/workbook-layout";

export interface TableSpot {
  ws: Worksheet;
  table: Table;
  name: string;
  /** 1-based sheet row of the header. */
  top: number;
  /** 1-based sheet column of the first column. */
  left: number;
  width: number;
  /** Body rows inside the table's range (including blank ones). */
  bodyRows: number;
}

interface TableModel {
  name: string;
  tableRef?: string;
  ref?: string;
  autoFilterRef?: string;
  headerRow?: boolean;
  columns: { name: string; filterButton?: boolean }[];
}

// exceljs keeps these at run time but leaves them out of its declarations: the casts below add, never change, a type.
const modelOf = (t: Table) => (t as Table & { model: TableModel }).model;

function decode(ref: string): { top: number; left: number; bottom: number; right: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref.trim());
  if (!m) throw new Error(`bad range ${ref}`);
  const col = (s: string) => columnNumber(s.toUpperCase());
  const top = Number(m[2]),
    left = col(m[1]);
  return { top, left, bottom: m[4] ? Number(m[4]) : top, right: m[3] ? col(m[3]) : left };
}

function tablesOf(ws: Worksheet): Table[] {
  const t = (ws as Worksheet & { tables?: Record<string, Table> }).tables ?? {};
  return Object.values(t);
}

/** Finds a table by name (case-insensitive, as Excel compares names) anywhere in the workbook. */
export function findTable(wb: Workbook, name: string): TableSpot | undefined {
  // The ledger is the CaseLedger table on a sheet Excel shows, as check reads it: a hidden one is a decoy (hiddenLedgerSheets).
  const ledger = name.toLowerCase() === TABLES.ledger.toLowerCase();
  for (const ws of wb.worksheets) {
    if (ledger && isHidden(ws)) continue;
    for (const table of tablesOf(ws)) {
      const m = modelOf(table);
      if (!m || String(m.name).toLowerCase() !== name.toLowerCase()) continue;
      // exceljs reads a table without an explicit headerRowCount as header-less,
      // though 1 is the default Excel relies on; every ledger table has a header.
      m.headerRow = true;
      const r = decode(m.tableRef ?? m.ref ?? "A1");
      return { ws, table, name: m.name, top: r.top, left: r.left, width: r.right - r.left + 1, bodyRows: Math.max(0, r.bottom - r.top) };
    }
  }
  return undefined;
}

const isHidden = (ws: Worksheet) => ws.state === "hidden" || ws.state === "veryHidden";

/** Hidden sheets holding a CaseLedger table: what check and verify-audit report as a decoy. */
export function hiddenLedgerSheets(wb: Workbook): string[] {
  return wb.worksheets
    .filter((ws) => isHidden(ws) && tablesOf(ws).some((t) => String(modelOf(t)?.name ?? "").toLowerCase() === TABLES.ledger.toLowerCase()))
    .map((ws) => ws.name);
}

/** Resizes a table to `bodyRows` rows below its header (at least one: Excel wants a body row). */
export function setTableRows(spot: TableSpot, bodyRows: number): void {
  const m = modelOf(spot.table);
  const bottom = spot.top + Math.max(1, bodyRows);
  const ref = `${columnLetter(spot.left - 1)}${spot.top}:${columnLetter(spot.left + spot.width - 2)}${bottom}`;
  m.tableRef = ref;
  m.autoFilterRef = ref;
  spot.bodyRows = Math.max(1, bodyRows);
}

/** Widens a table by `headers` at its right end (an upgrade's new columns); the caller writes the header cells. */
export function addTableColumns(spot: TableSpot, headers: readonly string[]): void {
  const m = modelOf(spot.table);
  m.columns.push(...headers.map((name) => ({ name, filterButton: true })));
  spot.width += headers.length;
  setTableRows(spot, spot.bodyRows);
}

/** Parts of exceljs's Worksheet its type declarations leave out. */
export interface WorksheetInternals {
  dataValidations: { add(address: string, rule: unknown): unknown; model: Record<string, unknown> };
  conditionalFormattings: unknown[];
  /** Sheet position: workbook.worksheets sorts by it. */
  orderNo: number;
  /** Merged areas by their top-left address, 1-based and inclusive. */
  _merges: Record<string, { top: number; left: number; bottom: number; right: number }>;
}
export const internals = (ws: Worksheet): WorksheetInternals => ws as Worksheet & WorksheetInternals;
