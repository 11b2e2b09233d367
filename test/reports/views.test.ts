import { readCase } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor } from "../../src/domain/sla";
import type { CaseRow } from "../../src/ledger/service";
import { applyView, caseFacts, viewChoices, viewCounts } from "../../src/reports/views";
import { caseAt, recordOf } from "../ledger/cases";
import type { Case } from "../../src/domain/case";

const policy = defaultPolicy();
const cal = calendarFor(policy);
const rowOf = (c: Case, row: number): CaseRow => {
  const record = recordOf(c, policy);
  const r = readCase(record, policy);
  return { row, record, case: r.case, problems: r.problems };
};

// Thursday 2026-03-12.
const today = ymdToSerial(2026, 3, 12) + 10 / 24;
const rows = [
  // Received 2026-03-02 and not even responded to: overdue.
  rowOf(caseAt("RECEIVED", policy, { caseNo: "A", customer: "华为", product: "支架" }), 0),
  // Received this Wednesday: first response due Thursday (today) → due this week, not overdue.
  rowOf(
    caseAt("RECEIVED", policy, {
      caseNo: "B",
      receivedAt: ymdToSerial(2026, 3, 11) + 9 / 24,
      loggedAt: ymdToSerial(2026, 3, 11) + 9.5 / 24,
      firstResponseAt: undefined,
      customer: "华为",
      product: "壳体",
      severity: "SERIOUS",
    }),
    1,
  ),
  // A scrap waiting for the quality manager and the VP or GM.
  rowOf(caseAt("DISPOSITION", policy, { caseNo: "C", disposition: "SCRAP", customer: "中兴", product: "支架", responsibility: "PRODUCTION" }), 2),
  // Closed and followed up: nothing runs.
  rowOf(caseAt("FOLLOWED_UP", policy, { caseNo: "D", customer: "小米", product: "支架", severity: "SERIOUS" }), 3),
];

describe("manager views", () => {
  test("facts per case", () => {
    const f = rows.map((r) => caseFacts(r, policy, cal, today));
    expect(f.map((x) => x.open)).toEqual([true, true, true, false]);
    expect(f[0].overdue).toBe(true);
    expect(f[1]).toMatchObject({ overdue: false, dueThisWeek: true, serious: true });
    expect(f[2].awaiting.sort()).toEqual(["GM", "QUALITY_MANAGER", "VP"]);
    expect(f[3]).toMatchObject({ overdue: false, dueThisWeek: false, awaiting: [], running: [] });
  });

  test("due soon is the next 7 days from any day: a Sunday counts what is due in the days after it (issue 28)", () => {
    const due = Math.floor(caseFacts(rows[1], policy, cal, today).running[0].due!);
    const sunday = ymdToSerial(2026, 3, 8) + 10 / 24;
    // Due Thursday 12 March: seen from the Sunday before (a Monday–Sunday week would end that Sunday).
    expect(due).toBe(ymdToSerial(2026, 3, 12));
    expect(caseFacts(rows[1], policy, cal, sunday).dueThisWeek).toBe(true);
    // Seven days ahead is the last day counted; eight is not.
    expect(caseFacts(rows[1], policy, cal, due - 6 + 0.5).dueThisWeek).toBe(true);
    expect(caseFacts(rows[1], policy, cal, due - 7 + 0.5).dueThisWeek).toBe(false);
  });

  test("counts and views agree", () => {
    const counts = viewCounts(rows, policy, cal, today);
    expect(counts).toEqual({ all: 4, open: 3, overdue: 2, dueThisWeek: 1, serious: 1, awaitingApproval: 1 });
    for (const [view, n] of Object.entries(counts)) {
      expect(applyView(rows, view as never, policy, cal, today).rows.length).toBe(n);
    }
    expect(applyView(rows, "byCustomer", policy, cal, today, "华为").rows.map((r) => r.case.caseNo)).toEqual(["A", "B"]);
    expect(applyView(rows, "byResponsibility", policy, cal, today, "PRODUCTION").rows.map((r) => r.case.caseNo)).toEqual(["C"]);
    expect(viewChoices(rows, "product")).toEqual([
      { value: "支架", count: 3 },
      { value: "壳体", count: 1 },
    ]);
  });
});
