/**
 * Reads the State Council's yearly holiday notice (国务院办公厅关于 YYYY 年部分
 * 节假日安排的通知) as published, pasted or saved as text, into the days off
 * and the make-up working days (调休) it announces.
 *
 * The notices have kept one shape since 2008: a title naming the year, then one
 * numbered section per holiday (`一、元旦:…。`), each with sentences that either
 * give days off (`1月1日(周四)至3日(周六)放假调休,共3天`, `6月10日与周末连休`)
 * or days worked (`2月4日(星期日)、2月18日(星期日)上班`). Sentences that only
 * encourage (`鼓励…安排职工在除夕(2月9日)休息`) announce nothing official and
 * are skipped. Weekday notes in brackets are checked against the dates, which
 * catches a wrong year.
 *
 * `parseNotice(text)` → { year: 2026, off: ["2026-01-01", …], on: ["2026-01-04", …], days, warnings }.
 */
import type { CalendarDay } from "./calendar";
import { serialToIso, weekday, ymdToSerial } from "../dates";
import { DomainError, type Bilingual } from "../errors";
import type { Policy } from "../policy/policy";
import { halfWidth } from "../text";

export interface NoticeDay extends CalendarDay {
  /** The section the day came from, e.g. `国庆节、中秋节`. */
  name: string;
}

export interface ParsedNotice {
  year: number;
  /** Every day announced off, weekends inside the ranges included; ISO, sorted. */
  off: string[];
  /** Make-up working days; ISO, sorted. */
  on: string[];
  /** Both, with the holiday each belongs to, for Policy rows and the month view. */
  days: NoticeDay[];
  /** Things read but doubtful (a weekday that does not match its date). */
  warnings: Bilingual[];
  /** The year the notice's title gives, when it gives one (it may differ from `year`, given by the caller). */
  titleYear?: number;
}

/** A clause quoted in a message: at most 80 characters. */
const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** A numbered section (`一、元旦:`): at a line start, after a sentence, or right after the title when pasted on one line. */
const SECTION = /(?:^|\n|[。;]|通知)\s*([一二三四五六七八九十]+)[、.]\s*([^:\n。]{1,20}?)\s*:/g;
const DATE = /(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日/g;
const RANGE_LINK = /^\s*(?:至|到|~|-|—|–)\s*$/;
const WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
/**
 * Sentences that ask or encourage rather than announce, and the explanations
 * older notices gave of a range (`其中,1月1日为法定节假日,…调至1月2日`).
 */
const NOT_OFFICIAL = /鼓励|倡导|提倡|建议|自行|^\s*其中|调至|为法定|为公休/;
const WORKED = /上班|补班/;
/** Where the closing paragraph or the signature begins: after a line break, or after a sentence when the notice was pasted on one line. */
const CLOSING = /(?:\n|[。;])\s*(?:节假日期间|国务院办公厅|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:\n|$))/;

function unreadable(zh: string, en: string): DomainError {
  return new DomainError("NOTICE_UNREADABLE", zh, en);
}

/** The year a notice is for, from its title (`关于2026年部分节假日安排`). */
export function noticeYear(text: string): number | undefined {
  const t = halfWidth(text);
  const m = /关于\s*(\d{4})\s*年[^\n。]*?节假日/.exec(t) ?? /(\d{4})\s*年\s*(?:部分)?节假日安排/.exec(t);
  return m ? Number(m[1]) : undefined;
}

interface DateToken {
  serial: number;
  start: number;
  end: number;
  /** Weekday written after the date, e.g. `(周三)`, when present. */
  weekdayNote?: number;
}

/**
 * Date tokens of one clause. Brackets are read for a weekday note and then
 * blanked (they also hold lunar notes such as 农历除夕, and dates that only
 * explain, as in `除夕(2月9日)`).
 */
function dateTokens(clause: string, year: number, section: string): DateToken[] {
  const notes: { at: number; day?: number }[] = [];
  const plain = clause.replace(/\(([^)]*)\)/g, (whole, inner: string, at: number) => {
    const w = /(?:周|星期|礼拜)([日天一二三四五六])/.exec(inner);
    notes.push({ at, day: w ? WEEKDAYS[w[1]] : undefined });
    return " ".repeat(whole.length);
  });
  const out: DateToken[] = [];
  let prev: { year: number; month: number } | undefined;
  for (const m of plain.matchAll(DATE)) {
    const explicitYear = m[1] ? Number(m[1]) : undefined;
    const month = m[2] ? Number(m[2]) : prev?.month;
    const day = Number(m[3]);
    if (month === undefined) continue;
    // A December date in the New Year section belongs to the year before, unless written with its year.
    const y = explicitYear ?? (m[2] ? (month === 12 && /元旦/.test(section) ? year - 1 : year) : prev!.year);
    if (month < 1 || month > 12 || day < 1 || day > 31) throw unreadable(`无法识别的日期"${m[0]}"`, `Unreadable date "${m[0]}"`);
    const serial = ymdToSerial(y, month, day);
    if (serialToIso(serial) !== `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`) {
      throw unreadable(`日期不存在:"${m[0]}"`, `No such date: "${m[0]}"`);
    }
    const end = m.index! + m[0].length;
    const note = notes.find((n) => n.at >= end && /^\s*$/.test(plain.slice(end, n.at)));
    out.push({ serial, start: m.index!, end, weekdayNote: note?.day });
    prev = { year: y, month };
  }
  return out;
}

/** Days of one clause: ranges (`A至B`) expanded, single dates as they are. */
function clauseDays(clause: string, year: number, section: string, warnings: Bilingual[]): number[] {
  const tokens = dateTokens(clause, year, section);
  for (const t of tokens) {
    if (t.weekdayNote !== undefined && t.weekdayNote !== weekday(t.serial)) {
      warnings.push({
        zh: `${serialToIso(t.serial)} 不是通知所写的星期${"日一二三四五六"[t.weekdayNote]},请核对年份`,
        en: `${serialToIso(t.serial)} is not the weekday the notice gives: check the year`,
      });
    }
  }
  const days: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const a = tokens[i];
    const b = tokens[i + 1];
    if (b && RANGE_LINK.test(clause.slice(a.end, b.start).replace(/\([^)]*\)/g, ""))) {
      // A range ending before it starts is a typo (or a year not written), never a range to the end of the year.
      if (b.serial < a.serial)
        throw unreadable(`日期范围颠倒(结束早于开始):${clip(clause)}`, `Date range reversed (it ends before it starts): ${clip(clause)}`);
      const to = b.serial;
      if (to - a.serial > 40) throw unreadable(`假期过长:${clip(clause)}`, `Holiday range too long: ${clip(clause)}`);
      for (let s = a.serial; s <= to; s++) days.push(s);
      i++;
    } else {
      days.push(a.serial);
    }
  }
  return days;
}

/**
 * Parses a notice. `year` overrides the title's year; without either the
 * notice is refused, as is a text with no arrangement in it.
 */
export function parseNotice(raw: string, year?: number): ParsedNotice {
  const text = halfWidth(String(raw)).replace(/\r\n?/g, "\n").replace(/[，]/g, ",").replace(/[；]/g, ";");
  const titleYear = noticeYear(text);
  const y = year ?? titleYear;
  if (y === undefined) {
    throw new DomainError(
      "NOTICE_NO_YEAR",
      '通知中没有找到年份(如"关于2027年部分节假日安排的通知"),请指定年份',
      'No year found in the notice (e.g. "关于2027年部分节假日安排的通知"): give the year',
    );
  }
  if (!Number.isInteger(y) || y < 1990 || y > 2100) {
    throw new DomainError("NOTICE_NO_YEAR", `年份 ${y} 超出范围(1990–2100)`, `Year ${y} is out of range (1990–2100)`);
  }
  const heads = [...text.matchAll(SECTION)];
  const warnings: Bilingual[] = [];
  const byDate = new Map<number, NoticeDay>();
  heads.forEach((h, k) => {
    const name = h[2].trim();
    const rest = text.slice(h.index! + h[0].length, k + 1 < heads.length ? heads[k + 1].index : undefined);
    // The last section ends where the closing paragraph or the signature and its date begin.
    const body = rest.split(CLOSING)[0];
    for (const sentence of body.split(/[。;\n]/)) {
      if (NOT_OFFICIAL.test(sentence)) continue;
      for (const clause of sentence.split(/,(?![^(]*\))/)) {
        const kind = WORKED.test(clause) ? "WORK" : "OFF";
        for (const s of clauseDays(clause, y, name, warnings)) {
          const had = byDate.get(s);
          if (had && had.kind !== kind) {
            throw unreadable(`${serialToIso(s)} 既放假又上班`, `${serialToIso(s)} is announced both off and worked`);
          }
          byDate.set(s, { date: serialToIso(s), kind, name });
        }
      }
    }
  });
  const days = [...byDate.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  const off = days.filter((d) => d.kind === "OFF").map((d) => d.date);
  if (off.length === 0) {
    throw unreadable(
      '没有读到任何放假安排:请粘贴国务院办公厅通知的正文(含"一、元旦:…放假"等条目)',
      'No holiday arrangement found: paste the text of the State Council notice (with items such as "一、元旦:…放假")',
    );
  }
  return { year: y, off, on: days.filter((d) => d.kind === "WORK").map((d) => d.date), days, warnings, ...(titleYear !== undefined ? { titleYear } : {}) };
}

/** A statutory festival of the national rules (全国年节及纪念日放假办法), as notices and estimates name it. */
export interface Festival extends Bilingual {
  /** Words that name it in a notice's section title or a calendar row's name. */
  re: RegExp;
  /** First year the rules gave it a day off (清明, 端午 and 中秋 from 2008). */
  since?: number;
}

export const FESTIVALS: readonly Festival[] = [
  { zh: "元旦", en: "New Year's Day", re: /元旦/ },
  { zh: "春节", en: "Spring Festival", re: /春节|除夕/ },
  { zh: "清明节", en: "Tomb-sweeping Day", re: /清明/, since: 2008 },
  { zh: "劳动节", en: "Labour Day", re: /劳动节|五一/ },
  { zh: "端午节", en: "Dragon Boat Festival", re: /端午/, since: 2008 },
  { zh: "中秋节", en: "Mid-autumn Festival", re: /中秋/, since: 2008 },
  { zh: "国庆节", en: "National Day", re: /国庆/ },
];

/** The festivals the national rules give a day off in `year`. */
export function statutoryFestivals(year: number): Festival[] {
  return FESTIVALS.filter((f) => f.since === undefined || year >= f.since);
}

/** The festivals a name mentions: `国庆节、中秋节` names two, `国庆节 National Day (补假 in lieu) · 估算 estimate` one. */
export function festivalsNamed(name: string | undefined): Festival[] {
  return name ? FESTIVALS.filter((f) => f.re.test(name)) : [];
}

/**
 * Which of the year's statutory festivals a notice gives days off for, and
 * which it does not mention: a notice that leaves one out (a single section
 * pasted, a page copied halfway) must not make that festival a working day.
 */
export function noticeCoverage(notice: Pick<ParsedNotice, "year" | "days">): { covered: Festival[]; missing: Festival[] } {
  const named = new Set(notice.days.filter((d) => d.kind === "OFF").flatMap((d) => festivalsNamed(d.name)));
  const all = statutoryFestivals(notice.year);
  return { covered: all.filter((f) => named.has(f)), missing: all.filter((f) => !named.has(f)) };
}

/** `春节、国庆节` / `Spring Festival, National Day`. */
export function festivalList(fs: readonly Festival[]): Bilingual {
  return { zh: fs.map((f) => f.zh).join("、"), en: fs.map((f) => f.en).join(", ") };
}

/**
 * The policy with a year's published days: the Calendar section's official
 * rows of that year (and of any date the notice names) are replaced by the
 * notice's, and the year is listed as complete, so it stops being provisional.
 *
 * `partial`: the notice leaves festivals out (see noticeCoverage). Its days
 * are written, but the year is not listed as complete: the festivals it does
 * not mention keep their provisional (or bundled) days, still marked as
 * estimates, and the estimate's days of the festivals it names give way to
 * the notice's (sla.ts calendarFor).
 */
export function applyNotice(policy: Policy, notice: Pick<ParsedNotice, "year" | "days">, opts: { partial?: boolean } = {}): Policy {
  // A policy is plain data; structuredClone is missing in older Office web views (and jsdom).
  const p: Policy = JSON.parse(JSON.stringify(policy));
  const named = new Set(notice.days.map((d) => d.date));
  p.calendar = p.calendar.filter((r) => r.scope !== "OFFICIAL" || (!r.date.startsWith(`${notice.year}-`) && !named.has(r.date)));
  p.calendar.push(...notice.days.map((d) => ({ date: d.date, kind: d.kind, scope: "OFFICIAL" as const, name: d.name })));
  p.calendar.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const listed = new Set(p.settings.extraCalendarYears);
  if (opts.partial) listed.delete(notice.year);
  else listed.add(notice.year);
  p.settings.extraCalendarYears = [...listed].sort((a, b) => a - b);
  return p;
}
