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
import { SUPPLIER_RETURN_CLOCK } from "../domain/money/money-policy";
import { createHash } from "crypto";
import { caseNoKey, type CellProblem, type CellValue } from "../domain/case";
import { ledgerSchema, type FieldDef } from "../domain/schema";
import { serialToYmd } from "../domain/dates";
import { todayIn } from "../domain/zone";
import { defaultPolicy, type Policy } from "../domain/policy/policy";
import { policyFromRows, type PolicyProblem, type SuppliedCode } from "../domain/policy/policy-table";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { calendarFor, caseClocks } from "../domain/sla";
import { unreadableNotMissing, validateCase, type Violation } from "../domain/validate";
import { fineTally, pastRetention, type FineLine } from "../domain/classify";
import { caseEstimates, type EstimatedDue } from "../reports/estimates";
import { auditText, chainItem, rowToEntry, hashInput, verifyLedgerAudit, writtenByUs, type AuditVerdict, type ChainItem } from "../ledger/audit";
import { keysOfHeader } from "../ledger/records";
import { TABLES } from "../ledger/workbook-layout";
import { RowReader } from "../ledger/row-reader";
import { FinanceTally, type FinanceReport } from "../reports/finance-summary";
import { readCostLines, type CostLine } from "../domain/money/cost-lines";
import { bookedIn, reviewFacts, reviewOfFacts, trendStart, type MonthlyReview, type ReviewFacts } from "../reports/monthly-review";
import type { LedgerScanInfo, LedgerVisitor } from "../stores/xlsx/file";
import { limitError, NOT_A_LEDGER } from "../stores/xlsx/limits";

const strippedFile = () =>
  NOT_A_LEDGER(
    `没有 ${TABLES.ledger} 表格、审计表和 _cl_meta 表,无从核对审计记录`,
    `it has no ${TABLES.ledger} table, no audit sheet and no _cl_meta sheet, so there is no audit log to verify`,
  );

/** Policy and column keys from the sheets read before the rows. */
export abstract class RowPass implements LedgerVisitor {
  policy: Policy = defaultPolicy();
  policyProblems: PolicyProblem[] = [];
  policySupplied: SuppliedCode[] = [];
  keys: string[] = [];
  info?: LedgerScanInfo;
  protected defaultYear = 0;
  /** Today on the ledger's clock (Policy timeZone), known once the Policy sheet is read. */
  protected today = 0;
  private reader?: RowReader;

  constructor(protected readonly now: Date) {}

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

/** Violations `check` lists; past them it says how many more there are. */
export const LISTED_MAX = 10000;

/** `check`: the violations of every case (validateRead's, row by row), and the running deadlines that are estimates. */
export class CheckPass extends RowPass {
  cases = 0;
  readonly violations: Violation[] = [];
  /** Violations past LISTED_MAX: counted, not kept (a hostile sheet can hold millions; output and memory stay bounded). */
  unlisted = 0;
  /** Cases with at least one violation (counted also past the list's end). */
  private readonly bad = new Set<string>();
  readonly estimates: EstimatedDue[] = [];
  /** Closed cases whose records are past the Policy sheet's retention period (retentionYears). */
  readonly pastRetention: { caseNo: string; closedAt: number }[] = [];
  /** Non-batch supplier returns whose 8D is overdue today (issue 23, clock SUPPLIER_RETURN_8D); at most LISTED_MAX. */
  readonly supplier8DOverdue: { caseNo: string; due: number }[] = [];
  private readonly seen = new Map<string, number>();
  private cal?: WorkCalendar;

  begin(info: LedgerScanInfo): void {
    super.begin(info);
    this.cal = calendarFor(this.policy);
    // A hidden sheet claiming to be the ledger is no case's problem, but a problem of the file: listed, exit 1.
    for (const f of info.findings) this.add({ caseNo: "", code: f.code, field: "", zh: f.zh, en: f.en });
  }

  /** The rules' fields among the columns whose formula has no cached result. */
  private uncalculated(cols: readonly number[]): CellProblem[] {
    const fields = (this.fields ??= new Map(ledgerSchema(this.policy).map((f) => [f.key, f])));
    return cols.flatMap((col) => {
      const f = fields.get(this.keys[col]);
      return f ? [uncalculatedProblem(f)] : [];
    });
  }

  private fields?: Map<string, FieldDef>;

  private add(v: Violation): void {
    this.bad.add(v.caseNo ?? "");
    if (this.violations.length < LISTED_MAX) this.violations.push(v);
    else this.unlisted++;
  }

  /** Cases with a violation, and all violations, listed or not. */
  get counts(): { cases: number; violations: number } {
    return { cases: this.bad.size, violations: this.violations.length + this.unlisted };
  }

  row(sheetRow: number, cells: CellValue[], unresolved?: readonly number[]): void {
    const read = this.read(cells);
    const c = read.case;
    const problems = unresolved ? [...read.problems, ...this.uncalculated(unresolved)] : read.problems;
    // The body row (1-based) is what validateRead calls "row": the sheet row under the header.
    const i = sheetRow - (this.info?.headerRow ?? 1) - 1;
    this.cases++;
    const caseNo = c.caseNo ?? `#${i + 1}`;
    if (pastRetention(c, this.policy, this.today)) this.pastRetention.push({ caseNo, closedAt: c.closedAt! });
    for (const p of problems) this.add({ caseNo, code: p.code ?? "BAD_VALUE", field: p.field, zh: p.zh, en: p.en });
    if (c.caseNo) {
      // Up to separators and case, as validateRead.
      const key = caseNoKey(c.caseNo);
      const first = this.seen.get(key);
      if (first !== undefined) {
        this.add({
          caseNo,
          code: "DUPLICATE_CASE_NO",
          field: "caseNo",
          zh: `客诉单号重复(与第 ${first + 1} 行相同)`,
          en: `Duplicate case number (same as row ${first + 1})`,
        });
      } else this.seen.set(key, i);
    }
    // validateCase's violations are fresh objects: name the row on them rather than copying each.
    for (const x of validateCase(c, this.policy)) {
      // A value that is there but unreadable (a cached #DIV/0!, "1.234,50") is listed above as what it is, not also as missing.
      if (unreadableNotMissing(x, problems)) continue;
      x.caseNo = caseNo;
      this.add(x);
    }
    for (const e of caseEstimates(c, this.policy, this.cal!, this.today)) this.estimates.push(e);
    // Only the few cases with a return and no 8D yet pay for the clock.
    if (c.supplierReturnedAt !== undefined && c.supplier8DAt === undefined && this.supplier8DOverdue.length < LISTED_MAX) {
      const k = caseClocks(c, this.policy, this.cal!, this.today).find((s) => s.clock.code === SUPPLIER_RETURN_CLOCK);
      if (k?.status === "OVERDUE" && k.due !== undefined) this.supplier8DOverdue.push({ caseNo, due: k.due });
    }
  }
}

/** A formula no program calculated, in a column the rules read (computed columns and the user's own are not read as values). */
function uncalculatedProblem(field: FieldDef): CellProblem {
  return {
    field: field.key,
    value: null,
    code: "FORMULA_NO_VALUE",
    zh: `"${field.zh}"是一个还没有计算结果的公式(文件由程序写出,未经 Excel 计算),不能当作空白或数值;请在 Excel 中打开并保存,或直接填写数值`,
    en: `"${field.en}" holds a formula with no calculated result (a program wrote the file and nothing calculated it): it is neither blank nor a value; open and save it in Excel, or type the value`,
  };
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

/**
 * Text the audit chain hashes, at most: 400 million characters is 2 million entries of 200 (the
 * sample's size; a 100,000-case ledger holds about 500,000), hashed in seconds; past it the file is
 * refused (exit 2) rather than taking minutes per megabyte of a hostile file.
 */
const AUDIT_CHARS_MAX = 400_000_000;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** `verify-audit`: each entry hashed as it is read, kept as a small ChainItem; then the chain and the head rules. */
/** `report --fines`: the audit log's finable refusals (乐捐), per person and month; the rows are not read. */
export class FinesPass extends RowPass {
  private readonly entries: { user: string; action: string; time: string }[] = [];

  audit(_sheetRow: number, cells: CellValue[]): void {
    const e = rowToEntry(cells);
    this.entries.push({ user: e.user, action: e.action, time: e.at });
  }

  result(): FineLine[] {
    return fineTally(this.entries, this.policy);
  }
}

/**
 * `report --month`: each case reduced as it is read to what the review counts (reviewFacts: the review looks back a
 * year, so every case stays, but as a few fields and its steps done; the whole case only when the month books it), and
 * of the audit log only the month's finable refusals (the fines). `result` is monthlyReview's.
 */
export class MonthPass extends RowPass {
  private readonly facts: ReviewFacts[] = [];
  private readonly entries: { user: string; action: string; at: string }[] = [];
  private cal?: WorkCalendar;
  private readonly since: number;

  constructor(
    now: Date,
    private readonly month: string,
  ) {
    super(now);
    this.since = trendStart(month);
  }

  readonly costs = true;
  private lines: CostLine[] = [];
  private withLines = new Set<string>();

  begin(info: LedgerScanInfo): void {
    super.begin(info);
    this.cal = calendarFor(this.policy);
    this.lines = readCostLines(info.costRows ?? [], this.policy);
    this.withLines = new Set(this.lines.map((l) => l.caseNo));
  }

  row(_sheetRow: number, cells: CellValue[]): void {
    const c = this.read(cells).case;
    this.facts.push(reviewFacts(c, this.policy, this.cal!, bookedIn(c, this.month, this.withLines), this.since));
  }

  audit(_sheetRow: number, cells: CellValue[]): void {
    const e = rowToEntry(cells);
    if (e.at.startsWith(this.month) && this.policy.settings.finableActions.includes(e.action)) this.entries.push({ user: e.user, action: e.action, at: e.at });
  }

  result(): MonthlyReview {
    return reviewOfFacts(this.facts, this.month, this.policy, { audit: this.entries, costLines: this.lines, today: this.today });
  }
}

export class VerifyPass extends RowPass {
  private readonly items: ChainItem[] = [];

  private hashedChars = 0;

  audit(sheetRow: number, cells: CellValue[]): void {
    const input = hashInput(cells);
    // Cells sharing one 32,000-character string make a small file that would take minutes to hash: bounded, and said.
    this.hashedChars += input.length;
    if (this.hashedChars > AUDIT_CHARS_MAX)
      throw limitError(
        `审计表的文字超过 ${AUDIT_CHARS_MAX.toLocaleString("en")} 个字符(第 ${sheetRow} 行),不像是本工具写的审计记录`,
        `the audit sheet holds more than ${AUDIT_CHARS_MAX.toLocaleString("en")} characters of text (row ${sheetRow}): not an audit log this tool wrote`,
      );
    // Position among the audit rows, as the sheet shows it under its header.
    this.items.push(chainItem(cells, sheetRow - 1, sha256(input) === auditText(cells[11])));
  }

  /** Throws NOT_A_LEDGER for a workbook with no ledger table, no audit sheet and no meta: nothing to verify is no "intact". */
  verdict(externalHead?: { seq: number; hash: string }): AuditVerdict {
    const info = this.info!;
    if (!info.has.table && !info.has.audit && !info.has.meta) throw strippedFile();
    const v = verifyLedgerAudit(this.items, {
      meta: info.meta,
      auditSheet: info.has.audit,
      externalHead,
      ours: writtenByUs(this.keys, info.has.policy, info.has.meta, info.has.table),
    });
    if (!info.findings.length) return v;
    return { ...v, ok: false, problems: [...info.findings.map((f) => ({ book: true, zh: f.zh, en: f.en })), ...v.problems] };
  }
}
