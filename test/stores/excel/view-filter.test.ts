/**
 * Views in the grid on the instrumented fake: a view filters the ledger
 * table's case-number column to exactly the cases views.ts picks, "show all"
 * clears it, a temporary sheet view keeps co-authors' screens unfiltered
 * where the host has one, and every operation costs the same round trips at
 * 10 rows and at 10,000.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { calendarFor } from "../../../src/domain/sla";
import { todayIn } from "../../../src/domain/zone";
import { ExcelStore } from "../../../src/stores/excel/store";
import { activeLedgerRow, NO_MATCH } from "../../../src/stores/excel/view-filter";
import { applyNamedView } from "../../../src/reports/named-views";
import { TABLES } from "../../../src/ledger/workbook-layout";
import { Ledger } from "../../../src/ledger/service";
import { applyView, viewCounts } from "../../../src/reports/views";
import { bodyChunks, col, ledgerWith, NOW, records, type Setup } from "./setup";

jest.setTimeout(120_000);

const policy = defaultPolicy();
const cal = calendarFor(policy);
const today = todayIn(NOW);

describe.each([10, 10_000])("with %i cases", (n) => {
  let s: Setup;
  let ledger: Ledger;
  const caseNoCol = () => col(s, "caseNo");

  beforeAll(async () => {
    const recs = records(n, policy);
    // A few cases of another customer, so "by customer" picks a strict subset.
    for (let i = 0; i < recs.length; i += 5) recs[i] = { ...recs[i], customer: "格力" };
    s = await ledgerWith(recs, policy);
    ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
  });

  test("a view filters the case-number column on its cases: 2 syncs; the rows shown are exactly the view's", async () => {
    const open = applyView(ledger.rows, "open", policy, cal, today);
    expect(open.rows.length).toBe(viewCounts(ledger.rows, policy, cal, today).open);
    expect(open.rows.length).toBeGreaterThan(0);
    expect(open.rows.length).toBeLessThan(n);
    s.fake.syncs = 0;
    const r = await s.store.applyView({ caseNos: open.rows.map((x) => x.case.caseNo!) });
    expect(s.fake.syncs).toBe(2);
    expect(r).toEqual({ mode: "shared", shown: open.rows.length });
    expect(s.fake.table(TABLES.ledger)!.filter?.col).toBe(caseNoCol());
    expect(s.fake.visibleRows(TABLES.ledger)).toEqual(open.rows.map((x) => x.row));
  });

  test("show all clears the criteria: 2 syncs", async () => {
    s.fake.syncs = 0;
    const r = await s.store.applyView(null);
    expect(s.fake.syncs).toBe(2);
    expect(r).toEqual({ mode: "shared", shown: n });
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(n);
  });

  test("a view with no cases hides every row (an empty values list is never sent)", async () => {
    await s.store.applyView({ caseNos: [] });
    expect(s.fake.table(TABLES.ledger)!.filter?.values).toEqual([NO_MATCH]);
    expect(s.fake.visibleRows(TABLES.ledger)).toEqual([]);
    await s.store.applyView(null);
  });

  test("a ribbon click (read, work out the view, filter) is 3 syncs; 'by customer' takes the selected row's customer in 4", async () => {
    s.fake.syncs = 0;
    const r = await applyNamedView(ledger, () => activeLedgerRow(s.fake.run), "overdue", NOW);
    expect(s.fake.syncs).toBe(3 + bodyChunks(s)); // the read is chunked under the 5 MB limit
    const overdue = applyView(ledger.rows, "overdue", policy, cal, today).rows.map((x) => x.row);
    expect(r).toMatchObject({ view: "overdue", shown: overdue.length });
    expect(s.fake.visibleRows(TABLES.ledger)).toEqual(overdue);

    const t = s.fake.table(TABLES.ledger)!;
    s.fake.selection = { sheet: t.sheet.name, address: `B${t.r + 2 + 5}` }; // body row 5: 格力
    s.fake.syncs = 0;
    const by = await applyNamedView(ledger, () => activeLedgerRow(s.fake.run), "byCustomer", NOW);
    expect(s.fake.syncs).toBe(4 + bodyChunks(s));
    expect(by).toMatchObject({ view: "byCustomer", param: "格力" });
    const gree = ledger.rows.filter((x) => x.case.customer === "格力").map((x) => x.row);
    expect(s.fake.visibleRows(TABLES.ledger)).toEqual(gree);
    await s.store.applyView(null);
  });
});

describe("temporary sheet views (Excel on the web)", () => {
  test("the filter goes into this user's temporary view; co-authors' screens stay unfiltered", async () => {
    const s = await ledgerWith(records(12, policy), policy);
    s.fake.sheetViews = true;
    const store = new ExcelStore({ run: s.fake.run, policy, supports: s.fake.isSetSupported });
    expect(store.viewMode()).toBe("temporary");
    const ledger = new Ledger(store, { now: () => NOW });
    await ledger.load();
    const serious = ledger.rows.filter((_, i) => i % 3 === 0).map((r) => r.case.caseNo!);
    s.fake.syncs = 0;
    const r = await store.applyView({ caseNos: serious });
    expect(s.fake.syncs).toBe(2);
    expect(r.mode).toBe("temporary");
    expect(s.fake.visibleRows(TABLES.ledger)).toEqual([0, 3, 6, 9]);
    expect(s.fake.sharedVisibleRows(TABLES.ledger)).toHaveLength(12);
    expect(s.fake.table(TABLES.ledger)!.filter).toBeUndefined();
    // Show all: this user's view shows everything, and nothing changed for others.
    await store.applyView(null);
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(12);
    expect(s.fake.table(TABLES.ledger)!.filter).toBeUndefined();
  });

  test("'show all' in a temporary view does not clear a filter a co-author set on the shared view", async () => {
    const s = await ledgerWith(records(8, policy), policy);
    s.fake.sheetViews = true;
    const t = s.fake.table(TABLES.ledger)!;
    t.filter = { col: col(s, "caseNo"), values: ["KS-2026-0001"] }; // a co-author's own filter
    const store = new ExcelStore({ run: s.fake.run, policy, supports: s.fake.isSetSupported });
    await store.applyView(null);
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(8);
    expect(s.fake.sharedVisibleRows(TABLES.ledger)).toEqual([0]);
  });

  test("without ExcelApiOnline the store says 'shared' and never calls namedSheetViews", async () => {
    const s = await ledgerWith(records(4, policy), policy);
    const store = new ExcelStore({ run: s.fake.run, policy, supports: s.fake.isSetSupported });
    expect(store.viewMode()).toBe("shared");
    await expect(store.applyView({ caseNos: ["KS-2026-0002"] })).resolves.toMatchObject({ mode: "shared", shown: 1 });
    expect(s.fake.sharedVisibleRows(TABLES.ledger)).toEqual([1]);
  });
});

describe("the selected row", () => {
  test("is found in one sync; outside the table it is undefined", async () => {
    const s = await ledgerWith(records(6, policy), policy);
    const t = s.fake.table(TABLES.ledger)!;
    s.fake.selection = { sheet: t.sheet.name, address: `C${t.r + 2 + 3}` };
    s.fake.syncs = 0;
    expect(await activeLedgerRow(s.fake.run)).toBe(3);
    expect(s.fake.syncs).toBe(1);
    s.fake.selection = { sheet: t.sheet.name, address: `A${t.r + 1}` }; // the header
    expect(await activeLedgerRow(s.fake.run)).toBeUndefined();
  });

  test("a view on a workbook without a ledger says so in both languages", async () => {
    const { FakeExcel } = await import("../../fakes/excel-fake");
    const fake = new FakeExcel(["Sheet1"]);
    const store = new ExcelStore({ run: fake.run, supports: fake.isSetSupported });
    await expect(store.applyView(null)).rejects.toThrow(/台账.*ledger/);
  });
});

describe("ribbon buttons", () => {
  test("every ExecuteFunction in the manifest is registered by commands.ts", async () => {
    const { readFileSync } = await import("fs");
    const xml = readFileSync(require.resolve("../../../manifest.xml"), "utf8");
    const names = [...xml.matchAll(/<FunctionName>([^<]+)<\/FunctionName>/g)].map((m) => m[1]);
    const { VIEW_COMMANDS } = await import("../../../src/commands/commands");
    expect(names.sort()).toEqual([...Object.keys(VIEW_COMMANDS), "clRebuildDashboard"].sort());
  });

  test("a view button filters in 3 syncs; a 'same …' button without a ledger row selected opens the pane with a bilingual hint", async () => {
    const { runView, runDashboard } = await import("../../../src/commands/ledger-actions");
    const s = await ledgerWith(records(20, policy), policy);
    const shown: unknown[] = [];
    const env = {
      run: s.fake.run,
      supports: s.fake.isSetSupported,
      now: () => NOW,
      showPane: async (r: unknown) => {
        shown.push(r);
      },
    };
    s.fake.syncs = 0;
    const r = await runView("open", env);
    expect(s.fake.syncs).toBe(3);
    expect(r).toMatchObject({ view: "open", mode: "shared" });
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(r!.shown);

    s.fake.syncs = 0;
    expect(await runView("all", env)).toMatchObject({ view: "all", shown: 20 });
    expect(s.fake.syncs).toBe(2);
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(20);

    s.fake.selection = { sheet: s.fake.sheets[0].name, address: "A1" };
    expect(await runView("byProduct", env)).toBeUndefined();
    expect(shown).toEqual([
      expect.objectContaining({
        tab: "views",
        notice: expect.objectContaining({ zh: expect.stringContaining("选中一行"), en: expect.stringContaining("ledger row") }),
      }),
    ]);

    s.fake.syncs = 0;
    expect(await runDashboard(env)).toBe("看板 Dashboard");
    expect(s.fake.syncs).toBe(3);
    expect(s.fake.sheet("看板 Dashboard")!.charts.length).toBeGreaterThan(3);
  });
});
