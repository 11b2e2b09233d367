/** A ledger kept in memory: the task pane's tests, the workbench before a file is opened. */
import type { CellValue } from "../domain/case";
import type { Policy } from "../domain/policy";
import { policyToRows } from "../domain/policy-table";
import { ledgerColumns } from "./layout";
import type { LedgerData, LedgerHead, LedgerStore, LedgerWrite } from "./store";

/** An empty ledger with every column, the policy and no cases. */
export function emptyLedgerData(policy: Policy): LedgerData {
  return {
    header: ledgerColumns(policy).map((c) => c.header),
    rows: [],
    policyRows: policyToRows(policy),
    peopleRows: [],
    auditRows: [],
    meta: {},
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
    return { header: [...d.header], rows: rows(d.rows), policyRows: rows(d.policyRows), peopleRows: rows(d.peopleRows), auditRows: rows(d.auditRows), meta: { ...d.meta } };
  }

  async read(): Promise<LedgerData> {
    this.reads++;
    return this.copy();
  }

  async readHead(): Promise<LedgerHead> {
    this.reads++;
    const c = this.copy();
    const col = c.header.findIndex((h) => /Case No\.|客诉单号/.test(h));
    return { header: c.header, caseNos: c.rows.map((r) => (col >= 0 ? r[col] : null)), auditRows: c.auditRows, meta: c.meta };
  }

  async write(w: LedgerWrite): Promise<void> {
    this.writes++;
    for (const u of w.updates ?? []) this.data.rows[u.row][u.col] = u.value;
    for (const r of w.appends ?? []) this.data.rows.push(r.map((v) => (v === undefined ? null : v)));
    this.data.auditRows.push(...(w.audit ?? []));
    this.data.peopleRows.push(...(w.people ?? []));
    Object.assign(this.data.meta, w.meta ?? {});
  }
}
