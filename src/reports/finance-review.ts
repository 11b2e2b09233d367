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
import { findNamed, type Policy } from "../domain/policy";
import { chargeConflict } from "../domain/responsibility";
import { CHARGES } from "../domain/schema";
import type { AuditEntry } from "../ledger/audit";
import { reviewedValue } from "../ledger/finance-marks";
import { toCsv } from "./csv";
import { bookingDate, halfMonth } from "./finance-summary";
import type { CaseRow } from "../ledger/service";

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
  charge: string;
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
  lines: ReviewLine[];
  issues: number;
  reviewed: number;
}

export function financeReview(rows: readonly CaseRow[], audit: readonly AuditEntry[], policy: Policy, day: number): FinanceReview {
  const period = halfMonth(Math.floor(day));
  const lines: ReviewLine[] = [];
  const byCase = new Map<string, AuditEntry[]>();
  for (const e of [...audit].sort((a, b) => a.seq - b.seq)) {
    if (!e.caseNo) continue;
    (byCase.get(e.caseNo) ?? byCase.set(e.caseNo, []).get(e.caseNo)!).push(e);
  }
  for (const r of rows) {
    const c = r.case;
    if (c.charge !== "FREE" && c.charge !== "CHARGED") continue;
    const d = bookingDate(c);
    if (d === undefined || Math.floor(d) < period.start || Math.floor(d) > period.end) continue;
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
        zh: `财务审核后被修改(审核时为 ${review.newValue})`,
        en: `Changed after finance reviewed it (was ${review.newValue})`,
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
      charge: findNamed(CHARGES, c.charge)!.zh,
      cost: c.cost,
      bookedOn: serialToIso(Math.floor(d)),
      approvals,
      markedBy: marked?.user ?? "",
      markedAt: marked?.at ?? "",
      reviewed: review ? { by: review.user, at: review.at } : undefined,
      issues,
    });
  }
  return { period, lines, issues: lines.filter((l) => l.issues.length).length, reviewed: lines.filter((l) => l.reviewed).length };
}

/** The review's columns, in the sheet and in the CSV alike. */
export const REVIEW_HEADER = [
  "客诉单号 Case No.",
  "客户 Customer",
  "责任 Responsibility",
  "收费/免费 Free/charged",
  "费用 Cost",
  "入账日 Booked on",
  "签核 Sign-offs",
  "标记人 Marked by",
  "标记时间 Marked at",
  "审核人 Reviewed by",
  "审核时间 Reviewed at",
  "问题 Issues",
];

/** One reviewed case under REVIEW_HEADER; a missing cost is left empty. */
export function reviewRow(l: FinanceReview["lines"][number]): (string | number | null)[] {
  return [
    l.caseNo,
    l.customer,
    l.responsibility,
    l.charge,
    l.cost ?? null,
    l.bookedOn,
    l.approvals.join("; "),
    l.markedBy,
    l.markedAt,
    l.reviewed?.by ?? "",
    l.reviewed?.at ?? "",
    l.issues.map((i) => `${i.zh} / ${i.en}`).join("; "),
  ];
}

/** The period as CSV for filing (UTF-8 with BOM so Excel opens the Chinese correctly). */
export function reviewCsv(review: FinanceReview): string {
  return "\uFEFF" + toCsv([REVIEW_HEADER, ...review.lines.map((l) => reviewRow(l).map((v) => v ?? ""))]);
}
