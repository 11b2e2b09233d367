/**
 * The money figures of a period (issue 23): cost by category equal to the journal's bookings of the period, the
 * dealer debits still to book, the supplier credits due and overdue; the finance review's sheet and CSV gain them,
 * its cases' columns unchanged.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial as ymd } from "../../src/domain/dates";
import type { CostLine } from "../../src/domain/money/cost-lines";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { financeReview, REVIEW_HEADER, reviewCsv } from "../../src/reports/finance-review";
import { bookings } from "../../src/reports/journal";
import { moneyFigures } from "../../src/reports/money-figures";
import { financeLayout } from "../../src/reports/report-sheets";
import type { CaseRow } from "../../src/ledger/service";

const policy = defaultPolicy();
const sig = (form: string) => ({ name: "吴芳", at: ymd(2026, 3, 4), forms: [form] });
const cases: Case[] = [
  // Dealer debit notified, approved, booked on the 5th: a booking (DEALER_DEBIT), nothing left to book.
  {
    caseNo: "KS-2026-0001",
    customer: "华为",
    responsibility: "DEALER",
    charge: "CHARGED",
    dealerDebitAmount: 1200,
    dealerNotifiedAt: ymd(2026, 3, 4),
    dealerNotifiedBy: "何敏",
    dealerDebitBookedAt: ymd(2026, 3, 5),
    signatures: { CS_MANAGER: sig("DEALER_DEBIT") },
  },
  // Debit notified, not approved, not booked: to book.
  { caseNo: "KS-2026-0002", customer: "中兴", responsibility: "DEALER", dealerDebitAmount: 300, dealerNotifiedAt: ymd(2026, 3, 6), signatures: {} },
  // Supplier credits: one returned long ago (overdue by the 15th), one just now (due), one received (a booking).
  { caseNo: "KS-2026-0003", responsibility: "SUPPLIER", supplierName: "宏达", supplierReturnedAt: ymd(2026, 1, 20), supplierCreditAmount: 500, signatures: {} },
  { caseNo: "KS-2026-0004", responsibility: "SUPPLIER", supplierName: "宏达", supplierReturnedAt: ymd(2026, 3, 10), supplierCreditAmount: 80, signatures: {} },
  {
    caseNo: "KS-2026-0005",
    responsibility: "SUPPLIER",
    supplierName: "恒通",
    supplierReturnedAt: ymd(2026, 2, 1),
    supplierCreditAmount: 250.5,
    supplierCreditedAt: ymd(2026, 3, 12),
    signatures: {},
  },
];
const line = (n: number, caseNo: string, category: string, amount: number, day: number): CostLine => ({
  lineNo: `${caseNo}-C${n}`,
  caseNo,
  item: "返修",
  amount,
  currency: "CNY",
  category,
  date: ymd(2026, 3, day),
});
const lines = [
  line(1, "KS-2026-0001", "SALES_COST", 100.1, 2),
  line(2, "KS-2026-0001", "SALES_COST", 0.2, 14),
  line(1, "KS-2026-0002", "SALES_EXPENSE", 40, 16),
];

test("cost by category equals the period's journal bookings summed another way; debits to book and supplier credits due/overdue", () => {
  const m = moneyFigures(cases, lines, policy, ymd(2026, 3, 1), ymd(2026, 3, 15), ymd(2026, 3, 20));
  // Independently: the bookings dated in the period, summed per category in cents.
  const inPeriod = bookings(cases, lines, policy).filter((b) => b.date >= ymd(2026, 3, 1) && b.date <= ymd(2026, 3, 15));
  const cents = new Map<string, number>();
  for (const b of inPeriod) cents.set(b.category, (cents.get(b.category) ?? 0) + Math.round(b.amount * 100));
  const rank = (code: string) => policy.money.categories.findIndex((c) => c.code === code);
  expect(m.costByCategory.map((c) => [c.code, Math.round(c.amount * 100)])).toEqual([...cents].sort((a, b) => rank(a[0]) - rank(b[0])));
  expect(m.costByCategory).toEqual([
    { code: "SALES_COST", zh: "销售成本", en: "Cost of sales", n: 2, amount: 100.3 },
    { code: "SUPPLIER", zh: "供应商承担", en: "Borne by the supplier", n: 1, amount: 250.5 },
    { code: "DEALER_DEBIT", zh: "经销商扣款", en: "Dealer debit", n: 1, amount: 1200 },
  ]);
  expect(m.debitsToBook).toEqual([{ caseNo: "KS-2026-0002", party: "中兴", amount: 300, date: "2026-03-06", flag: false }]);
  // Due 30 days after the return (the Policy's supplierCreditDays): 2026-02-19 is past by the 15th, 2026-04-09 is not.
  expect(m.creditsOverdue).toEqual([{ caseNo: "KS-2026-0003", party: "宏达", amount: 500, date: "2026-02-19", flag: true }]);
  expect(m.creditsDue).toEqual([{ caseNo: "KS-2026-0004", party: "宏达", amount: 80, date: "2026-04-09", flag: false }]);
  // A running period judges overdue as of today, not its end.
  const early = moneyFigures(cases, lines, policy, ymd(2026, 2, 16), ymd(2026, 2, 28), ymd(2026, 2, 18));
  expect(early.creditsOverdue).toEqual([]);
  expect(early.creditsDue.map((x) => x.caseNo)).toEqual(["KS-2026-0003", "KS-2026-0005"]);
});

test("the finance review's CSV and sheet gain the money sections; its cases' header is unchanged", () => {
  const rows: CaseRow[] = cases.map((c, row) => ({ case: c, row, record: {}, problems: [] }));
  const review = financeReview(rows, [], policy, ymd(2026, 3, 3), { costLines: lines, today: ymd(2026, 3, 20) });
  const csv = reviewCsv(review)
    .replace(/^\uFEFF/, "")
    .split("\r\n");
  expect(csv[0].split(",")).toEqual(REVIEW_HEADER);
  expect(csv).toContain("费用类别 Cost by category");
  expect(csv).toContain("经销商扣款 Dealer debit,1,1200");
  expect(csv).toContain("KS-2026-0003,宏达,500,2026-02-19,逾期 Overdue");
  const layout = financeLayout(review);
  expect(layout.blocks.map((b) => b.title ?? "")).toEqual(
    expect.arrayContaining(["待入账经销商扣款 Dealer debits to book", "供应商赔偿应收 Supplier credits due"]),
  );
  // A period without money shows none.
  const quiet = financeReview(rows, [], policy, ymd(2025, 12, 3));
  expect(reviewCsv(quiet)).not.toContain("费用类别");
  expect(financeLayout(quiet).blocks).toHaveLength(2);
});

test("a booked dealer debit and a received supplier credit are bookings of the whole case: key, day, party and memo", () => {
  const ofCases = bookings(cases, [], policy);
  expect(ofCases).toEqual([
    {
      key: "DEBIT:KS-2026-0001",
      date: ymd(2026, 3, 5),
      caseNo: "KS-2026-0001",
      category: "DEALER_DEBIT",
      amount: 1200,
      currency: "CNY",
      counterparty: "华为",
      memo: "经销商扣款 Dealer debit KS-2026-0001",
    },
    {
      key: "CREDIT:KS-2026-0005",
      date: ymd(2026, 3, 12),
      caseNo: "KS-2026-0005",
      category: "SUPPLIER",
      amount: 250.5,
      currency: "CNY",
      counterparty: "恒通",
      memo: "供应商赔偿 Supplier credit KS-2026-0005",
    },
  ]);
});
