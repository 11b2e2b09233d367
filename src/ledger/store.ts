/**
 * The one thing an adapter must do: move cells in and out of a workbook in
 * whole ranges. Everything else (reading cases, enforcing rules, signing,
 * the audit chain) is `Ledger` in service.ts, written once for Excel,
 * .xlsx files and memory alike.
 *
 * Cost contract for the Excel adapter: `read` is one `context.sync()`,
 * `readHead` one, `write` at most two, whatever the number of rows.
 */
import type { CellValue } from "../domain/case";
import type { SheetLayout } from "./generated-sheet";

export type { CellValue };

/** Everything the service needs, as plain values. Dates are Excel serial numbers. */
export interface LedgerData {
  /** Ledger table header texts, in sheet order. */
  header: string[];
  /** Ledger table body values; computed columns hold their last results. */
  rows: CellValue[][];
  /** The Policy sheet as a table of cells (see domain/policy-table.ts); empty when the sheet is missing. */
  policyRows: CellValue[][];
  /** People table body (columns of layout.PEOPLE_COLUMNS). */
  peopleRows: CellValue[][];
  /** Audit table body (columns of layout.AUDIT_COLUMNS), in sheet order (which sorting may have changed). */
  auditRows: CellValue[][];
  /** Evidence table body (columns of domain/evidence.ts EVIDENCE_FIELDS); absent or empty in a ledger without the sheet. */
  evidenceRows?: CellValue[][];
  /** CostLines table body (domain/money/cost-lines.ts COST_LINE_FIELDS); absent or empty in a ledger without the sheet. */
  costRows?: CellValue[][];
  /** Key/value pairs of the very hidden meta sheet (layout.SHEETS.meta): audit head, schema version. */
  meta: Record<string, string>;
  /**
   * Which of the ledger's own sheets the workbook has: an empty `meta` or
   * `auditRows` cannot tell a deleted sheet from an empty one, and a ledger
   * this tool wrote without its audit or meta sheet has been tampered with
   * (Ledger.verifyAudit applies the same head rules as the CLI's verify-audit).
   * Every store sets it; data built by hand without it is taken as having all three.
   */
  sheets?: LedgerSheets;
  /**
   * What the reader found about the workbook's shape: a hidden sheet claiming to be the ledger (a decoy
   * Excel does not show; never read). Ledger.verifyAudit reports each, as the CLI's verify-audit does.
   */
  findings?: { code: "HIDDEN_LEDGER"; sheet: string; zh: string; en: string }[];
}

export interface LedgerSheets {
  /** The Policy sheet (layout.SHEETS.policy). */
  policy: boolean;
  /** The audit log (the Audit table, or its sheet in a file). */
  audit: boolean;
  /** The very hidden meta sheet holding the audit head. */
  meta: boolean;
}

/** The small part of the ledger a write checks first: case numbers and the audit chain's head. */
export interface LedgerHead {
  header: string[];
  /** The case-number column, one entry per table row. */
  caseNos: CellValue[];
  /** Audit rows (only `seq` and `hash` are needed; adapters may return whole rows). */
  auditRows: CellValue[][];
  meta: Record<string, string>;
}

/** One batch of changes, applied together. */
export interface LedgerWrite {
  /** Changed cells of existing rows: 0-based body row, 0-based column. Computed columns are never targets. */
  updates?: { row: number; col: number; value: CellValue }[];
  /** New rows, full width; `undefined` in a computed column means "the column's formula". */
  appends?: CellValue[][];
  /** New audit rows, full width, already hash-chained. */
  audit?: CellValue[][];
  /** New People rows. */
  people?: CellValue[][];
  /** Changed People rows, whole (0-based body row, columns of layout.PEOPLE_COLUMNS). */
  peopleUpdates?: { row: number; values: CellValue[] }[];
  /** New Evidence rows (the sheet and its table are created at the first). */
  evidence?: CellValue[][];
  /** New CostLines rows (the sheet and its table are created at the first). */
  costLines?: CellValue[][];
  /** Meta keys to set (others are kept). */
  meta?: Record<string, string>;
  /** The whole Policy sheet, replacing what it held (domain/policy-table.ts rows). */
  policy?: CellValue[][];
  /**
   * An upgrade's new ledger columns, added at the table's end in this order (ledger/migrations): the store gives each
   * the layout's formula, validation and format for its key. No existing cell moves or changes; a store refuses
   * (bilingual) rather than overwrite cells beside the table.
   */
  columns?: { key: string; header: string }[];
  /** Rows added below the Policy sheet's last row (an upgrade's policy rows); the rows above are not touched. */
  policyAppend?: CellValue[][];
  /**
   * The audit head `audit` was chained on. A store that can be written by
   * several people at once (Excel, co-authored) refuses the whole batch with
   * `AuditHeadMoved` when the head is no longer that, before writing anything;
   * the service then reads the head again and retries.
   */
  auditBase?: { seq: number; hash: string };
}

/** What a write did that the caller could not know: the audit rows as finally written (re-chained after a co-author's). */
export interface WriteOutcome {
  audit?: CellValue[][];
}

/** The audit head moved between the caller's read and the write (a co-author appended): nothing was written. */
export class AuditHeadMoved extends Error {
  constructor(
    readonly expected: { seq: number; hash: string },
    readonly found: { seq: number; hash: string },
  ) {
    super(
      `审计记录已被他人追加(应接在第 ${expected.seq} 条后,现为第 ${found.seq} 条),请重试 / ` +
        `Someone else appended to the audit log (expected entry ${expected.seq}, found ${found.seq}); retry`,
    );
    this.name = "AuditHeadMoved";
  }
}

/**
 * Every store refuses every write (write and the generated sheets alike) to a ledger whose meta says a newer
 * schema version (ledger/schema-version.ts refuseNewer): the one guard no path can forget.
 */
export interface LedgerStore {
  /** "excel" | "xlsx" | "memory": shown in the UI and in errors. */
  readonly kind: string;
  read(): Promise<LedgerData>;
  readHead(): Promise<LedgerHead>;
  /** Applies the batch; may say what it changed besides (a re-chained audit block). */
  write(w: LedgerWrite): Promise<WriteOutcome | void>;
  /** Puts the cursor on a case's row, where the host has one (Excel); a no-op elsewhere. */
  select?(row: number): Promise<void>;
  /** Calls back with the body row the user selects in the host (Excel); returns an unsubscribe function. */
  onSelectRow?(cb: (row: number) => void): Promise<() => void>;
  /** Adds (or replaces) a plain worksheet of values, e.g. an 8D report; `name` is cut to a valid sheet name. */
  addSheet?(name: string, rows: CellValue[][]): Promise<string>;
  /**
   * Shows only the given cases in the host's grid (Excel: the ledger table's
   * AutoFilter on the case-number column); `null` shows every row again.
   * Views are computed by views.ts; the store only filters.
   */
  applyView?(filter: ViewFilter | null): Promise<ViewApplied>;
  /** How applyView filters: for this user only (a temporary sheet view) or for everyone looking at the sheet. */
  viewMode?(): ViewMode;
  /**
   * Writes (replaces) a generated sheet — the dashboard, a finance review period — laid out by a report
   * (reports/report-sheets.ts) as plain blocks, formats and charts; returns its name. The store knows no report.
   */
  writeSheet?(layout: SheetLayout): Promise<string>;
}

/** The cases a view shows, by case number (text as the sheet shows it). */
export interface ViewFilter {
  caseNos: readonly string[];
}

/** "temporary": a per-user temporary sheet view (co-authors' screens untouched); "shared": the sheet's own filter, seen by everyone. */
export type ViewMode = "temporary" | "shared";

export interface ViewApplied {
  mode: ViewMode;
  /** Rows left visible (the matching cases), or all rows when the filter was cleared. */
  shown: number;
}
