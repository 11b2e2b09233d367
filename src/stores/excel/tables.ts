/**
 * Batch building blocks shared by the store, adoption and the change
 * handler: probe for a side table (People, Audit, Problems) or a key/value
 * sheet in one batch, then append to it or create it in the next. Nothing
 * here syncs; callers decide where the round trips fall.
 */
import type { CellValue } from "../../domain/case";
import { GENESIS, rechain } from "../../ledger/audit";
import { fromExcel, metaFromRows, metaToRows, rowsFromExcel, rowToExcel, toExcel, type ExcelValue } from "./cells";
import { appendBelow, Budget, writeRows } from "./chunks";
import { eventsOff, eventsOn, sheetRef } from "./excel-run";
import { AUDIT_COLUMNS, columnLetter, META } from "../../ledger/workbook-layout";
import { checkRowsFit } from "../xlsx/limits";

/** Proxies queued for loading; read them after the next sync. */
export interface TableProbe {
  sheetName: string;
  tableName: string;
  sheet: Excel.Worksheet;
  table: Excel.Table;
  /** Used range of the sheet (to place a new table below anything already there). */
  used: Excel.Range;
  /** The table's first header cell: tells ours from a user's table that happens to share the name. */
  head: Excel.Range;
  /** The table's last cell (its row: where rows appended below go). */
  last: Excel.Range;
}

export function probeTable(ctx: Excel.RequestContext, sheetName: string, tableName: string): TableProbe {
  const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
  const used = sheet.getUsedRangeOrNullObject(true).load("rowIndex,rowCount");
  const table = ctx.workbook.tables.getItemOrNullObject(tableName);
  const head = table.getHeaderRowRange().getCell(0, 0).load("values");
  // Where appendBelow's rows would start, loaded in the same batch (no round trip of its own).
  const last = table.getRange().getLastCell().load("rowIndex");
  return { sheetName, tableName, sheet, table, used, head, last };
}

/**
 * After the probe's sync: refuses `adding` rows below the probed table when they would pass Excel's grid
 * (SHEET_ROWS), with the files' writers' check and bilingual LIMIT message (limits.ts checkRowsFit, decision 170).
 */
export function checkRoomBelow(probe: TableProbe, adding: number): void {
  if (!adding || probe.table.isNullObject) return;
  checkRowsFit(probe.sheetName, probe.last.rowIndex + 1, adding);
}

/**
 * Table names are workbook-wide and ours are plain words (People, AuditLog):
 * a user's own table of that name must not receive our rows. Refused with a
 * bilingual message naming the table, before anything is written.
 */
export function assertOurs(probe: TableProbe, header: readonly string[]): void {
  if (probe.table.isNullObject) return;
  const first = String(probe.head.values[0]?.[0] ?? "");
  if (first === header[0]) return;
  throw new Error(
    `工作簿中已有名为"${probe.tableName}"的表(表头"${first}"),不是本加载项的${probe.sheetName}表;请先把那张表改名,再重试 / ` +
      `The workbook already has a table named "${probe.tableName}" (header "${first}") that is not the add-in's ${probe.sheetName} table; rename that table and try again`,
  );
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
export async function appendOrCreate(
  ctx: Excel.RequestContext,
  probe: TableProbe,
  header: readonly string[],
  rows: readonly (readonly CellValue[])[],
  budget = new Budget(ctx),
): Promise<void> {
  if (!probe.table.isNullObject) {
    assertOurs(probe, header);
    if (rows.length) await appendBelow(budget, probe.table, rows.map(rowToExcel));
    return;
  }
  await createTable(ctx, probe, header, rows, undefined, budget);
}

/** Audit rows appended in a batch, with what the batch's sync loads to check them (settleAudit). */
export interface AuditAppend {
  table: Excel.Table;
  rows: CellValue[][];
  /** Our first row (its sheet row loads with the sync), the header row, the sequence column as it stands after our write. */
  at: Excel.Range;
  header: Excel.Range;
  seq: Excel.Range;
}

/**
 * Queues audit rows below the Audit table (or the table itself when missing:
 * nobody can have raced a table that did not exist, so nothing to check) and
 * loads, in the same batch, where they landed and every sequence number.
 */
export async function appendAudit(ctx: Excel.RequestContext, probe: TableProbe, rows: CellValue[][], budget: Budget): Promise<AuditAppend | undefined> {
  const header = AUDIT_COLUMNS.map((c) => c.header);
  if (probe.table.isNullObject || !rows.length) {
    await appendOrCreate(ctx, probe, header, rows, budget);
    return undefined;
  }
  assertOurs(probe, header);
  const at = (await appendBelow(budget, probe.table, rows.map(rowToExcel)))!.load("rowIndex");
  return { table: probe.table, rows, at, header: probe.table.getHeaderRowRange().load("rowIndex"), seq: seqColumn(probe.table).load("values") };
}

const seqColumn = (t: Excel.Table) => t.columns.getItem(AUDIT_COLUMNS[SEQ].header).getDataBodyRange();
const seqOf = (v: unknown) => {
  const n = Number(fromExcel(v));
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/**
 * After the sync that wrote an AuditAppend. Two people appending at once:
 * both chained on the same head, checked it unchanged, then wrote; Excel put
 * the second block below the first (appendBelow), with the same sequence
 * numbers — a fork. The block whose entries before it do not end just before
 * its first number lost the race: it and everything after it (appended
 * later, so chained on it) are chained again, in sheet order, onto the last
 * entry before it, and written back in place with the meta head; repeated
 * while rows keep arriving below (bounded). Both sides run the same rule, so
 * two repairs of one tail write the same cells. Costs nothing when no race
 * happened; 2 syncs a round when one did. Returns our rows as they now stand.
 */
export async function settleAudit(ctx: Excel.RequestContext, a: AuditAppend, meta: MetaProbe, sheetName: string, rounds = 5): Promise<CellValue[][]> {
  const start = a.at.rowIndex - a.header.rowIndex - 1;
  let seqs = a.seq.values.map((r) => seqOf(r[0]));
  for (let round = 0; round < rounds; round++) {
    let top = -1;
    for (let i = 0; i < start; i++) if (seqs[i] > 0 && (top < 0 || seqs[i] > seqs[top])) top = i;
    const before = top < 0 ? 0 : seqs[top];
    const ours = seqs.slice(start, start + a.rows.length);
    // Rows below ours with our numbers raced us and lost: their writer re-chains them.
    if (ours.length && ours.every((s, i) => s === before + 1 + i)) return a.rows;
    const body = a.table.getDataBodyRange();
    const tail = body
      .getRow(start)
      .getResizedRange(seqs.length - start - 1, 0)
      .load("values");
    const hash = top < 0 ? undefined : body.getCell(top, HASH).load("values");
    await ctx.sync();
    const head = { seq: before, hash: hash ? String(fromExcel(hash.values[0]?.[0]) ?? "") : GENESIS };
    const fixed = await rechain(head, rowsFromExcel(tail.values));
    eventsOff(ctx); // our own repair is no edit of the audit sheet (audit-watch.ts)
    tail.values = fixed.map(rowToExcel);
    const last = fixed[fixed.length - 1];
    writeMeta(ctx, meta, sheetName, { [META.auditSeq]: String(last[SEQ]), [META.auditHash]: String(last[HASH]) });
    const again = seqColumn(a.table).load("values");
    eventsOn(ctx);
    await ctx.sync();
    a.rows = fixed.slice(0, a.rows.length);
    seqs = again.values.map((r) => seqOf(r[0]));
  }
  throw new Error(
    "审计记录与他人同时追加,多次重排后仍未理顺,请稍后运行 verify-audit 检查 / The audit log kept changing while entries were re-chained after a co-author's; run verify-audit later",
  );
}

/** Queues a new table (and its sheet when missing), at row `top` or under what the sheet holds. */
export async function createTable(
  ctx: Excel.RequestContext,
  probe: TableProbe,
  header: readonly string[],
  rows: readonly (readonly CellValue[])[],
  top?: number,
  budget = new Budget(ctx),
): Promise<Excel.Table> {
  const sheet = probe.sheet.isNullObject ? ctx.workbook.worksheets.add(probe.sheetName) : probe.sheet;
  top ??= probe.sheet.isNullObject || probe.used.isNullObject ? 0 : probe.used.rowIndex + probe.used.rowCount + 1;
  // A header-only table still gets one (blank) body row in Excel; write it explicitly so the shape is known.
  const body: ExcelValue[][] = rows.length ? rows.map(rowToExcel) : [header.map(() => "")];
  const block = [header.map(toExcel), ...body];
  // In pieces under the payload limit; the table is made over the whole block once it is written.
  await writeRows(budget, (first, n) => sheet.getRange(blockAddress(top! + first, 0, n, header.length)), block, "values");
  const address = blockAddress(top, 0, block.length, header.length);
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

/**
 * The audit chain's head, queued for loading: the sequence column (numbers,
 * small even for a long log) and the last row's hash — not the whole log,
 * whose hashes alone pass Excel on the web's 5 MB limit near 70,000 entries.
 */
export interface AuditHeadProbe {
  table: Excel.Table;
  seq: Excel.Range;
  last: Excel.Range;
}

export function probeAuditHead(table: Excel.Table): AuditHeadProbe {
  const column = (i: number) => table.columns.getItemOrNullObject(AUDIT_COLUMNS[i].header).getDataBodyRange();
  return { table, seq: column(SEQ).load("values"), last: column(HASH).getLastCell().load("values") };
}

/**
 * After the sync: the head as full-width audit rows holding only seq and hash
 * (audit.headOf reads those). The entry with the highest seq is the last row
 * unless someone sorted the sheet; then its hash costs one more round trip.
 */
export async function auditHeadRows(ctx: Excel.RequestContext, p: AuditHeadProbe): Promise<CellValue[][]> {
  if (p.table.isNullObject || p.seq.isNullObject || p.last.isNullObject) return [];
  const seqs = p.seq.values.map((r) => Number(fromExcel(r[0])));
  let top = -1;
  seqs.forEach((s, i) => {
    if (Number.isInteger(s) && s > 0 && (top < 0 || s > seqs[top])) top = i;
  });
  if (top < 0) return [];
  let hash = fromExcel(p.last.values[0]?.[0]);
  if (top !== seqs.length - 1) {
    const cell = p.table.columns.getItemOrNullObject(AUDIT_COLUMNS[HASH].header).getDataBodyRange().getCell(top, 0).load("values");
    await ctx.sync();
    hash = fromExcel(cell.values[0]?.[0]);
  }
  const row: CellValue[] = AUDIT_COLUMNS.map(() => null);
  row[SEQ] = seqs[top];
  row[HASH] = hash;
  return [row];
}
