/**
 * check, report and verify-audit as one pass over the rows of a ledger file
 * (scanLedgerFile): each row is read into a Case, used and dropped; what a
 * rule needs across rows is all that stays (case numbers for duplicates, the
 * report's totals, one small item per audit entry). Memory does not grow with
 * the cases beyond that, and no Ledger (all rows, all Case objects) is built.
 *
 * The rules are the service's own (readCase, validateCase, FinanceTally,
 * the audit chain check); `test/cli/passes.test.ts` holds each pass equal to
 * the Ledger over the same file.
 */
import { createHash } from "crypto";
import type { CellValue } from "../domain/case";
import { serialToYmd } from "../domain/dates";
import { todayIn } from "../domain/zone";
import { defaultPolicy, type Policy } from "../domain/policy";
import { policyFromRows, type PolicyProblem, type SuppliedCode } from "../domain/policy-table";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { calendarFor } from "../domain/sla";
import { validateCase, type Violation } from "../domain/validate";
import { caseEstimates, type EstimatedDue } from "../reports/estimates";
import { auditText, chainItem, hashInput, verifyLedgerAudit, writtenByUs, type AuditVerdict, type ChainItem } from "../ledger/audit";
import { keysOfHeader } from "../ledger/records";
import { RowReader } from "../ledger/row-reader";
import { FinanceTally, type FinanceReport } from "../reports/finance-summary";
import type { LedgerScanInfo, LedgerVisitor } from "../stores/xlsx/file";

/** Policy and column keys from the sheets read before the rows. */
abstract class RowPass implements LedgerVisitor {
  policy: Policy = defaultPolicy();
  policyProblems: PolicyProblem[] = [];
  policySupplied: SuppliedCode[] = [];
  keys: string[] = [];
  info?: LedgerScanInfo;
  protected defaultYear = 0;
  /** Today on the ledger's clock (Policy timeZone), known once the Policy sheet is read. */
  protected today = 0;
  private reader?: RowReader;

  constructor(private readonly now: Date) {}

  begin(info: LedgerScanInfo): void {
    this.info = info;
    if (info.policyRows.length) {
      const r = policyFromRows(info.policyRows);
      this.policy = r.policy ?? defaultPolicy();
      this.policyProblems = r.problems;
      this.policySupplied = r.supplied;
    }
    this.today = todayIn(this.now, this.policy.settings.timeZone);
    // Dates typed without a year ("3月5日") are read in this year, as the Ledger does.
    this.defaultYear = serialToYmd(this.today).year;
    this.keys = keysOfHeader(info.header, this.policy);
    this.reader = new RowReader(this.keys, this.policy, { defaultYear: this.defaultYear });
  }

  /** readCase of the row's record, as the Ledger reads it. */
  protected read(cells: CellValue[]) {
    return this.reader!.read(cells);
  }
}

/** `check`: the violations of every case (validateRead's, row by row), and the running deadlines that are estimates. */
export class CheckPass extends RowPass {
  cases = 0;
  readonly violations: Violation[] = [];
  readonly estimates: EstimatedDue[] = [];
  private readonly seen = new Map<string, number>();
  private cal?: WorkCalendar;

  begin(info: LedgerScanInfo): void {
    super.begin(info);
    this.cal = calendarFor(this.policy);
  }

  row(sheetRow: number, cells: CellValue[]): void {
    const { case: c, problems } = this.read(cells);
    // The body row (1-based) is what validateRead calls "row": the sheet row under the header.
    const i = sheetRow - 2;
    this.cases++;
    const caseNo = c.caseNo ?? `#${i + 1}`;
    for (const p of problems) this.violations.push({ caseNo, code: "BAD_VALUE", field: p.field, zh: p.zh, en: p.en });
    if (c.caseNo) {
      const first = this.seen.get(c.caseNo);
      if (first !== undefined) {
        this.violations.push({
          caseNo,
          code: "DUPLICATE_CASE_NO",
          field: "caseNo",
          zh: `客诉单号重复(与第 ${first + 1} 行相同)`,
          en: `Duplicate case number (same as row ${first + 1})`,
        });
      } else this.seen.set(c.caseNo, i);
    }
    // validateCase's violations are fresh objects: name the row on them rather than copying each.
    for (const x of validateCase(c, this.policy)) {
      x.caseNo = caseNo;
      this.violations.push(x);
    }
    for (const e of caseEstimates(c, this.policy, this.cal!, this.today)) this.estimates.push(e);
  }
}

/** `report --finance`: the finance summary, case by case. */
export class ReportPass extends RowPass {
  private tally?: FinanceTally;

  constructor(
    now: Date,
    private readonly range: { from?: number; to?: number },
  ) {
    super(now);
  }

  begin(info: LedgerScanInfo): void {
    super.begin(info);
    this.tally = new FinanceTally(this.policy, this.range);
  }

  row(_sheetRow: number, cells: CellValue[]): void {
    this.tally!.add(this.read(cells).case);
  }

  result(): FinanceReport {
    return (this.tally ?? new FinanceTally(this.policy, this.range)).result();
  }
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** `verify-audit`: each entry hashed as it is read, kept as a small ChainItem; then the chain and the head rules. */
export class VerifyPass extends RowPass {
  private readonly items: ChainItem[] = [];

  audit(sheetRow: number, cells: CellValue[]): void {
    // Position among the audit rows, as the sheet shows it under its header.
    this.items.push(chainItem(cells, sheetRow - 1, sha256(hashInput(cells)) === auditText(cells[11])));
  }

  verdict(externalHead?: { seq: number; hash: string }): AuditVerdict {
    const info = this.info!;
    return verifyLedgerAudit(this.items, {
      meta: info.meta,
      auditSheet: info.has.audit,
      externalHead,
      ours: writtenByUs(this.keys, info.has.policy, info.has.meta),
    });
  }
}
