/**
 * Report sheets: one generated-sheet layout (ledger/generated-sheet.ts) per report — the dashboard, a finance
 * review period — that every store writes the same way (`LedgerStore.writeSheet`), so the sheet shows the
 * figures of dashboard.ts / finance-review.ts and nothing computed twice.
 *
 * Sheet text is bilingual ("件数 Cases"), like the ledger's own headers.
 * Values are written through each adapter's text-is-text door (Excel's
 * `toExcel`), so a customer or defect typed as "=…" stays text.
 */
import type { CellValue } from "../domain/case";
import { serialToIso } from "../domain/dates";
import type { Counted, Dashboard } from "./dashboard";
import { hasMoney, REVIEW_COLUMNS, REVIEW_HEADER, reviewRow, reviewTotals, type FinanceReview } from "./finance-review";
import { moneyRows } from "./money-figures";
import { SHEETS, safeSheetName } from "../ledger/workbook-layout";
import { blockRows, blockWidth, MONEY, PERCENT, type ChartType, type LayoutBlock, type LayoutChart, type SheetLayout } from "../ledger/generated-sheet";
import type { FinanceLine } from "./finance-summary";

const bi = (zh: string, en: string) => (zh === en ? zh : `${zh} ${en}`);

// ---------------------------------------------------------------- dashboard

const countedRows = (list: readonly Counted[], label: (c: Counted) => string = (c) => bi(c.zh, c.en)) =>
  list.map((c) => [label(c), c.cases, c.cost] as CellValue[]);
const COUNTED_HEADER = (what: string) => [what, "件数 Cases", "费用 Cost"];
const COUNTED_FORMATS = ["", "0", MONEY];

const FIN_HEADER = (what: string) => [what, "免费件数 Free", "免费费用 Free cost", "收费件数 Charged", "收费费用 Charged cost"];
const FIN_FORMATS = ["", "0", MONEY, "0", MONEY];
const finRow = (l: FinanceLine, label: string): CellValue[] => [label, l.free, l.freeCost, l.charged, l.chargedCost];

/**
 * The dashboard sheet: a summary, then one block per figure of
 * `buildDashboard`, stacked in columns A–; charts to the right, one under
 * another, each over the block it belongs to.
 */
export function dashboardLayout(d: Dashboard): SheetLayout {
  const blocks: LayoutBlock[] = [];
  const charts: Omit<LayoutChart, "at">[] = [];
  let row = 0;
  const add = (b: Omit<LayoutBlock, "row" | "col">, chart?: { type: ChartType; cols: number }) => {
    const block = { ...b, row, col: 0 };
    blocks.push(block);
    if (chart && block.rows.length) charts.push({ ...chart, title: b.title ?? "", block: blocks.length - 1 });
    row = blockRows(block).last + 2;
  };
  const f = d.finance;

  add({
    title: "客诉看板 Complaint dashboard",
    rows: [
      ["截至 As of", serialToIso(Math.floor(d.asOf))],
      ["案件总数 Cases", d.cases],
      ["未结案 Open", d.open],
      ["已标记收费/免费 Marked free or charged", f.cases],
      ["其中缺少费用 of which without a cost", f.missingCost],
    ],
    formats: ["", "0"],
  });
  add(
    { title: "未结案件账龄 Open cases by age", header: COUNTED_HEADER("账龄 Age"), rows: countedRows(d.age), formats: COUNTED_FORMATS },
    { type: "ColumnClustered", cols: 2 },
  );

  // On-time rate: the figures per clock and month, then a month × clock grid for the chart.
  add({
    title: "准时率(按时效与月份) On-time rate per clock and month",
    header: ["时效 Clock", "月份 Month", "按时 Met", "超时 Missed", "准时率 On-time rate"],
    rows: d.onTime.map((o) => [bi(o.zh, o.en), o.month, o.met, o.missed, o.rate]),
    formats: ["", "", "0", "0", PERCENT],
  });
  const clocks = [...new Map(d.onTime.map((o) => [o.clock, bi(o.zh, o.en)])).entries()];
  const months = [...new Set(d.onTime.map((o) => o.month))].sort();
  add(
    {
      title: "准时率趋势 On-time rate by month",
      header: ["月份 Month", ...clocks.map(([, l]) => l)],
      rows: months.map((m) => [m, ...clocks.map(([code]) => d.onTime.find((o) => o.clock === code && o.month === m)?.rate ?? null)]),
      formats: ["", ...clocks.map(() => PERCENT)],
    },
    { type: "Line", cols: 1 + clocks.length },
  );

  add(
    {
      title: "按责任 Cases and cost by responsibility",
      header: COUNTED_HEADER("责任 Responsibility"),
      rows: countedRows(d.byResponsibility),
      formats: COUNTED_FORMATS,
    },
    { type: "BarClustered", cols: 2 },
  );
  add(
    {
      title: "按客户(前列) Cases and cost by customer (top)",
      header: COUNTED_HEADER("客户 Customer"),
      rows: countedRows(d.byCustomer, (c) => c.zh),
      formats: COUNTED_FORMATS,
    },
    { type: "BarClustered", cols: 2 },
  );
  add(
    { title: "主要不良 Top defects", header: COUNTED_HEADER("不良现象 Defect"), rows: countedRows(d.topDefects, (c) => c.zh), formats: COUNTED_FORMATS },
    { type: "BarClustered", cols: 2 },
  );
  add(
    { title: "8D 状态 8D status (cases that need one)", header: COUNTED_HEADER("状态 Status"), rows: countedRows(d.eightD), formats: COUNTED_FORMATS },
    { type: "Pie", cols: 2 },
  );

  add({
    title: "财务汇总 Finance summary (free / charged)",
    header: FIN_HEADER("责任 Responsibility"),
    rows: [finRow(f.total, bi(f.total.zh, f.total.en)), ...f.byResponsibility.map((l) => finRow(l, bi(l.zh, l.en)))],
    formats: FIN_FORMATS,
  });
  add(
    {
      title: "财务按半月 Finance by half-month",
      header: ["期间 Period", "免费费用 Free cost", "收费费用 Charged cost", "免费件数 Free", "收费件数 Charged"],
      rows: f.byPeriod.map((l) => [l.key, l.freeCost, l.chargedCost, l.free, l.charged]),
      formats: ["", MONEY, MONEY, "0", "0"],
    },
    { type: "ColumnStacked", cols: 3 },
  );
  add({ title: "财务按客户 Finance by customer", header: FIN_HEADER("客户 Customer"), rows: f.byCustomer.map((l) => finRow(l, l.zh)), formats: FIN_FORMATS });

  const right = Math.max(...blocks.map(blockWidth)) + 1;
  const CHART_ROWS = 16,
    CHART_COLS = 8;
  return {
    name: SHEETS.dashboard,
    blocks,
    charts: charts.map((c, i) => ({ ...c, at: { row: 1 + i * (CHART_ROWS + 1), col: right, rows: CHART_ROWS, cols: CHART_COLS } })),
    widths: [34, 12, 14, 12, 14],
  };
}

// ---------------------------------------------------------------- finance review

/** The sheet name of a review period: "财务审核 2026-03 H1". */
export const reviewSheetName = (r: FinanceReview) => safeSheetName(`${SHEETS.financePrefix}${r.period.key}`);

/** A review period as a sheet: totals, then one row per marked case (rows with issues marked). */
export function financeLayout(r: FinanceReview): SheetLayout {
  const { free, charged, all } = reviewTotals(r);
  const head: LayoutBlock = {
    row: 0,
    col: 0,
    title: `财务审核 Finance review ${r.period.key}(${serialToIso(r.period.start)} – ${serialToIso(r.period.end)})`,
    header: ["项目 Item", "件数 Cases", "费用 Cost"],
    rows: [
      ["免费 Free", free.n, free.cost],
      ["收费 Charged", charged.n, charged.cost],
      ["合计 Total", all.n, all.cost],
      ["有问题 With issues", r.issues, null],
      ["已审核 Reviewed", r.reviewed, null],
    ],
    formats: ["", "0", MONEY],
  };
  const lines: LayoutBlock = {
    row: blockRows(head).last + 2,
    col: 0,
    header: REVIEW_HEADER,
    rows: r.lines.map(reviewRow),
    formats: REVIEW_COLUMNS.map((c) => (c.money ? MONEY : "")),
    marked: r.lines.flatMap((l, i) => (l.issues.length ? [i] : [])),
  };
  // The money trail's blocks (issue 23) below the cases, when the period has any.
  const blocks: LayoutBlock[] = [head, lines];
  if (r.money && hasMoney(r.money))
    for (const s of moneyRows(r.money)) {
      const block: LayoutBlock = {
        row: blockRows(blocks[blocks.length - 1]).last + 2,
        col: 0,
        title: s.title,
        header: s.header,
        rows: s.rows,
        formats: s.header.map((_, i) => (i === 2 ? MONEY : "")),
      };
      blocks.push(block);
    }
  return { name: reviewSheetName(r), blocks, charts: [], widths: REVIEW_COLUMNS.map((c) => c.width) };
}
