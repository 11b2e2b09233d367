/**
 * The clock rules the first SLA tests left to a single example or none (issue 30, mutation testing): a year's
 * holidays by source, the limit table's ties and messages, the hour unit, the reply clock of a market, what the
 * reply status judges, which clocks a close stops, and a programming error never read as a clock's problem.
 */
import type { Case } from "../../src/domain/case";
import { WorkCalendar } from "../../src/domain/calendar/calendar";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import * as provisional from "../../src/domain/calendar/provisional";
import { PROVISIONAL_YEARS, provisionalDays } from "../../src/domain/calendar/provisional";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { withHistoryUntil } from "../../src/domain/history";
import { defaultPolicy, type ClockDef, type Policy } from "../../src/domain/policy/policy";
import {
  calendarFor,
  calendarYear,
  caseClocks,
  clockApplies,
  clockForMarket,
  clockOf,
  dueAfter,
  limitFor,
  replyClockFor,
  replyJudged,
  yearSource,
} from "../../src/domain/sla";
import { caseAt } from "../ledger/cases";

const p = defaultPolicy();
const cal = calendarFor(p);
const clock = (code: string, policy: Policy = p) => clockOf(code, policy)!;
const running = (c: Case, policy: Policy = p) => policy.clocks.filter((k) => clockApplies(k, c, policy)).map((k) => k.code);
const d = (m: number, day: number) => ymdToSerial(2026, m, day);
/** The first year without official data: provisional. */
const est = Math.max(...CN_OFFICIAL_YEARS) + 1;
const withPolicy = (change: (q: Policy) => void): Policy => {
  const q = defaultPolicy();
  change(q);
  return q;
};

describe("a year's holidays and where they come from", () => {
  test("the range of the provisional estimate is inclusive; outside it and the other sources there is none", () => {
    expect(yearSource(p, PROVISIONAL_YEARS.first)).toBe("provisional");
    expect(yearSource(p, PROVISIONAL_YEARS.last)).toBe("provisional");
    expect(yearSource(p, PROVISIONAL_YEARS.first - 1)).toBeUndefined();
    expect(yearSource(p, PROVISIONAL_YEARS.last + 1)).toBeUndefined();
    const late = PROVISIONAL_YEARS.last + 1;
    expect(
      yearSource(
        withPolicy((q) => (q.settings.extraCalendarYears = [late])),
        late,
      ),
    ).toBe("policy");
    expect(() => calendarYear(p, late)).toThrow(
      expect.objectContaining({
        code: "CAL_NO_DATA",
        zh: `${late} 年不在日历范围内(${PROVISIONAL_YEARS.first}–${PROVISIONAL_YEARS.last})`,
        en: `${late} is outside the calendar (${PROVISIONAL_YEARS.first}–${PROVISIONAL_YEARS.last})`,
      }),
    );
  });

  test("an official year: its own days, sorted; the Policy sheet's official rows of that year on top, company rows not", () => {
    const y = calendarYear(p, 2026);
    expect(y.source).toBe("official");
    expect(y.off).toEqual(expect.arrayContaining(["2026-10-01", "2026-10-07"]));
    expect(y.on).toEqual(expect.arrayContaining(["2026-09-20", "2026-10-10"]));
    for (const list of [y.off, y.on]) {
      expect(list.length).toBeGreaterThan(1);
      expect(list.every((x) => x.startsWith("2026-"))).toBe(true);
      expect(list).toEqual([...list].sort());
    }
    const q = withPolicy((q) =>
      q.calendar.push(
        { date: "2026-10-10", kind: "OFF", scope: "OFFICIAL", name: "改 / changed" },
        { date: "2026-03-03", kind: "OFF", scope: "OFFICIAL", name: "加 / added" },
        { date: "2026-12-28", kind: "OFF", scope: "COMPANY", name: "停工 shutdown" },
        { date: "2025-12-27", kind: "WORK", scope: "OFFICIAL", name: "上年 / year before" },
      ),
    );
    const changed = calendarYear(q, 2026);
    expect(changed.on).toEqual(y.on.filter((x) => x !== "2026-10-10"));
    // Sorted, although the row added comes last.
    expect(changed.off).toEqual([...y.off, "2026-03-03", "2026-10-10"].sort());
  });

  test("the company calendar covers the estimate's range to its last year, marked provisional", () => {
    const c = calendarFor(p);
    const last = PROVISIONAL_YEARS.last;
    expect(c.years.has(last)).toBe(true);
    expect(c.spansProvisional(ymdToSerial(last, 6, 1), ymdToSerial(last, 6, 1))).toBe(true);
    // 1 October is National Day in every estimated year.
    expect(c.isWorkday(ymdToSerial(last, 10, 1))).toBe(false);
    expect(c.workday(ymdToSerial(last, 12, 1), 1)).toBeGreaterThan(ymdToSerial(last, 12, 1));
    expect(() => c.isWorkday(ymdToSerial(last + 1, 1, 2))).toThrow(String(last + 1));
  });

  test("a span beyond both ends of the calendar names the earlier year it lacks", () => {
    const c = calendarFor(p);
    const before = PROVISIONAL_YEARS.first - 1;
    expect(() => c.networkdays(ymdToSerial(before, 6, 1), ymdToSerial(PROVISIONAL_YEARS.last + 1, 6, 1))).toThrow(`No public-holiday data for ${before}:`);
  });

  test("a year the Policy sheet completes is exactly its rows, even one with bundled data", () => {
    const q = withPolicy((q) => {
      q.settings.extraCalendarYears = [2026, PROVISIONAL_YEARS.last + 1];
      q.calendar.push({ date: `${PROVISIONAL_YEARS.last + 1}-01-02`, kind: "OFF", scope: "OFFICIAL", name: "元旦" });
    });
    expect(calendarYear(q, 2026)).toEqual({ year: 2026, source: "policy", off: [], on: [] });
    const c = calendarFor(q);
    expect(c.isWorkday(d(10, 1))).toBe(true); // a Thursday: the bundled National Day gives way
    // A year past the estimate's range, listed on the Policy sheet, is in the calendar.
    expect(c.isWorkday(ymdToSerial(PROVISIONAL_YEARS.last + 1, 1, 2))).toBe(false);
    expect(c.isWorkday(ymdToSerial(PROVISIONAL_YEARS.last + 1, 1, 3))).toBe(true);
  });

  test("a provisional year with part of a notice: that festival's estimated days give way to the rows, the others stay", () => {
    const estimated = provisionalDays(est, p.settings.weekend);
    const national = estimated.filter((x) => /国庆/.test(x.name ?? "")).map((x) => x.date);
    expect(national.length).toBeGreaterThan(0);
    const row = `${est}-10-08`;
    const q = withPolicy((q) =>
      q.calendar.push(
        { date: row, kind: "OFF", scope: "OFFICIAL", name: "国庆节" },
        // A make-up day or another year's row names no festival of this year.
        { date: `${est}-09-26`, kind: "WORK", scope: "OFFICIAL", name: "春节 调休" },
        { date: `${est - 1}-10-08`, kind: "OFF", scope: "OFFICIAL", name: "中秋节" },
      ),
    );
    const y = calendarYear(q, est);
    expect(y.source).toBe("provisional");
    expect(y.off).toEqual([...estimated.map((x) => x.date).filter((x) => !national.includes(x)), row].sort());
    expect(y.on).toEqual([`${est}-09-26`]);
    const c = calendarFor(q);
    expect(c.isWorkday(ymdToSerial(est, 10, 8))).toBe(false);
    for (const iso of national.filter((x) => ![0, 6].includes(new Date(`${x}T00:00:00Z`).getUTCDay()))) {
      expect([iso, c.isWorkday(ymdToSerial(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8))))]).toEqual([iso, true]);
    }
    // Without the rows the estimate stands.
    expect(calendarYear(p, est).off).toEqual(estimated.map((x) => x.date).sort());
  });
});

describe("the limit table", () => {
  const log = clock("LOG");
  const limits = (rows: Policy["limits"]) => withPolicy((q) => (q.limits = rows));

  test("selectors given by name are matched; on a tie the row listed first wins", () => {
    expect(limitFor(clock("REPLACEMENT_PROMISE"), { customerClass: "A类客户" }, p).limit).toBe(1);
    expect(limitFor(clock("CLOSE"), { severity: "严重" }, p).limit).toBe(4);
    const tie = limits([
      { clock: "LOG", customerClass: "A", limit: 5 },
      { clock: "LOG", severity: "SERIOUS", limit: 6 },
    ]);
    expect(limitFor(log, { customerClass: "A", severity: "SERIOUS" }, tie).limit).toBe(5);
    // A class or severity the policy does not know matches only blank selectors.
    expect(() => limitFor(clock("REPLACEMENT_PROMISE"), { customerClass: "Z" }, p)).toThrow(expect.objectContaining({ code: "SLA_NO_LIMIT" }));
    expect(() => limitFor(clock("CLOSE"), { severity: "Z" }, p)).toThrow(expect.objectContaining({ code: "SLA_NO_LIMIT" }));
    expect(limitFor(clock("REPLY_DOMESTIC"), { customerClass: "Z", severity: "Z" }, p).limit).toBe(7);
  });

  test("a row for the severity wins over a blank row of the same clock listed before it", () => {
    const q = limits([
      { clock: "LOG", limit: 9 },
      { clock: "LOG", severity: "SERIOUS", limit: 2 },
    ]);
    expect(limitFor(log, { severity: "严重" }, q).limit).toBe(2);
    expect(limitFor(log, { severity: "MINOR" }, q).limit).toBe(9);
    expect(limitFor(log, {}, q).limit).toBe(9);
  });

  test("a row for the not-urgent case applies when urgency is not said", () => {
    const q = limits([
      { clock: "LOG", urgent: false, limit: 9 },
      { clock: "LOG", urgent: true, limit: 2 },
    ]);
    expect(limitFor(log, {}, q).limit).toBe(9);
    expect(limitFor(log, { urgent: false }, q).limit).toBe(9);
    expect(limitFor(log, { urgent: true }, q).limit).toBe(2);
  });

  test("no row applies: the message names each selector the rows need, once", () => {
    const both = limits([
      { clock: "LOG", customerClass: "A", severity: "SERIOUS", limit: 1 },
      { clock: "LOG", customerClass: "B", limit: 2 },
      { clock: "FIRST_RESPONSE", urgent: true, limit: 1 },
    ]);
    expect(() => limitFor(log, {}, both)).toThrow(
      expect.objectContaining({
        code: "SLA_NO_LIMIT",
        zh: '"登记"没有适用的时限(需要提供客户等级和客诉等级)',
        en: 'No limit applies to the clock "Log the complaint" (give the customer class and severity)',
      }),
    );
    expect(() => limitFor(clock("FIRST_RESPONSE"), {}, both)).toThrow(
      expect.objectContaining({ zh: '"首次响应"没有适用的时限', en: 'No limit applies to the clock "First response"' }),
    );
  });
});

describe("due dates by unit", () => {
  test("an hour clock counts every hour, the start's time included", () => {
    const hourly: ClockDef = { ...clock("LOG"), unit: "HOUR" };
    const start = d(3, 6) + 17 / 24;
    expect(dueAfter(start, hourly, 36, cal)).toBe(start + 1.5);
    const weekly: ClockDef = { ...clock("CLOSE"), countStartDay: false };
    expect(dueAfter(start, weekly, 1, cal)).toBe(d(3, 13));
  });
});

describe("which clocks run: the conditions one example did not reach", () => {
  const base = caseAt("RESPONSIBILITY", p, { kind: "COMPLAINT", goodsBackAt: undefined, market: "DOMESTIC" });

  test("an international replacement's part comes back only when the case asks for it", () => {
    expect(running({ ...base, replacementFirst: true, market: "INTERNATIONAL" })).not.toContain("PART_BACK");
    expect(running({ ...base, replacementFirst: true, market: "INTERNATIONAL", partBackRequired: true })).toContain("PART_BACK");
    expect(running({ ...base, replacementFirst: false, partBackRequired: true })).not.toContain("PART_BACK");
  });

  test("a loan runs the sample's return; a non-batch return to the supplier runs its 8D", () => {
    expect(running({ ...base, kind: "LOAN" })).toContain("SAMPLE_RETURN");
    expect(running(base)).not.toContain("SAMPLE_RETURN");
    const returned = { ...base, supplierReturnedAt: d(3, 5) };
    expect(running({ ...returned, supplierBatch: false })).toContain("SUPPLIER_RETURN_8D");
    expect(running({ ...returned, supplierBatch: true })).not.toContain("SUPPLIER_RETURN_8D");
    expect(running(base)).not.toContain("SUPPLIER_RETURN_8D");
  });
});

describe("the reply clock of a market", () => {
  test("domestic or blank runs the domestic clock, international the international one; other clocks are kept", () => {
    expect(replyClockFor(undefined, p)?.code).toBe("REPLY_DOMESTIC");
    expect(replyClockFor("DOMESTIC", p)?.code).toBe("REPLY_DOMESTIC");
    expect(replyClockFor("INTERNATIONAL", p)?.code).toBe("REPLY_INTERNATIONAL");
    expect(clockForMarket(clock("REPLY_INTERNATIONAL"), "DOMESTIC", p).code).toBe("REPLY_DOMESTIC");
    expect(clockForMarket(clock("REPLY_INTERNATIONAL"), undefined, p).code).toBe("REPLY_INTERNATIONAL");
    expect(clockForMarket(clock("LOG"), "INTERNATIONAL", p).code).toBe("LOG");
    // ANALYSIS is domestic only and has no international twin with its fields: it stays itself.
    expect(clockForMarket(clock("ANALYSIS"), "INTERNATIONAL", p).code).toBe("ANALYSIS");
  });

  test("the twin is a market clock with the same start and end; without one the clock is kept", () => {
    const decoys = withPolicy((q) => {
      const intl = q.clocks.find((k) => k.code === "REPLY_INTERNATIONAL")!;
      q.clocks.unshift(
        { ...intl, code: "ALWAYS_REPLY", appliesWhen: "ALWAYS" },
        { ...intl, code: "OTHER_START", startField: "goodsBackAt" },
        { ...intl, code: "OTHER_END", endField: "closedAt" },
      );
    });
    expect(replyClockFor("INTERNATIONAL", decoys)?.code).toBe("REPLY_INTERNATIONAL");
    const single = withPolicy((q) => (q.clocks = q.clocks.filter((k) => k.code !== "REPLY_INTERNATIONAL")));
    expect(replyClockFor("INTERNATIONAL", single)?.code).toBe("REPLY_DOMESTIC");
    const none = withPolicy((q) => (q.clocks = q.clocks.filter((k) => k.code !== "REPLY_DOMESTIC")));
    expect(replyClockFor("DOMESTIC", none)).toBeUndefined();
  });
});

describe("what the reply status judges", () => {
  test("the reply date, else the close date; a closed case with neither is not judged; an open one runs", () => {
    expect(replyJudged({ repliedAt: d(3, 5), closedAt: d(3, 9), status: "CLOSED" })).toEqual({ judged: true, done: d(3, 5) });
    expect(replyJudged({ closedAt: d(3, 9), status: "CLOSED" })).toEqual({ judged: true, done: d(3, 9) });
    expect(replyJudged({ status: "CLOSED" })).toEqual({ judged: false });
    expect(replyJudged({ status: "FOLLOWED_UP" })).toEqual({ judged: false });
    expect(replyJudged({ status: "REPLIED" })).toEqual({ judged: true, done: undefined });
    expect(replyJudged({})).toEqual({ judged: true, done: undefined });
  });
});

describe("caseClocks: what a close stops, ranges, estimates, errors", () => {
  test("a followed-up case stops its open steps too; a clock ending at the follow-up runs on", () => {
    const q = withPolicy((q) => {
      q.clocks.push({ ...q.clocks.find((k) => k.code === "FOLLOW_UP")!, code: "SURVEY", startField: "receivedAt", unit: "DAY" });
      q.limits.push({ clock: "SURVEY", limit: 90 });
    });
    const c = { ...caseAt("FOLLOWED_UP", q), judgedAt: undefined, followUpAt: undefined };
    const states = caseClocks(c, q, cal, d(4, 1));
    const judged = states.find((s) => s.clock.code === "JUDGEMENT")!;
    expect([judged.status, judged.problem?.en]).toEqual([undefined, "The case is closed; this clock no longer runs"]);
    const survey = states.find((s) => s.clock.code === "SURVEY")!;
    expect([survey.due, survey.status, survey.problem]).toEqual([Math.floor(c.receivedAt as number) + 90, "ON_TIME", undefined]);
  });

  test("a range's target is given only where the limit row has one", () => {
    const c = caseAt("RECEIVED", p, { kind: "COMPLAINT" });
    const reply = caseClocks(c, p, cal, d(3, 3)).find((s) => s.clock.code === "REPLY_DOMESTIC")!;
    expect(reply).toEqual(expect.objectContaining({ limit: 7, due: d(3, 11) }));
    expect("target" in reply).toBe(false);
    const intl = caseClocks({ ...c, market: "INTERNATIONAL" }, p, cal, d(3, 3)).find((s) => s.clock.code === "REPLY_INTERNATIONAL")!;
    expect([intl.target, intl.due]).toEqual([cal.workday(Math.floor(c.receivedAt as number), 15), cal.workday(Math.floor(c.receivedAt as number), 30)]);
  });

  test("a due date resting on a provisional year is marked an estimate", () => {
    const received = ymdToSerial(est, 3, 3) + 9 / 24;
    const c = caseAt("RECEIVED", p, { kind: "COMPLAINT", receivedAt: received });
    const reply = caseClocks(c, p, cal, Math.floor(received)).find((s) => s.clock.code === "REPLY_DOMESTIC")!;
    expect([reply.estimate, reply.status, serialToIso(reply.due!)]).toEqual([true, "ON_TIME", serialToIso(cal.workday(Math.floor(received), 7))]);
  });

  test("adopted history without a close date or a start: said, not judged", () => {
    const old = { ...caseAt("CLOSED", p), closedAt: undefined, judgedAt: undefined, repliedAt: undefined };
    const hp = withHistoryUntil(p, d(3, 31));
    const states = caseClocks(old, hp, cal, d(12, 1));
    const judged = states.find((s) => s.clock.code === "JUDGEMENT")!;
    expect(judged.problem?.en).toBe("Closed before adoption; this step was not recorded");
    expect(states.filter((s) => s.status !== undefined)).toEqual(states.filter((s) => s.done !== undefined && s.status !== undefined));
    expect(states.some((s) => s.status === "OVERDUE")).toBe(false);
    // With a close date, a step that never started (no form, so no analysis clock start) is said, not ended by the close.
    const closed = caseClocks({ ...caseAt("CLOSED", p), formIssuedAt: undefined, analysedAt: undefined }, hp, cal, d(12, 1));
    const analysis = closed.find((s) => s.clock.code === "ANALYSIS")!;
    expect([analysis.start, analysis.done, analysis.problem?.en]).toEqual([undefined, undefined, "Closed before adoption; this step was not recorded"]);
  });

  test("an error that is not a rule's (a broken calendar) is thrown, not shown as the clock's problem", () => {
    class Broken extends WorkCalendar {
      override workday(): number {
        throw new TypeError("broken calendar");
      }
    }
    const broken = new Broken(cal.spec);
    const c = caseAt("RECEIVED", p, { kind: "COMPLAINT" });
    expect(() => caseClocks(c, p, broken, d(3, 3))).toThrow(TypeError);
  });
});

describe("the Policy sheet's calendar rows: company days are the company's own (issue 30, survivors of a reading)", () => {
  test("a company day off named for a festival leaves that festival's estimate in place", () => {
    const estimated = provisionalDays(est, p.settings.weekend);
    const q = withPolicy((q) => q.calendar.push({ date: `${est}-10-09`, kind: "OFF", scope: "COMPANY", name: "国庆节 公司加休" }));
    // The company's extra day is not a notice: calendarYear lists only official days, and they are the estimate's.
    expect(calendarYear(q, est).off).toEqual(estimated.map((x) => x.date).sort());
    const national = estimated.find((x) => /国庆/.test(x.name ?? ""))!.date;
    const c = calendarFor(q);
    expect(c.isWorkday(ymdToSerial(est, 10, 9))).toBe(false);
    expect(c.isWorkday(ymdToSerial(est, Number(national.slice(5, 7)), Number(national.slice(8))))).toBe(false);
  });

  test("a company day wins over an official row of the same date, whatever their order on the sheet", () => {
    // 2026-10-07 is an official day off (National Day); the company works it, its row listed before the official one.
    const q = withPolicy((q) =>
      q.calendar.push(
        { date: "2026-10-07", kind: "WORK", scope: "COMPANY", name: "赶货 / rush order" },
        { date: "2026-10-07", kind: "OFF", scope: "OFFICIAL", name: "国庆节" },
      ),
    );
    expect(cal.isWorkday(d(10, 7))).toBe(false);
    expect(calendarFor(q).isWorkday(d(10, 7))).toBe(true);
  });

  test("each weekend pattern has its own estimate of a provisional year", () => {
    // A weekend pattern under which the year's statutory days fall on other days off, so the days in lieu differ.
    const other = [[5], [4, 5], [1], [2], [3]].find(
      (w) => JSON.stringify(provisionalDays(est, w)) !== JSON.stringify(provisionalDays(est, p.settings.weekend)),
    )!;
    expect(other).toBeDefined();
    const q = withPolicy((q) => (q.settings.weekend = other));
    expect(calendarYear(p, est).off).toEqual(provisionalDays(est, p.settings.weekend).map((x) => x.date));
    expect(calendarYear(q, est).off).toEqual(provisionalDays(est, other).map((x) => x.date));
    expect(calendarYear(q, est).off).not.toEqual(calendarYear(p, est).off);
  });

  test("a provisional year is estimated once per weekend pattern, in whatever order its days are listed", () => {
    const spy = jest.spyOn(provisional, "provisionalDays");
    try {
      const year = est + 3;
      const a = withPolicy((q) => (q.settings.weekend = [5, 3]));
      const b = withPolicy((q) => (q.settings.weekend = [3, 5]));
      const first = calendarYear(a, year);
      expect(calendarYear(b, year)).toEqual(first);
      expect(calendarYear(a, year)).toEqual(first);
      expect(spy.mock.calls.filter(([y]) => y === year)).toEqual([[year, [5, 3]]]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("which clock runs for a market, and what a close stops (issue 30, survivors of a reading)", () => {
  test("a clock that does not depend on the market is never swapped for a market clock with its fields", () => {
    const q = withPolicy((q) => {
      const judgement = q.clocks.find((k) => k.code === "JUDGEMENT")!;
      q.clocks.push({ ...judgement, code: "JUDGEMENT_INTL", appliesWhen: "INTERNATIONAL" }, { ...judgement, code: "JUDGEMENT_DOM", appliesWhen: "DOMESTIC" });
    });
    // JUDGEMENT runs when goods come back, whatever the market: a bare case of a market has none back.
    expect(clockForMarket(clock("JUDGEMENT", q), "INTERNATIONAL", q).code).toBe("JUDGEMENT");
    expect(clockForMarket(clock("JUDGEMENT", q), "DOMESTIC", q).code).toBe("JUDGEMENT");
  });

  test("a market clock that runs for the market stays itself, even with a look-alike listed first", () => {
    const q = withPolicy((q) => {
      const dom = q.clocks.find((k) => k.code === "REPLY_DOMESTIC")!;
      q.clocks.unshift({ ...dom, code: "REPLY_DOMESTIC_COPY", zh: "回复(国内,副本)" });
    });
    expect(clockForMarket(clock("REPLY_DOMESTIC", q), "DOMESTIC", q).code).toBe("REPLY_DOMESTIC");
    expect(clockForMarket(clock("REPLY_INTERNATIONAL", q), "DOMESTIC", q).code).toBe("REPLY_DOMESTIC_COPY");
  });

  test("a clock that starts at the close runs on after it, whatever field ends it", () => {
    // Booking the dealer debit within 5 days of the close: a step after the close, not one the close ends.
    const q = withPolicy((q) => {
      q.clocks.push({ ...q.clocks.find((k) => k.code === "FOLLOW_UP")!, code: "DEBIT_BOOKED", unit: "DAY", endField: "dealerDebitBookedAt" });
      q.limits.push({ clock: "DEBIT_BOOKED", limit: 5 });
    });
    const c = caseAt("CLOSED", q);
    const closedAt = Math.floor(c.closedAt as number);
    const booked = caseClocks(c, q, cal, closedAt + 1).find((s) => s.clock.code === "DEBIT_BOOKED")!;
    expect([booked.due, booked.status, booked.problem]).toEqual([closedAt + 5, "ON_TIME", undefined]);
    const late = caseClocks(c, q, cal, closedAt + 6).find((s) => s.clock.code === "DEBIT_BOOKED")!;
    expect(late.status).toBe("OVERDUE");
  });
});

describe("a closed case's finished steps keep their verdict (issue 30, survivors of a reading)", () => {
  const at = (c: Case, code: string, policy: Policy, today: number) => caseClocks(c, policy, cal, today).find((s) => s.clock.code === code)!;

  test("a live closed case: a step done on time is met, one done late is missed; only a step never done stops", () => {
    // Received Monday 2 March 2026: the domestic reply is due on 11 March.
    const onTime = { ...caseAt("CLOSED", p), repliedAt: d(3, 6), closedAt: d(3, 20) };
    expect([at(onTime, "REPLY_DOMESTIC", p, d(4, 1)).status, at(onTime, "REPLY_DOMESTIC", p, d(4, 1)).problem]).toEqual(["MET", undefined]);
    const late = { ...onTime, repliedAt: d(3, 13) };
    expect([at(late, "REPLY_DOMESTIC", p, d(4, 1)).status, at(late, "REPLY_DOMESTIC", p, d(4, 1)).done]).toEqual(["MISSED", d(3, 13)]);
    const never = { ...onTime, judgedAt: undefined };
    expect(at(never, "JUDGEMENT", p, d(4, 1)).problem?.en).toBe("The case is closed; this clock no longer runs");
  });

  test("adopted history: a step recorded with its own date is judged by that date, not by the close", () => {
    const old = { ...caseAt("CLOSED", p), repliedAt: d(3, 6), closedAt: d(3, 20), judgedAt: undefined };
    const hp = withHistoryUntil(p, d(3, 31));
    const reply = at(old, "REPLY_DOMESTIC", hp, d(12, 1));
    expect([reply.done, reply.status]).toEqual([d(3, 6), "MET"]);
    // The step without a date of its own ends at the close.
    expect(at(old, "JUDGEMENT", hp, d(12, 1)).done).toBe(d(3, 20));
  });
});
