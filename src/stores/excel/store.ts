/**
 * ExcelStore: the ledger's cells in the open workbook, in whole ranges.
 *
 * Round trips (what the tests count): `read` 1 sync, `readHead` 1 (2 only
 * when the case-number column was renamed by hand), `write` 2, `select` 1,
 * whatever the number of rows. Missing sheets and tables read as empty.
 *
 * Writes: scattered cell updates are queued and sent in one batch; new rows
 * go through the table's row collection, with the column's formula in every
 * computed column (never a value, so the calculated column stays whole);
 * every other value goes through `toExcel`, so typed text stays text.
 * The add-in's own writes run with events off (host.ts) and are reported
 * to `onWritten` listeners instead: the change handler updates its snapshot
 * from them without a round trip.
 *
 * Host extras (optional in LedgerStore): `applyView` filters the ledger table
 * (excel/views.ts, 2 syncs), `addSheet`, `writeDashboard` and
 * `writeFinanceReview` write generated sheets (excel/sheet.ts, 2 syncs each).
 */
import type { CellValue } from "../../domain/case";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { CASE_FIELDS, headerOf } from "../../domain/schema";
import { AUDIT_COLUMNS, COST_LINE_COLUMNS, EVIDENCE_COLUMNS, computedColumnOf, PEOPLE_COLUMNS, SHEETS, TABLES } from "../../ledger/workbook-layout";
import { keysOfHeader } from "../../ledger/records";
import { plainLayout, type SheetLayout } from "../../ledger/generated-sheet";
import {
  AuditHeadMoved,
  type LedgerData,
  type LedgerHead,
  type LedgerStore,
  type LedgerWrite,
  type ViewApplied,
  type ViewFilter,
  type ViewMode,
  type WriteOutcome,
} from "../../ledger/store";
import { headOf } from "../../ledger/audit";
import { fromExcel, isBlankRow, metaFromRows, rowsFromExcel, rowToExcel, toExcel, type ExcelValue } from "./cells";
import { appendBelow, beginRead, Budget, finishRead, jsonSize, READ_CELLS, type ChunkedRead } from "./chunks";
import { eventsOff, eventsOn, excelRun, withEventsGuard, type Run } from "./excel-run";
import { writeLayout } from "./sheet";
import {
  appendAudit,
  appendOrCreate,
  assertOurs,
  auditHeadRows,
  blockAddress,
  checkRoomBelow,
  metaOf,
  probeAuditHead,
  probeMeta,
  probeTable,
  settleAudit,
  writeMeta,
} from "./tables";
import { queueNewColumns } from "./new-columns";
import { newerLedgerError, refuseNewer, schemaStatus } from "../../ledger/schema-version";
import { applyViewFilter, officeSupports, viewModeOf, type Supports } from "./view-filter";

/** What a write did to the ledger table, with resolved positions. */
export interface ExcelWritten {
  updates: { row: number; col: number; value: CellValue }[];
  /** Columns added at the table's end (an upgrade): the change handler re-reads its snapshot. */
  columns: number;
  /** Body index of the first appended row. */
  appendedAt: number;
  appends: CellValue[][];
}

export interface ExcelStoreOptions {
  run?: Run;
  /** For the computed columns' formulas when a table has none to copy (their text does not depend on the policy's values). */
  policy?: Policy;
  /** Which API sets the host has (default: Office.context.requirements.isSetSupported). */
  supports?: Supports;
}

const CASE_NO_HEADER = headerOf(CASE_FIELDS.find((f) => f.key === "caseNo")!);

/** Computed columns by index, from a header: index → layout formula. */
export function computedByHeader(header: readonly string[], policy: Policy): Map<number, string> {
  const out = new Map<number, string>();
  header.forEach((h, i) => {
    const c = computedColumnOf(h, policy);
    if (c) out.set(i, c.formula);
  });
  return out;
}

/** Rows without the blank rows at the end (a fresh table's empty row); earlier rows keep their indices. */
export function trimTrailingBlank(rows: CellValue[][], skip: ReadonlySet<number> = new Set()): CellValue[][] {
  let n = rows.length;
  while (n > 0 && isBlankRow(rows[n - 1], skip)) n--;
  return rows.slice(0, n);
}

const nothingIn = (w: LedgerWrite) =>
  !w.updates?.length &&
  !w.appends?.length &&
  !w.audit?.length &&
  !w.people?.length &&
  !w.peopleUpdates?.length &&
  !Object.keys(w.meta ?? {}).length &&
  !w.policy &&
  !w.columns?.length &&
  !w.policyAppend?.length &&
  !w.evidence?.length &&
  !w.costLines?.length;

/** The Policy sheet's part of a write: replaced whole, or (an upgrade) rows added below its last used row, the user's rows not rewritten. */
function queuePolicy(wb: Excel.Workbook, sheet: Excel.Worksheet, used: Excel.Range | undefined, rows: CellValue[][] | undefined, append: CellValue[][]): void {
  const ws = sheet.isNullObject ? wb.worksheets.add(SHEETS.policy) : sheet;
  const block = (at: number, xs: CellValue[][]) => {
    const width = Math.max(1, ...xs.map((r) => r.length));
    ws.getRange(blockAddress(at, 0, xs.length, width)).values = xs.map((r) => rowToExcel([...r, ...Array(width - r.length).fill(null)]));
  };
  if (rows) {
    // Replaced whole; the caller re-applies the policy to the functions (events are off here).
    ws.getRange().clear("Contents");
    block(0, rows);
  }
  if (append.length) block(used && !used.isNullObject ? used.rowIndex + used.rowCount : 0, append);
}

const EVIDENCE_HEADER = EVIDENCE_COLUMNS.map((c) => c.header);
const COST_HEADER = COST_LINE_COLUMNS.map((c) => c.header);

export class ExcelStore implements LedgerStore {
  readonly kind = "excel";
  private readonly run: Run;
  private readonly policy: Policy;
  private readonly supports: Supports;
  private listeners: ((w: ExcelWritten) => void)[] = [];
  /** The schema version a read last saw, when newer than this release's: the generated sheets are refused too. */
  private newerSeen?: { version: string; current: string };

  constructor(opts: ExcelStoreOptions = {}) {
    this.run = opts.run ?? excelRun;
    this.policy = opts.policy ?? defaultPolicy();
    this.supports = opts.supports ?? officeSupports;
  }

  /** Called after each successful write (the change handler keeps its snapshot with it). Returns an unsubscribe. */
  onWritten(cb: (w: ExcelWritten) => void): () => void {
    this.listeners.push(cb);
    return () => {
      this.listeners = this.listeners.filter((x) => x !== cb);
    };
  }

  async read(): Promise<LedgerData> {
    return this.run(async (ctx) => {
      const wb = ctx.workbook;
      const ledger = wb.tables.getItemOrNullObject(TABLES.ledger);
      const header = ledger.getHeaderRowRange().load("values");
      const body = beginRead(ledger.getDataBodyRange());
      const policy = wb.worksheets.getItemOrNullObject(SHEETS.policy).getUsedRangeOrNullObject(true).load("values");
      const people = wb.tables.getItemOrNullObject(TABLES.people);
      const peopleBody = beginRead(people.getDataBodyRange());
      const audit = wb.tables.getItemOrNullObject(TABLES.audit);
      const auditBody = beginRead(audit.getDataBodyRange());
      const evidence = wb.tables.getItemOrNullObject(TABLES.evidence);
      const evidenceBody = beginRead(evidence.getDataBodyRange());
      const costs = wb.tables.getItemOrNullObject(TABLES.costs);
      const costBody = beginRead(costs.getDataBodyRange());
      const meta = probeMeta(ctx, SHEETS.meta);
      await ctx.sync();

      // Each table's rest in chunks under the payload limit (one round trip in all for a small ledger).
      const rest = async (t: Excel.Table, r: ChunkedRead) => (t.isNullObject ? [] : (await finishRead(ctx, r)).values);
      this.noteSchema(metaOf(meta));
      const head = ledger.isNullObject ? [] : (header.values[0] ?? []).map((h) => String(h ?? ""));
      const computed = new Set(computedByHeader(head, this.policy).keys());
      return {
        header: head,
        rows: trimTrailingBlank(rowsFromExcel(await rest(ledger, body)), computed),
        policyRows: policy.isNullObject ? [] : rowsFromExcel(policy.values),
        peopleRows: trimTrailingBlank(rowsFromExcel(await rest(people, peopleBody))),
        auditRows: trimTrailingBlank(rowsFromExcel(await rest(audit, auditBody))),
        evidenceRows: trimTrailingBlank(rowsFromExcel(await rest(evidence, evidenceBody))),
        costRows: trimTrailingBlank(rowsFromExcel(await rest(costs, costBody))),
        meta: meta.sheet.isNullObject || meta.used.isNullObject ? {} : metaFromRows(meta.used.values),
        sheets: { policy: !policy.isNullObject, audit: !audit.isNullObject, meta: !meta.sheet.isNullObject },
      };
    });
  }

  async readHead(): Promise<LedgerHead> {
    return this.run(async (ctx) => {
      const wb = ctx.workbook;
      const ledger = wb.tables.getItemOrNullObject(TABLES.ledger);
      const header = ledger.getHeaderRowRange().load("values");
      const caseCol = ledger.columns.getItemOrNullObject(CASE_NO_HEADER);
      const caseNos = beginRead(caseCol.getDataBodyRange(), "values", READ_CELLS);
      const audit = probeAuditHead(wb.tables.getItemOrNullObject(TABLES.audit));
      const meta = probeMeta(ctx, SHEETS.meta);
      await ctx.sync();

      const head = ledger.isNullObject ? [] : (header.values[0] ?? []).map((h) => String(h ?? ""));
      let nos: CellValue[] = [];
      if (!ledger.isNullObject && !caseCol.isNullObject) {
        nos = (await finishRead(ctx, caseNos)).values.map((r) => fromExcel(r[0]));
      } else if (!ledger.isNullObject) {
        // The case-number header was renamed by hand: find it by meaning, at the price of a second round trip.
        const col = keysOfHeader(head, this.policy).indexOf("caseNo");
        if (col >= 0) {
          const r = ledger.getDataBodyRange().getColumn(col).load("values");
          await ctx.sync();
          nos = r.values.map((x) => fromExcel(x[0]));
        }
      }
      const auditRows = await auditHeadRows(ctx, audit);
      this.noteSchema(metaOf(meta));
      return {
        header: head,
        caseNos: nos,
        auditRows: trimTrailingBlank(auditRows),
        meta: meta.sheet.isNullObject || meta.used.isNullObject ? {} : metaFromRows(meta.used.values),
      };
    });
  }

  private noteSchema(meta: Record<string, string>): void {
    const s = schemaStatus(meta);
    this.newerSeen = s.state === "newer" ? s : undefined;
  }

  /** Refuses a generated sheet in a ledger a newer release wrote (the data writes check the meta sheet itself). */
  private guard(): void {
    if (this.newerSeen) throw newerLedgerError(this.newerSeen);
  }

  /**
   * Two syncs: a probe (header, first row, the rows below the table, the meta
   * sheet, the audit head when `auditBase` is given), then every change in one
   * batch. Appends go below the tables as Range.values (chunks.ts appendBelow:
   * co-authoring safe); a co-author's append between the two syncs is caught
   * by the audit check (tables.ts settleAudit, 2 more syncs only then).
   */
  async write(w: LedgerWrite): Promise<WriteOutcome> {
    const updates = w.updates ?? [];
    const columns = w.columns ?? [];
    const policyAppend = w.policyAppend ?? [];
    const appends = w.appends ?? [];
    const audit = w.audit ?? [];
    const people = w.people ?? [];
    const peopleUpdates = w.peopleUpdates ?? [];
    const meta = w.meta ?? {};
    const policyRows = w.policy;
    const evidence = w.evidence ?? [];
    const costLines = w.costLines ?? [];
    if (nothingIn(w)) return {};

    const result = await withEventsGuard(this.run, async (ctx) => {
      const wb = ctx.workbook;
      const ledger = wb.tables.getItemOrNullObject(TABLES.ledger);
      const touchesLedger = updates.length > 0 || appends.length > 0 || columns.length > 0;
      const header = touchesLedger ? ledger.getHeaderRowRange().load("values") : undefined;
      const body = appends.length || columns.length ? ledger.getDataBodyRange().load("rowCount") : undefined;
      const first = appends.length ? ledger.getDataBodyRange().getRow(0).load("values,formulas") : undefined;
      const below = appends.length ? ledger.getRange().getRowsBelow(appends.length).load("values") : undefined;
      const auditProbe = audit.length ? probeTable(ctx, SHEETS.audit, TABLES.audit) : undefined;
      const headProbe = auditProbe && w.auditBase ? probeAuditHead(auditProbe.table) : undefined;
      const peopleProbe = people.length || peopleUpdates.length ? probeTable(ctx, SHEETS.people, TABLES.people) : undefined;
      // Always read: a ledger a newer release wrote is refused before anything is written (schema-version.ts).
      const metaProbe = probeMeta(ctx, SHEETS.meta);
      const policySheet = policyRows || policyAppend.length ? wb.worksheets.getItemOrNullObject(SHEETS.policy) : undefined;
      const policyUsed = policyAppend.length ? policySheet!.getUsedRangeOrNullObject(true).load("rowIndex,rowCount") : undefined;
      const evidenceProbe = evidence.length ? probeTable(ctx, SHEETS.evidence, TABLES.evidence) : undefined;
      const costProbe = costLines.length ? probeTable(ctx, SHEETS.costs, TABLES.costs) : undefined;
      await ctx.sync();
      this.noteSchema(metaOf(metaProbe));
      refuseNewer(metaOf(metaProbe));

      if (touchesLedger && ledger.isNullObject) {
        throw new Error(`工作簿中没有台账表 ${TABLES.ledger},请先导入台账 / The workbook has no ${TABLES.ledger} table; adopt a ledger first`);
      }
      if (auditProbe)
        assertOurs(
          auditProbe,
          AUDIT_COLUMNS.map((c) => c.header),
        );
      // A sheet at Excel's last row: the write is refused before anything is queued, not half-logged (decision 170).
      if (auditProbe) checkRoomBelow(auditProbe, audit.length);
      if (peopleProbe) checkRoomBelow(peopleProbe, people.length);
      if (evidenceProbe) checkRoomBelow(evidenceProbe, evidence.length);
      if (costProbe) checkRoomBelow(costProbe, costLines.length);
      if (headProbe && w.auditBase) {
        const found = headOf(auditProbe!.table.isNullObject ? [] : await auditHeadRows(ctx, headProbe));
        if (found.seq !== w.auditBase.seq || found.hash !== w.auditBase.hash) throw new AuditHeadMoved(w.auditBase, found);
      }
      if (peopleProbe)
        assertOurs(
          peopleProbe,
          PEOPLE_COLUMNS.map((c) => c.header),
        );
      // Events off only around the writes: a probe with events off would lose the user's edits made meanwhile.
      eventsOff(ctx);
      const budget = new Budget(ctx);
      const out: ExcelWritten = { updates, appendedAt: 0, appends, columns: columns.length };
      if (columns.length) {
        // Before the appends below, which are written at the new width. The formats follow the Policy sheet as read at open.
        await queueNewColumns(budget, ledger, columns, body!.rowCount, this.policy);
      }
      let placed: { at: Excel.Range; header: Excel.Range; lone: boolean } | undefined;
      if (updates.length || appends.length) {
        const head = [...header!.values[0].map((h) => String(h ?? "")), ...columns.map((c) => c.header)];
        placed = await this.writeLedger(ledger, head, body, first, below, updates, appends, budget);
      }
      const auditAppend = auditProbe ? await appendAudit(ctx, auditProbe, audit, budget) : undefined;
      if (peopleUpdates.length) {
        if (peopleProbe!.table.isNullObject) {
          throw new Error(`工作簿中没有人员表 ${TABLES.people} / The workbook has no ${TABLES.people} table`);
        }
        const peopleBody = peopleProbe!.table.getDataBodyRange();
        for (const u of peopleUpdates) peopleBody.getRow(u.row).values = [rowToExcel(u.values)];
      }
      if (peopleProbe && people.length)
        await appendOrCreate(
          ctx,
          peopleProbe,
          PEOPLE_COLUMNS.map((c) => c.header),
          people,
          budget,
        );
      if (evidenceProbe) await appendOrCreate(ctx, evidenceProbe, EVIDENCE_HEADER, evidence, budget);
      if (costProbe) await appendOrCreate(ctx, costProbe, COST_HEADER, costLines, budget);
      if (Object.keys(meta).length) writeMeta(ctx, metaProbe, SHEETS.meta, meta);
      if (policySheet) queuePolicy(wb, policySheet, policyUsed, policyRows, policyAppend);
      eventsOn(ctx);
      await ctx.sync();
      const outcome: WriteOutcome = {};
      if (auditAppend) {
        const settled = await settleAudit(ctx, auditAppend, metaProbe, SHEETS.meta);
        if (settled !== audit) outcome.audit = settled;
      }
      if (placed) out.appendedAt = placed.lone ? 0 : placed.at.rowIndex - placed.header.rowIndex - 1;
      return { out, outcome };
    });
    for (const cb of this.listeners) cb(result.out);
    return result.outcome;
  }

  /** Queues the ledger's cell updates and appends (after the probe's sync); returns where the appends will land. */
  private async writeLedger(
    ledger: Excel.Table,
    head: string[],
    body: Excel.Range | undefined,
    first: Excel.Range | undefined,
    below: Excel.Range | undefined,
    updates: NonNullable<LedgerWrite["updates"]>,
    appends: NonNullable<LedgerWrite["appends"]>,
    budget: Budget,
  ): Promise<{ at: Excel.Range; header: Excel.Range; lone: boolean } | undefined> {
    const computed = computedByHeader(head, this.policy);
    const dataBody = ledger.getDataBodyRange();
    for (const u of updates) {
      if (computed.has(u.col)) continue; // never a value in a computed column
      const v = toExcel(u.value);
      await budget.room(jsonSize(v) + 64);
      dataBody.getCell(u.row, u.col).values = [[v]];
    }
    if (!appends.length) return undefined;
    // Keep the formula the sheet already uses in each computed column (it may be localised); else the layout's.
    const firstFormulas = first!.formulas[0] ?? [];
    const formulaAt = (i: number) => {
      const f = firstFormulas[i];
      return typeof f === "string" && f.startsWith("=") ? f : computed.get(i)!;
    };
    const cells = appends.map((row) => head.map((_, i): ExcelValue => (computed.has(i) ? formulaAt(i) : toExcel(row[i]))));
    // A table with only its blank starter row: fill that row instead of leaving a gap above the first case.
    const lone = body!.rowCount === 1 && isBlankRow(rowsFromExcel(first!.values)[0] ?? [], new Set(computed.keys()));
    if (lone) dataBody.getRow(0).values = [cells[0]];
    const rest = lone ? cells.slice(1) : cells;
    // Whatever stands below the table moves down first: the guidance's Range.insert, so nothing is overwritten.
    if (rest.length && below!.values.some((r) => r.some((v) => v !== "" && v !== null))) ledger.getRange().getRowsBelow(rest.length).insert("Down");
    const at = rest.length ? (await appendBelow(budget, ledger, rest))!.load("rowIndex") : dataBody.getRow(0).load("rowIndex");
    return { at, header: ledger.getHeaderRowRange().load("rowIndex"), lone };
  }

  viewMode(): ViewMode {
    return viewModeOf(this.supports);
  }

  applyView(filter: ViewFilter | null): Promise<ViewApplied> {
    return applyViewFilter(this.run, filter, this.viewMode(), this.policy);
  }

  async addSheet(name: string, rows: CellValue[][]): Promise<string> {
    this.guard();
    return writeLayout(this.run, plainLayout(name, rows));
  }

  async writeSheet(layout: SheetLayout): Promise<string> {
    this.guard();
    return writeLayout(this.run, layout);
  }

  async select(row: number): Promise<void> {
    await this.run(async (ctx) => {
      const ledger = ctx.workbook.tables.getItem(TABLES.ledger);
      ledger.getDataBodyRange().getRow(row).select();
      await ctx.sync();
    });
  }
}
