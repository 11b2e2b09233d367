/**
 * The money figures of a period (issue 23), pure, for the finance review's
 * half month and the monthly review's month alike: cost by category (every
 * booking the journal would list, so the figures and the journal agree),
 * dealer debits still to book, supplier credits due and overdue. Overdue is
 * judged as of the period's end, or today when the period is still running.
 */
import type { Case } from "../domain/case";
import { serialToIso } from "../domain/dates";
import type { CostLine } from "../domain/money/cost-lines";
import { dealerDebitApproved } from "../domain/money/money-rules";
import type { Policy } from "../domain/policy/policy";
import { bookings, categoryOf } from "./journal";
import { toCsv } from "./csv";

export interface CategoryTotal {
  code: string;
  zh: string;
  en: string;
  n: number;
  amount: number;
}

export interface MoneyItem {
  caseNo: string;
  /** The dealer (the case's customer) or the supplier. */
  party: string;
  amount: number;
  /** Dealer debit: notified on; supplier credit: due on (ISO dates, "" when not recorded). */
  date: string;
  /** Dealer debit: approved; supplier credit: overdue. */
  flag: boolean;
}

export interface MoneyFigures {
  from: number;
  to: number;
  costByCategory: CategoryTotal[];
  debitsToBook: MoneyItem[];
  creditsDue: MoneyItem[];
  creditsOverdue: MoneyItem[];
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** The figures of `from`..`to` (serial days, inclusive), `today` deciding what is overdue in a running period. */
export function moneyFigures(cases: readonly Case[], lines: readonly CostLine[], policy: Policy, from: number, to: number, today: number): MoneyFigures {
  const asOf = Math.min(to, today);
  const byCat = new Map<string, CategoryTotal>();
  for (const b of bookings(cases, lines, policy)) {
    if (b.date < from || b.date > to) continue;
    const cat = categoryOf(b.category, policy);
    const t = byCat.get(b.category) ?? { code: b.category, zh: cat?.zh ?? b.category, en: cat?.en ?? b.category, n: 0, amount: 0 };
    t.n++;
    t.amount = cents(t.amount + b.amount);
    byCat.set(b.category, t);
  }
  const order = policy.money.categories.map((c) => c.code);
  const rank = (code: string) => (order.indexOf(code) < 0 ? order.length : order.indexOf(code));
  const debitsToBook: MoneyItem[] = [];
  const creditsDue: MoneyItem[] = [];
  const creditsOverdue: MoneyItem[] = [];
  for (const c of cases) {
    if (!c.caseNo) continue;
    const notified = c.dealerNotifiedAt === undefined ? undefined : Math.floor(c.dealerNotifiedAt);
    const booked = c.dealerDebitBookedAt === undefined ? undefined : Math.floor(c.dealerDebitBookedAt);
    if ((c.dealerDebitAmount ?? 0) > 0 && (notified === undefined || notified <= to) && (booked === undefined || booked > to))
      debitsToBook.push({
        caseNo: c.caseNo,
        party: c.customer ?? "",
        amount: c.dealerDebitAmount!,
        date: notified === undefined ? "" : serialToIso(notified),
        flag: dealerDebitApproved(c, policy),
      });
    const returned = c.supplierReturnedAt === undefined ? undefined : Math.floor(c.supplierReturnedAt);
    const credited = c.supplierCreditedAt === undefined ? undefined : Math.floor(c.supplierCreditedAt);
    if ((c.supplierCreditAmount ?? 0) > 0 && returned !== undefined && returned <= to && (credited === undefined || credited > to)) {
      const due = returned + policy.money.supplierCreditDays;
      const item = { caseNo: c.caseNo, party: c.supplierName ?? "", amount: c.supplierCreditAmount!, date: serialToIso(due), flag: due < asOf };
      (item.flag ? creditsOverdue : creditsDue).push(item);
    }
  }
  return { from, to, costByCategory: [...byCat.values()].sort((a, b) => rank(a.code) - rank(b.code)), debitsToBook, creditsDue, creditsOverdue };
}

export const moneyTotal = (xs: readonly { amount: number }[]) => cents(xs.reduce((t, x) => t + x.amount, 0));

/** The figures as rows under one header (the review sheet's blocks and the CSV's sections share them). */
export function moneyRows(m: MoneyFigures): { title: string; header: string[]; rows: (string | number)[][] }[] {
  const item = (x: MoneyItem, flag: [string, string]) => [x.caseNo, x.party, x.amount, x.date, x.flag ? flag[0] : flag[1]];
  return [
    {
      title: "费用类别 Cost by category",
      header: ["类别 Category", "笔数 Lines", "金额 Amount"],
      rows: [
        ...m.costByCategory.map((t) => [`${t.zh} ${t.en}`, t.n, t.amount]),
        ["合计 Total", m.costByCategory.reduce((s, t) => s + t.n, 0), moneyTotal(m.costByCategory)],
      ],
    },
    {
      title: "待入账经销商扣款 Dealer debits to book",
      header: ["客诉单号 Case No.", "经销商 Dealer", "金额 Amount", "通知日期 Notified on", "审批 Approval"],
      rows: m.debitsToBook.map((x) => item(x, ["已审批 Approved", "待审批 Awaiting approval"])),
    },
    {
      title: "供应商赔偿应收 Supplier credits due",
      header: ["客诉单号 Case No.", "供应商 Supplier", "金额 Amount", "应到账日 Due on", "状态 Status"],
      rows: [...m.creditsOverdue, ...m.creditsDue].map((x) => item(x, ["逾期 Overdue", "未到期 Not yet due"])),
    },
  ];
}

/** The figures as CSV sections (a title row, a header, the rows, a blank row between), cells made safe by csv.ts. */
export function moneyCsv(m: MoneyFigures): string {
  const out: (string | number)[][] = [];
  for (const s of moneyRows(m)) out.push([], [s.title], s.header, ...s.rows);
  return toCsv(out);
}
