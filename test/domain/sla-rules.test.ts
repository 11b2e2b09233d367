/**
 * Clocks one rule at a time (issue 30): which clocks run for which case, the most specific limit, each unit's
 * due date, the status of a clock, and adopted history.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { withHistoryUntil } from "../../src/domain/history";
import { defaultPolicy, type ClockDef } from "../../src/domain/policy/policy";
import { addMonths, calendarFor, caseClocks, clockApplies, clockOf, dueDate, limitFor, slaStatus } from "../../src/domain/sla";
import { caseAt } from "../ledger/cases";

const p = defaultPolicy();
const cal = calendarFor(p);
const clock = (code: string) => clockOf(code, p)!;
const running = (c: Case) => p.clocks.filter((k) => clockApplies(k, c, p)).map((k) => k.code);
const d = (m: number, day: number) => ymdToSerial(2026, m, day);

describe("which clocks run", () => {
  test("by market, goods, fault, supplier and replacement", () => {
    const base = caseAt("RESPONSIBILITY", p, { kind: "COMPLAINT", goodsBackAt: undefined, market: undefined });
    expect(running(base)).toEqual(["LOG", "FIRST_RESPONSE", "ANALYSIS", "REPLY_DOMESTIC", "CORRECTIVE_ACTION", "FOLLOW_UP"]);
    // The 3-workday analysis runs from the domestic design centre's form: domestic cases only (issue 21).
    expect(running({ ...base, market: "DOMESTIC" })).toContain("ANALYSIS");
    expect(clock("ANALYSIS").startField).toBe("formIssuedAt");
    expect(running({ ...base, market: "INTERNATIONAL" })).toEqual(["LOG", "FIRST_RESPONSE", "REPLY_INTERNATIONAL", "CORRECTIVE_ACTION", "FOLLOW_UP"]);
    expect(running({ ...base, kind: "RETURN" })).toEqual(["LOG", "FIRST_RESPONSE", "JUDGEMENT", "ANALYSIS", "REPLY_DOMESTIC", "CLOSE", "FOLLOW_UP"]);
    expect(running({ ...base, responsibility: "SUPPLIER" })).toContain("SUPPLIER_8D");
    expect(running({ ...base, responsibility: "SUPPLIER" })).toContain("CORRECTIVE_ACTION");
    expect(running(base)).not.toContain("SUPPLIER_8D");
    expect(running({ ...base, responsibility: "LOGISTICS", charge: "CHARGED" })).not.toContain("CORRECTIVE_ACTION");
    expect(running({ ...base, replacementFirst: true })).toEqual(expect.arrayContaining(["REPLACEMENT_PROMISE", "PART_BACK"]));
    expect(running(base)).not.toContain("REPLACEMENT_PROMISE");
  });
});

describe("limits and due dates", () => {
  test("the most specific limit row wins; a blank selector matches anything", () => {
    expect(limitFor(clock("REPLY_DOMESTIC"), {}, p).limit).toBe(7);
    expect(limitFor(clock("REPLY_DOMESTIC"), { urgent: true }, p).limit).toBe(2);
    expect(limitFor(clock("REPLY_DOMESTIC"), { urgent: false, customerClass: "A" }, p).limit).toBe(7);
    expect(limitFor(clock("REPLACEMENT_PROMISE"), { customerClass: "C" }, p).limit).toBe(3);
    expect(limitFor(clock("CLOSE"), { severity: "SERIOUS" }, p).limit).toBe(4);
    const specific = { ...p, limits: [...p.limits, { clock: "REPLY_DOMESTIC", customerClass: "A", urgent: true, limit: 1 }] };
    expect(limitFor(clock("REPLY_DOMESTIC"), { urgent: true, customerClass: "A" }, specific).limit).toBe(1);
    expect(limitFor(clock("REPLY_DOMESTIC"), { urgent: true, customerClass: "B" }, specific).limit).toBe(2);
  });

  test("no limit that applies: the message says which selector is missing", () => {
    expect(() => limitFor(clock("REPLACEMENT_PROMISE"), {}, p)).toThrow(/需要提供客户等级/);
    expect(() => limitFor(clock("REPLACEMENT_PROMISE"), {}, p)).toThrow(
      expect.objectContaining({ en: 'No limit applies to the clock "Promise replacement date" (give the customer class)' }),
    );
    expect(() => limitFor(clock("CLOSE"), {}, p)).toThrow(expect.objectContaining({ zh: '"结案"没有适用的时限(需要提供客诉等级)' }));
    const none = { ...p, limits: p.limits.filter((l) => l.clock !== "LOG") };
    expect(() => limitFor(clock("LOG"), {}, none)).toThrow(expect.objectContaining({ en: 'No limit applies to the clock "Log the complaint"' }));
  });

  test("each unit: working days, calendar days (with or without the start day), weeks, months, working hours", () => {
    const mon = d(3, 2);
    expect(dueDate(mon, clock("REPLY_DOMESTIC"), {}, p, cal)).toBe(d(3, 11));
    expect(dueDate(mon + 0.5, clock("REPLY_DOMESTIC"), {}, p, cal)).toBe(d(3, 11));
    expect(dueDate(mon, clock("REPLACEMENT_PROMISE"), { customerClass: "B" }, p, cal)).toBe(d(3, 3));
    const noStart: ClockDef = { ...clock("REPLACEMENT_PROMISE"), countStartDay: false };
    expect(dueDate(mon, noStart, { customerClass: "B" }, p, cal)).toBe(d(3, 4));
    expect(dueDate(mon, clock("CLOSE"), { severity: "SERIOUS" }, p, cal)).toBe(d(3, 30));
    expect(dueDate(mon, { ...clock("CLOSE"), countStartDay: true }, { severity: "SERIOUS" }, p, cal)).toBe(d(3, 29));
    expect(dueDate(d(1, 31), clock("FOLLOW_UP"), {}, p, cal)).toBe(d(2, 28));
    const logged = dueDate(mon + 9 / 24, clock("LOG"), {}, p, cal);
    expect(logged).toBeGreaterThan(mon + 9 / 24);
    expect(Math.floor(logged)).toBe(mon);
  });

  test("addMonths as EDATE: month ends clamp, years roll, backwards too", () => {
    expect(addMonths(d(1, 31), 1)).toBe(d(2, 28));
    expect(addMonths(ymdToSerial(2024, 1, 31), 1)).toBe(ymdToSerial(2024, 2, 29));
    expect(addMonths(d(11, 30), 3)).toBe(ymdToSerial(2026 + 1, 2, 28));
    expect(addMonths(d(3, 31), -1)).toBe(d(2, 28));
    expect(addMonths(d(3, 15), 12)).toBe(ymdToSerial(2026 + 1, 3, 15));
    expect(addMonths(d(3, 15), 0)).toBe(d(3, 15));
  });
});

describe("status of a clock", () => {
  const due = d(3, 11);
  test("done: met on or before the due day, missed after; a date-time due is exact", () => {
    expect(slaStatus(due, due + 0.99, d(3, 20), cal, 1)).toBe("MET");
    expect(slaStatus(due, due + 1, d(3, 20), cal, 1)).toBe("MISSED");
    expect(slaStatus(due + 0.5, due + 0.6, d(3, 20), cal, 1)).toBe("MISSED");
    expect(slaStatus(due + 0.5, due + 0.5, d(3, 20), cal, 1)).toBe("MET");
  });
  test("running: overdue past the due day, due soon within the working days given, else on time", () => {
    expect(slaStatus(due, undefined, due + 1, cal, 1)).toBe("OVERDUE");
    expect(slaStatus(due, undefined, due + 0.9, cal, 1)).toBe("DUE_SOON");
    expect(slaStatus(due, undefined, d(3, 10), cal, 1)).toBe("DUE_SOON");
    expect(slaStatus(due, undefined, d(3, 9), cal, 1)).toBe("ON_TIME");
    expect(slaStatus(due, undefined, d(3, 9), cal, 2)).toBe("DUE_SOON");
    // From a Saturday, Monday and Tuesday are left.
    expect(slaStatus(d(3, 10), undefined, d(3, 7), cal, 1)).toBe("ON_TIME");
    expect(slaStatus(d(3, 10), undefined, d(3, 7), cal, 2)).toBe("DUE_SOON");
  });
});

describe("caseClocks", () => {
  test("a clock without a start has no due; a bad limit becomes the clock's problem, not an exception", () => {
    const c = caseAt("RECEIVED", p, { kind: "COMPLAINT", replacementFirst: true, customerClass: undefined });
    const states = caseClocks(c, p, cal, d(3, 3));
    const promise = states.find((s) => s.clock.code === "REPLACEMENT_PROMISE")!;
    expect(promise.problem?.en).toMatch(/give the customer class/);
    const part = states.find((s) => s.clock.code === "PART_BACK")!;
    expect([part.start, part.due, part.status]).toEqual([undefined, undefined, undefined]);
    const reply = states.find((s) => s.clock.code === "REPLY_DOMESTIC")!;
    expect([reply.due, reply.status, reply.estimate]).toEqual([d(3, 11), "ON_TIME", undefined]);
  });

  test("adopted history: steps without a date end at the close; what starts at the close is not recorded", () => {
    const old = { ...caseAt("CLOSED", p), judgedAt: undefined, confirmed: true };
    const hp = withHistoryUntil(p, (old.closedAt as number) + 30);
    const states = caseClocks(old, hp, cal, d(12, 1));
    const judged = states.find((s) => s.clock.code === "JUDGEMENT")!;
    expect(judged.done).toBe(old.closedAt);
    const follow = states.find((s) => s.clock.code === "FOLLOW_UP")!;
    expect(follow.problem).toEqual({ zh: "接管前已结案,未记录此步骤", en: "Closed before adoption; this step was not recorded" });
    expect(states.filter((s) => s.status === "OVERDUE")).toEqual([]);
    // Not history: the close does not count as the step done; the step stops, said as a problem, and the
    // follow-up that starts at the close runs overdue.
    const live = caseClocks(old, p, cal, d(12, 1));
    const stopped = live.find((s) => s.clock.code === "JUDGEMENT")!;
    expect([stopped.done, stopped.status, stopped.problem]).toEqual([
      undefined,
      undefined,
      { zh: "案件已结案,此时限不再计算", en: "The case is closed; this clock no longer runs" },
    ]);
    expect(live.find((s) => s.clock.code === "FOLLOW_UP")!.status).toBe("OVERDUE");
  });
});
