/**
 * The audit sheet, watched. The add-in writes it with events off, so any
 * change event there is someone else's: a hand edit, a deleted row, or Ctrl+Z
 * taking back an audit row. Where ExcelApi 1.20 exists every operation of the
 * add-in is one undo record (host.ts, mergeUndoGroup), so an undo takes back
 * the change and its entry together; elsewhere each sync is its own record
 * and an undo can remove an entry alone
 * (https://learn.microsoft.com/javascript/api/excel/excel.runoptions). Either
 * way the hash chain and the head kept in the meta sheet show what happened
 * (verify-audit); this watch says so at once, in both languages.
 */
import { SHEETS } from "../../ledger/workbook-layout";
import type { Run } from "./excel-run";

export interface AuditNotice {
  zh: string;
  en: string;
  cell: string;
}

/** Registers on the audit sheet's onChanged: 1 sync (none registered when the sheet is missing). */
export async function watchAudit(run: Run, notify: (n: AuditNotice) => void): Promise<boolean> {
  return run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(SHEETS.audit);
    await ctx.sync();
    if (sheet.isNullObject) return false;
    sheet.onChanged.add(async (args: Excel.WorksheetChangedEventArgs) => {
      if (args.source === "Remote") return; // a co-author's add-in (or its absence) is theirs to report
      notify({
        zh: `审计表 ${args.address} 被修改(手工编辑、删除或按 Ctrl+Z 撤销)。审计记录只能追加:请撤销此修改,并用"校验审计"核对哈希链。`,
        en: `The audit sheet was changed at ${args.address} (a hand edit, a deletion or Ctrl+Z). The audit log is append-only: undo this change and run "verify audit" to check the hash chain.`,
        cell: `'${SHEETS.audit}'!${args.address}`,
      });
    });
    await ctx.sync();
    return true;
  });
}
