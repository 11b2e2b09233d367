/**
 * The month-end review as a sheet ("月度检讨 Review"): the figures of monthly-review.ts laid out as blocks with native
 * charts (Paretos as bars with their cumulative share as a line on a secondary axis, the 12-month trend as bars with
 * the on-time rate as a line), written by any store's `writeSheet` — the add-in's sheet, and the workbook
 * `complaint-ledger report --month` writes. Nothing here computes a figure.
 *
 * Round trips in Excel: `rebuildMonthlyReview` (read the ledger, compute, write) 3, whatever the ledger's size.
 */
import type { CellValue } from "../domain/case";
import { serialToIso } from "../domain/dates";
import { todayIn } from "../domain/zone";
import { blockRows, blockWidth, MONEY, PERCENT, type ChartType, type LayoutBlock, type LayoutChart, type SheetLayout } from "../ledger/generated-sheet";
import type { Ledger } from "../ledger/service";
import { SHEETS } from "../ledger/workbook-layout";
import { monthlyReview, monthOf, type MonthlyReview, type MonthlyReviewOptions, type ParetoLine, type ReviewCount } from "./monthly-review";

const bi = (zh: string, en: string) => (zh === en ? zh : `${zh} ${en}`);
const label = (l: { key: string; zh: string; en: string }) => (l.key === "(rest)" || l.key === "(none)" || l.zh !== l.en ? bi(l.zh, l.en) : l.zh);

export const PARETO_HEADER = (what: string) => [what, "件数 Cases", "累计占比 Cumulative share", "占比 Share", "费用 Cost"];
const PARETO_FORMATS = ["", "0", PERCENT, PERCENT, MONEY];
const paretoRows = (lines: readonly ParetoLine[]) => lines.map((l) => [label(l), l.cases, l.cumulative, l.share, l.cost] as CellValue[]);
const countRows = (lines: readonly ReviewCount[]) => lines.map((l) => [label(l), l.cases, l.cost] as CellValue[]);
const COUNT_HEADER = (what: string) => [what, "件数 Cases", "费用 Cost"];
const COUNT_FORMATS = ["", "0", MONEY];

/** The summary block's rows: the figures `--json` leads with, in the sheet's words. */
export function summaryRows(r: MonthlyReview): CellValue[][] {
  return [
    ["月份 Month", r.month],
    ["本月接收 Received", r.received],
    ["本月结案 Closed", r.closed],
    ["月末未结 Open at month end", r.openAtEnd],
    ["结案周期中位数(天) Lead time, median (days)", r.leadTime.medianDays],
    ["结案周期 90 分位(天) Lead time, 90th percentile (days)", r.leadTime.p90Days],
    [`重复客诉(${r.repeats.windowDays} 天内) Repeat complaints (within ${r.repeats.windowDays} days)`, r.repeats.cases],
    ["满意率 Satisfaction rate", r.satisfaction.rate],
    ["免费件数 Free", r.freeCharged.free.n],
    ["免费费用 Free cost", r.freeCharged.free.cost],
    ["收费件数 Charged", r.freeCharged.charged.n],
    ["收费费用 Charged cost", r.freeCharged.charged.cost],
    ["乐捐次数 Fines (count)", r.fines.count],
    ["乐捐金额 Fines (amount)", r.fines.amount],
    ["已结案无结案日期 Closed without a close date", r.closedUndated],
    ["无接收日期 Without a receipt date", r.undated],
  ];
}

/** The month's money trail (money-figures.ts): cost by category, then debits and credits. */
function moneyBlocks(r: MonthlyReview): Omit<LayoutBlock, "row" | "col">[] {
  const m = r.money;
  const sum = (xs: readonly { amount: number }[]) => Math.round(xs.reduce((t, x) => t + x.amount, 0) * 100) / 100;
  return [
    {
      title: "本月费用按类别(与日记账一致) Cost by category (as the journal books it)",
      header: ["类别 Category", "笔数 Entries", "金额 Amount"],
      rows: m.costByCategory.map((c) => [bi(c.zh, c.en), c.n, c.amount]),
      formats: COUNT_FORMATS,
    },
    {
      title: "经销商扣款与供应商索赔 Dealer debits and supplier credits",
      header: ["项目 Item", "件数 Cases", "金额 Amount"],
      rows: [
        ["待入账经销商扣款 Dealer debits to book", m.debitsToBook.length, sum(m.debitsToBook)],
        ["供应商应补偿(未到期) Supplier credits due", m.creditsDue.length, sum(m.creditsDue)],
        ["供应商补偿逾期 Supplier credits overdue", m.creditsOverdue.length, sum(m.creditsOverdue)],
      ],
      formats: COUNT_FORMATS,
    },
  ];
}

/** The review of a month as a sheet: a summary, then one block per figure; charts to the right of the blocks. */
export function monthlyReviewLayout(r: MonthlyReview): SheetLayout {
  const blocks: LayoutBlock[] = [];
  const charts: Omit<LayoutChart, "at">[] = [];
  let row = 0;
  const add = (b: Omit<LayoutBlock, "row" | "col">, chart?: { type: ChartType; cols: number; secondaryLine?: number[] }) => {
    const block = { ...b, row, col: 0 };
    blocks.push(block);
    if (chart && block.rows.length) charts.push({ ...chart, title: b.title ?? "", block: blocks.length - 1 });
    row = blockRows(block).last + 2;
  };
  const summary = summaryRows(r);
  add({
    title: `月度客诉检讨 Monthly complaint review ${r.month}(${serialToIso(r.start)} – ${serialToIso(r.end)})`,
    // General format: the value column mixes counts, days, a rate and money.
    rows: summary,
  });
  add(
    {
      title: "12 个月趋势 12-month trend",
      header: ["月份 Month", "接收 Received", "结案 Closed", "月末未结 Open at month end", "准时率 On-time rate"],
      rows: r.trend.map((t) => [t.month, t.received, t.closed, t.openAtEnd, t.onTimeRate]),
      formats: ["", "0", "0", "0", PERCENT],
    },
    { type: "ColumnClustered", cols: 5, secondaryLine: [4] },
  );
  const paretos: [string, string, readonly ParetoLine[]][] = [
    ["不良现象柏拉图 Pareto of defects", "不良现象 Defect", r.pareto.defects],
    ["产品柏拉图 Pareto of products", "产品 Product", r.pareto.products],
    ["客户柏拉图 Pareto of customers", "客户 Customer", r.pareto.customers],
    ["责任柏拉图 Pareto of responsibility", "责任 Responsibility", r.pareto.responsibility],
  ];
  for (const [title, what, lines] of paretos) {
    add({ title, header: PARETO_HEADER(what), rows: paretoRows(lines), formats: PARETO_FORMATS }, { type: "ColumnClustered", cols: 3, secondaryLine: [2] });
  }
  add(
    {
      title: "各时效准时率 On-time rate per clock",
      header: ["时效 Clock", "准时率 On-time rate", "按时 Met", "超时 Missed", "中位数(天) Median (days)", "90 分位(天) 90th percentile (days)"],
      rows: r.onTime.map((o) => [bi(o.zh, o.en), o.rate, o.met, o.missed, o.medianDays, o.p90Days]),
      formats: ["", PERCENT, "0", "0", "0.00", "0.00"],
    },
    { type: "BarClustered", cols: 2 },
  );
  add({ title: "按类别 By kind", header: COUNT_HEADER("类别 Kind"), rows: countRows(r.byKind), formats: COUNT_FORMATS });
  add({ title: "按客户等级 By customer class", header: COUNT_HEADER("客户等级 Class"), rows: countRows(r.byClass), formats: COUNT_FORMATS });
  add({ title: "按市场 By market", header: COUNT_HEADER("国内/国际 Market"), rows: countRows(r.byMarket), formats: COUNT_FORMATS });
  add({ title: "按客诉等级 By severity", header: COUNT_HEADER("客诉等级 Severity"), rows: countRows(r.bySeverity), formats: COUNT_FORMATS });
  add({
    title: "本月入账费用按责任 Cost booked in the month by responsibility",
    header: COUNT_HEADER("责任 Responsibility"),
    rows: countRows(r.costByResponsibility),
    formats: COUNT_FORMATS,
  });
  add({
    title: "免费/收费(与财务审核一致) Free / charged (as finance's review)",
    header: ["项目 Item", "件数 Cases", "费用 Cost"],
    rows: [
      ["免费 Free", r.freeCharged.free.n, r.freeCharged.free.cost],
      ["收费 Charged", r.freeCharged.charged.n, r.freeCharged.charged.cost],
      ["合计 Total", r.freeCharged.all.n, r.freeCharged.all.cost],
    ],
    formats: COUNT_FORMATS,
  });
  add(
    {
      title: `满意度(本月回访 ${r.satisfaction.followedUp} 件) Satisfaction (${r.satisfaction.followedUp} follow-ups)`,
      header: ["满意度 Satisfaction", "件数 Cases"],
      rows: r.satisfaction.counts.map((l) => [label(l), l.cases]),
      formats: ["", "0"],
    },
    { type: "Pie", cols: 2 },
  );
  add({
    title: `重复客诉 Repeat complaints (${r.repeats.cases}${r.repeats.list.length < r.repeats.cases ? `, ${r.repeats.list.length} listed` : ""})`,
    header: ["客诉单号 Case No.", "前次单号 Previous", "相同 Same", "间隔天数 Days", "客户 Customer", "产品 Product", "不良现象 Defect"],
    rows: r.repeats.list.map((x) => [
      x.caseNo,
      x.previous,
      x.by === "CUSTOMER" ? "客户+不良 customer + defect" : "产品+不良 product + defect",
      x.days,
      x.customer,
      x.product,
      x.defect,
    ]),
    formats: ["", "", "", "0"],
  });
  for (const b of moneyBlocks(r)) add(b);
  add({
    title: "乐捐 Fines",
    header: ["月份 Month", "人员 Person", "次数 Count", "金额 Amount"],
    rows: r.fines.lines.map((l) => [l.month, l.user, l.count, l.amount]),
    formats: ["", "", "0", MONEY],
  });

  const right = Math.max(...blocks.map(blockWidth)) + 1;
  const CHART_ROWS = 16,
    CHART_COLS = 8;
  return {
    name: SHEETS.review,
    blocks,
    charts: charts.map((c, i) => ({ ...c, at: { row: 1 + i * (CHART_ROWS + 1), col: right, rows: CHART_ROWS, cols: CHART_COLS } })),
    widths: [44, 12, 14, 12, 14, 14, 30],
  };
}

/** The review of a loaded ledger: its cases and audit log, the month defaulting to the current one on the ledger's clock. */
export function reviewOfLedger(
  ledger: Pick<Ledger, "rows" | "policy" | "auditEntries" | "costLines" | "today">,
  month: string,
  opts: MonthlyReviewOptions = {},
): MonthlyReview {
  return monthlyReview(
    ledger.rows.map((r) => r.case),
    month,
    ledger.policy,
    { audit: ledger.auditEntries(), costLines: ledger.costLines, today: ledger.today(), ...opts },
  );
}

/** This month on the ledger's clock ("2026-03"). */
export const currentMonth = (ledger: Pick<Ledger, "policy">, now: Date = new Date()) => monthOf(todayIn(now, ledger.policy.settings.timeZone));

/**
 * Reads the ledger again and rewrites the 月度检讨 Review sheet for `month` (default: this month on the ledger's clock):
 * the command the pane's Review tab calls. Returns the sheet's name and the figures written.
 */
export async function rebuildMonthlyReview(ledger: Ledger, month?: string, now: Date = new Date()): Promise<{ sheet: string; review: MonthlyReview }> {
  if (!ledger.store.writeSheet) throw new Error("此存储不能写检讨表 / This store cannot write a review sheet");
  await ledger.load();
  const review = reviewOfLedger(ledger, month ?? currentMonth(ledger, now));
  return { sheet: await ledger.store.writeSheet(monthlyReviewLayout(review)), review };
}
