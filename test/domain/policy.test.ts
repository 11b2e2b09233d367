import type { Case } from "../../src/domain/case";
import { serialToIso, weekday, ymdToSerial } from "../../src/domain/dates";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { PROVISIONAL_YEARS } from "../../src/domain/calendar/provisional";
import { policyFromRows, policyToRows, type Cell } from "../../src/domain/policy/policy-table";
import { calendarFor, caseClocks, clockOf, dueDate } from "../../src/domain/sla";

describe("policy as a plain table", () => {
  test("defaults round-trip through rows unchanged", () => {
    const rows = policyToRows(defaultPolicy());
    const back = policyFromRows(rows);
    expect(back.problems).toEqual([]);
    expect(back.policy).toEqual(defaultPolicy());
  });

  test("rows are rectangular and every section is marked", () => {
    const rows = policyToRows(defaultPolicy());
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    const markers = rows.map((r) => r[0]).filter((x) => typeof x === "string" && /^\[[A-Z_]+\]$/.test(x));
    expect(markers).toEqual([
      "[SETTINGS]",
      "[CLASSES]",
      "[SEVERITIES]",
      "[CLOCKS]",
      "[LIMITS]",
      "[RESPONSIBILITY]",
      "[DISPOSITIONS]",
      "[FORMS]",
      "[ROLES]",
      "[CALENDAR]",
      "[CONFIDENTIAL]",
      "[STEPS]",
      "[COST_CATEGORIES]",
      "[JOURNAL_LAYOUTS]",
      "[SEVERITY_CRITERIA]",
    ]);
  });

  test("an edit on the sheet changes what is computed", () => {
    const rows = policyToRows(defaultPolicy());
    const limitRow = rows.findIndex((r) => r[0] === "REPLY_DOMESTIC" && r[3] === "" && r[4] === 7);
    expect(limitRow).toBeGreaterThan(0);
    rows[limitRow][4] = 5;
    const { policy } = policyFromRows(rows);
    const start = ymdToSerial(2026, 9, 28);
    const due = dueDate(start, clockOf("REPLY_DOMESTIC", policy!)!, {}, policy!, calendarFor(policy!));
    expect(serialToIso(due)).toBe("2026-10-10"); // 29, 30, Oct 8, 9, 10 (make-up Saturday)
  });

  test("a year and a shutdown added on the sheet reach the calendar", () => {
    const rows: Cell[][] = policyToRows(defaultPolicy());
    const set = rows.findIndex((r) => r[0] === "extraCalendarYears");
    // The year after the bundled official data (derived, so the test moves on when the data does).
    const next = Math.max(...CN_OFFICIAL_YEARS) + 1;
    rows[set][1] = String(next);
    const cal = rows.findIndex((r) => r[0] === "[CALENDAR]");
    rows.splice(cal + 2, 0, [`${next}-01-01`, "OFF", "OFFICIAL", "元旦"], [`${next - 1}-12-31`, "off", "company", "年终盘点"]);
    const { policy, problems } = policyFromRows(rows);
    expect(problems).toEqual([]);
    const c = calendarFor(policy!);
    expect(c.isWorkday(ymdToSerial(next - 1, 12, 31))).toBe(false);
    expect(c.isWorkday(ymdToSerial(next, 1, 1))).toBe(false);
    // The year is exactly its rows: its first Monday after 1 January is a working day.
    const monday = [2, 3, 4, 5, 6, 7, 8].map((d) => ymdToSerial(next, 1, d)).find((s) => weekday(s) === 1)!;
    expect(c.isWorkday(monday)).toBe(true);
  });

  test("bad rows are all reported with their row numbers, and no half-read policy is returned", () => {
    const rows: Cell[][] = policyToRows(defaultPolicy());
    const unit = rows.findIndex((r) => r[0] === "JUDGEMENT");
    rows[unit][3] = "FORTNIGHT";
    const lim = rows.findIndex((r) => r[0] === "JUDGEMENT" && r[4] === 2);
    rows[lim][4] = "two";
    const form = rows.findIndex((r) => r[0] === "SCRAP_APPLICATION");
    rows[form][3] = "QUALITY_MANAGER; CEO";
    const r = policyFromRows(rows);
    expect(r.policy).toBeUndefined();
    expect(r.problems.find((x) => x.row === unit + 1)?.en).toMatch(/FORTNIGHT/);
    expect(r.problems.find((x) => x.row === lim + 1)?.zh).toMatch(/非负数字/);
    expect(r.problems.some((x) => /unknown role "CEO"/.test(x.en))).toBe(true);
  });

  test("an older table without some sections keeps the defaults for them", () => {
    const rows = policyToRows(defaultPolicy());
    const start = rows.findIndex((r) => r[0] === "[CONFIDENTIAL]");
    const { policy } = policyFromRows(
      [...rows.slice(0, start), ["[CONFIDENTIAL]", "保密词"], ["Term"], ["注塑参数"], ["某某塑胶"]].filter((r) => r[0] !== "[CALENDAR]"),
    );
    expect(policy?.confidentialTerms).toEqual(["注塑参数", "某某塑胶"]);
  });
});

describe("clocks of a case", () => {
  const p = defaultPolicy();
  const cal = calendarFor(p);
  const day = (m: number, d: number) => ymdToSerial(2026, m, d);

  test("a domestic serious return: which clocks run, when each is due and its status", () => {
    const c: Case = {
      kind: "RETURN",
      market: "DOMESTIC",
      severity: "SERIOUS",
      customerClass: "B",
      receivedAt: day(9, 24) + 10 / 24,
      loggedAt: day(9, 24) + 10.5 / 24,
      goodsBackAt: day(9, 28),
      judgedAt: day(10, 8),
      signatures: {},
    };
    const clocks = caseClocks(c, p, cal, day(10, 10));
    const byCode = Object.fromEntries(clocks.map((k) => [k.clock.code, k]));
    expect(Object.keys(byCode).sort()).toEqual(["ANALYSIS", "CLOSE", "FIRST_RESPONSE", "FOLLOW_UP", "JUDGEMENT", "LOG", "REPLY_DOMESTIC"]);
    expect(byCode.LOG.status).toBe("MET");
    expect(serialToIso(byCode.JUDGEMENT.due!)).toBe("2026-09-30");
    expect(byCode.JUDGEMENT.status).toBe("MISSED");
    // Sep 25 is Mid-Autumn: 28, 29, 30, Oct 8, 9, 10 (make-up Saturday), 12.
    expect(serialToIso(byCode.REPLY_DOMESTIC.due!)).toBe("2026-10-12");
    expect(byCode.REPLY_DOMESTIC.status).toBe("DUE_SOON");
    expect(serialToIso(byCode.CLOSE.due!)).toBe("2026-10-26");
    expect(byCode.CLOSE.status).toBe("ON_TIME");
    expect(serialToIso(byCode.FIRST_RESPONSE.due!)).toBe("2026-09-28");
    expect(byCode.FIRST_RESPONSE.status).toBe("OVERDUE");
    expect(byCode.FOLLOW_UP.due).toBeUndefined(); // not closed yet
  });

  test("a clock whose due date falls in a provisional year has a date marked as an estimate", () => {
    const last = Math.max(...CN_OFFICIAL_YEARS);
    const received = ymdToSerial(last, 12, 20);
    const c: Case = { kind: "COMPLAINT", market: "INTERNATIONAL", receivedAt: received, signatures: {} };
    const clocks = caseClocks(c, p, cal, received + 1);
    const reply = clocks.find((k) => k.clock.code === "REPLY_INTERNATIONAL")!;
    expect(reply.problem).toBeUndefined();
    expect(reply.due).toBeGreaterThan(ymdToSerial(last + 1, 1, 1));
    expect(reply.estimate).toBe(true);
    expect(clocks.find((k) => k.clock.code === "FIRST_RESPONSE")!.estimate).toBeUndefined();
  });

  test("a clock whose due date falls beyond every calendar carries the reason instead of a date", () => {
    const received = ymdToSerial(PROVISIONAL_YEARS.last, 12, 20);
    const c: Case = { kind: "COMPLAINT", market: "INTERNATIONAL", receivedAt: received, signatures: {} };
    const reply = caseClocks(c, p, cal, received + 1).find((k) => k.clock.code === "REPLY_INTERNATIONAL")!;
    expect(reply.due).toBeUndefined();
    expect(reply.problem?.en).toMatch(String(PROVISIONAL_YEARS.last + 1));
  });
});
