/**
 * What a patch of a ledger file's parts needs (calendar import --into, upgrade): the small sheets and the audit
 * head, read row by row as check reads (no case row kept), and a store over them that keeps the one batch a
 * Ledger writes, for the patch to write into the file.
 */
import type { CellValue } from "../domain/case";
import type { LedgerData, LedgerWrite } from "../ledger/store";
import { MemoryStore } from "../stores/memory";
import type { LedgerScanInfo, LedgerVisitor } from "../stores/xlsx/file";

/** A store over the ledger's small parts (no case rows) that keeps the one batch the import writes, for the patch. */
export class Recorder extends MemoryStore {
  batch: LedgerWrite | undefined;
  override async write(w: LedgerWrite): Promise<void> {
    this.batch = w;
    return super.write(w);
  }
}

/** What the import needs of a ledger file, read row by row as check reads it: no case row is kept. */
export class SmallParts implements LedgerVisitor {
  info: LedgerScanInfo | undefined;
  /** The audit entry with the highest sequence (the head the new entry chains on) and the last audit row's sheet row. */
  head: CellValue[] | undefined;
  lastAuditRow = 0;
  begin(info: LedgerScanInfo): void {
    this.info = info;
  }
  audit(sheetRow: number, cells: CellValue[]): void {
    this.lastAuditRow = sheetRow;
    if (!this.head || Number(cells[0]) > Number(this.head[0])) this.head = cells;
  }
}

/** The ledger's data as the small parts give it: no case rows, the audit head as its only audit row. */
export function smallData(small: { info?: LedgerScanInfo; head?: CellValue[] }): LedgerData {
  const info = small.info!;
  return {
    header: info.header,
    rows: [],
    policyRows: info.policyRows,
    peopleRows: info.peopleRows,
    auditRows: small.head ? [small.head] : [],
    meta: { ...info.meta },
    sheets: { policy: info.has.policy, audit: info.has.audit, meta: true },
  };
}
