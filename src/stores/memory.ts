/** A ledger kept in memory: the task pane's tests, the workbench before a file is opened. */
import type { CellValue } from "../domain/case";
import { defaultPolicy, type Policy } from "../domain/policy/policy";
import { policyToRows } from "../domain/policy/policy-table";
import { ledgerColumns, META, SCHEMA_VERSION } from "../ledger/workbook-layout";
import { caseNoColumn } from "../ledger/records";
import { layoutGrid, plainLayout, type SheetLayout } from "../ledger/generated-sheet";
import type { LedgerData, LedgerHead, LedgerStore, LedgerWrite, ViewApplied, ViewFilter, ViewMode } from "../ledger/store";
import { refuseNewer } from "../ledger/schema-version";

/** An empty ledger with every column, the policy and no cases. */
export function emptyLedgerData(policy: Policy): LedgerData {
  return {
    header: ledgerColumns(policy).map((c) => c.header),
    rows: [],
    policyRows: policyToRows(policy),
    peopleRows: [],
    auditRows: [],
    meta: { [META.schemaVersion]: SCHEMA_VERSION },
    sheets: { policy: true, audit: true, meta: true },
  };
}

export class MemoryStore implements LedgerStore {
  readonly kind = "memory";
  /** Counts, so tests can assert how often a store is asked. */
  reads = 0;
  writes = 0;

  constructor(public data: LedgerData) {}

  private copy(): LedgerData {
    const rows = (x: CellValue[][]) => x.map((r) => [...r]);
    const d = this.data;
    return {
      header: [...d.header],
      rows: rows(d.rows),
      policyRows: rows(d.policyRows),
      peopleRows: rows(d.peopleRows),
      auditRows: rows(d.auditRows),
      evidenceRows: rows(d.evidenceRows ?? []),
      costRows: rows(d.costRows ?? []),
      meta: { ...d.meta },
      ...(d.sheets ? { sheets: { ...d.sheets } } : {}),
    };
  }

  async read(): Promise<LedgerData> {
    this.reads++;
    return this.copy();
  }

  async readHead(): Promise<LedgerHead> {
    this.reads++;
    const c = this.copy();
    const col = caseNoColumn(c.header, defaultPolicy());
    return { header: c.header, caseNos: c.rows.map((r) => (col >= 0 ? r[col] : null)), auditRows: c.auditRows, meta: c.meta };
  }

  async write(w: LedgerWrite): Promise<void> {
    refuseNewer(this.data.meta);
    this.writes++;
    // An upgrade's columns at the end: a blank cell in every row (memory has no formulas; the service computes).
    for (const c of w.columns ?? []) {
      this.data.header.push(c.header);
      for (const r of this.data.rows) r.push(null);
    }
    if (w.policyAppend?.length) this.data.policyRows.push(...w.policyAppend.map((r) => [...r]));
    for (const u of w.updates ?? []) this.data.rows[u.row][u.col] = u.value;
    for (const r of w.appends ?? []) this.data.rows.push(r.map((v) => (v === undefined ? null : v)));
    this.data.auditRows.push(...(w.audit ?? []));
    for (const u of w.peopleUpdates ?? []) this.data.peopleRows[u.row] = [...u.values];
    this.data.peopleRows.push(...(w.people ?? []));
    if (w.evidence?.length) (this.data.evidenceRows ??= []).push(...w.evidence.map((r) => [...r]));
    if (w.costLines?.length) (this.data.costRows ??= []).push(...w.costLines.map((r) => [...r]));
    Object.assign(this.data.meta, w.meta ?? {});
    if (w.policy) this.data.policyRows = w.policy.map((r) => [...r]);
  }
}

/**
 * A memory ledger with the host extras of a workbook: generated sheets kept
 * as layouts and grids, and a filter the views set. For tests of the pane's
 * views, dashboard and finance screens; MemoryStore itself stays without
 * them (no sheet to show a filter or a sheet on).
 */
export class MemoryBook extends MemoryStore {
  /** Generated sheets by name: the layout written and its values. */
  sheets = new Map<string, { layout: SheetLayout; grid: CellValue[][] }>();
  /** The case numbers the current view shows; undefined when everything shows. */
  filter?: string[];

  constructor(
    data: LedgerData,
    readonly mode: ViewMode = "shared",
  ) {
    super(data);
  }

  viewMode(): ViewMode {
    return this.mode;
  }

  async applyView(filter: ViewFilter | null): Promise<ViewApplied> {
    this.filter = filter ? [...filter.caseNos] : undefined;
    return { mode: this.mode, shown: filter ? filter.caseNos.length : this.data.rows.length };
  }

  private put(layout: SheetLayout): string {
    refuseNewer(this.data.meta);
    this.sheets.set(layout.name, { layout, grid: layoutGrid(layout) });
    return layout.name;
  }

  async addSheet(name: string, rows: CellValue[][]): Promise<string> {
    return this.put(plainLayout(name, rows));
  }

  async writeSheet(layout: SheetLayout): Promise<string> {
    return this.put(layout);
  }
}
