import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { getLunarDate } from "chinese-days";
import { CN_OFFICIAL_DAYS, CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { serialToIso, weekday, ymdToSerial } from "../../src/domain/dates";
import { lunarToSerial, solarTermSerial } from "../../src/domain/calendar/lunar";
import { PROVISIONAL_YEARS, provisionalDays, statutoryDays } from "../../src/domain/calendar/provisional";

const WEEKEND = [6, 0];
const officialOff = new Set(CN_OFFICIAL_DAYS.filter((d) => d.kind === "OFF").map((d) => d.date));
const officialWork = new Set(CN_OFFICIAL_DAYS.filter((d) => d.kind === "WORK").map((d) => d.date));
/** Not worked in the published calendar (the data sometimes leaves out a weekend inside a holiday). */
const restedOfficially = (s: number) => officialOff.has(serialToIso(s)) || (WEEKEND.includes(weekday(s)) && !officialWork.has(serialToIso(s)));

describe("provisional holidays from the national rules", () => {
  test("13 statutory days a year, in order, each the festival it names", () => {
    for (let y = PROVISIONAL_YEARS.first; y <= PROVISIONAL_YEARS.last; y++) {
      const days = statutoryDays(y);
      expect(days).toHaveLength(13);
      for (let i = 1; i < days.length; i++) expect(days[i].serial).toBeGreaterThanOrEqual(days[i - 1].serial); // 中秋 may be Oct 1–3
      const lunar = (s: number) => getLunarDate(serialToIso(s));
      const spring = days.filter((d) => d.name.startsWith("春节"));
      expect(lunar(spring[1].serial)).toMatchObject({ lunarMon: 1, lunarDay: 1, isLeap: false });
      expect(lunar(spring[0].serial).lunarMon).toBe(12); // 除夕: the last day of the twelfth month
      expect(lunar(days.find((d) => d.name.startsWith("端午"))!.serial)).toMatchObject({ lunarMon: 5, lunarDay: 5 });
      expect(lunar(days.find((d) => d.name.startsWith("中秋"))!.serial)).toMatchObject({ lunarMon: 8, lunarDay: 15 });
      const qingming = serialToIso(days.find((d) => d.name.startsWith("清明"))!.serial);
      expect(qingming >= `${y}-04-04` && qingming <= `${y}-04-06`).toBe(true);
    }
  });

  test("every statutory day the rules kept since 2008 is off in every published year", () => {
    // 2008–2013 had 除夕 but not 初三; from 2014 初三 but not 除夕 (2025: both). The rest never changed.
    const kept = /^(元旦|清明|劳动节|端午|中秋|国庆节)/;
    for (const y of CN_OFFICIAL_YEARS.filter((x) => x >= 2008)) {
      const days = statutoryDays(y);
      const spring = days.filter((d) => d.name.startsWith("春节"));
      const expected = [...days.filter((d) => kept.test(d.name)), spring[1], spring[2]].filter(
        (d) => !(d.name.startsWith("劳动节") && y >= 2008 && y < 2025 && serialToIso(d.serial).endsWith("05-02")),
      );
      for (const d of expected) expect([serialToIso(d.serial), restedOfficially(d.serial)]).toEqual([serialToIso(d.serial), true]);
    }
  });

  test("a statutory day on a weekend is compensated on the next weekday not already off", () => {
    for (let y = PROVISIONAL_YEARS.first; y <= PROVISIONAL_YEARS.last; y++) {
      const statutory = statutoryDays(y).map((d) => d.serial);
      const off = provisionalDays(y, WEEKEND).map((d) => ymdToSerial(+d.date.slice(0, 4), +d.date.slice(5, 7), +d.date.slice(8)));
      // Compensated: those on a weekend, and the second of two festivals on one day (中秋 on 国庆, as in 2020).
      const onWeekend = statutory.filter((s) => WEEKEND.includes(weekday(s))).length;
      const shared = statutory.filter((s, i) => statutory.indexOf(s) !== i && !WEEKEND.includes(weekday(s))).length;
      expect(off).toHaveLength(new Set(statutory).size + onWeekend + shared);
      for (const s of off) {
        if (!statutory.includes(s)) expect(WEEKEND).not.toContain(weekday(s));
      }
      const days = provisionalDays(y, WEEKEND);
      expect(days.length).toBeGreaterThan(0);
      expect(days.every((d) => d.kind === "OFF" && /估算 estimate/.test(d.name ?? ""))).toBe(true);
    }
  });

  test("a year checked by hand: the days the calendar issue lists, with National Day's weekend compensated", () => {
    const Y = 2027; // Spring Festival on Feb 6 (checked against the almanac); Oct 2–3 fall on a weekend
    const off = provisionalDays(Y, WEEKEND).map((d) => d.date);
    for (const md of ["01-01", "02-05", "02-06", "02-07", "02-08", "04-05", "05-01", "05-03", "06-09", "09-15", "10-01", "10-04", "10-05"]) {
      expect(off).toContain(`${Y}-${md}`);
    }
    expect(off).not.toContain(`${Y}-09-30`);
  });
});

describe("lunar dates and solar terms, zone-free", () => {
  test("lunarToSerial and solarTermSerial here equal chinese-days asked in its home zone, 1990–2100", () => {
    // The library's own date code reads the machine's zone; in Asia/Shanghai it is right, so ask it there.
    const script = `const cd = require("chinese-days"); const out = [];
      for (let y = ${PROVISIONAL_YEARS.first}; y <= ${PROVISIONAL_YEARS.last}; y++)
        for (const [m, d] of [[1, 1], [5, 5], [8, 15]]) out.push(cd.getSolarDateFromLunar(y + "-" + String(m).padStart(2, "0") + "-" + String(d).padStart(2, "0")).date);
      for (let y = ${PROVISIONAL_YEARS.first}; y <= ${PROVISIONAL_YEARS.last}; y++) out.push(cd.getSolarTermDate(y, 4, "pure_brightness"));
      process.stdout.write(JSON.stringify(out));`;
    const theirs: string[] = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { env: { ...process.env, TZ: "Asia/Shanghai" }, cwd: path.join(__dirname, "../..") }).toString("utf8"),
    );
    const ours: string[] = [];
    for (let y = PROVISIONAL_YEARS.first; y <= PROVISIONAL_YEARS.last; y++)
      for (const [m, d] of [
        [1, 1],
        [5, 5],
        [8, 15],
      ])
        ours.push(serialToIso(lunarToSerial(y, m, d)));
    for (let y = PROVISIONAL_YEARS.first; y <= PROVISIONAL_YEARS.last; y++) ours.push(serialToIso(solarTermSerial(y, 4, "pure_brightness")));
    expect(ours).toEqual(theirs);
  });
});
