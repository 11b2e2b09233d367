/**
 * The dashboard sheet on the instrumented fake: rebuilt whole by one
 * command in a fixed number of round trips at 10 and 10,000 rows, figures
 * equal to buildDashboard's (and so to the finance report), native charts
 * over the ranges written, text kept as text, and a rebuild replaces the
 * sheet in place.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { dashboardOf, rebuildDashboard } from "../../../src/reports/dashboard-sheet";
import { SHEETS } from "../../../src/ledger/workbook-layout";
import { Ledger } from "../../../src/ledger/service";
import { dashboardLayout } from "../../../src/reports/report-sheets";
import { blockRows, chartSource, layoutGrid } from "../../../src/ledger/generated-sheet";
import { a1, type Prim } from "../../fakes/excel-fake";
import { bodyChunks, ledgerWith, NOW, records, type Setup } from "./setup";

jest.setTimeout(120_000);

const policy = defaultPolicy();

/** The sheet's values as the grid the layout describes (empty cells as null). */
function sheetGrid(s: Setup, rows: number, cols: number): (Prim | null)[][] {
  return s.fake.cells(SHEETS.dashboard, { r: 0, c: 0, h: rows, w: cols }).map((r) => r.map((v) => (v === "" ? null : v)));
}

describe.each([10, 10_000])("with %i cases", (n) => {
  let s: Setup;
  let ledger: Ledger;

  beforeAll(async () => {
    const recs = records(n, policy).map((r, i) => ({
      ...r,
      customer: ["美的", "格力", '=HYPERLINK("x")', "海尔"][i % 4],
      cost: r.cost === null || r.cost === undefined ? null : 100 + (i % 7),
    }));
    s = await ledgerWith(recs, policy);
    ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
  });

  test("rebuild (read, compute, write) is 3 syncs; writing alone is 2", async () => {
    s.fake.syncs = 0;
    const { sheet, dashboard } = await rebuildDashboard(ledger, NOW);
    expect(s.fake.syncs).toBe(3 + bodyChunks(s)); // the read is chunked under the 5 MB limit
    expect(sheet).toBe(SHEETS.dashboard);
    expect(dashboard.cases).toBe(n);
    s.fake.syncs = 0;
    await s.store.writeSheet(dashboardLayout(dashboard));
    expect(s.fake.syncs).toBe(2);
  });

  test("every figure on the sheet is buildDashboard's, cell for cell", async () => {
    const d = dashboardOf(ledger, NOW);
    const grid = layoutGrid(dashboardLayout(d));
    const width = Math.max(...grid.map((r) => r.length));
    expect(sheetGrid(s, grid.length, width)).toEqual(grid);
    // The finance total is the finance report's.
    const f = d.finance.total;
    const totalRow = grid.findIndex((r) => r[0] === "合计 Total");
    expect(grid[totalRow].slice(1)).toEqual([f.free, f.freeCost, f.charged, f.chargedCost]);
    expect(d.finance.total.freeCost).toBeGreaterThan(0);
  });

  test("native charts sit on the written ranges, titled, one per charted block", async () => {
    const d = dashboardOf(ledger, NOW);
    const layout = dashboardLayout(d);
    const charts = s.fake.sheet(SHEETS.dashboard)!.charts;
    const expected = layout.charts.filter((c) => chartSource(layout, c));
    expect(charts.map((c) => c.type)).toEqual(expected.map((c) => c.type));
    charts.forEach((c, i) => {
      const src = chartSource(layout, expected[i])!;
      expect(c.source).toEqual({ sheet: SHEETS.dashboard, rect: { r: src.row, c: src.col, h: src.rows, w: src.cols } });
      expect(c.title).toBe(expected[i].title);
      expect(c.position?.start).toMatch(/^[A-Z]+\d+$/);
    });
    // The age chart covers the age block's header and its five buckets.
    const age = layout.blocks[expected[0].block];
    expect(a1(charts[0].source.rect)).toBe(`A${blockRows(age).header! + 1}:B${blockRows(age).last + 1}`);
  });

  test("text stays text: a customer typed as a formula is written as that text", async () => {
    const t = s.fake.sheet(SHEETS.dashboard)!;
    const cells = t.grid.flatMap((r) => r ?? []).filter((c) => c && String(c.v).startsWith("=HYPERLINK"));
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c!.f === undefined && c!.q === true)).toBe(true);
  });

  test("a rebuild replaces the sheet where it was: one dashboard, same tab position, same charts", async () => {
    const before = s.fake.sheets.findIndex((x) => x.name === SHEETS.dashboard);
    const charts = s.fake.sheet(SHEETS.dashboard)!.charts.length;
    await rebuildDashboard(ledger, NOW);
    expect(s.fake.sheets.filter((x) => x.name === SHEETS.dashboard)).toHaveLength(1);
    expect(s.fake.sheets.findIndex((x) => x.name === SHEETS.dashboard)).toBe(before);
    expect(s.fake.sheet(SHEETS.dashboard)!.charts).toHaveLength(charts);
    expect(s.fake.eventsEnabled).toBe(true);
  });
});
