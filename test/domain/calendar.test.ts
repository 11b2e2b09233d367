import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as fc from "fast-check";
import { propertyRuns } from "../fakes/runs";
import * as formulajs from "@formulajs/formulajs";
import { WorkCalendar } from "../../src/domain/calendar/calendar";
import { CN_OFFICIAL_DAYS, CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { serialToIso, serialToYmd, ymdToSerial } from "../../src/domain/dates";
import { DomainError } from "../../src/domain/errors";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { PROVISIONAL_YEARS } from "../../src/domain/calendar/provisional";
import { calendarFor } from "../../src/domain/sla";

const d = (iso: string) => {
  const [y, m, day] = iso.split("-").map(Number);
  return ymdToSerial(y, m, day);
};
const cal = calendarFor(defaultPolicy());
/**
 * chinese-days computes with the machine's local-time getters (its own holiday
 * table shifts a day in America/Los_Angeles), so the peer is asked in a child
 * process in its home zone, whatever zone this test runs in.
 */
function askPeer(workdays: string[], finds: [number, string][]): { isWorkday: boolean[]; findWorkday: string[] } {
  const script = `const cd = require("chinese-days"); const q = JSON.parse(require("fs").readFileSync(0, "utf8"));
    process.stdout.write(JSON.stringify({ isWorkday: q.w.map((d) => cd.isWorkday(d)), findWorkday: q.f.map(([n, d]) => cd.findWorkday(n, d)) }));`;
  const out = execFileSync(process.execPath, ["-e", script], {
    input: JSON.stringify({ w: workdays, f: finds }),
    env: { ...process.env, TZ: "Asia/Shanghai" },
    cwd: path.join(__dirname, "../.."),
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString("utf8"));
}

describe("China working calendar", () => {
  test("National Day 2026: holidays Oct 1–7, make-up Saturday Oct 10", () => {
    expect(cal.isWorkday(d("2026-10-01"))).toBe(false);
    expect(cal.isWorkday(d("2026-10-07"))).toBe(false);
    expect(cal.isWorkday(d("2026-10-10"))).toBe(true); // Saturday worked (调休)
    expect(cal.isWorkday(d("2026-09-20"))).toBe(true); // Sunday worked
    expect(cal.isWorkday(d("2026-10-11"))).toBe(false); // ordinary Sunday
  });

  test("WORKDAY across a holiday lands on the make-up Saturday", () => {
    expect(serialToIso(cal.workday(d("2026-09-30"), 1))).toBe("2026-10-08");
    expect(serialToIso(cal.workday(d("2026-09-30"), 3))).toBe("2026-10-10");
    expect(serialToIso(cal.workday(d("2026-10-08"), -1))).toBe("2026-09-30");
    // Spring Festival 2026: Feb 15–23 off, Feb 14 and Feb 28 worked.
    expect(serialToIso(cal.workday(d("2026-02-13"), 1))).toBe("2026-02-14");
    expect(serialToIso(cal.workday(d("2026-02-14"), 1))).toBe("2026-02-24");
  });

  test("WORKDAY(start, 0) returns the start, as Excel does, even on a holiday", () => {
    expect(cal.workday(d("2026-10-01"), 0)).toBe(d("2026-10-01"));
  });

  test("WORKDAY from a day off counts from the next working day", () => {
    expect(serialToIso(cal.workday(d("2026-10-03"), 1))).toBe("2026-10-08");
    expect(serialToIso(cal.workday(d("2026-10-03"), -1))).toBe("2026-09-30");
  });

  test("NETWORKDAYS is inclusive and negative when reversed", () => {
    expect(cal.networkdays(d("2026-09-28"), d("2026-10-11"))).toBe(6); // 28,29,30, Oct 8,9,10
    expect(cal.networkdays(d("2026-10-11"), d("2026-09-28"))).toBe(-6);
    expect(cal.networkdays(d("2026-10-01"), d("2026-10-01"))).toBe(0);
  });

  test("a year without official data is provisional, never weekends-only; beyond 1990–2100 it is an error", () => {
    const est = Math.max(...CN_OFFICIAL_YEARS) + 1;
    const oct1 = ymdToSerial(est, 10, 1);
    expect(cal.isWorkday(oct1)).toBe(false);
    expect(cal.isWorkday(ymdToSerial(est, 1, 1))).toBe(false);
    expect(cal.spansProvisional(oct1, oct1)).toBe(true);
    expect(cal.spansProvisional(d(`${est - 1}-12-01`), d(`${est - 1}-12-31`))).toBe(false);
    expect(cal.spansProvisional(d(`${est - 1}-12-30`), cal.workday(d(`${est - 1}-12-30`), 5))).toBe(true);
    expect(() => cal.isWorkday(ymdToSerial(PROVISIONAL_YEARS.last + 1, 10, 1))).toThrow(DomainError);
    expect(() => cal.workday(d(`${PROVISIONAL_YEARS.last}-12-30`), 5)).toThrow(new RegExp(String(PROVISIONAL_YEARS.last + 1)));
    expect(() => cal.workday(ymdToSerial(PROVISIONAL_YEARS.first, 1, 2), -5)).toThrow(/no public-holiday data/i);
  });

  test("a year completed on the Policy sheet is exactly its rows; a gap year inside stays provisional", () => {
    const est = Math.max(...CN_OFFICIAL_YEARS) + 1;
    const p = defaultPolicy();
    p.settings.extraCalendarYears = [est, est + 2];
    p.calendar.push({ date: serialToIso(ymdToSerial(est, 10, 1)), kind: "OFF", scope: "OFFICIAL", name: "国庆节" });
    const c = calendarFor(p);
    const weekend = (s: number) => [0, 6].includes(new Date((s - 25569) * 86400000).getUTCDay());
    for (let s = ymdToSerial(est, 1, 1); s < ymdToSerial(est + 1, 1, 1); s++) {
      expect(c.isWorkday(s)).toBe(!weekend(s) && s !== ymdToSerial(est, 10, 1));
    }
    expect(c.spansProvisional(ymdToSerial(est, 1, 1), ymdToSerial(est, 12, 31))).toBe(false);
    expect(c.isWorkday(ymdToSerial(est + 1, 1, 1))).toBe(false); // the gap year: provisional, New Year off
    expect(c.spansProvisional(ymdToSerial(est + 1, 3, 1), ymdToSerial(est + 1, 3, 1))).toBe(true);
  });

  test("company overrides win over the official calendar", () => {
    const p = defaultPolicy();
    p.calendar.push(
      { date: "2026-12-28", kind: "OFF", scope: "COMPANY", name: "年底停工 shutdown" },
      { date: "2026-10-03", kind: "WORK", scope: "COMPANY", name: "加班 extra workday" },
    );
    const c = calendarFor(p);
    expect(c.isWorkday(d("2026-12-28"))).toBe(false);
    expect(c.isWorkday(d("2026-10-03"))).toBe(true);
    expect(serialToIso(c.workday(d("2026-09-30"), 1))).toBe("2026-10-03");
  });

  test("working hours skip lunch, evenings and holidays", () => {
    const at = (iso: string, hm: string) => d(iso) + (Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))) / 1440;
    expect(serialToIso(cal.addWorkHours(at("2026-09-29", "09:00"), 1))).toBe("2026-09-29 10:00");
    expect(serialToIso(cal.addWorkHours(at("2026-09-29", "11:30"), 1))).toBe("2026-09-29 14:00");
    expect(serialToIso(cal.addWorkHours(at("2026-09-30", "17:00"), 1))).toBe("2026-10-08 09:00");
    expect(serialToIso(cal.addWorkHours(at("2026-09-30", "20:00"), 1))).toBe("2026-10-08 09:30");
    expect(serialToIso(cal.addWorkHours(at("2026-10-02", "10:00"), 8))).toBe("2026-10-09 09:00");
    expect(cal.minutesPerDay).toBe(450);
  });

  test("bad working hours are refused with a bilingual message", () => {
    expect(() => new WorkCalendar({ weekend: [0, 6], official: [], years: [2026], company: [], workHours: [["13:00", "12:00"]] })).toThrow(/不重叠.*overlap/);
  });
});

describe("calendar properties", () => {
  const first = ymdToSerial(2024, 1, 1);
  const last = ymdToSerial(2026, 12, 31);
  const day = fc.integer({ min: first, max: last });
  const steps = fc.integer({ min: 1, max: 60 });

  test("WORKDAY and NETWORKDAYS round-trip", () => {
    fc.assert(
      fc.property(day, steps, (s, n) => {
        const end = safe(() => cal.workday(s, n));
        if (end === undefined) return;
        const counted = cal.networkdays(s, end);
        expect(counted).toBe(cal.isWorkday(s) ? n + 1 : n);
        expect(cal.isWorkday(end)).toBe(true);
        if (cal.isWorkday(s)) expect(cal.workday(end, -n)).toBe(s);
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  test("WORKDAY is strictly increasing in days and NETWORKDAYS is antisymmetric", () => {
    fc.assert(
      fc.property(day, steps, steps, (s, a, b) => {
        const x = safe(() => cal.workday(s, a));
        const y = safe(() => cal.workday(s, b));
        if (x === undefined || y === undefined) return;
        expect(Math.sign(y - x)).toBe(Math.sign(b - a));
      }),
      { numRuns: propertyRuns(2000) },
    );
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(cal.networkdays(a, b)).toBe(a === b ? cal.networkdays(a, a) : -cal.networkdays(b, a));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});

function safe(f: () => number): number | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof DomainError && e.code === "CAL_NO_DATA") return undefined;
    throw e;
  }
}

describe("against peers", () => {
  const local = (s: number) => {
    const { year, month, day } = serialToYmd(s);
    return new Date(year, month - 1, day);
  };
  const fromLocal = (x: Date) => ymdToSerial(x.getFullYear(), x.getMonth() + 1, x.getDate());

  // Make-up workdays switched off: weekends + official days off only, which is what Excel/formulajs can express.
  const offDays = CN_OFFICIAL_DAYS.filter((x) => x.kind === "OFF");
  const plain = new WorkCalendar({
    weekend: [6, 0],
    official: offDays,
    years: [2023, 2024, 2025, 2026, 2027],
    company: [],
    workHours: [["09:00", "17:00"]],
  });
  const holidayDates = offDays.filter((x) => x.date >= "2023").map((x) => local(d(x.date)));
  const rnd = fc.integer({ min: ymdToSerial(2024, 1, 1), max: ymdToSerial(2026, 12, 31) });

  test("without make-up workdays WORKDAY equals formulajs WORKDAY on 3,000 random inputs", () => {
    fc.assert(
      fc.property(rnd, fc.integer({ min: -120, max: 120 }), (s, n) => {
        const theirs = formulajs.WORKDAY(local(s), n, holidayDates) as Date;
        expect(plain.workday(s, n)).toBe(fromLocal(theirs));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  test("without make-up workdays NETWORKDAYS equals formulajs NETWORKDAYS on 3,000 random inputs", () => {
    fc.assert(
      fc.property(rnd, rnd, (a, b) => {
        // formulajs 4.6 miscounts reversed ranges (it returns end - start + 1 unfiltered);
        // Excel's documented rule is NETWORKDAYS(b, a) = -NETWORKDAYS(a, b), so compare on the sorted pair.
        const [x, y] = a <= b ? [a, b] : [b, a];
        const theirs = formulajs.NETWORKDAYS(local(x), local(y), holidayDates) as number;
        expect(plain.networkdays(a, b)).toBe(a <= b ? theirs : -theirs);
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  test("every day of the bundled years has the working status chinese-days gives it", () => {
    const [first, last] = [Math.min(...CN_OFFICIAL_YEARS), Math.max(...CN_OFFICIAL_YEARS)];
    const days: number[] = [];
    for (let s = ymdToSerial(first, 1, 1); s <= ymdToSerial(last, 12, 31); s++) days.push(s);
    const theirs = askPeer(days.map(serialToIso), []).isWorkday;
    expect(theirs).toHaveLength(days.length);
    expect(days.filter((s, i) => cal.isWorkday(s) !== theirs[i]).map(serialToIso)).toEqual([]);
  });

  test("with the China calendar WORKDAY equals chinese-days findWorkday on 3,000 random inputs", () => {
    const nonzero = fc.integer({ min: -90, max: 90 }).filter((n) => n !== 0);
    const inputs = fc.sample(fc.tuple(rnd, nonzero), { numRuns: 3000, seed: 25 });
    // chinese-days knows no holidays past its data: compare where both have official data.
    const compared = inputs.flatMap(([s, n]) => {
      const ours = safe(() => cal.workday(s, n));
      return ours === undefined || cal.spansProvisional(s, ours) ? [] : [{ s, n, ours: serialToIso(ours) }];
    });
    expect(compared.length).toBeGreaterThan(1000);
    const theirs = askPeer(
      [],
      compared.map((c) => [c.n, serialToIso(c.s)] as [number, string]),
    ).findWorkday;
    expect(compared.filter((c, i) => c.ours !== theirs[i])).toEqual([]);
  });
});
