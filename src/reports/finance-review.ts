/**
 * Finance's twice-monthly review (process.md §3, §5): every case marked free
 * or charged in a half-month, with its responsibility, cost, sign-offs and
 * who marked it (from the audit log), and the inconsistencies finance must
 * chase. Marking a case reviewed is an audit entry (FINANCE_REVIEWED) that
 * keeps the marking and cost as reviewed, so a later change shows up as
 * "changed after review". Periods and booking dates are report.ts's, so the
 * review, the dashboard and `complaint-ledger report` count the same cases.
 */
import { serialToIso } from "../domain/dates";
import { findNamed, type Charge, type Policy } from "../domain/policy/policy";
import { chargeConflict, markedCharge } from "../domain/responsibility";
import { CHARGES } from "../domain/schema";
import type { AuditEntry } from "../ledger/audit";
import { reviewedValue } from "../ledger/finance-marks";
import { toCsv } from "./csv";
import { bookingDate, halfMonth } from "./finance-summary";
import type { CaseRow } from "../ledger/service";
import type { CostLine } from "../domain/money/cost-lines";
import { moneyCsv, moneyFigures, type MoneyFigures } from "./money-figures";

export interface ReviewIssue {
  code: "FREE_CUSTOMER_FAULT" | "CHARGE_CONFLICT" | "CHARGED_NO_RESPONSIBILITY" | "FREE_NO_RESPONSIBILITY" | "COST_MISSING" | "CHANGED_AFTER_REVIEW";
  zh: string;
  en: string;
}

export interface ReviewLine {
  caseNo: string;
  row: number;
  customer: string;
  responsibility: string;
  /** The marking as the sheet shows it (免费 / 收费) … */
  charge: string;
  /** … and as totals count it, by code, never by its label. */
  chargeCode: Charge;
  cost?: number;
  bookedOn: string;
  /** "品质部经理: 王经理 2026-03-05 10:00" … */
  approvals: string[];
  /** Who last set the marking, and when, from the audit log ("" when it predates the log). */
  markedBy: string;
  markedAt: string;
  reviewed?: { by: string; at: string };
  issues: ReviewIssue[];
}

export interface FinanceReview {
  period: { key: string; start: number; end: number };
  /** The half month's money (issue 23): cost by category, debits to book, supplier credits due and overdue. */
  money: MoneyFigures;
  lines: ReviewLine[];
  issues: number;
  reviewed: number;
}

/** The reviewed value in words ("免费,费用 4043.15"), not the stored "FREE|4043.15". */
function reviewedWords(value: string | undefined): { zh: string; en: string } {
  const [charge, cost] = String(value ?? "").split("|");
  const named = findNamed(CHARGES, charge);
  const zh = [named?.zh ?? (charge || "未标记"), cost ? `费用 ${cost}` : "无费用"].join(",");
  const en = [named?.en ?? (charge || "not marked"), cost ? `cost ${cost}` : "no cost"].join(", ");
  return { zh, en };
}

/** `opts.costLines` the ledger's cost lines (Ledger.costLines); `opts.today` decides what is overdue in a running period. */
export function financeReview(
  rows: readonly CaseRow[],
  audit: readonly AuditEntry[],
  policy: Policy,
  day: number,
  opts: { costLines?: readonly CostLine[]; today?: number } = {},
): FinanceReview {
  const period = halfMonth(Math.floor(day));
  const lines: ReviewLine[] = [];
  // The cases booked in the period first: only their log entries are gathered (a half-month is a few hundred
  // cases of 50,000; the log is five entries a case).
  const inPeriod = rows.filter((r) => {
    if (!markedCharge(r.case)) return false;
    const d = bookingDate(r.case);
    return d !== undefined && Math.floor(d) >= period.start && Math.floor(d) <= period.end;
  });
  const byCase = new Map<string, AuditEntry[]>(inPeriod.map((r) => [r.case.caseNo ?? "", []]));
  for (const e of [...audit].sort((a, b) => a.seq - b.seq)) {
    if (e.caseNo) byCase.get(e.caseNo)?.push(e);
  }
  for (const r of inPeriod) {
    const c = r.case;
    const chargeCode = markedCharge(c)!;
    const d = bookingDate(c)!;
    const log = byCase.get(c.caseNo ?? "") ?? [];
    const marked = [...log].reverse().find((e) => e.field === "charge" && !["EDIT_REVERTED", "FINANCE_REVIEWED"].includes(e.action));
    const review = [...log].reverse().find((e) => e.action === "FINANCE_REVIEWED");
    const issues: ReviewIssue[] = [];
    const resp = findNamed(policy.responsibilities, c.responsibility);
    const conflict = chargeConflict(c.charge, c.responsibility, policy);
    if (conflict) {
      issues.push(
        c.charge === "FREE" && resp?.group === "CUSTOMER"
          ? { code: "FREE_CUSTOMER_FAULT", zh: `客户责任(${resp.zh})却标记为免费`, en: `Marked free although the customer is at fault (${resp.en})` }
          : { code: "CHARGE_CONFLICT", zh: conflict.zh, en: conflict.en },
      );
    }
    if (!c.responsibility) {
      issues.push(
        c.charge === "CHARGED"
          ? { code: "CHARGED_NO_RESPONSIBILITY", zh: "已标记收费但没有责任判定", en: "Charged without a responsibility" }
          : { code: "FREE_NO_RESPONSIBILITY", zh: "已标记免费但没有责任判定", en: "Free without a responsibility" },
      );
    }
    if (c.cost === undefined) issues.push({ code: "COST_MISSING", zh: "缺少费用", en: "Cost is missing" });
    if (review && review.newValue !== reviewedValue(c.charge, c.cost)) {
      issues.push({
        code: "CHANGED_AFTER_REVIEW",
        zh: `财务审核后被修改(审核时为${reviewedWords(review.newValue).zh})`,
        en: `Changed after finance reviewed it (was ${reviewedWords(review.newValue).en})`,
      });
    }
    const approvals = Object.entries(c.signatures).map(([role, s]) => {
      const def = findNamed(policy.roles, role);
      return `${def?.zh ?? role}: ${s.name} ${serialToIso(s.at)}`;
    });
    lines.push({
      caseNo: c.caseNo ?? "",
      row: r.row,
      customer: c.customer ?? "",
      responsibility: resp ? `${resp.zh} ${resp.code}` : "",
      charge: findNamed(CHARGES, chargeCode)!.zh,
      chargeCode,
      cost: c.cost,
      bookedOn: serialToIso(Math.floor(d)),
      approvals,
      markedBy: marked?.user ?? "",
      markedAt: marked?.at ?? "",
      reviewed: review ? { by: review.user, at: review.at } : undefined,
      issues,
    });
  }
  const money = moneyFigures(
    rows.map((r) => r.case),
    opts.costLines ?? [],
    policy,
    period.start,
    period.end,
    opts.today ?? period.end,
  );
  return { period, money, lines, issues: lines.filter((l) => l.issues.length).length, reviewed: lines.filter((l) => l.reviewed).length };
}

export interface ReviewTotals {
  free: { n: number; cost: number };
  charged: { n: number; cost: number };
  all: { n: number; cost: number };
}

/** A period's free, charged and overall counts and cost (cents rounded): the sheet's totals and the pane's summary. */
export function reviewTotals(r: FinanceReview): ReviewTotals {
  const sum = (ls: readonly ReviewLine[]) => ({ n: ls.length, cost: Math.round(ls.reduce((t, l) => t + (l.cost ?? 0), 0) * 100) / 100 });
  return { free: sum(r.lines.filter((l) => l.chargeCode === "FREE")), charged: sum(r.lines.filter((l) => l.chargeCode === "CHARGED")), all: sum(r.lines) };
}

/**
 * The review's columns, in the sheet and in the CSV alike: each with its value, and in the sheet its number format
 * ("money") and width — so adding a column cannot move the money format onto another one.
 */
export const REVIEW_COLUMNS: readonly { header: string; value: (l: ReviewLine) => string | number | null; money?: boolean; width: number }[] = [
  { header: "客诉单号 Case No.", value: (l) => l.caseNo, width: 18 },
  { header: "客户 Customer", value: (l) => l.customer, width: 16 },
  { header: "责任 Responsibility", value: (l) => l.responsibility, width: 16 },
  { header: "收费/免费 Free/charged", value: (l) => l.charge, width: 12 },
  // A missing cost is left empty.
  { header: "费用 Cost", value: (l) => l.cost ?? null, money: true, width: 12 },
  { header: "入账日 Booked on", value: (l) => l.bookedOn, width: 12 },
  { header: "签核 Sign-offs", value: (l) => l.approvals.join("; "), width: 30 },
  { header: "标记人 Marked by", value: (l) => l.markedBy, width: 10 },
  { header: "标记时间 Marked at", value: (l) => l.markedAt, width: 18 },
  { header: "审核人 Reviewed by", value: (l) => l.reviewed?.by ?? "", width: 10 },
  { header: "审核时间 Reviewed at", value: (l) => l.reviewed?.at ?? "", width: 18 },
  { header: "问题 Issues", value: (l) => l.issues.map((i) => `${i.zh} / ${i.en}`).join("; "), width: 40 },
];

export const REVIEW_HEADER = REVIEW_COLUMNS.map((c) => c.header);

/** One reviewed case under REVIEW_HEADER. */
export function reviewRow(l: ReviewLine): (string | number | null)[] {
  return REVIEW_COLUMNS.map((c) => c.value(l));
}

/** Whether a period has any money figure to show (a ledger without the money trail shows none). */
export const hasMoney = (m: MoneyFigures) => m.costByCategory.length + m.debitsToBook.length + m.creditsDue.length + m.creditsOverdue.length > 0;

/**
 * The period as CSV for filing (UTF-8 with BOM so Excel opens the Chinese correctly): the reviewed cases under
 * REVIEW_HEADER as before, then, when the period has any, the money sections (moneyCsv) after a blank row.
 */
export function reviewCsv(review: FinanceReview): string {
  const cases = toCsv([REVIEW_HEADER, ...review.lines.map((l) => reviewRow(l).map((v) => v ?? ""))]);
  return "\uFEFF" + cases + (review.money && hasMoney(review.money) ? moneyCsv(review.money) : "");
}
