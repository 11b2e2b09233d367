/**
 * The working calendar at its edges (issue 30, mutation testing): the first and last indexed day, a year missing
 * in the middle, working hours as typed, the boundaries of a working period, and every refusal said in full.
 */
import { WorkCalendar, type CalendarSpec } from "../../src/domain/calendar/calendar";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { PROVISIONAL_YEARS } from "../../src/domain/calendar/provisional";
import { calendarFor } from "../../src/domain/sla";

const cal = calendarFor(defaultPolicy());
const at = (y: number, m: number, d: number, hm = "00:00") => ymdToSerial(y, m, d) + (Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))) / 1440;
const iso = (t: number) => serialToIso(t);
/** Weekends only, 2024 and 2026 known, 2025 missing. */
const spec = (over: Partial<CalendarSpec> = {}): CalendarSpec => ({
  weekend: [0, 6],
  official: [],
  years: [2024, 2026],
  company: [],
  workHours: [
    ["08:30", "12:00"],
    ["13:30", "17:30"],
  ],
  ...over,
});
const gappy = new WorkCalendar(spec());
const noData = (year: number) =>
  expect.objectContaining({
    code: "CAL_NO_DATA",
    zh: `${year} 年没有法定节假日数据,请在设置表中补充该年的节假日和调休`,
    en: `No public-holiday data for ${year}: add that year's holidays and make-up workdays to the Policy sheet`,
  });

describe("the first and last day of the index", () => {
  const first = PROVISIONAL_YEARS.first;
  const last = PROVISIONAL_YEARS.last;

  test("both ends answer; a day beyond either names its year", () => {
    expect(cal.span).toEqual([`${first}-01-01`, `${last}-12-31`]);
    expect(cal.isWorkday(ymdToSerial(first, 1, 1))).toBe(false); // New Year's Day
    expect(cal.networkdays(ymdToSerial(first, 1, 1), ymdToSerial(first, 1, 1))).toBe(0);
    // 1990-01-02 is a Tuesday: the first working day of the index.
    expect(cal.networkdays(ymdToSerial(first, 1, 1), ymdToSerial(first, 1, 2))).toBe(1);
    expect(cal.workday(ymdToSerial(first, 1, 1), 1)).toBe(ymdToSerial(first, 1, 2));
    expect(cal.spansProvisional(ymdToSerial(first, 1, 1), ymdToSerial(first, 1, 1))).toBe(true);
    expect(() => cal.isWorkday(ymdToSerial(first, 1, 1) - 1)).toThrow(noData(first - 1));
    expect(() => cal.workday(ymdToSerial(first, 1, 2), -1)).toThrow(noData(first - 1));
    expect(() => cal.isWorkday(ymdToSerial(last, 12, 31))).not.toThrow();
    expect(() => cal.isWorkday(ymdToSerial(last + 1, 1, 1))).toThrow(noData(last + 1));
    // Outside the index nothing is provisional (it is an error elsewhere), in either order.
    expect(cal.spansProvisional(ymdToSerial(last + 1, 1, 1), ymdToSerial(last + 1, 6, 1))).toBe(false);
    expect(cal.spansProvisional(ymdToSerial(first, 1, 1) - 9, ymdToSerial(first, 1, 1) - 1)).toBe(false);
    expect(cal.spansProvisional(ymdToSerial(last, 12, 31), ymdToSerial(first, 1, 1) - 5)).toBe(true);
  });

  test("a day's time is dropped: the same day whatever the hour", () => {
    expect(cal.isWorkday(at(2026, 10, 1, "23:59"))).toBe(false);
    expect(cal.workday(at(2026, 9, 30, "18:00"), 1)).toBe(ymdToSerial(2026, 10, 8));
    expect(cal.workday(ymdToSerial(2026, 9, 30), 1.9)).toBe(ymdToSerial(2026, 10, 8));
    expect(cal.networkdays(at(2026, 9, 28, "23:00"), at(2026, 9, 30, "01:00"))).toBe(3);
  });
});

describe("a year missing in the middle", () => {
  test("any query touching it names it; the years around it answer", () => {
    expect(() => gappy.isWorkday(ymdToSerial(2025, 6, 2))).toThrow(noData(2025));
    expect(() => gappy.networkdays(ymdToSerial(2024, 12, 30), ymdToSerial(2026, 1, 5))).toThrow(noData(2025));
    expect(() => gappy.workday(ymdToSerial(2024, 12, 31), 3)).toThrow(noData(2025));
    expect(() => gappy.workday(ymdToSerial(2026, 1, 2), -3)).toThrow(noData(2025));
    expect(gappy.isWorkday(ymdToSerial(2024, 12, 31))).toBe(true);
    expect(gappy.networkdays(ymdToSerial(2026, 1, 1), ymdToSerial(2026, 1, 9))).toBe(7);
    expect(gappy.span).toEqual(["2024-01-01", "2026-12-31"]);
  });

  test("a span across the gap and past the last year names the gap, the first year it lacks", () => {
    const last = 2026;
    const c = new WorkCalendar(spec({ years: [last - 2, last] }));
    expect(() => c.networkdays(ymdToSerial(last - 2, 12, 30), ymdToSerial(last + 1, 1, 5))).toThrow(noData(last - 1));
    expect(() => c.networkdays(ymdToSerial(last, 12, 30), ymdToSerial(last + 1, 1, 5))).toThrow(noData(last + 1));
  });

  test("the first and last day of a calendar built here: a workday on either edge counts, and a span from a provisional day runs past the end", () => {
    // Weekends only: the first day (a Monday) and the last (a Wednesday) are working days; the last year is provisional.
    const first = 2024;
    const c = new WorkCalendar(spec({ years: [first, first + 1], provisional: [first + 1] }));
    expect(c.isWorkday(ymdToSerial(first, 1, 1))).toBe(true);
    expect(() => c.workday(ymdToSerial(first, 1, 1), -1)).toThrow(noData(first - 1));
    expect(c.workday(ymdToSerial(first, 1, 2), -1)).toBe(ymdToSerial(first, 1, 1));
    expect(c.isWorkday(ymdToSerial(first + 1, 12, 31))).toBe(true);
    expect(() => c.workday(ymdToSerial(first + 1, 12, 31), 1)).toThrow(noData(first + 2));
    expect(c.workday(ymdToSerial(first + 1, 12, 30), 1)).toBe(ymdToSerial(first + 1, 12, 31));
    expect(c.spansProvisional(ymdToSerial(first + 1, 12, 31), ymdToSerial(first + 1, 12, 31))).toBe(true);
    expect(c.spansProvisional(ymdToSerial(first + 1, 6, 1), ymdToSerial(first + 2, 6, 1))).toBe(true);
    expect(c.spansProvisional(ymdToSerial(first + 2, 6, 1), ymdToSerial(first + 1, 6, 1))).toBe(true);
    expect(c.spansProvisional(ymdToSerial(first, 12, 31), ymdToSerial(first, 12, 31))).toBe(false);
  });

  test("a provisional year must be one of the years; one that is not marks nothing", () => {
    const c = new WorkCalendar(spec({ provisional: [2025] }));
    expect(c.provisionalYears.size).toBe(0);
    expect(c.spansProvisional(ymdToSerial(2024, 1, 1), ymdToSerial(2026, 12, 31))).toBe(false);
    const p = new WorkCalendar(spec({ provisional: [2026] }));
    expect(p.spansProvisional(ymdToSerial(2024, 1, 1), ymdToSerial(2024, 12, 31))).toBe(false);
    expect(p.spansProvisional(ymdToSerial(2026, 12, 31), ymdToSerial(2024, 3, 1))).toBe(true);
    expect(p.spansProvisional(ymdToSerial(2026, 1, 1), ymdToSerial(2026, 1, 1))).toBe(true);
  });

  test("a calendar of no year is refused", () => {
    expect(() => new WorkCalendar(spec({ years: [] }))).toThrow(
      expect.objectContaining({ code: "CAL_EMPTY", zh: "日历没有任何年份的数据", en: "The calendar holds no year of data" }),
    );
  });
});

describe("working hours as typed", () => {
  const hours = (workHours: [string, string][]) => new WorkCalendar(spec({ workHours }));
  const badHours = (hm: string) =>
    expect.objectContaining({ code: "CAL_BAD_HOURS", zh: `工作时间"${hm}"格式应为 HH:MM`, en: `Working hours "${hm}" must be HH:MM` });

  test("one-digit hours, spaces, the end of the day and periods in any order are read", () => {
    const c = hours([
      [" 13:00 ", "24:00"],
      ["8:00", "12:00"],
    ]);
    expect(c.periods).toEqual([
      [480, 720],
      [780, 1440],
    ]);
    expect(c.minutesPerDay).toBe(240 + 660);
    // Periods that touch are not overlapping.
    expect(
      hours([
        ["08:00", "12:00"],
        ["12:00", "13:00"],
      ]).minutesPerDay,
    ).toBe(300);
  });

  test("the last minute of an hour is a time: 08:59 and 23:59 are read", () => {
    expect(hours([["08:59", "23:59"]]).periods).toEqual([[539, 1439]]);
  });

  test("anything else is refused, naming the text", () => {
    for (const hm of ["25:00", "08:60", "0830", "08:3", "x08:30", "08:30x", "123:00"]) {
      expect(() => hours([[hm, "23:00"]])).toThrow(badHours(hm));
    }
    const order = expect.objectContaining({
      code: "CAL_BAD_HOURS",
      zh: "工作时间段必须按顺序且不重叠",
      en: "Working periods must be in order and must not overlap",
    });
    expect(() => hours([["12:00", "12:00"]])).toThrow(order);
    expect(() =>
      hours([
        ["08:00", "12:01"],
        ["12:00", "13:00"],
      ]),
    ).toThrow(order);
    expect(() => hours([])).toThrow(expect.objectContaining({ zh: "没有设置工作时间段", en: "No working hours are set" }));
  });

  test("a calendar date not written YYYY-MM-DD is refused, naming it", () => {
    for (const date of ["2026-1-05", "x2026-01-05", "2026-01-05x", "2026/01/05"]) {
      expect(() => new WorkCalendar(spec({ official: [{ date, kind: "OFF" }] }))).toThrow(
        expect.objectContaining({ code: "CAL_BAD_DATE", zh: `日历日期"${date}"格式应为 YYYY-MM-DD`, en: `Calendar date "${date}" must be YYYY-MM-DD` }),
      );
    }
  });
});

describe("working hours at the boundaries of a period", () => {
  const add = (t: number, h: number) => iso(cal.addWorkHours(t, h));

  test("a period filled exactly ends at its end; at its end the next period starts", () => {
    expect(add(at(2026, 9, 29, "08:30"), 3.5)).toBe("2026-09-29 12:00");
    expect(add(at(2026, 9, 29, "12:00"), 0.5)).toBe("2026-09-29 14:00");
    expect(add(at(2026, 9, 29, "12:30"), 0)).toBe("2026-09-29 13:30");
    expect(add(at(2026, 9, 29, "07:00"), 0)).toBe("2026-09-29 08:30");
    expect(add(at(2026, 9, 29, "17:30"), 0.5)).toBe("2026-09-30 09:00");
    expect(add(at(2026, 9, 29, "13:30"), 4)).toBe("2026-09-29 17:30");
    // A whole working day and a minute.
    expect(add(at(2026, 9, 29, "08:30"), 7.5 + 1 / 60)).toBe("2026-09-30 08:31");
  });

  test("negative or unreadable hours are refused", () => {
    const neg = expect.objectContaining({ code: "CAL_BAD_HOURS", zh: "工作小时数不能为负", en: "Working hours cannot be negative" });
    expect(() => cal.addWorkHours(at(2026, 9, 29, "09:00"), -0.5)).toThrow(neg);
    expect(() => cal.addWorkHours(at(2026, 9, 29, "09:00"), Number.NaN)).toThrow(neg);
  });
});
