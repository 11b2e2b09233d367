import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor } from "../../src/domain/sla";
import { buildDashboard } from "../../src/reports/dashboard";
import { caseAt } from "../ledger/cases";

const policy = defaultPolicy();
const cal = calendarFor(policy);
const today = ymdToSerial(2026, 4, 30);

/**
 * A ledger with totals known by construction: for i in 0..59, closed cases
 * alternate QC (free, cost 100 + i) and DEALER (charged, cost 10 * i), for
 * three customers in turn; ten more open cases received i*7 days ago.
 */
function ledger(): { cases: Case[]; expect: { freeCost: number; chargedCost: number; perCustomer: Record<string, number> } } {
  const cases: Case[] = [];
  let freeCost = 0,
    chargedCost = 0;
  const perCustomer: Record<string, number> = { 甲: 0, 乙: 0, 丙: 0 };
  for (let i = 0; i < 60; i++) {
    const qc = i % 2 === 0;
    const cost = qc ? 100 + i : 10 * i;
    const customer = ["甲", "乙", "丙"][i % 3];
    const c = caseAt("CLOSED", policy, {
      caseNo: `KS-2026-${i}`,
      customer,
      responsibility: qc ? "QC" : "DEALER",
      charge: qc ? "FREE" : "CHARGED",
      cost,
      defect: i % 4 === 0 ? "划伤" : "裂纹",
    });
    cases.push(c);
    if (qc) freeCost += cost;
    else chargedCost += cost;
    perCustomer[customer]++;
  }
  for (let i = 0; i < 10; i++) {
    cases.push(caseAt("RECEIVED", policy, { caseNo: `OPEN-${i}`, receivedAt: today - i * 7, customer: "丁", severity: i < 3 ? "SERIOUS" : "MINOR" }));
  }
  return { cases, expect: { freeCost, chargedCost, perCustomer } };
}

describe("dashboard figures", () => {
  const { cases, expect: known } = ledger();
  const d = buildDashboard(cases, policy, cal, today);

  test("counts and cost match the ledger's known totals", () => {
    expect(d.cases).toBe(70);
    expect(d.open).toBe(10);
    expect(d.finance.total.free).toBe(30);
    expect(d.finance.total.charged).toBe(30);
    expect(d.finance.total.freeCost).toBe(known.freeCost);
    expect(d.finance.total.chargedCost).toBe(known.chargedCost);
    const qc = d.byResponsibility.find((r) => r.key === "QC")!;
    expect([qc.cases, qc.cost]).toEqual([30, known.freeCost]);
    expect(d.byResponsibility.find((r) => r.key === "DEALER")!.cost).toBe(known.chargedCost);
    for (const [name, n] of Object.entries(known.perCustomer)) expect(d.byCustomer.find((c) => c.key === name)!.cases).toBe(n);
  });

  test("open cases by age: received 0, 7, 14 … 63 days ago", () => {
    expect(d.age.map((a) => a.cases)).toEqual([2, 1, 2, 4, 1]);
    expect(d.age.reduce((t, a) => t + a.cases, 0)).toBe(d.open);
  });

  test("top defects and 8D status of the cases that need one", () => {
    expect(d.topDefects.map((x) => [x.zh, x.cases])).toEqual([
      ["裂纹", 45],
      ["划伤", 15],
      ["表面划伤", 10],
    ]);
    expect(d.eightD.find((x) => x.key === "NONE")!.cases).toBe(3);
    expect(d.eightD.reduce((t, x) => t + x.cases, 0)).toBe(3);
  });

  test("on-time rate per clock and month is met / (met + missed)", () => {
    for (const o of d.onTime) {
      expect(o.rate).toBeCloseTo(o.met / (o.met + o.missed), 4);
      expect(o.month).toMatch(/^\d{4}-\d{2}$/);
    }
    // Every closed case replied on day 6 after a receipt on 2026-03-02: within 7 working days.
    const reply = d.onTime.find((o) => o.clock === "REPLY_DOMESTIC")!;
    expect(reply).toMatchObject({ month: "2026-03", met: 60, missed: 0, rate: 1 });
  });
});
