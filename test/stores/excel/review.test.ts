/**
 * The add-in's 月度检讨 Review sheet on the instrumented fake: rebuilt on demand in a fixed number of round trips at
 * 10 and 10,000 rows, every cell the layout's (monthlyReview's figures), native charts over the written ranges with
 * the Pareto's cumulative share and the trend's on-time rate as lines on a secondary axis.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { chartSource, layoutGrid } from "../../../src/ledger/generated-sheet";
import { Ledger } from "../../../src/ledger/service";
import { SHEETS } from "../../../src/ledger/workbook-layout";
import { monthlyReviewLayout, rebuildMonthlyReview, reviewOfLedger } from "../../../src/reports/monthly-review-sheet";
import type { Prim } from "../../fakes/excel-fake";
import { bodyChunks, ledgerWith, NOW, records, type Setup } from "./setup";

jest.setTimeout(120_000);
const policy = defaultPolicy();
const DEFECTS = ["表面划伤", "尺寸偏大", "通电不亮", "包装破损", "色差"];

describe.each([10, 10_000])("with %i cases", (n) => {
  let s: Setup;
  let ledger: Ledger;

  beforeAll(async () => {
    // Received 2026-03-02 (setup's records): a defect mix so the Pareto has several bars.
    const recs = records(n, policy).map((r, i) => ({ ...r, defect: DEFECTS[(i * i) % DEFECTS.length] }));
    s = await ledgerWith(recs, policy);
    ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
  });

  test("rebuild (read, compute, write) is 3 round trips plus the read's chunks; writing alone is 2", async () => {
    s.fake.syncs = 0;
    const { sheet, review } = await rebuildMonthlyReview(ledger, "2026-03", NOW);
    expect(s.fake.syncs).toBe(3 + bodyChunks(s));
    expect(sheet).toBe(SHEETS.review);
    expect(review.received).toBe(n);
    s.fake.syncs = 0;
    await s.store.writeSheet!(monthlyReviewLayout(review));
    expect(s.fake.syncs).toBe(2);
  });

  test("every cell of the sheet is the layout's", async () => {
    const layout = monthlyReviewLayout(reviewOfLedger(ledger, "2026-03"));
    const grid = layoutGrid(layout);
    const width = Math.max(...grid.map((r) => r.length));
    const sheet = s.fake.cells(SHEETS.review, { r: 0, c: 0, h: grid.length, w: width }).map((r) => r.map((v: Prim) => (v === "" ? null : v)));
    expect(sheet).toEqual(grid);
  });

  test("native charts: Paretos and the trend carry their line on the secondary axis", async () => {
    const layout = monthlyReviewLayout(reviewOfLedger(ledger, "2026-03"));
    const charts = s.fake.sheet(SHEETS.review)!.charts;
    const expected = layout.charts.filter((c) => chartSource(layout, c));
    expect(charts.map((c) => c.title)).toEqual(expected.map((c) => c.title));
    charts.forEach((c, i) => {
      const src = chartSource(layout, expected[i])!;
      expect(c.source).toEqual({ sheet: SHEETS.review, rect: { r: src.row, c: src.col, h: src.rows, w: src.cols } });
      const lines = expected[i].secondaryLine ?? [];
      expect(Object.keys(c.series ?? {}).map(Number)).toEqual(lines.map((j) => j - 1));
      for (const j of lines) expect(c.series![j - 1]).toEqual({ chartType: "Line", axisGroup: "Secondary" });
    });
    const pareto = charts.find((c) => c.title?.startsWith("不良现象柏拉图"))!;
    expect(pareto.type).toBe("ColumnClustered");
    expect(pareto.series).toEqual({ 1: { chartType: "Line", axisGroup: "Secondary" } });
    expect(charts.find((c) => c.title?.startsWith("12 个月趋势"))!.series).toEqual({ 3: { chartType: "Line", axisGroup: "Secondary" } });
  });
});
