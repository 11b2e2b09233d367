/**
 * The change handler: every edit a person makes in the ledger sheet is
 * judged by the same rule the task pane uses (ledger/edit-check.ts checkEdit).
 * An edit that may not stand is put back, recorded in the audit log (who,
 * when, cell, field, old, new, why) and explained through `notify` in both
 * languages. Nothing is refused silently.
 *
 * Why a snapshot: the event's `details` (valueBefore/valueAfter) exist only
 * for a single cell; a paste or a fill changes many cells at once and Excel
 * says only where. The handler keeps the table's values as last accepted
 * and compares the changed rows with it. The snapshot follows row inserts
 * and deletes, sorting (recognised as the same rows in another order), the
 * add-in's own writes (ExcelStore.onWritten), columns deleted (lined up by
 * header) and a `refresh` after anything else (a column inserted,
 * co-authors' edits).
 *
 * Decisions:
 * - Accepted edits are not logged, except a change of status (who moved a
 *   case, from what to what): logging every keystroke would bury the
 *   refusals the log exists for, and cost a write per edit.
 * - A deleted case row is not put back (the person may have meant it, and
 *   re-inserting rows under their cursor fights them); the whole old row is
 *   written to the audit log as ROW_DELETED, so nothing is lost, and they
 *   are told so.
 * - A new row being typed (blank before, no status yet) is a draft: the
 *   fields a logged case needs are not demanded cell by cell; every other
 *   rule (values, charge against responsibility, sign-offs…) still holds.
 * - Co-authors' (Remote) changes are not reverted here: two handlers (theirs
 *   and ours) reverting and logging the same edit would fight. Only the rows
 *   they changed are re-read. A co-author *without* the add-in is judged by
 *   no one: README states that gap.
 * - Event addresses are not trusted for inserts and deletes: Excel reports a
 *   fill-drag below the table and a column insert as RowInserted with the
 *   wrong rows (office-js #728, #669), and rows inserted above the table move
 *   its header. After any insert, delete or unknown change the snapshot is
 *   re-read once; deleted rows are found by comparing it with the old one.
 * - Every Excel.run here may meet a user typing in the next cell: the host's
 *   wrapper passes `delayForCellEdit` (host.ts). A revert is written only if
 *   the cell still holds the value refused: a correction typed before the
 *   revert lands is kept (its own event judges it).
 * - A handler that fails re-reads the snapshot and tells the user, in both
 *   languages: a swallowed error would leave a forbidden value standing.
 * - Whole columns ("C:C", a column selected and cleared) and whole rows
 *   ("5:7", rows pasted over) are clipped to the table and judged like any
 *   paste of those rows; a ledger header the edit renamed or cleared is put
 *   back and logged; an address that cannot be read is re-read and compared
 *   like the sweep, never passed over (docs/decisions.md 162, 163).
 * - A ledger column deleted (ColumnDeleted, or any change after which the
 *   header lost a column while the rows stayed; with rows deleted at the
 *   same time, rows are lined up by case number) is put back where it stood,
 *   with its header, the snapshot's values, its formula, number format and
 *   the ledger's validations; logged (EDIT_REVERTED) and explained. The
 *   user's own columns may go: logged (EDIT_ACCEPTED, header and how many
 *   cells held something). A column inserted is the user's: accepted.
 * - Cells deleted or inserted with a shift (CellDeleted/CellInserted,
 *   Unknown) are compared like the sweep: a row now holding another case's
 *   number moved, so the snapshot's values go back; the other changed rows
 *   are judged as edits (docs/decisions.md 166, 167).
 *
 * Round trips per event: 0 for an accepted single-cell edit (details
 * suffice), 1 for an accepted multi-cell edit, 2 when a single-cell edit is
 * reverted or logged, 3 when rows of a multi-cell edit or paste are, 2 more
 * when a header is put back (3 when only header cells were edited). Reading
 * the edited columns is chunked past 400 rows, and so is re-reading the
 * snapshot (1, plus one per chunk: chunks.ts, Excel on the web's 5 MB
 * limit); a whole column of 50,000 cases cleared and put back is 14. A
 * deleted ledger column is 3 (header read, probe, one batch for the column,
 * the rules and the audit entry; one more per 2 MB of its values), at 50,000
 * cases too; shifted cells cost a table read (1 + chunks) and 2 per put-back.
 */
import { readCase, type Case, type CellValue } from "../../domain/case";
import { closeWaitsOn } from "../../domain/actors";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { policyFromRows } from "../../domain/policy/policy-table";
import { validateCase } from "../../domain/validate";
import { chain, headOf, rowToEntry, type AuditEntry, type AuditInput } from "../../ledger/audit";
import { checkEdit, reasonText, statusLabel, type EditReason } from "../../ledger/edit-check";
import { readPeople } from "../../ledger/service";
import { AUDIT_COLUMNS, columnLetter, ledgerColumns, META, SHEETS, TABLES } from "../../ledger/workbook-layout";
import { keysOfHeader, numberFormatOf, rowToRecord, sameCell } from "../../ledger/records";
import { queueRules } from "./rules";
import { fromExcel, isBlankRow, metaFromRows, rowsFromExcel, toExcel } from "./cells";
import { newerLedgerError, schemaStatus, type SchemaStatus } from "../../ledger/schema-version";
import { beginRead, Budget, FIRST_ROWS, finishRead, jsonSize, writeRows } from "./chunks";
import { eventsOff, eventsOn, excelRun, readAreas, sheetRef, SHEET_ROWS, withEventsGuard, type Area, type Run } from "./excel-run";
import { computedByHeader, type ExcelStore, type ExcelWritten } from "./store";
import {
  appendAudit,
  assertOurs,
  auditHeadRows,
  checkRoomBelow,
  probeAuditHead,
  probeMeta,
  probeTable,
  settleAudit,
  writeMeta,
  type TableProbe,
} from "./tables";
import { DomainError } from "../../domain/errors";

export interface Notice {
  zh: string;
  en: string;
  /** Sheet-qualified address of the first cell concerned. */
  cell: string;
}

/** The part of Excel.WorksheetChangedEventArgs the handler reads. */
export interface ChangeEvent {
  address: string;
  changeType: string;
  source?: string;
  worksheetId?: string;
  details?: { valueBefore?: unknown; valueAfter?: unknown } | null;
}

export interface ChangeOutcome {
  accepted: number;
  reverted: number;
  deleted: number;
  audit: AuditEntry[];
  /** The handler failed (the user was told; the snapshot was re-read). */
  failed?: boolean;
  /** Reverts not written because the user had already typed something else there. */
  superseded?: number;
}

export interface EnforcerOptions {
  run?: Run;
  /** Who is editing (Office account or the name chosen in the pane). */
  user: () => string;
  notify: (n: Notice) => void;
  now?: () => Date;
}

interface Snapshot {
  sheetName: string;
  worksheetId: string;
  header: string[];
  keys: string[];
  /** 0-based sheet row of the header and sheet column of the table's first column. */
  headerRow: number;
  left: number;
  rows: CellValue[][];
  /** Computed column index → the formula its cells should hold. */
  computed: Map<number, string>;
  policy: Policy;
  /** The first body row's formulas as read (a computed formula broken by a column delete shows here). */
  firstFormulas?: unknown[];
  /** Set when a newer release wrote the ledger: the handler writes nothing (no revert, no log) and says so once. */
  newer?: SchemaStatus;
}

const newerOf = (meta: Record<string, string>): SchemaStatus | undefined => {
  const st = schemaStatus(meta);
  return st.state === "newer" ? st : undefined;
};

const none = (): ChangeOutcome => ({ accepted: 0, reverted: 0, deleted: 0, audit: [] });

export class ExcelEnforcer {
  private snap?: Snapshot;
  private queue: Promise<unknown> = Promise.resolve();
  private toldNewer = false;
  private readonly run: Run;

  constructor(private readonly opts: EnforcerOptions) {
    this.run = opts.run ?? excelRun;
  }

  /** Loads the snapshot and registers on the ledger sheet's onChanged: 1 sync (more for a big ledger, chunks.ts). */
  async start(): Promise<void> {
    await this.run(async (ctx) => {
      const read = this.queueSnapshot(ctx);
      read.sheet.onChanged.add((args: Excel.WorksheetChangedEventArgs) => this.onChanged(args));
      await ctx.sync();
      this.snap = await read.snapshot();
    });
  }

  /** Reloads the snapshot (after an adoption, an insert or delete, a column change): 1 sync, plus chunks. */
  async refresh(): Promise<void> {
    await this.run(async (ctx) => {
      const read = this.queueSnapshot(ctx);
      await ctx.sync();
      this.snap = await read.snapshot();
    });
  }

  /**
   * The sweep for edits no event reported: Excel on the web raises no
   * onChanged for a pick from a data-validation drop-down (office-js #3888,
   * #4066) and none for a fill-drag over filtered rows (#1110). The table is
   * read (1 sync, plus chunks) and compared with the snapshot of the last
   * accepted values; rows that differ are judged exactly as an event's rows
   * are (reverted if the cell still holds the value, logged, explained with
   * who must act: `edited`). When the rows no longer line up with the
   * snapshot (rows inserted, deleted or columns changed unseen) nothing can
   * be put back safely: the snapshot moves on and the rows that now break a
   * rule are returned as `flagged` (they are violations the pane and `check`
   * show). Queued with the events, so it never runs beside a handler.
   */
  sweep(): Promise<ChangeOutcome & { flagged: number }> {
    const next = this.queue.then(() => this.sweepNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async sweepNow(): Promise<ChangeOutcome & { flagged: number }> {
    const s = this.snap;
    if (!s) return { ...none(), flagged: 0 };
    const now = await this.run(async (ctx) => {
      const read = this.queueSnapshot(ctx);
      await ctx.sync();
      return read.snapshot();
    });
    const computed = new Set(s.computed.keys());
    const plain = (row: readonly CellValue[] | undefined) => JSON.stringify((row ?? []).map((v, j) => (computed.has(j) ? null : (v ?? null))));
    // Same shape: the rows line up, even if a header cell changed (that is judged after the rows, headerChanged).
    const aligned = now.header.length === s.header.length && now.rows.length === s.rows.length && now.headerRow === s.headerRow && now.left === s.left;
    if (!aligned && now.rows.length === s.rows.length && now.header.join("\u0000") !== s.header.join("\u0000")) {
      // Columns deleted or added, rows as they were: the columns are lined up by header (columnsChanged).
      return { ...(await this.columnsChanged(s, shapeOf(now), now)), flagged: 0 };
    }
    if (!aligned) {
      // Unseen inserts or deletes: which old row is which is unknown, so nothing is reverted.
      this.snap = now;
      const blank = new Set(now.computed.keys());
      const flagged = now.rows.filter(
        (row) => !isBlankRow(row, blank) && validateCase(readCase(rowToRecord(now.keys, row), now.policy).case, now.policy).length > 0,
      ).length;
      if (flagged)
        this.opts.notify({
          zh: `台账有未经检查的改动(行被插入或删除),无法安全撤销;${flagged} 行违反规则,请在任务窗格的"问题"中处理`,
          en: `The ledger changed unseen (rows inserted or deleted) and cannot be put back safely; ${flagged} row(s) break a rule: see Problems in the task pane`,
          cell: this.cellAddress(now, 0, 0),
        });
      return { ...none(), flagged };
    }
    let changed = now.rows.map((_, idx) => idx).filter((idx) => plain(now.rows[idx]) !== plain(s.rows[idx]));
    // A row that now holds another case's number moved (cells deleted or inserted with a shift): its values are no
    // edit of either case, so the snapshot's go back (decision 167). The other changed rows are judged as edits.
    const kc = s.keys.indexOf("caseNo");
    const moved = kc < 0 ? [] : changed.filter((i) => s.rows[i][kc] !== null && s.rows[i][kc] !== "" && !sameCell(now.rows[i][kc] ?? null, s.rows[i][kc]));
    const back = moved.length ? await this.putBack(s, now, moved) : none();
    if (moved.length) {
      const gone = new Set(moved);
      changed = changed.filter((i) => !gone.has(i));
    }
    // Only the columns that differ are read again (a cleared column is one column, whatever the rows).
    const cols = s.header.map((_, j) => j).filter((j) => !computed.has(j) && changed.some((i) => !sameCell(now.rows[i][j] ?? null, s.rows[i]?.[j] ?? null)));
    const [c0, c1] = cols.length ? [Math.min(...cols), Math.max(...cols)] : [0, s.header.length - 1];
    const areas = changed.map((idx) => ({ row: s.headerRow + 1 + idx, col: s.left + c0, rows: 1, cols: c1 - c0 + 1 }));
    const judged = areas.length ? await this.edited(s, areas, { address: "", changeType: "RangeEdited", source: "Local" }) : none();
    const out = { ...judged, reverted: judged.reverted + back.reverted, audit: [...back.audit, ...judged.audit] };
    if (now.header.join("\u0000") === s.header.join("\u0000")) return { ...out, flagged: 0 };
    const head = await this.headerChanged(s, now.header);
    return { ...out, reverted: out.reverted + head.reverted, audit: [...out.audit, ...head.audit], flagged: 0 };
  }

  /**
   * Rows that no longer line up with their case (its number moved away): every
   * cell that differs from the snapshot is put back and logged, one entry a
   * cell as for any revert, with one notice for them all. 2 syncs (more past
   * the write budget).
   */
  private async putBack(s: Snapshot, now: Snapshot, idxs: readonly number[]): Promise<ChangeOutcome> {
    const out = none();
    const writes: Revert[] = [];
    const inputs: AuditInput[] = [];
    const user = this.opts.user();
    const reason =
      "单元格被删除或插入并移位,此行已不再对应其客诉单,原值已放回 / Cells were deleted or inserted with a shift, so this row no longer lines up with its case; its values were put back";
    for (const idx of idxs) {
      const old = s.rows[idx];
      const caseNo = String(old[s.keys.indexOf("caseNo")] ?? "");
      s.header.forEach((_, j) => {
        const formula = s.computed.get(j);
        // A computed cell gets its formula again (a shift may have moved another column's there); no entry: it holds no data.
        if (formula) writes.push({ idx, col: j, value: null, formula, rejected: now.rows[idx][j] ?? null });
        if (formula || sameCell(now.rows[idx][j] ?? null, old[j] ?? null)) return;
        writes.push({ idx, col: j, value: old[j] ?? null, rejected: now.rows[idx][j] ?? null });
        inputs.push({
          user,
          action: "EDIT_REVERTED",
          caseNo,
          field: s.keys[j],
          cell: this.cellAddress(s, idx, j),
          oldValue: old[j],
          newValue: now.rows[idx][j],
          reason,
        });
      });
    }
    if (!writes.length) return out;
    const back = await this.writeBack(writes, inputs);
    out.audit = back.entries;
    out.superseded = back.superseded;
    out.reverted = idxs.length;
    this.opts.notify({
      zh: `${idxs.length} 行因单元格移位而与其客诉单错位,原值已放回并记入审计表。请用"删除表格行"删除整行,不要移动单元格`,
      en: `${idxs.length} row(s) no longer lined up with their cases after cells were shifted; their values were put back and recorded in the audit sheet. Delete whole table rows instead of shifting cells`,
      cell: this.cellAddress(s, idxs[0], 0),
    });
    if (back.superseded) await this.refresh(); // someone typed there meanwhile: read what stands
    return out;
  }

  /** Keeps the snapshot in step with the add-in's own writes, which raise no events. */
  attach(store: ExcelStore): () => void {
    return store.onWritten((w) => this.ownWrite(w));
  }

  ownWrite(w: ExcelWritten): void {
    const s = this.snap;
    if (!s) return;
    if (w.columns) {
      // An upgrade widened the table and grew the policy: read the snapshot again, in turn with the events.
      this.queue = this.queue.then(() => this.refresh()).catch(() => undefined);
      return;
    }
    for (const u of w.updates) if (s.rows[u.row] && !s.computed.has(u.col)) s.rows[u.row][u.col] = u.value ?? null;
    w.appends.forEach((row, i) => {
      s.rows[w.appendedAt + i] = s.header.map((_, j) => (s.computed.has(j) ? null : (row[j] ?? null)));
    });
  }

  /** The last accepted values (tests, the pane's "undo my refused edit" hints). */
  get rows(): readonly (readonly CellValue[])[] {
    return this.snap?.rows ?? [];
  }

  /** Event entry point: one event at a time, in order; a failure re-reads the snapshot and is told, never swallowed. */
  onChanged(args: ChangeEvent): Promise<ChangeOutcome> {
    const next = this.queue
      .then(() => this.handle(args))
      .catch(async (e: unknown) => {
        try {
          await this.refresh();
        } catch {
          // The notice below still goes out; the next event tries again.
        }
        const why = String((e as Error)?.message ?? e);
        if (e instanceof DomainError && e.code === "LIMIT") {
          // The audit log is full (writeBack): refused cells were put back, nothing was logged.
          this.opts.notify({
            zh: `${e.zh}。刚才被拒绝的修改(如有)已撤销,但无法记入审计日志`,
            en: `${e.en}. Any refused change was undone, but it could not be recorded in the audit log`,
            cell: args.address,
          });
          return { ...none(), failed: true };
        }
        this.opts.notify({
          zh: `检查刚才的修改时出错,台账规则可能未生效,请核对该处并重试:${why}`,
          en: `Checking your last change failed, so the ledger's rules may not have applied; please check it and try again: ${why}`,
          cell: args.address,
        });
        return { ...none(), failed: true };
      });
    this.queue = next;
    return next;
  }

  private queueSnapshot(ctx: Excel.RequestContext) {
    const table = ctx.workbook.tables.getItem(TABLES.ledger);
    const sheet = table.worksheet.load("name,id");
    const header = table.getHeaderRowRange().load("values,rowIndex,columnIndex");
    const body = beginRead(table.getDataBodyRange());
    const first = table.getDataBodyRange().getRow(0).load("formulas");
    const policy = ctx.workbook.worksheets.getItemOrNullObject(SHEETS.policy).getUsedRangeOrNullObject(true).load("values");
    const meta = probeMeta(ctx, SHEETS.meta);
    return {
      sheet,
      snapshot: async (): Promise<Snapshot> => {
        const values = (await finishRead(ctx, body)).values;
        const p = (policy.isNullObject ? undefined : policyFromRows(rowsFromExcel(policy.values)).policy) ?? defaultPolicy();
        const head = header.values[0].map((h) => String(h ?? ""));
        const computed = computedByHeader(head, p);
        for (const j of computed.keys()) {
          const there = first.formulas[0]?.[j];
          if (typeof there === "string" && there.startsWith("=")) computed.set(j, there);
        }
        return {
          sheetName: sheet.name,
          worksheetId: sheet.id,
          header: head,
          keys: keysOfHeader(head, p),
          headerRow: header.rowIndex,
          left: header.columnIndex,
          rows: rowsFromExcel(values),
          computed,
          policy: p,
          firstFormulas: first.formulas[0] ?? [],
          newer: newerOf(meta.sheet.isNullObject || meta.used.isNullObject ? {} : metaFromRows(meta.used.values)),
        };
      },
    };
  }

  private cellAddress(s: Snapshot, idx: number, col: number): string {
    return `${sheetRef(s.sheetName)}!${columnLetter(s.left + col)}${s.headerRow + 2 + idx}`;
  }

  async handle(args: ChangeEvent): Promise<ChangeOutcome> {
    const s = this.snap;
    if (!s || (args.worksheetId && args.worksheetId !== s.worksheetId)) return none();
    if (s.newer) {
      // Inert: a revert or an audit entry would be a write into a ledger whose rules this release does not know.
      if (!this.toldNewer) {
        this.toldNewer = true;
        const e = newerLedgerError(s.newer);
        this.opts.notify({
          zh: `${e.zh}本加载项不检查、也不记录此表中的修改。`,
          en: `${e.en} This add-in neither checks nor logs edits in it.`,
          cell: args.address,
        });
      }
      return none();
    }
    const { areas, unread } = readAreas(args.address);
    if (args.source === "Remote") {
      // A co-author's cell edits: re-read only those rows; anything else moves rows, so re-read all.
      if (args.changeType === "RangeEdited" && areas.length && !unread.length && !areas.some((a) => a.row <= s.headerRow)) await this.reread(s, areas);
      else await this.refresh();
      return none();
    }
    switch (args.changeType) {
      case "RowInserted":
        await this.refresh(); // the address may name the wrong rows (office-js #728, #669)
        return none();
      case "RowDeleted":
        return this.deleted(s);
      case "RangeEdited": {
        // An address that cannot be read is no reason to pass: the table is re-read and compared, as by the sweep.
        if (unread.length || !areas.length) return this.sweepNow();
        const inTable = (a: Area) => a.col < s.left + s.header.length && a.col + a.cols > s.left;
        const header = areas.some((a) => a.row <= s.headerRow && a.row + a.rows > s.headerRow && inTable(a));
        const { out, headerNow } = await this.judge(s, areas, args);
        if (!header) return out;
        // The header row was in the area (a whole column cleared or pasted over takes its header cell too). The body
        // rows were judged first, against the columns as they were; now the header itself, read on its own (1 sync)
        // when no rows were loaded with it.
        const back = await this.headerChanged(s, headerNow ?? (await this.readHeader()));
        return { ...out, reverted: out.reverted + back.reverted, audit: [...out.audit, ...back.audit] };
      }
      case "ColumnDeleted": {
        // The header says which columns went (1 sync); the snapshot holds their values. Rows gone as well (a row delete
        // whose event is still queued): rows and columns are compared together, rows lined up by case number.
        const shape = await this.readShape();
        return shape.rows === s.rows.length ? this.columnsChanged(s, shape) : this.deleted(s);
      }
      case "CellDeleted":
      case "CellInserted":
      case "Unknown":
        // Cells shifted (or a change Excel does not name): rows may have moved between cases. Compared like the sweep.
        return this.sweepNow();
      default:
        // ColumnInserted: a new column of the user's own, accepted (its header is read with the table).
        await this.refresh();
        return none();
    }
  }

  /** The ledger table's header, position, body rows and first row's formulas, now: 1 sync. */
  private readShape(): Promise<Shape> {
    return this.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(TABLES.ledger);
      const header = table.getHeaderRowRange().load("values,rowIndex,columnIndex");
      const body = table.getDataBodyRange().load("rowCount");
      const first = table.getDataBodyRange().getRow(0).load("formulas");
      await ctx.sync();
      return {
        header: header.values[0].map((h) => String(h ?? "")),
        headerRow: header.rowIndex,
        left: header.columnIndex,
        rows: body.rowCount,
        formulas: first.formulas[0] ?? [],
      };
    });
  }

  /**
   * Columns gone from (or added to) a table whose rows did not change
   * (docs/decisions.md 166). A ledger column — its header names a field of the
   * schema — is put back where it stood, with its header, every case's value
   * from the snapshot, the computed formula and the layout's number format,
   * and the ledger's validations and conditional formats are applied again:
   * it holds case data the rules and reports read. The user's own columns may
   * go; their header and how many cells held something are logged. Added
   * columns are the user's and stay. Computed formulas that named a deleted
   * column (Excel turns the reference into #REF!) are written again. One
   * probe and one write batch (more past the 2 MB budget), audit included.
   */
  private async columnsChanged(s: Snapshot, shape: Shape, now?: Snapshot, rowOf?: (k: number) => number | undefined): Promise<ChangeOutcome> {
    const out = none();
    const match = lineUp(s.header, shape.header);
    const gone = s.header.map((_, j) => j).filter((j) => match[j] < 0);
    const added = shape.header.length - (s.header.length - gone.length);
    const ownCol = (j: number) => s.keys[j].startsWith("extra:");
    const ledger = gone.filter((j) => !ownCol(j));
    const own = gone.filter(ownCol);
    // The table's columns now (old index, or -1 for a column added), then each restored one after the last column before it.
    const order = shape.header.map((head, k) => ({ old: match.indexOf(k), head }));
    const places = ledger.map((j) => {
      let at = 0;
      order.forEach((e, k) => {
        if (e.old >= 0 && e.old < j) at = k + 1;
      });
      order.splice(at, 0, { old: j, head: s.header[j] });
      return { j, at };
    });
    // Rows as they were (by index), or lined up by `rowOf` (rows deleted too); otherwise they cannot be lined up.
    const sameRows = shape.rows === s.rows.length && !rowOf;
    const follow = async () => {
      // The table as read, if it was, is the snapshot; else it is read.
      if (now) this.snap = now;
      else await this.refresh();
    };
    if (!gone.length || (!sameRows && !rowOf && ledger.length)) {
      if (gone.length)
        this.opts.notify({
          zh: `台账列 ${ledger.map((j) => s.header[j]).join("、")} 与行同时被删除,且无法按客诉单号对齐,不能安全恢复:请立即按 Ctrl+Z 撤销`,
          en: `The ledger column(s) ${ledger.map((j) => s.header[j]).join(", ")} were deleted together with rows that cannot be lined up by case number, so they cannot be put back safely: press Ctrl+Z now`,
          cell: this.cellAddress(s, -1, ledger[0]),
        });
      if (added || !sameRows || gone.length) await follow();
      else Object.assign(s, { headerRow: shape.headerRow, left: shape.left });
      return out;
    }
    const n = shape.rows;
    const user = this.opts.user();
    // One entry per column, on its header cell: what stood there and why it came back or went.
    const entry = (action: "EDIT_REVERTED" | "EDIT_ACCEPTED", j: number, reason: string): AuditInput => ({
      user,
      action,
      caseNo: "",
      field: s.keys[j],
      cell: this.cellAddress(s, -1, j),
      oldValue: s.header[j],
      newValue: "",
      reason,
    });
    const inputs: AuditInput[] = ledger.map((j) =>
      entry(
        "EDIT_REVERTED",
        j,
        `整列被删除:台账列保存客诉数据,表头及 ${n} 行的值已按原位置恢复;如碍事请隐藏该列 / Column deleted: a ledger column holds case data, so its header and the values of ${n} row(s) were put back where they were; hide the column instead if it is in the way`,
      ),
    );
    for (const j of own) {
      const filled = s.rows.filter((r) => r[j] !== null && r[j] !== undefined && r[j] !== "").length;
      inputs.push(
        entry(
          "EDIT_ACCEPTED",
          j,
          `自加列"${s.header[j]}"已删除(${filled} 个非空单元格);它不是台账列,数据归用户 / The user's own column "${s.header[j]}" was deleted (${filled} non-blank cell(s)); it is no ledger column, so its data was theirs`,
        ),
      );
    }
    const restore = this.restoreColumns(s, shape, match, order, places, rowOf ?? ((k) => k));
    const back = await this.writeBack([], inputs, false, ledger.length ? restore : undefined);
    out.audit = back.entries;
    out.reverted = ledger.length;
    const names = (js: number[], sep: string) => js.map((j) => s.header[j]).join(sep);
    if (ledger.length)
      this.opts.notify({
        zh: `台账列 ${names(ledger, "、")} 被删除,已恢复原位(表头、${n} 行的值、公式与格式)并记入审计表。原因:台账列保存客诉数据;如碍事,请隐藏该列而不要删除`,
        en: `The ledger column(s) ${names(ledger, ", ")} were deleted and have been put back where they were (header, the values of ${n} rows, formulas and formats), recorded in the audit sheet. Why: a ledger column holds case data; hide it instead if it is in the way`,
        cell: this.cellAddress(s, -1, ledger[0]),
      });
    if (own.length)
      this.opts.notify({
        zh: `自加列 ${names(own, "、")} 已删除(不是台账列,数据归您),删除已记入审计表`,
        en: `Your own column(s) ${names(own, ", ")} were deleted (no ledger columns; their data was yours); the deletion is recorded in the audit sheet`,
        cell: this.cellAddress(s, -1, own[0]),
      });
    if (added || !sameRows) {
      await this.refresh(); // the table is neither the snapshot nor what was read: read it
      return out;
    }
    // The snapshot as the table is again: the user's deleted columns out, the restored ones back where they were.
    const keep = s.header.map((_, j) => j).filter((j) => !own.includes(j));
    const computed = new Map<number, string>();
    keep.forEach((j, k) => {
      if (s.computed.has(j)) computed.set(k, s.computed.get(j)!);
    });
    Object.assign(s, {
      header: keep.map((j) => s.header[j]),
      keys: keep.map((j) => s.keys[j]),
      rows: own.length ? s.rows.map((r) => keep.map((j) => r[j] ?? null)) : s.rows,
      computed,
      headerRow: shape.headerRow,
      left: shape.left,
    });
    return out;
  }

  /**
   * A header row changed under an edit. A ledger column's header that now
   * names another field, or none (Excel names a cleared header "Column5"),
   * is put back, logged and explained: the columns of a ledger are its
   * layout, and a column no longer recognised would take its data out of
   * every rule. A header still naming the same field (an alias) and the
   * user's own extra columns are taken as they are now.
   */
  private async headerChanged(s: Snapshot, headerNow: readonly string[]): Promise<ChangeOutcome> {
    const out = none();
    if (headerNow.length !== s.header.length) {
      await this.refresh(); // columns added or removed: not an edit of a header
      return out;
    }
    const keysNow = keysOfHeader([...headerNow], s.policy);
    const writes: Revert[] = [];
    const inputs: AuditInput[] = [];
    const user = this.opts.user();
    const why = "表头是台账结构的一部分,不能在表中改名或清除 / A ledger header is part of its layout; it cannot be renamed or cleared in the sheet";
    s.header.forEach((h, j) => {
      if (headerNow[j] === h || keysNow[j] === s.keys[j] || s.keys[j].startsWith("extra:")) return;
      writes.push({ idx: HEADER, col: j, value: h, rejected: headerNow[j] });
      inputs.push({
        user,
        action: "EDIT_REVERTED",
        caseNo: "",
        field: s.keys[j],
        cell: this.cellAddress(s, -1, j),
        oldValue: h,
        newValue: headerNow[j],
        reason: why,
      });
    });
    if (writes.length) {
      const back = await this.writeBack(writes, inputs);
      out.reverted = writes.length - back.superseded;
      out.audit = back.entries;
      out.superseded = back.superseded;
      this.opts.notify({
        zh: `台账表头 ${writes.map((w) => s.header[w.col]).join("、")} 已恢复,修改记入审计表。原因:表头是台账结构的一部分,不能在表中改名或清除`,
        en: `The ledger header(s) ${writes.map((w) => s.header[w.col]).join(", ")} were put back and the change recorded in the audit sheet. Why: a ledger header is part of its layout; it cannot be renamed or cleared in the sheet`,
        cell: this.cellAddress(s, -1, writes[0].col),
      });
    }
    // What stands (aliases, extra columns, a revert superseded by a later entry) becomes the snapshot's header.
    const kept = new Set(writes.map((w) => w.col));
    const head = headerNow.map((h, j) => (kept.has(j) ? s.header[j] : h));
    if (out.superseded) await this.refresh(); // someone typed another header meanwhile: read what is there
    if (out.superseded || head.join("\u0000") === s.header.join("\u0000")) return out;
    const computed = computedByHeader(head, s.policy);
    if ([...computed].some(([j]) => !s.computed.has(j)))
      await this.refresh(); // a column now computed: its formula is read with the table
    else Object.assign(s, { header: head, keys: keysOfHeader(head, s.policy), computed: new Map([...computed].map(([j]) => [j, s.computed.get(j)!])) });
    return out;
  }

  /** The batch that puts deleted ledger columns back at `places` (queued after the audit probe, within the budget). */
  private restoreColumns(
    s: Snapshot,
    shape: Shape,
    match: readonly number[],
    order: readonly { old: number; head: string }[],
    places: readonly { j: number; at: number }[],
    /** The snapshot's row for the table's row `k` now (undefined: none, the cell stays blank). */
    rowOf: (k: number) => number | undefined,
  ) {
    const n = shape.rows;
    const finalHeader = order.map((e) => e.head);
    return async (ctx: Excel.RequestContext, budget: Budget): Promise<void> => {
      const table = ctx.workbook.tables.getItem(TABLES.ledger);
      const layout = ledgerColumns(s.policy);
      for (const { j, at } of places) {
        const body = table.columns.add(at, undefined, s.header[j]).getDataBodyRange();
        if (!n) continue;
        const range = (first: number, count: number) => body.getRow(first).getResizedRange(count - 1, 0);
        const def = layout.find((c) => c.key === s.keys[j]);
        const format = def ? numberFormatOf({ ...def, header: s.header[j] }) : "General";
        await writeRows(
          budget,
          range,
          Array.from({ length: n }, () => [format]),
          "numberFormat",
        );
        const formula = s.computed.get(j);
        const data = Array.from({ length: n }, (_, k) => {
          const i = rowOf(k);
          return [formula ?? toExcel(i === undefined ? null : (s.rows[i]?.[j] ?? null))];
        });
        await writeRows(budget, range, data, formula ? "formulas" : "values");
      }
      // The ledger's validations and conditional formats over the table as it is again (rules.ts; no sync).
      queueRules(ctx, { sheet: table.worksheet, table, header: finalHeader, headerRow: shape.headerRow, left: shape.left, rows: n }, s.policy);
      // Computed columns still there whose formula no longer is the ledger's (it named a deleted column).
      for (let k = 0; k < order.length; k++) {
        const o = order[k].old;
        const formula = s.computed.get(o);
        if (!formula || !n || o < 0 || match[o] < 0 || shape.formulas[match[o]] === formula) continue;
        const body = table.columns.getItemAt(k).getDataBodyRange();
        await writeRows(
          budget,
          (first, count) => body.getRow(first).getResizedRange(count - 1, 0),
          Array.from({ length: n }, () => [formula]),
          "formulas",
        );
      }
    };
  }

  /** The ledger's header row as it is now: 1 sync. */
  private readHeader(): Promise<string[]> {
    return this.run(async (ctx) => {
      const header = ctx.workbook.tables.getItem(TABLES.ledger).getHeaderRowRange().load("values");
      await ctx.sync();
      return header.values[0].map((h) => String(h ?? ""));
    });
  }

  /** A co-author's edited rows, re-read into the snapshot: 1 sync (plus chunks for a paste over many rows). */
  private async reread(s: Snapshot, areas: readonly Area[]): Promise<void> {
    const first = s.headerRow + 1;
    const lo = Math.max(0, Math.min(...areas.map((a) => a.row)) - first);
    const hi = Math.min(s.rows.length - 1, Math.max(...areas.map((a) => a.row + a.rows - 1)) - first);
    if (hi < lo) return;
    await this.run(async (ctx) => {
      const block = ctx.workbook.tables
        .getItem(TABLES.ledger)
        .getDataBodyRange()
        .getRow(lo)
        .getResizedRange(hi - lo, 0);
      const read = beginRead(block);
      await ctx.sync();
      const values = (await finishRead(ctx, read)).values;
      values.forEach((row, i) => {
        if (s.rows[lo + i]) s.rows[lo + i] = rowsFromExcel([row])[0];
      });
    });
  }

  /**
   * Deleted rows: the snapshot is re-read and compared with the old one (the
   * event's address is not trusted); each case row that is gone goes, whole,
   * to the audit log, and the person is told.
   */
  private async deleted(before: Snapshot): Promise<ChangeOutcome> {
    await this.refresh();
    const after = this.snap!;
    const reshaped = after.header.join("\u0000") !== before.header.join("\u0000");
    if (reshaped && after.rows.length === before.rows.length) {
      // Columns changed, no row went: a column delete under another change type (Excel has misnamed them, office-js #669).
      this.snap = before;
      return this.columnsChanged(before, shapeOf(after), after);
    }
    const out = none();
    const computed = new Set(before.computed.keys());
    // Rows compared on the columns both tables have (all of them unless columns changed too), computed ones aside.
    const match = reshaped ? lineUp(before.header, after.header) : before.header.map((_, j) => j);
    const both = before.header.map((_, j) => j).filter((j) => match[j] >= 0 && !computed.has(j));
    const key = (row: readonly CellValue[]) => JSON.stringify(both.map((j) => row[j] ?? null));
    const keyAfter = (row: readonly CellValue[]) => JSON.stringify(both.map((j) => row[match[j]] ?? null));
    const left = new Map<string, number>();
    for (const row of after.rows) left.set(keyAfter(row), (left.get(keyAfter(row)) ?? 0) + 1);
    const inputs: AuditInput[] = [];
    const notices: Notice[] = [];
    before.rows.forEach((row, idx) => {
      const k = key(row);
      const n = left.get(k) ?? 0;
      if (n > 0) {
        left.set(k, n - 1);
        return;
      }
      if (isBlankRow(row, computed)) return;
      const rec = rowToRecord(before.keys, row);
      const caseNo = String(rec.caseNo ?? "");
      const cell = this.cellAddress(before, idx, 0);
      const content = before.header
        .map((h, j) => (computed.has(j) || row[j] === null || row[j] === "" ? "" : `${h}=${String(row[j])}`))
        .filter(Boolean)
        .join("; ");
      // A cell holds at most 32,767 characters: a longer row goes into consecutive entries, nothing cut.
      const parts = splitForCell(content);
      parts.forEach((part, k) =>
        inputs.push({
          user: this.opts.user(),
          action: "ROW_DELETED",
          caseNo,
          cell,
          oldValue: part,
          reason: "整行被删除,原内容完整记录于此 / Row deleted; its full content is recorded here" + (parts.length > 1 ? ` (${k + 1}/${parts.length})` : ""),
        }),
      );
      notices.push({
        zh: `客诉单 ${caseNo || "(无单号)"} 所在行已删除,原内容已完整记入审计表`,
        en: `The row of case ${caseNo || "(no number)"} was deleted; its full content is recorded in the audit sheet`,
        cell,
      });
      out.deleted++;
    });
    if (inputs.length) out.audit = (await this.writeBack([], inputs)).entries;
    notices.forEach((n) => this.opts.notify(n));
    if (!reshaped) return out;
    // Columns went too: the ledger's are put back, each row's value found by its case number.
    this.snap = before;
    const cols = await this.columnsChanged(before, shapeOf(after), after, byCaseNo(before, after));
    return { ...out, reverted: cols.reverted, audit: [...out.audit, ...cols.audit] };
  }

  private async edited(s: Snapshot, areas: readonly Area[], args: ChangeEvent): Promise<ChangeOutcome> {
    return (await this.judge(s, areas, args)).out;
  }

  /** The rows an event touched, now: from the event's details for one cell, else loaded (touchedRows). */
  private async current(s: Snapshot, touched: Touched, areas: readonly Area[], args: ChangeEvent) {
    const { sorted, cols, toEnd } = touched;
    const single = toEnd === undefined && areas.length === 1 && areas[0].rows === 1 && areas[0].cols === 1 && !!args.details && sorted[0] < s.rows.length;
    if (!single) return { ...touched, single, ...(await this.loadRows(s, touched)) };
    const values = [...s.rows[sorted[0]]];
    values[[...cols][0]] = fromExcel(args.details!.valueAfter);
    return { ...touched, single, now: new Map([[sorted[0], { values } as NowRow]]), header: undefined };
  }

  /** Judges an edit's rows; also returns the header row as it is now when the rows were loaded. */
  private async judge(s: Snapshot, areas: readonly Area[], args: ChangeEvent): Promise<{ out: ChangeOutcome; headerNow?: string[] }> {
    const touched = touchedCells(s, areas);
    if ((!touched.sorted.length && touched.toEnd === undefined) || !touched.cols.size) return { out: none() };
    const { now, cols, single, header: headerNow } = await this.current(s, touched, areas, args);

    // A sort: the same rows in another order. Take the order, judge nothing.
    if (!single && now.size > 1 && reordered(s, now)) {
      for (const [i, r] of now) s.rows[i] = r.values;
      return { out: none(), headerNow };
    }

    const out = none();
    const writes: Revert[] = [];
    const inputs: AuditInput[] = [];
    const notices: Notice[] = [];
    // Closes typed too early: their notices name who the close still waits on, once People is read.
    const closes: { notice: number; case: Case }[] = [];
    const user = this.opts.user();
    const computedCells = new Set(s.computed.keys());
    for (const [idx, cur] of now) {
      const beforeRow = s.rows[idx] ?? s.header.map(() => null);
      const recB = rowToRecord(s.keys, beforeRow);
      const recA = rowToRecord(s.keys, cur.values);
      // Computed cells: recalculated results are no edit; a typed value over the formula is.
      for (const [j, formula] of s.computed) {
        const k = s.keys[j];
        const touched = cols.has(j) && (single || cur.formulas?.[j] !== formula);
        if (touched) {
          recB[k] = formula;
          recA[k] = single ? fromExcel(args.details!.valueAfter) : fromExcel(cur.formulas?.[j]);
        } else recA[k] = recB[k];
      }
      let verdict = checkEdit(recB, recA, s.policy);
      const draft = isBlankRow(beforeRow, computedCells) && (recA.status === null || recA.status === undefined || recA.status === "");
      if (!verdict.ok && draft) {
        const reasons = verdict.reasons.filter((r) => r.code !== "STATE_INCOMPLETE");
        verdict = reasons.length ? { ...verdict, reasons } : { ok: true, changed: verdict.changed };
      }
      const caseNo = String(recA.caseNo ?? recB.caseNo ?? "");
      if (verdict.ok) {
        s.rows[idx] = cur.values.map((v, j) => (s.computed.has(j) ? (beforeRow[j] ?? null) : v));
        out.accepted++;
        if (!sameCell(recB.status ?? null, recA.status ?? null) && !draft) {
          inputs.push({
            user,
            action: "EDIT_ACCEPTED",
            caseNo,
            field: "status",
            cell: this.cellAddress(s, idx, s.keys.indexOf("status")),
            oldValue: recB.status,
            newValue: recA.status,
            reason: `状态 ${statusLabel(recB.status)} → ${statusLabel(recA.status)} / Status changed`,
          });
        }
        continue;
      }
      out.reverted++;
      const why = reasonText(verdict.reasons);
      let firstCell = "";
      for (const k of verdict.changed) {
        const j = s.keys.indexOf(k);
        if (j < 0) continue;
        const cell = this.cellAddress(s, idx, j);
        firstCell ||= cell;
        const formula = s.computed.get(j);
        writes.push({
          idx,
          col: j,
          value: formula ? null : (beforeRow[j] ?? null),
          formula,
          rejected: single ? fromExcel(args.details!.valueAfter) : cur.values[j],
        });
        inputs.push({
          user,
          action: "EDIT_REVERTED",
          caseNo,
          field: k,
          cell,
          oldValue: formula ?? beforeRow[j],
          newValue: recA[k],
          reason: why,
        });
      }
      notices.push(notice(verdict.reasons, firstCell || this.cellAddress(s, idx, 0), caseNo));
      const tried = readCase(recA, s.policy).case;
      const closing =
        (verdict.changed.includes("closedAt") && tried.closedAt !== undefined) || (verdict.changed.includes("status") && tried.status === "CLOSED");
      if (closing) closes.push({ notice: notices.length - 1, case: tried });
    }
    if (writes.length || inputs.length) {
      const back = await this.writeBack(writes, inputs, closes.length > 0);
      out.audit = back.entries;
      out.superseded = back.superseded;
      const people = readPeople(back.people, s.policy);
      for (const c of closes) {
        const who = closeWaitsOn(c.case, s.policy, people);
        if (!who.zh) continue;
        const n = notices[c.notice];
        notices[c.notice] = { ...n, zh: `${n.zh}。结案还需:${who.zh}`, en: `${n.en}. The close still waits on: ${who.en}` };
      }
    }
    bounded(notices).forEach((n) => this.opts.notify(n));
    return { out, headerNow };
  }

  /**
   * The touched rows as they are now, in one round trip plus a chunk per
   * READ_CELLS cells (chunks.ts: Excel on the web refuses a response over
   * 5 MB, which a paste over 50,000 rows read whole would pass). Only the
   * columns the event names are read (values and formulas); the row's other
   * cells are the snapshot's, since the event says they did not change. A
   * whole column (`toEnd`) is read to the end of the table as it is now:
   * Excel clips the range, never a million rows. Rows below the table are
   * left out. The header row comes with the first batch.
   */
  private async loadRows(s: Snapshot, t: Touched): Promise<{ now: Map<number, NowRow>; header: string[] }> {
    const js = [...t.cols];
    const c0 = Math.min(...js),
      width = Math.max(...js) - c0 + 1;
    const lo = t.toEnd !== undefined ? 0 : t.sorted[0];
    const hi = t.sorted[t.sorted.length - 1] ?? lo;
    const loaded = await this.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(TABLES.ledger);
      const body = table.getDataBodyRange();
      const count = body.load("rowCount");
      const header = table.getHeaderRowRange().load("values");
      const block = t.toEnd !== undefined ? body.getColumn(c0).getResizedRange(0, width - 1) : body.getCell(lo, c0).getResizedRange(hi - lo, width - 1);
      const read = beginRead(block, "values,formulas", t.toEnd !== undefined ? FIRST_ROWS : Math.min(FIRST_ROWS, hi - lo + 1));
      await ctx.sync();
      const got = await finishRead(ctx, read);
      return { rowCount: count.rowCount, header: header.values[0].map((h) => String(h ?? "")), values: got.values, formulas: got.formulas };
    });
    const now = new Map<number, NowRow>();
    const take = (idx: number) => {
      const i = idx - lo;
      if (idx >= loaded.rowCount || !loaded.values[i]) return; // below the table: not a ledger row
      const values = s.rows[idx] ? [...s.rows[idx]] : s.header.map((): CellValue => null);
      const formulas: unknown[] = new Array(s.header.length);
      for (let j = 0; j < width; j++) {
        values[c0 + j] = fromExcel(loaded.values[i][j]);
        formulas[c0 + j] = loaded.formulas[i][j];
      }
      now.set(idx, { values, formulas });
    };
    for (const idx of t.sorted) take(idx);
    if (t.toEnd !== undefined) for (let idx = t.toEnd; idx < loaded.rowCount; idx++) if (!now.has(idx)) take(idx);
    return { now, header: loaded.header };
  }

  /**
   * Reverts cells and appends audit entries in one batch after one probe: 2
   * syncs. The probe also reads each cell to revert: one the user has typed
   * over since (the batch waited for them to leave the cell) keeps what they
   * typed, and its entry says so; the new value raises its own event.
   */
  private async writeBack(
    writes: Revert[],
    inputs: AuditInput[],
    withPeople = false,
    /** More writes for the same batch, queued after events go off (a column put back). */
    extra?: (ctx: Excel.RequestContext, budget: Budget) => Promise<void>,
  ): Promise<{ entries: AuditEntry[]; superseded: number; people: CellValue[][] }> {
    const now = this.opts.now ? this.opts.now() : new Date();
    return withEventsGuard(this.run, async (ctx) => {
      const audit = probeTable(ctx, SHEETS.audit, TABLES.audit);
      const head = probeAuditHead(audit.table);
      const meta = probeMeta(ctx, SHEETS.meta);
      const body = writes.length ? ctx.workbook.tables.getItem(TABLES.ledger).getDataBodyRange() : undefined;
      const headerRow = writes.some((w) => w.idx === HEADER) ? ctx.workbook.tables.getItem(TABLES.ledger).getHeaderRowRange() : undefined;
      const cells = (idx: number, col: number, n: number) => (idx === HEADER ? headerRow!.getCell(0, col) : body!.getCell(idx, col).getResizedRange(n - 1, 0));
      // One probe per run of adjacent cells in a column: a column refused over 50,000 rows is one range, not 50,000.
      const blocks = runsOf(writes);
      const there = blocks.map((b) => cells(b.idx, b.col, b.items.length).load("values"));
      const people = withPeople ? ctx.workbook.tables.getItemOrNullObject(TABLES.people).getDataBodyRange().load("values") : undefined;
      await ctx.sync();

      assertOurs(
        audit,
        AUDIT_COLUMNS.map((c) => c.header),
      );
      const stale = new Set<number>();
      blocks.forEach((b, k) =>
        b.items.forEach((i, r) => {
          if (!sameCell(fromExcel(there[k].values[r]?.[0]), writes[i].rejected ?? null)) stale.add(i);
        }),
      );
      const byCell = new Map(this.snap ? writes.map((w, i) => [this.cellAddress(this.snap!, w.idx, w.col), i] as const) : []);
      const kept = inputs.map((x) => {
        const i = x.action === "EDIT_REVERTED" ? byCell.get(x.cell ?? "") : undefined;
        return i !== undefined && stale.has(i)
          ? { ...x, reason: `${x.reason}(撤销前已被随后的输入取代,未覆盖 / replaced by a later entry before the revert; not overwritten)` }
          : x;
      });
      // The audit log at Excel's last row: the refused cells are still put back (a forbidden value never stands),
      // nothing is logged half-way, and the person is told why (decision 170).
      const full = auditFull(audit, kept.length);
      if (full) {
        eventsOff(ctx);
        const budget = new Budget(ctx);
        if (extra) await extra(ctx, budget);
        await queueReverts(blocks, writes, stale, cells, budget);
        eventsOn(ctx);
        await ctx.sync();
        throw full;
      }
      const headRows = await auditHeadRows(ctx, head);
      const { entries, rows } = await chain(headOf(headRows), kept, now, (this.snap?.policy ?? defaultPolicy()).settings.timeZone);
      eventsOff(ctx);
      const budget = new Budget(ctx);
      if (extra) await extra(ctx, budget);
      await queueReverts(blocks, writes, stale, cells, budget);
      // Below the table as Range.values, checked against a co-author's append in the same moment (tables.ts).
      const appended = await appendAudit(ctx, audit, rows, budget);
      const last = entries[entries.length - 1];
      if (last) writeMeta(ctx, meta, SHEETS.meta, { [META.auditSeq]: String(last.seq), [META.auditHash]: last.hash });
      eventsOn(ctx);
      await ctx.sync();
      const settled = appended ? await settleAudit(ctx, appended, meta, SHEETS.meta) : rows;
      return {
        entries: settled === rows ? entries : settled.map(rowToEntry),
        superseded: stale.size,
        people: people && !people.isNullObject ? rowsFromExcel(people.values) : [],
      };
    });
  }
}

/** The ledger table's outline now (readShape). */
interface Shape {
  header: string[];
  headerRow: number;
  left: number;
  rows: number;
  /** The first body row's formulas, by column now. */
  formulas: unknown[];
}

/** The `before` row of each `after` row by case number (the first row with it), or undefined when one side has no such column. */
function byCaseNo(before: Snapshot, after: Snapshot): ((k: number) => number | undefined) | undefined {
  const kb = before.keys.indexOf("caseNo"),
    ka = after.keys.indexOf("caseNo");
  if (kb < 0 || ka < 0) return undefined;
  const at = new Map<string, number>();
  before.rows.forEach((r, i) => {
    const c = r[kb];
    if (c !== null && c !== undefined && c !== "" && !at.has(String(c))) at.set(String(c), i);
  });
  return (k) => {
    const c = after.rows[k]?.[ka];
    return c === null || c === undefined || c === "" ? undefined : at.get(String(c));
  };
}

const shapeOf = (t: Snapshot): Shape => ({
  header: t.header,
  headerRow: t.headerRow,
  left: t.left,
  rows: t.rows.length,
  formulas: [...(t.firstFormulas ?? [])],
});

/**
 * Which column of `before` is which of `after` (its index there, or -1 when
 * gone): the longest run of equal headers in the same order, so a deleted or
 * inserted column moves none of the others' identities.
 */
export function lineUp(before: readonly string[], after: readonly string[]): number[] {
  const m = before.length,
    n = after.length;
  const len: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--)
    for (let k = n - 1; k >= 0; k--) len[i][k] = before[i] === after[k] ? len[i + 1][k + 1] + 1 : Math.max(len[i + 1][k], len[i][k + 1]);
  const out = new Array<number>(m).fill(-1);
  for (let i = 0, k = 0; i < m && k < n;) {
    if (before[i] === after[k]) out[i++] = k++;
    else if (len[i + 1][k] >= len[i][k + 1]) i++;
    else k++;
  }
  return out;
}

interface NowRow {
  values: CellValue[];
  formulas?: unknown[];
}

interface Touched {
  /** Body rows the areas name (sorted), within the snapshot's rows when an area runs to the sheet's end. */
  sorted: number[];
  cols: Set<number>;
  /** Set when an area runs to the sheet's last row (a whole column): every body row from this one on, as the table is now. */
  toEnd?: number;
}

/** Body rows and table columns an event's areas touch, clipped to the table: a whole column or row is never walked cell by cell. */
function touchedCells(s: Snapshot, areas: readonly Area[]): Touched {
  const first = s.headerRow + 1;
  const width = s.header.length;
  const idxs = new Set<number>();
  const cols = new Set<number>();
  let toEnd: number | undefined;
  for (const a of areas) {
    const top = Math.max(a.row, first);
    let bottom = a.row + a.rows - 1;
    if (bottom >= SHEET_ROWS - 1) {
      toEnd = Math.min(toEnd ?? Infinity, top - first);
      bottom = Math.min(bottom, first + s.rows.length - 1);
    }
    for (let r = top; r <= bottom; r++) idxs.add(r - first);
    for (let c = Math.max(a.col, s.left); c < Math.min(a.col + a.cols, s.left + width); c++) cols.add(c - s.left);
  }
  return { sorted: [...idxs].sort((a, b) => a - b), cols, ...(toEnd !== undefined ? { toEnd } : {}) };
}

/** Reverts grouped into runs of adjacent rows in one column (`items`: indexes into `writes`, by row). */
function runsOf(writes: readonly Revert[]): { col: number; idx: number; items: number[] }[] {
  const order = writes.map((_, i) => i).sort((a, b) => writes[a].col - writes[b].col || writes[a].idx - writes[b].idx);
  const out: { col: number; idx: number; items: number[] }[] = [];
  for (const i of order) {
    const w = writes[i];
    const last = out[out.length - 1];
    const prev = last && writes[last.items[last.items.length - 1]];
    if (last && last.col === w.col && prev.idx !== HEADER && prev.idx + 1 === w.idx) last.items.push(i);
    else out.push({ col: w.col, idx: w.idx, items: [i] }); // one revert per cell: a row's changed fields are distinct
  }
  return out;
}

/** Runs split where a row is skipped or the kind changes (a formula put back vs a value). */
function stretches(items: readonly number[], writes: readonly Revert[]): number[][] {
  const out: number[][] = [];
  for (const i of items) {
    const part = out[out.length - 1];
    const prev = part && writes[part[part.length - 1]];
    if (part && prev.idx !== HEADER && prev.idx + 1 === writes[i].idx && !!prev.formula === !!writes[i].formula) part.push(i);
    else out.push([i]);
  }
  return out;
}

/** At most ten notices for one event: a whole column refused row by row would otherwise bury the pane (each row is in the audit log). */
function bounded(notices: readonly Notice[], max = 10): Notice[] {
  if (notices.length <= max) return [...notices];
  const more = notices.length - (max - 1);
  return [
    ...notices.slice(0, max - 1),
    {
      zh: `另有 ${more} 行的修改也已撤销,逐行记入审计表`,
      en: `Changes in ${more} more row(s) were undone too; each is recorded in the audit sheet`,
      cell: notices[max - 1].cell,
    },
  ];
}

/** `Revert.idx` of the table's header row. */
const HEADER = -1;

interface Revert {
  /** Body row, or HEADER. */
  idx: number;
  col: number;
  value: CellValue;
  formula?: string;
  /** The value refused: the revert is written only while the cell still holds it. */
  rejected?: CellValue;
}

/** Excel's limit on one cell's text. */
export const CELL_CHARS = 32_767;

/** Text in pieces that each fit a cell, never splitting a surrogate pair. */
export function splitForCell(text: string, max = CELL_CHARS): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + max);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end--;
    out.push(text.slice(at, end));
    at = end;
  }
  return out.length ? out : [""];
}

function notice(reasons: readonly EditReason[], cell: string, caseNo: string): Notice {
  const who = caseNo ? `客诉单 ${caseNo}:` : "";
  const whoEn = caseNo ? `Case ${caseNo}: ` : "";
  return {
    zh: `${who}${cell} 的修改已撤销,并记入审计表。原因:${reasons.map((r) => r.zh).join(";")}`,
    en: `${whoEn}your change at ${cell} was undone and recorded in the audit sheet. Why: ${reasons.map((r) => r.en).join("; ")}`,
    cell,
  };
}

/** The same rows as before in another order (a sort), computed cells aside. */
function reordered(s: Snapshot, now: ReadonlyMap<number, { values: CellValue[] }>): boolean {
  const key = (r: readonly CellValue[]) => JSON.stringify(r.map((v, j) => (s.computed.has(j) ? null : (v ?? null))));
  const before = [...now.keys()].map((i) => key(s.rows[i] ?? [])).sort();
  const after = [...now.values()].map((r) => key(r.values)).sort();
  return before.join("\n") === after.join("\n");
}

/** Queues the cells still to put back: each stretch, values and formulas apart, as one range write within the 5 MB budget. */
async function queueReverts(
  blocks: readonly { col: number; items: number[] }[],
  writes: readonly Revert[],
  stale: ReadonlySet<number>,
  cells: (idx: number, col: number, n: number) => Excel.Range,
  budget: Budget,
): Promise<void> {
  for (const b of blocks) {
    for (const part of stretches(
      b.items.filter((i) => !stale.has(i)),
      writes,
    )) {
      const data = part.map((i) => [writes[i].formula ?? toExcel(writes[i].value)]);
      await budget.room(jsonSize(data) + 64);
      const range = cells(writes[part[0]].idx, b.col, part.length);
      if (writes[part[0]].formula) range.formulas = data;
      else range.values = data;
    }
  }
}

/** The LIMIT error when `adding` entries would pass Excel's grid below the audit table; undefined when they fit. */
function auditFull(audit: TableProbe, adding: number): DomainError | undefined {
  try {
    checkRoomBelow(audit, adding);
    return undefined;
  } catch (e) {
    if (e instanceof DomainError && e.code === "LIMIT") return e;
    throw e;
  }
}
