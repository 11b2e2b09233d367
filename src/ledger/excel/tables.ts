/**
 * Batch building blocks shared by the store, adoption and the change
 * handler: probe for a side table (People, Audit, Problems) or a key/value
 * sheet in one batch, then append to it or create it in the next. Nothing
 * here syncs; callers decide where the round trips fall.
 */
import type { CellValue } from "../../domain/case";
import { fromExcel, metaFromRows, metaToRows, rowToExcel, toExcel, type ExcelValue } from "./cells";
import { sheetRef } from "./host";
import { AUDIT_COLUMNS, columnLetter } from "../layout";

/** Proxies queued for loading; read them after the next sync. */
export interface TableProbe {
  sheetName: string;
  tableName: string;
  sheet: Excel.Worksheet;
  table: Excel.Table;
  /** Used range of the sheet (to place a new table below anything already there). */
  used: Excel.Range;
}

export function probeTable(ctx: Excel.RequestContext, sheetName: string, tableName: string): TableProbe {
  const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
  const used = sheet.getUsedRangeOrNullObject(true).load("rowIndex,rowCount");
  const table = ctx.workbook.tables.getItemOrNullObject(tableName);
  return { sheetName, tableName, sheet, table, used };
}

/** "A1:D5" for a block at 0-based (row, col). */
export function blockAddress(row: number, col: number, rows: number, cols: number): string {
  return `${columnLetter(col)}${row + 1}:${columnLetter(col + cols - 1)}${row + rows}`;
}

/**
 * Queues an append of `rows` to the probed table, or, when the table is
 * missing, a new sheet (if needed) with a table of `header` and `rows`
 * (placed under whatever the sheet already holds, so nothing is
 * overwritten). Read the probe only after a sync.
 */
export function appendOrCreate(ctx: Excel.RequestContext, probe: TableProbe, header: readonly string[], rows: readonly (readonly CellValue[])[]): void {
  if (!probe.table.isNullObject) {
    if (rows.length) probe.table.rows.add(undefined, rows.map(rowToExcel));
    return;
  }
  createTable(ctx, probe, header, rows);
}

/** Queues a new table (and its sheet when missing), at row `top` or under what the sheet holds. */
export function createTable(ctx: Excel.RequestContext, probe: TableProbe, header: readonly string[], rows: readonly (readonly CellValue[])[], top?: number): Excel.Table {
  const sheet = probe.sheet.isNullObject ? ctx.workbook.worksheets.add(probe.sheetName) : probe.sheet;
  top ??= probe.sheet.isNullObject || probe.used.isNullObject ? 0 : probe.used.rowIndex + probe.used.rowCount + 1;
  // A header-only table still gets one (blank) body row in Excel; write it explicitly so the shape is known.
  const body: ExcelValue[][] = rows.length ? rows.map(rowToExcel) : [header.map(() => "")];
  const address = blockAddress(top, 0, body.length + 1, header.length);
  sheet.getRange(address).values = [header.map(toExcel), ...body];
  const table = sheet.tables.add(`${sheetRef(probe.sheetName)}!${address}`, true);
  table.name = probe.tableName;
  return table;
}

/** The meta sheet, probed: its key/value rows load with the next sync. */
export interface MetaProbe {
  sheet: Excel.Worksheet;
  used: Excel.Range;
}

export function probeMeta(ctx: Excel.RequestContext, sheetName: string): MetaProbe {
  const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
  const used = sheet.getUsedRangeOrNullObject(true).load("values");
  return { sheet, used };
}

export function metaOf(probe: MetaProbe): Record<string, string> {
  return probe.sheet.isNullObject || probe.used.isNullObject ? {} : metaFromRows(probe.used.values);
}

/** Queues the meta sheet's rewrite with `changes` merged in (created very hidden when missing). */
export function writeMeta(ctx: Excel.RequestContext, probe: MetaProbe, sheetName: string, changes: Record<string, string>): void {
  const merged = { ...metaOf(probe), ...changes };
  const sheet = probe.sheet.isNullObject ? ctx.workbook.worksheets.add(sheetName) : probe.sheet;
  const rows = metaToRows(merged);
  if (!probe.sheet.isNullObject && !probe.used.isNullObject) probe.used.clear();
  if (rows.length) sheet.getRange(blockAddress(0, 0, rows.length, 2)).values = rows;
  // Very hidden: not listed under Unhide, so people do not edit the audit head by hand.
  sheet.visibility = "VeryHidden";
}

const SEQ = AUDIT_COLUMNS.findIndex((c) => c.key === "seq");
const HASH = AUDIT_COLUMNS.findIndex((c) => c.key === "hash");

/** The audit chain's sequence and hash columns, queued for loading: what appending an entry needs, not the whole log. */
export interface AuditHeadProbe {
  table: Excel.Table;
  seq: Excel.Range;
  hash: Excel.Range;
}

export function probeAuditHead(table: Excel.Table): AuditHeadProbe {
  const column = (i: number) => table.columns.getItemOrNullObject(AUDIT_COLUMNS[i].header).getDataBodyRange().load("values");
  return { table, seq: column(SEQ), hash: column(HASH) };
}

/** After the sync: full-width audit rows holding only seq and hash (audit.headOf reads those). */
export function auditHeadRows(p: AuditHeadProbe): CellValue[][] {
  if (p.table.isNullObject || p.seq.isNullObject || p.hash.isNullObject) return [];
  return p.seq.values.map((s, i) => {
    const row: CellValue[] = AUDIT_COLUMNS.map(() => null);
    row[SEQ] = fromExcel(s[0]);
    row[HASH] = fromExcel(p.hash.values[i]?.[0]);
    return row;
  });
}
