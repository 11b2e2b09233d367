import { parseDateText, serialToIso, serialToYmd, toSerial, weekday, ymdToSerial } from "../../src/domain/dates";

describe("Excel serial dates", () => {
  test("known serials of the 1900 date system", () => {
    expect(ymdToSerial(2026, 9, 30)).toBe(46295);
    expect(ymdToSerial(1900, 3, 1)).toBe(61);
    expect(ymdToSerial(2024, 2, 29)).toBe(45351);
    expect(serialToYmd(46295)).toEqual({ year: 2026, month: 9, day: 30 });
    expect(weekday(46295)).toBe(3); // a Wednesday
  });

  test("time of day survives the round trip to text", () => {
    expect(serialToIso(46295 + 14.5 / 24)).toBe("2026-09-30 14:30");
    expect(serialToIso(46295)).toBe("2026-09-30");
  });
});

describe("dates typed by people", () => {
  test.each([
    ["2026-09-30", 46295],
    ["2026/9/30", 46295],
    ["2026.9.30", 46295],
    ["2026年9月30日", 46295],
    ["2026年9月30号", 46295],
    ["20260930", 46295],
    ["２０２６－０９－３０", 46295],
    [" 2026/09/30 ", 46295],
  ])("%s", (text, serial) => {
    expect(parseDateText(text)).toEqual({ ok: true, serial });
  });

  test("with a time", () => {
    const r = parseDateText("2026-09-30 08:45");
    expect(r.ok && serialToIso(r.serial)).toBe("2026-09-30 08:45");
  });

  test("month and day only need a year from context, and say so without one", () => {
    expect(parseDateText("3月5日", { defaultYear: 2025 })).toEqual({ ok: true, serial: ymdToSerial(2025, 3, 5) });
    const r = parseDateText("3月5日");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.en).toMatch(/no year/);
  });

  test.each(["2026-02-30", "2026-13-01", "2025/2/29", "30/09/2026", "next Monday", "2026-09-30 25:00", ""])("refuses %p rather than guessing", (text) => {
    const r = parseDateText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[A-Za-z]/);
    }
  });

  test("toSerial takes numbers, text serials and Dates, and refuses booleans and out-of-range numbers", () => {
    expect(toSerial(46295)).toEqual({ ok: true, serial: 46295 });
    expect(toSerial("46295")).toEqual({ ok: true, serial: 46295 });
    // A cell's Date carries its wall clock in the UTC fields (exceljs), on any machine.
    expect(toSerial(new Date(Date.UTC(2026, 8, 30)))).toEqual({ ok: true, serial: 46295 });
    expect(toSerial(new Date(Date.UTC(2026, 8, 30, 14, 30)))).toEqual({ ok: true, serial: 46295 + 14.5 / 24 });
    expect(toSerial(true).ok).toBe(false);
    expect(toSerial(-5).ok).toBe(false);
    expect(toSerial(null).ok).toBe(false);
    expect(toSerial(3e7).ok).toBe(false);
  });
});
