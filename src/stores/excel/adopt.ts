/**
 * Adopting a hand-kept ledger sheet in Excel, in two phases around the pure
 * plan (adoption/planner.ts planAdoption):
 *
 * 1. `readSheetGrid` — the sheet's used range, values, number formats and
 *    merged areas: 1 sync.
 * 2. `applyAdoption` — a backup copy of the sheet (every original cell kept,
 *    merges and formats too), then the sheet unmerged, cleared and rewritten
 *    as the ledger table with number formats and rules; the Problems,
 *    Policy, People, Audit and meta sheets; the plan's audit entries chained
 *    onto the log. 2 syncs (probe, then write everything), whatever the
 *    number of rows, with events off so the change handler does not judge
 *    the adoption's own writes.
 */
import type { CellValue } from "../../domain/case";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { policyFromRows, policyToRows, type Cell } from "../../domain/policy/policy-table";
import type { Bilingual } from "../../domain/errors";
import { adoptionPeopleRows, type AdoptPlan, type SheetGrid } from "../../adoption/planner";
import { withHistoryUntil } from "../../domain/history";
import { chain, headOf, type AuditEntry } from "../../ledger/audit";
import { peopleTemplate } from "../../ledger/service";
import { AUDIT_COLUMNS, META, PEOPLE_COLUMNS, PROBLEM_COLUMNS, safeSheetName, SCHEMA_VERSION, SHEETS, TABLES } from "../../ledger/workbook-layout";
import { rowsFromExcel, rowToExcel, toExcel, type ExcelValue } from "./cells";
import { eventsOff, eventsOn, excelRun, officeSupports, readAreas, sheetRef, withEventsGuard, type Run } from "./excel-run";
import type { Supports } from "./view-filter";
import { Budget, beginRead, finishRead, writeRows } from "./chunks";
import { queueRules, writeComputed, type RulesApplied } from "./rules";
import { computedByHeader } from "./store";
import { appendOrCreate, assertOurs, auditHeadRows, blockAddress, createTable, probeAuditHead, probeMeta, probeTable, writeMeta } from "./tables";

/** Schema version written to the meta sheet by this adapter. */

/**
 * Phase 1: the sheet (by name, else the active one) as a grid: 1 sync, plus one per chunk past the first rows of a big sheet.
 * Merged areas (ExcelApi 1.13, checked at run time: without it the grid has none, as before) load in the same sync:
 * a merged customer or date shows its value only in its top-left cell, and the planner gives it to the whole area.
 * Excel fails that call for more than 512 areas, which fails the batch: then the grid is read again without them and
 * the areas band by band (three or more syncs, only for such a sheet).
 */
export async function readSheetGrid(ctx: Excel.RequestContext, sheetName?: string, supports: Supports = officeSupports): Promise<SheetGrid> {
  const withMerges = supports("ExcelApi", "1.13");
  let q = queueGridRead(ctx, sheetName, withMerges);
  try {
    await ctx.sync();
  } catch (e) {
    if (!q.merged) throw e;
    q = queueGridRead(ctx, sheetName, false);
    await ctx.sync();
  }
  const { sheet, used, read } = q;
  if (used.isNullObject) return { name: sheet.name, values: [], origin: { row: 0, col: 0 }, numberFormats: [] };
  const got = await finishRead(ctx, read);
  const origin = { row: used.rowIndex, col: used.columnIndex };
  const size = { rows: read.size.rowCount, cols: read.size.columnCount };
  const areas = q.merged ? [q.merged] : withMerges ? await mergedBands(ctx, used, size.rows) : [];
  const merges = areas.flatMap((a) => (a.isNullObject ? [] : mergedAreas(a.address, origin, size)));
  return {
    name: sheet.name,
    values: rowsFromExcel(got.values),
    origin,
    numberFormats: got.numberFormat.map((r) => r.map((f) => (f === null || f === undefined ? null : String(f)))),
    ...(merges.length ? { merges } : {}),
  };
}

function queueGridRead(ctx: Excel.RequestContext, sheetName: string | undefined, withMerges: boolean) {
  const sheet = sheetName ? ctx.workbook.worksheets.getItem(sheetName) : ctx.workbook.worksheets.getActiveWorksheet();
  sheet.load("name");
  const used = sheet.getUsedRangeOrNullObject(true).load("rowIndex,columnIndex");
  const read = beginRead(used, "values,numberFormat");
  // Areas whose top-left cell is in the used range (what the method returns); a null object when there are none.
  const merged = withMerges ? used.getMergedAreasOrNullObject().load("address") : undefined;
  return { sheet, used, read, merged };
}

/** The used range's merged areas in row bands, halved until every band has at most Excel's 512: one sync per try. */
async function mergedBands(ctx: Excel.RequestContext, used: Excel.Range, rows: number): Promise<Excel.RangeAreas[]> {
  for (let band = Math.ceil(rows / 2); ; band = Math.ceil(band / 2)) {
    const areas: Excel.RangeAreas[] = [];
    for (let at = 0; at < rows; at += band)
      areas.push(
        used
          .getRow(at)
          .getResizedRange(Math.min(band, rows - at) - 1, 0)
          .getMergedAreasOrNullObject()
          .load("address"),
      );
    try {
      await ctx.sync();
      return areas;
    } catch (e) {
      if (band === 1) throw e;
    }
  }
}

/**
 * A RangeAreas address ("Sheet1!A3:A5,'客诉, 2026'!C3:C4", a whole row as "7:7") as 0-based areas of the grid
 * whose top-left sheet cell is `origin`, cut to its `size` (an area may reach past the last value).
 */
export function mergedAreas(address: string, origin: { row: number; col: number }, size: { rows: number; cols: number }): NonNullable<SheetGrid["merges"]> {
  const out: NonNullable<SheetGrid["merges"]> = [];
  // The change handler's reading of an address (quoted sheet names, whole rows and columns); a merge spans two cells or more.
  for (const a of readAreas(address).areas) {
    if (a.rows * a.cols < 2) continue;
    const area = {
      top: a.row - origin.row,
      left: a.col - origin.col,
      bottom: Math.min(a.row + a.rows - 1 - origin.row, size.rows - 1),
      right: Math.min(a.col + a.cols - 1 - origin.col, size.cols - 1),
    };
    if (area.top >= 0 && area.left >= 0 && area.top <= area.bottom && area.left <= area.right) out.push(area);
  }
  return out;
}

export interface AdoptionOptions {
  /** The policy the plan was made with (drop-down labels, computed columns). */
  policy?: Policy;
  /** Who adopts: written to the audit log. */
  user: string;
  now?: Date;
  /** People for the People sheet with their roles (the adoption screen asks); default: the plan's proposals. */
  people?: { name: string; roles: string[] }[];
}

export interface AdoptionResult {
  /** Name of the untouched copy of the original sheet. */
  backup: string;
  sheet: string;
  cases: number;
  rules: RulesApplied;
  audit: AuditEntry[];
  /** Set when the adoption day could not be recorded on the Policy sheet: why, for the user. */
  historyNote?: Bilingual;
}

/** "备份 <name>", cut to 31 characters, made unique against `taken`. */
export function backupName(sheet: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  const base = safeSheetName(SHEETS.backupPrefix + sheet);
  if (!lower.has(base.toLowerCase())) return base;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const name = base.slice(0, 31 - suffix.length) + suffix;
    if (!lower.has(name.toLowerCase())) return name;
  }
}

/** Phase 2: writes the plan into the workbook: 2 syncs, plus one per chunk of a big ledger (5 MB limit, chunks.ts). */
export async function applyAdoption(ctx: Excel.RequestContext, plan: AdoptPlan, opts: AdoptionOptions): Promise<AdoptionResult> {
  const policy = opts.policy ?? defaultPolicy();
  const wb = ctx.workbook;
  const sheets = wb.worksheets.load("items/name");
  const original = wb.worksheets.getItem(plan.sheet);
  const ownTables = original.tables.load("items/name");
  const existing = wb.tables.getItemOrNullObject(TABLES.ledger);
  const existingSheet = existing.worksheet.load("name");
  const policySheet = wb.worksheets.getItemOrNullObject(SHEETS.policy);
  const policyUsed = policySheet.getUsedRangeOrNullObject(true).load("values");
  const people = probeTable(ctx, SHEETS.people, TABLES.people);
  const audit = probeTable(ctx, SHEETS.audit, TABLES.audit);
  const auditHead = probeAuditHead(audit.table);
  const problems = probeTable(ctx, SHEETS.problems, TABLES.problems);
  const meta = probeMeta(ctx, SHEETS.meta);
  await ctx.sync();

  if (!existing.isNullObject && existingSheet.name !== plan.sheet) {
    throw new Error(
      `工作表"${existingSheet.name}"已经是台账(表 ${TABLES.ledger}),不能再接管另一张 / ` +
        `Sheet "${existingSheet.name}" already holds the ledger (table ${TABLES.ledger}); a workbook has one ledger`,
    );
  }

  assertOurs(
    people,
    PEOPLE_COLUMNS.map((c) => c.header),
  );
  assertOurs(
    audit,
    AUDIT_COLUMNS.map((c) => c.header),
  );
  assertOurs(
    problems,
    PROBLEM_COLUMNS.map((c) => c.header),
  );
  // Events off from here, not during the probe: a user's edit made meanwhile must still reach the handler.
  eventsOff(ctx);
  const budget = new Budget(ctx);
  // 1. The untouched copy, before anything changes.
  const backup = backupName(
    plan.sheet,
    sheets.items.map((s) => s.name),
  );
  const copy = original.copy("After", original);
  copy.name = backup;

  // 2. The original sheet, emptied: tables dissolved, merges undone, contents, formats and rules cleared.
  for (const t of ownTables.items) t.convertToRange();
  const whole = original.getRange();
  whole.unmerge();
  whole.dataValidation.clear();
  whole.conditionalFormats.clearAll();
  whole.clear("All");

  // 3. The ledger table at A1, with its rules and computed columns.
  const rules = await writeLedgerTable(ctx, budget, original, plan, policy);

  // 4. Problems: this adoption's list replaces an earlier one.
  const problemRows: CellValue[][] = plan.problems.map((p) => [p.row, p.column, p.header, p.value, p.kind, p.zh, p.en]);
  if (!problems.table.isNullObject) problems.table.delete();
  if (!problems.sheet.isNullObject) problems.sheet.getRange().clear("All");
  await createTable(
    ctx,
    problems,
    PROBLEM_COLUMNS.map((c) => c.header),
    problemRows,
    0,
    budget,
  );

  // 5. Policy, People: created with the defaults when missing, never overwritten.
  // Adopted history: cases closed by the adoption day are judged as closed (domain/history.ts).
  const historyNote = recordHistoryUntil(ctx, plan, policySheet, policyUsed);
  await appendOrCreate(
    ctx,
    people,
    PEOPLE_COLUMNS.map((c) => c.header),
    people.table.isNullObject ? adoptionPeopleRows(policy, opts.people ?? plan.people, peopleTemplate(policy)) : [],
    budget,
  );

  // 6. The adoption's entries, chained after whatever the log already holds; the head kept in meta.
  const headRows = await auditHeadRows(ctx, auditHead);
  const chained = await chain(
    headOf(headRows),
    plan.audit.map((a) => ({ ...a, user: a.user || opts.user })),
    opts.now ?? new Date(),
    policy.settings.timeZone,
  );
  await appendOrCreate(
    ctx,
    audit,
    AUDIT_COLUMNS.map((c) => c.header),
    chained.rows,
    budget,
  );
  const head = chained.entries.length ? chained.entries[chained.entries.length - 1] : headOf(headRows);
  writeMeta(ctx, meta, SHEETS.meta, { [META.auditSeq]: String(head.seq), [META.auditHash]: head.hash, [META.schemaVersion]: SCHEMA_VERSION });

  original.activate();
  eventsOn(ctx);
  await ctx.sync();
  return { backup, sheet: plan.sheet, cases: plan.table.rows.length, rules, audit: chained.entries, ...(historyNote ? { historyNote } : {}) };
}

/** The ledger table at A1: formats first (a text column keeps later typing as text), then values, rules and computed columns. */
async function writeLedgerTable(ctx: Excel.RequestContext, budget: Budget, original: Excel.Worksheet, plan: AdoptPlan, policy: Policy): Promise<RulesApplied> {
  const header = plan.table.header;
  const width = header.length;
  const computed = computedByHeader(header, policy);
  const bodyRows: ExcelValue[][] = plan.table.rows.length
    ? plan.table.rows.map((r) => header.map((_, i) => (computed.has(i) ? "" : toExcel(r[i]))))
    : [header.map(() => "")];
  const n = bodyRows.length;
  await writeRows(
    budget,
    (first, k) => original.getRange(blockAddress(1 + first, 0, k, width)),
    bodyRows.map(() => [...plan.table.numberFormats]),
    "numberFormat",
  );
  await writeRows(budget, (first, k) => original.getRange(blockAddress(first, 0, k, width)), [header.map(toExcel), ...bodyRows], "values");
  const table = original.tables.add(`${sheetRef(plan.sheet)}!${blockAddress(0, 0, n + 1, width)}`, true);
  table.name = TABLES.ledger;
  const target = { sheet: original, table, header, headerRow: 0, left: 0, rows: n };
  const rules = queueRules(ctx, target, policy);
  await writeComputed(budget, target, policy);
  return rules;
}

/**
 * The adoption day goes on the Policy sheet: a new sheet gets the defaults
 * with it; an existing one keeps every edit and gains only that cell (its row
 * added by rewriting the sheet's own content when an older sheet lacks it).
 * A sheet that does not read as a policy is left as it is, and the user told
 * why the adopted history will show as open until it is fixed.
 */
function recordHistoryUntil(ctx: Excel.RequestContext, plan: AdoptPlan, policySheet: Excel.Worksheet, used: Excel.Range): Bilingual | undefined {
  const history = plan.counts.history > 0;
  const write = (rows: Cell[][], ws: Excel.Worksheet) => {
    const w = Math.max(...rows.map((r) => r.length));
    ws.getRange(blockAddress(0, 0, rows.length, w)).values = rows.map((r) => rowToExcel([...r, ...Array(w - r.length).fill(null)]));
  };
  if (policySheet.isNullObject) {
    write(policyToRows(history ? withHistoryUntil(defaultPolicy(), plan.historyUntil) : defaultPolicy()), ctx.workbook.worksheets.add(SHEETS.policy));
    return undefined;
  }
  if (!history) return undefined;
  const values = used.isNullObject ? [] : rowsFromExcel(used.values);
  const read = policyFromRows(values);
  if (!read.policy) {
    return {
      zh: `策略表有误,未写入接管日期:已结案的历史案件会显示为未结,改正策略表后重新接管或填写"historyUntil"`,
      en: "The Policy sheet has errors, so the adoption day was not written: closed history will show as open until the sheet is fixed and historyUntil filled in",
    };
  }
  const at = settingRow(values, "historyUntil");
  const updated = withHistoryUntil(read.policy, plan.historyUntil);
  const value = policyToRows(updated).find((r) => r[0] === "historyUntil")![1];
  if (at >= 0) used.getCell(at, 1).values = [[toExcel(value)]];
  else {
    policySheet.getRange().clear("Contents");
    write(policyToRows(updated), policySheet);
  }
  return undefined;
}

/** The row of `key` in the Settings section, or -1. */
function settingRow(rows: readonly (readonly CellValue[])[], key: string): number {
  let inSettings = false;
  for (let i = 0; i < rows.length; i++) {
    const first = String(rows[i][0] ?? "").trim();
    if (/^\[[A-Z_]+\]$/.test(first)) inSettings = first === "[SETTINGS]";
    else if (inSettings && first === key) return i;
  }
  return -1;
}

/** Phase 1 in its own batch. */
export function readGridWith(run: Run = excelRun, sheetName?: string): Promise<SheetGrid> {
  return run((ctx) => readSheetGrid(ctx, sheetName));
}

/** Phase 2 in its own batch; events are switched back on if it fails. */
export function applyAdoptionWith(run: Run, plan: AdoptPlan, opts: AdoptionOptions): Promise<AdoptionResult> {
  return withEventsGuard(run, (ctx) => applyAdoption(ctx, plan, opts));
}
