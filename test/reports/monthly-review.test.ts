import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { DomainError } from "../../src/domain/errors";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { monthBounds, monthlyReview, openAt, pareto, percentile, shiftMonth } from "../../src/reports/monthly-review";
import { caseAt } from "../ledger/cases";
import { generateSample } from "../../src/sample/ledger-sample";
import { MemoryStore } from "../../src/stores/memory";
import { Ledger } from "../../src/ledger/service";
import { buildDashboard } from "../../src/reports/dashboard";
import { calendarFor } from "../../src/domain/sla";
import { shanghai } from "../fakes/clock";

const policy = defaultPolicy();
const d = (y: number, m: number, day: number) => ymdToSerial(y, m, day);

/** A closed case received on `r` and closed on `k` (or open when k is undefined). */
function kase(no: string, r: number, k: number | undefined, o: Partial<Case> = {}): Case {
  const base = caseAt(k === undefined ? "JUDGED" : "CLOSED", policy, { caseNo: no });
  const c: Case = { ...base, receivedAt: r + 9 / 24, ...o };
  if (k === undefined) delete c.closedAt;
  else c.closedAt = k;
  return c;
}

describe("monthly review: definitions", () => {
  test("received, closed and open at the month's end, with cases closed in a later month", () => {
    const cases = [
      kase("A", d(2026, 2, 20), d(2026, 3, 5)), // received before, closed in March
      kase("B", d(2026, 3, 1), d(2026, 3, 31)), // received and closed in March
      kase("C", d(2026, 3, 31), d(2026, 4, 1)), // received in March, closed the next month: open at the end
      kase("D", d(2026, 3, 15), undefined), // open
      kase("E", d(2026, 4, 1), undefined), // after the month
      kase("F", d(2026, 1, 10), undefined), // older, still open
      kase("H", d(2025, 12, 1), undefined, { status: "CLOSED" }), // closed without a date: history, never open
    ];
    const r = monthlyReview(cases, "2026-03", policy);
    expect({ received: r.received, closed: r.closed, openAtEnd: r.openAtEnd, closedUndated: r.closedUndated }).toEqual({
      received: 3,
      closed: 2,
      openAtEnd: 3, // C, D, F
      closedUndated: 1,
    });
    const april = monthlyReview(cases, "2026-04", policy);
    expect({ received: april.received, closed: april.closed, openAtEnd: april.openAtEnd }).toEqual({ received: 1, closed: 1, openAtEnd: 3 });
    // The trend's last point is the month itself, and its earlier points are those months' own figures.
    expect(april.trend).toHaveLength(12);
    expect(april.trend[11]).toMatchObject({ month: "2026-04", received: 1, closed: 1, openAtEnd: 3 });
    expect(april.trend[10]).toMatchObject({ month: "2026-03", received: 3, closed: 2, openAtEnd: 3 });
    expect(april.trend[0].month).toBe("2025-05");
  });

  test("a month with no cases is all zeros, not an error", () => {
    const r = monthlyReview([kase("A", d(2026, 3, 2), d(2026, 3, 9))], "2025-07", policy);
    expect(r).toMatchObject({ month: "2025-07", received: 0, closed: 0, openAtEnd: 0 });
    expect(r.pareto.defects).toEqual([]);
    expect(r.onTime.every((o) => o.rate === null && o.medianDays === null)).toBe(true);
    expect(r.satisfaction.rate).toBeNull();
    expect(r.freeCharged.all).toEqual({ n: 0, cost: 0 });
    expect(r.byKind.map((k) => k.cases)).toEqual([0, 0, 0, 0]);
  });

  test("bad months are refused in both languages", () => {
    for (const m of ["2026-13", "2026-3", "March", "", "2026-00"]) {
      let err: unknown;
      try {
        monthBounds(m);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).zh).toMatch(/月份/);
      expect((err as DomainError).en).toMatch(/YYYY-MM/);
    }
    expect(monthBounds("2024-02")).toEqual({ start: d(2024, 2, 1), end: d(2024, 2, 29) });
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2025-12", 1)).toBe("2026-01");
  });

  test("a case closed on the month's last day is closed by its end; one received the day after is not counted", () => {
    const end = d(2026, 3, 31);
    expect(openAt(kase("X", d(2026, 3, 1), end + 0.99), end)).toBe(false);
    expect(openAt(kase("Y", d(2026, 3, 1), end + 1), end)).toBe(true);
    expect(openAt(kase("Z", end + 1, undefined), end)).toBe(false);
  });
});

describe("monthly review: breakdowns", () => {
  test("Pareto: top N then rest, shares and the running share", () => {
    const lines = ["a", "b", "c", "d"].map((k, i) => ({ key: k, zh: k, en: k, cases: 4 - i, cost: 0 }));
    const p = pareto(lines, 10, 2);
    expect(p.map((l) => [l.key, l.cases, l.share, l.cumulative])).toEqual([
      ["a", 4, 0.4, 0.4],
      ["b", 3, 0.3, 0.7],
      ["(rest)", 3, 0.3, 1],
    ]);
  });

  test("percentiles by nearest rank", () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 0.5)).toBe(5);
    expect(percentile(v, 0.9)).toBe(9);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  test("repeats: same customer + defect, or same product + defect, within the window", () => {
    const cases = [
      kase("P1", d(2026, 1, 10), d(2026, 1, 20), { customer: "甲", product: "支架", defect: "表面划伤" }),
      kase("R1", d(2026, 3, 5), undefined, { customer: "甲", product: "底座", defect: "表面 划伤" }), // 54 days after P1: customer
      kase("R2", d(2026, 3, 20), undefined, { customer: "乙", product: "底座", defect: "表面划伤" }), // 15 days after R1: product
      kase("N1", d(2026, 3, 21), undefined, { customer: "丙", product: "灯罩", defect: "异响" }), // first of its kind
      kase("O1", d(2025, 6, 1), undefined, { customer: "丁", product: "灯罩", defect: "变色" }),
      kase("N2", d(2026, 3, 22), undefined, { customer: "丁", product: "灯罩", defect: "变色" }), // beyond 90 days
    ];
    const r = monthlyReview(cases, "2026-03", policy);
    expect(r.repeats).toMatchObject({ windowDays: 90, cases: 2, byCustomer: 1, byProduct: 1 });
    expect(r.repeats.list.map((x) => [x.caseNo, x.previous, x.by, x.days])).toEqual([
      ["R1", "P1", "CUSTOMER", 54],
      ["R2", "R1", "PRODUCT", 15],
    ]);
    expect(monthlyReview(cases, "2026-03", policy, { repeatWindowDays: 30 }).repeats.cases).toBe(1);
    // The window is the Policy's (Settings row reviewRepeatWindowDays) unless the caller says otherwise.
    const narrow = { ...policy, review: { ...policy.review, repeatWindowDays: 30 } };
    expect(monthlyReview(cases, "2026-03", narrow).repeats).toMatchObject({ windowDays: 30, cases: 1 });
    expect(monthlyReview(cases, "2026-03", policy, { repeatWindowDays: 400 }).repeats.cases).toBe(3);
  });

  test("satisfaction counts the follow-ups done in the month", () => {
    const f = (no: string, at: number, s?: string) => ({ ...kase(no, d(2026, 2, 1), d(2026, 2, 10)), status: "FOLLOWED_UP", followUpAt: at, satisfaction: s });
    const r = monthlyReview(
      [
        f("1", d(2026, 3, 2), "SATISFIED"),
        f("2", d(2026, 3, 3), "ACCEPTABLE"),
        f("3", d(2026, 3, 4), "UNSATISFIED"),
        f("4", d(2026, 3, 5)),
        f("5", d(2026, 4, 1), "UNSATISFIED"),
      ],
      "2026-03",
      policy,
    );
    expect(r.satisfaction).toMatchObject({ followedUp: 4, rated: 3, rate: 0.6667 });
    expect(r.satisfaction.counts.map((c) => [c.key, c.cases])).toEqual([
      ["SATISFIED", 1],
      ["ACCEPTABLE", 1],
      ["UNSATISFIED", 1],
      ["(none)", 1],
    ]);
  });

  test("fines: the month's finable refusals from the audit log", () => {
    const audit = [
      { user: "张三", action: "EDIT_REVERTED", at: "2026-03-02 10:00:00" },
      { user: "张三", action: "STEP_REFUSED", at: "2026-03-31 23:59:59" },
      { user: "李四", action: "EDIT_REVERTED", at: "2026-04-01 00:00:00" },
      { user: "李四", action: "CASE_UPDATED", at: "2026-03-05 00:00:00" },
    ];
    const r = monthlyReview([], "2026-03", policy, { audit });
    expect(r.fines).toMatchObject({ count: 2, amount: 2 * policy.settings.finePerViolation });
  });
});

describe("monthly review on the sample ledger", () => {
  test("on-time per clock is the dashboard's for that month; the trend's on-time is their sum", async () => {
    const data = await generateSample({ cases: 200, seed: 7, mistakes: 0, audit: false });
    const ledger = new Ledger(new MemoryStore(data), { now: () => shanghai(2026, 5, 30, 10) });
    await ledger.load();
    const cases = ledger.rows.map((r) => r.case);
    const dash = buildDashboard(cases, ledger.policy, calendarFor(ledger.policy), ledger.today());
    for (const month of ["2026-03", "2026-05"]) {
      const r = monthlyReview(cases, month, ledger.policy);
      const fromDash = dash.onTime.filter((o) => o.month === month);
      expect(fromDash.length).toBeGreaterThan(0);
      for (const o of r.onTime) {
        const d = fromDash.find((x) => x.clock === o.clock);
        expect([o.clock, o.met, o.missed]).toEqual([o.clock, d?.met ?? 0, d?.missed ?? 0]);
      }
      const last = r.trend[r.trend.length - 1];
      expect([last.met, last.missed]).toEqual([fromDash.reduce((t, o) => t + o.met, 0), fromDash.reduce((t, o) => t + o.missed, 0)]);
    }
  });
});
