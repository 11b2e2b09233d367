/**
 * `remind`'s listing as one pass over the ledger file (passes.ts): apart from check's module so that check does not
 * load the reminders and the ledger service it does not run.
 */
import type { CellValue } from "../domain/case";
import { instantToSerial } from "../domain/zone";
import { auditText, rowToEntry, type AuditEntry } from "../ledger/audit";
import { readPeople, type CaseRow } from "../ledger/service";
import { digests, notices, type Message } from "../reports/reminders";
import { RowPass } from "./passes";

/** The audit actions the reminders read: what was sent, and which cases the add-in logged (the new-complaint notice). */
const REMIND_ACTIONS = new Set(["MAIL_SENT", "CASE_ADDED"]);

/**
 * `remind` without --send: the cases as the Ledger reads them (their Case only: the record and cell problems are not
 * the reminders'), the People sheet, and of the audit log only the entries the reminders read (REMIND_ACTIONS): a
 * 50,000-case ledger's quarter-million other entries are skipped by their action cell, never made into entries.
 * `messages` is the Ledger's notices and digests (test/cli/remind-pass.test.ts).
 */
export class RemindPass extends RowPass {
  private readonly rows: Pick<CaseRow, "case">[] = [];
  private readonly entries: AuditEntry[] = [];

  row(_sheetRow: number, cells: CellValue[]): void {
    this.rows.push({ case: this.read(cells).case });
  }

  audit(_sheetRow: number, cells: CellValue[]): void {
    if (REMIND_ACTIONS.has(auditText(cells[3]))) this.entries.push(rowToEntry(cells));
  }

  messages(): Message[] {
    const people = readPeople(this.info?.peopleRows ?? [], this.policy);
    const now = instantToSerial(this.now, this.policy.settings.timeZone);
    return [...notices(this.rows, people, this.policy, this.entries), ...digests(this.rows, people, this.policy, now, this.entries)];
  }
}
