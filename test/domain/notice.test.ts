import data from "chinese-days/dist/chinese-days.json";
import { serialToIso, weekday, ymdToSerial } from "../../src/domain/dates";
import { DomainError } from "../../src/domain/errors";
import { festivalList, noticeCoverage, noticeYear, parseNotice, statutoryFestivals } from "../../src/domain/calendar/notice";
import { NOTICE_2024, NOTICE_2025, NOTICE_2026 } from "../fixtures/notices";

interface Data {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
const d = data as Data;
const serial = (iso: string) => ymdToSerial(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10));
const zhName = (raw: string) => raw.split(",")[1];
/** The notice a bundled day belongs to: New Year days in December belong to the next year's. */
const noticeOf = (iso: string, raw: string) => +iso.slice(0, 4) + (iso.slice(5, 7) === "12" && zhName(raw) === "元旦" ? 1 : 0);
const years = [...new Set(Object.entries(d.holidays).map(([k, v]) => noticeOf(k, v)))].sort((a, b) => a - b);
const bundled = (year: number, kind: "holidays" | "workdays") =>
  Object.entries(d[kind])
    .filter(([k, v]) => noticeOf(k, v) === year)
    .map(([k]) => k)
    .sort();
const isWeekend = (iso: string) => [0, 6].includes(weekday(serial(iso)));

const ORDINALS = "一二三四五六七八九十";
const WD = "日一二三四五六";

/**
 * A notice for a bundled year, written back from the data in the published
 * forms, rotating between them by year: 周X / 星期X / no weekday, ranges
 * within and across months, years written out for days of another year,
 * make-up days listed together, and an encouragement sentence that is no
 * arrangement.
 */
function reconstruct(year: number): string {
  const style = year % 3;
  const note = (iso: string, lunar = "") => {
    if (style === 2 && !lunar) return "";
    const w = style === 1 ? `星期${WD[weekday(serial(iso))]}` : `周${WD[weekday(serial(iso))]}`;
    return `(${lunar}${w})`;
  };
  const md = (iso: string, withMonth = true) =>
    `${+iso.slice(0, 4) !== year ? `${+iso.slice(0, 4)}年` : ""}${withMonth ? `${+iso.slice(5, 7)}月` : ""}${+iso.slice(8, 10)}日`;
  const groups = new Map<string, { off: string[]; on: string[] }>();
  for (const iso of bundled(year, "holidays")) {
    const name = zhName(d.holidays[iso]);
    if (!groups.has(name)) groups.set(name, { off: [], on: [] });
    groups.get(name)!.off.push(iso);
  }
  for (const iso of bundled(year, "workdays")) {
    const name = zhName(d.workdays[iso]);
    if (!groups.has(name)) groups.set(name, { off: [], on: [] });
    groups.get(name)!.on.push(iso);
  }
  const sections = [...groups.entries()].filter(([, g]) => g.off.length).sort((a, b) => (a[1].off[0] < b[1].off[0] ? -1 : 1));
  const lines = sections.map(([name, g], k) => {
    // Runs of consecutive days; a weekend the data leaves out inside a run is bridged, as the notice would.
    const runs: string[][] = [];
    for (const iso of g.off) {
      const last = runs.at(-1)?.at(-1);
      const gap = last ? serial(iso) - serial(last) : 99;
      const bridged = gap > 1 && gap <= 3 && Array.from({ length: gap - 1 }, (_, i) => serialToIso(serial(last!) + 1 + i)).every(isWeekend);
      if (gap === 1 || bridged) runs.at(-1)!.push(iso);
      else runs.push([iso]);
    }
    const offText = runs
      .map((r) => {
        const [a, b] = [r[0], r.at(-1)!];
        if (a === b) return `${md(a)}${note(a)}放假${style === 0 ? ",与周末连休" : "1天"}`;
        const sameMonth = a.slice(0, 7) === b.slice(0, 7);
        const lunar = name === "春节" && style !== 2 ? "农历正月、" : "";
        const days = serial(b) - serial(a) + 1;
        return `${md(a)}${note(a, lunar)}至${md(b, !sameMonth)}${note(b)}放假调休,共${days}天`;
      })
      .join("。");
    const onText = g.on.length ? `${g.on.map((x) => `${md(x)}${note(x) || `(星期${WD[weekday(serial(x))]})`}`).join("、")}上班。` : "";
    const encourage = name === "春节" && style === 1 ? `鼓励各单位安排职工在除夕(${md(serialToIso(serial(g.off[0]) - 1))})休息。` : "";
    return `${ORDINALS[k] ?? k + 1}、${name}:${offText}。${onText}${encourage}`;
  });
  return `国务院办公厅关于${year}年部分节假日安排的通知\n经国务院批准,现将${year}年放假调休日期的具体安排通知如下。\n${lines.join("\n")}\n节假日期间,各地区、各部门要妥善安排好值班和安全、保卫等工作。`;
}

describe("reading the State Council's holiday notice", () => {
  test.each([
    ["2024", NOTICE_2024],
    ["2025", NOTICE_2025],
    ["2026", NOTICE_2026],
  ])("the %s notice as published gives exactly the bundled days", (y, text) => {
    const r = parseNotice(text);
    expect(r.year).toBe(Number(y));
    expect(r.off).toEqual(bundled(Number(y), "holidays"));
    expect(r.on).toEqual(bundled(Number(y), "workdays"));
    expect(r.warnings).toEqual([]);
  });

  test("the encouragement to rest on 除夕 is not an official day off", () => {
    expect(parseNotice(NOTICE_2024).off).not.toContain("2024-02-09");
  });

  test("combined holidays keep their section name; a range across months is whole", () => {
    const r = parseNotice(NOTICE_2025);
    expect(r.days.find((x) => x.date === "2025-10-08")).toMatchObject({ kind: "OFF", name: "国庆节、中秋节" });
    expect(r.off.filter((x) => x >= "2025-05-31" && x <= "2025-06-02")).toEqual(["2025-05-31", "2025-06-01", "2025-06-02"]);
  });

  test("every bundled year, written back as a notice, reads back to its days", () => {
    expect(years.length).toBeGreaterThan(20);
    for (const y of years) {
      const text = reconstruct(y);
      const r = parseNotice(text);
      const off = new Set(r.off);
      const expectedOff = bundled(y, "holidays");
      // The data sometimes leaves out a weekend inside a holiday; the notice's range includes it.
      expect([y, expectedOff.filter((x) => !off.has(x))]).toEqual([y, []]);
      expect([y, r.off.filter((x) => !expectedOff.includes(x) && !isWeekend(x))]).toEqual([y, []]);
      expect([y, r.on]).toEqual([y, bundled(y, "workdays")]);
      expect([y, r.warnings]).toEqual([y, []]);
    }
  });

  test("the forms of older notices: years written out, 星期, explanations of a range", () => {
    const r = parseNotice(`国务院办公厅关于2012年部分节假日安排的通知
一、元旦:2012年1月1日至3日放假调休,共3天。2011年12月31日(星期六)上班。
二、春节:1月22日至28日放假调休,共7天。1月21日(星期六)、1月29日(星期日)上班。`);
    expect(r.off.slice(0, 3)).toEqual(["2012-01-01", "2012-01-02", "2012-01-03"]);
    expect(r.on).toEqual(["2011-12-31", "2012-01-21", "2012-01-29"]);
    const old = parseNotice(`关于2009年部分节假日安排的通知
一、元旦:1月1日至3日放假,共3天。其中,1月1日(星期四)为法定节假日,1月3日(星期六)为公休日,1月4日(星期日)公休日调至1月2日(星期五)。1月4日(星期日)上班。`);
    expect(old.off).toEqual(["2009-01-01", "2009-01-02", "2009-01-03"]);
    expect(old.on).toEqual(["2009-01-04"]);
  });

  test("full-width digits and colons, CRLF, and a year given instead of a title", () => {
    const r = parseNotice(
      "一、元旦：１月１日（周五）至３日（周日）放假，共３天。\r\n二、春节：２月１１日至１７日放假调休，共７天。２月７日（星期日）上班。",
      2021,
    );
    expect(r.off).toEqual(["2021-01-01", "2021-01-02", "2021-01-03", ...[11, 12, 13, 14, 15, 16, 17].map((x) => `2021-02-${x}`)]);
    expect(r.on).toEqual(["2021-02-07"]);
  });

  test("a weekday that does not match its date is a warning: the year is probably wrong", () => {
    const r = parseNotice(NOTICE_2026.replace("关于2026年", "关于2025年"));
    expect(r.year).toBe(2025);
    expect(r.warnings.length).toBeGreaterThan(3);
    expect(r.warnings[0].en).toMatch(/check the year/);
  });

  test("text with no arrangement, or no year, is refused in both languages", () => {
    for (const junk of ["", "hello world", "国务院办公厅关于2031年部分节假日安排的通知\n节假日期间要安排好值班。", "一、元旦:放假一天。"]) {
      const e = (() => {
        try {
          parseNotice(junk, 2030);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe("NOTICE_UNREADABLE");
      expect((e as DomainError).zh).toMatch(/放假安排/);
    }
    expect(() => parseNotice("一、元旦:1月1日放假。")).toThrow(/No year found/);
    expect(() => parseNotice("一、元旦:2月30日放假。", 2030)).toThrow(/No such date/);
  });

  test("the year from the title", () => {
    expect(noticeYear("国务院办公厅关于２０３０年部分节假日安排的通知")).toBe(2030);
    expect(noticeYear("no title")).toBeUndefined();
  });
});

describe("notices as people paste them (issue 25)", () => {
  const all = { 2024: NOTICE_2024, 2025: NOTICE_2025, 2026: NOTICE_2026 };

  test("a notice pasted on one line, or with its lines joined by spaces, reads the same as with its line breaks", () => {
    for (const [y, text] of Object.entries(all)) {
      const as = parseNotice(text);
      expect(as.year).toBe(Number(y));
      for (const flat of [text.replace(/\r?\n/g, ""), text.replace(/\r?\n/g, " "), text.replace(/\r?\n/g, "  \t")]) {
        const one = parseNotice(flat);
        expect({ year: one.year, days: one.days }).toEqual({ year: as.year, days: as.days });
      }
    }
  });

  test("every bundled year written back as a notice reads the same on one line", () => {
    for (const y of years) {
      const text = reconstruct(y);
      expect(parseNotice(text.replace(/\n/g, "")).days).toEqual(parseNotice(text).days);
    }
  });

  test("a complete notice covers every statutory festival; one holding only 元旦 misses the rest, by name", () => {
    for (const text of Object.values(all)) expect(noticeCoverage(parseNotice(text)).missing).toEqual([]);
    const only = parseNotice(`国务院办公厅关于2026年部分节假日安排的通知\n一、元旦:1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。`);
    const c = noticeCoverage(only);
    expect(c.covered.map((f) => f.zh)).toEqual(["元旦"]);
    expect(c.missing.map((f) => f.zh)).toEqual(["春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]);
    expect(festivalList(c.missing).en).toBe("Spring Festival, Tomb-sweeping Day, Labour Day, Dragon Boat Festival, Mid-autumn Festival, National Day");
    // Before 2008 the rules gave no day for 清明, 端午 or 中秋.
    expect(statutoryFestivals(2007).map((f) => f.zh)).toEqual(["元旦", "春节", "劳动节", "国庆节"]);
  });
});
