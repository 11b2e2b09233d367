/**
 * A finance review period as a sheet on the instrumented fake: the lines
 * and totals of financeReview, lines with issues marked, text kept as text,
 * in 2 round trips at 10 and 10,000 rows; marking reviewed is an audit entry
 * that the next review (and sheet) shows.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { financeReview } from "../../../src/reports/finance-review";
import { reviewEntries } from "../../../src/ledger/finance-marks";
import { Ledger } from "../../../src/ledger/service";
import { financeLayout } from "../../../src/reports/report-sheets";
import { blockRows, layoutGrid } from "../../../src/ledger/generated-sheet";
import { ledgerWith, NOW, record, records, serial, type Setup } from "./setup";

jest.setTimeout(120_000);

const policy = defaultPolicy();

describe.each([10, 10_000])("with %i cases", (n) => {
  let s: Setup;
  let ledger: Ledger;
  const day = serial(2026, 3, 9);

  beforeAll(async () => {
    const recs = records(n, policy);
    recs[3] = record(3, "CLOSED", policy, { responsibility: "DEALER", charge: "CHARGED", cost: 80, customer: "+86 客户" });
    recs[7] = record(7, "CLOSED", policy, { responsibility: undefined, charge: "CHARGED", cost: 55 }); // no responsibility
    s = await ledgerWith(recs, policy);
    ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
  });

  test("the period sheet is 2 syncs and holds the review's lines and totals, issues marked", async () => {
    const review = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, day);
    expect(review.period.key).toBe("2026-03 H1");
    expect(review.lines.length).toBeGreaterThanOrEqual(2);
    s.fake.syncs = 0;
    const name = await s.store.writeSheet(financeLayout(review));
    expect(s.fake.syncs).toBe(2);
    expect(name).toBe("财务审核 2026-03 H1");

    const layout = financeLayout(review);
    const grid = layoutGrid(layout);
    const got = s.fake.cells(name, { r: 0, c: 0, h: grid.length, w: grid[0].length }).map((r) => r.map((v) => (v === "" ? null : v)));
    expect(got).toEqual(grid);
    const lines = layout.blocks[1];
    const marked = s.fake
      .sheet(name)!
      .formats.filter((f) => f.fill)
      .map((f) => f.rect.r - blockRows(lines).first);
    expect(marked).toEqual(review.lines.flatMap((l, i) => (l.issues.length ? [i] : [])));
    expect(marked.length).toBe(review.issues);
    // "+86 客户" would be a formula if typed: it is text.
    const plus = s.fake
      .sheet(name)!
      .grid.flatMap((r) => r ?? [])
      .find((c) => c?.v === "+86 客户");
    expect(plus).toMatchObject({ q: true });
    expect(plus?.f).toBeUndefined();
  });

  test("marking reviewed is one audit entry per case; the next sheet shows who reviewed", async () => {
    const review = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, day);
    const target = review.lines.find((l) => l.issues.length === 0)!.caseNo;
    await ledger.record(reviewEntries(ledger.rows, [target], "财务刘"));
    const again = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, day);
    expect(again.reviewed).toBe(1);
    expect(again.lines.find((l) => l.caseNo === target)!.reviewed?.by).toBe("财务刘");
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "FINANCE_REVIEWED", caseNo: target, user: "财务刘" });
    expect((await ledger.verifyAudit()).ok).toBe(true);
    const name = await s.store.writeSheet(financeLayout(again));
    expect(s.fake.sheets.filter((x) => x.name === name)).toHaveLength(1);
    expect(JSON.stringify(s.fake.cells(name, "A1:L40"))).toContain("财务刘");
  });
});

describe("addSheet (the 8D export in Excel)", () => {
  test("writes plain values in 2 syncs and replaces a sheet of the same name", async () => {
    const s = await ledgerWith(records(3, policy), policy);
    s.fake.syncs = 0;
    const name = await s.store.addSheet("8D KS-2026-0001", [
      ["D1 团队", "=1+1"],
      ["D2", "0012"],
    ]);
    expect(s.fake.syncs).toBe(2);
    await s.store.addSheet("8D KS-2026-0001", [
      ["D1 团队", "=1+1"],
      ["D2", "0012"],
    ]);
    expect(s.fake.sheets.filter((x) => x.name === name)).toHaveLength(1);
    expect(s.fake.cells(name, "A1:B2")).toEqual([
      ["D1 团队", "=1+1"],
      ["D2", "0012"],
    ]);
  });
});
