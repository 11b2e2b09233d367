/**
 * Dates as Excel serial numbers (1900 date system), the currency of every
 * function here: whole part = day, fraction = time of day.
 *
 * Serial 1 is 1900-01-01 and Excel counts a 1900-02-29 that never existed, so
 * serials below 61 (before 1900-03-01) are not supported: nobody logs a
 * complaint that early, and accepting them would need Excel's bug copied.
 */

import { halfWidth, quote } from "./text";

/** Days between the Unix epoch and the 1900 serial epoch (1899-12-30). */
const EPOCH_OFFSET = 25569;
const MS_PER_DAY = 86400000;

/** First serial we accept: 1900-03-01. */
export const MIN_SERIAL = 61;
/** Last serial Excel accepts: 9999-12-31. */
export const MAX_SERIAL = 2958465;

/** Serial of a calendar date. `ymdToSerial(2026, 9, 30)` → 46295. */
export function ymdToSerial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY + EPOCH_OFFSET;
}

/** Calendar parts of a serial's day. `serialToYmd(46295)` → {year: 2026, month: 9, day: 30}. */
export function serialToYmd(serial: number): { year: number; month: number; day: number } {
  const d = new Date((Math.floor(serial) - EPOCH_OFFSET) * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of week of a serial, 0 = Sunday … 6 = Saturday (1899-12-30 was a Saturday). */
export function weekday(serial: number): number {
  return (((Math.floor(serial) + 6) % 7) + 7) % 7;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `serialToIso(46295)` → "2026-09-30"; with a time part → "2026-09-30 14:30". */
export function serialToIso(serial: number): string {
  const { year, month, day } = serialToYmd(serial);
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const minutes = Math.round((serial - Math.floor(serial)) * 1440);
  if (minutes === 0) return date;
  if (minutes === 1440) return serialToIso(Math.floor(serial) + 1);
  return `${date} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Serial of a date read from a cell as a JavaScript Date (exceljs, the Policy
 * sheet): such Dates carry the wall-clock date and time in their UTC fields,
 * so they read the same on a machine in any zone. An instant ("now") is a
 * different thing: read it on the ledger's clock with zone.ts instantToSerial.
 */
export function cellDateToSerial(d: Date): number {
  const day = ymdToSerial(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return day + (d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds()) / 86400;
}

/** A cell's date as exceljs wants it: the wall clock in the UTC fields (the inverse of cellDateToSerial). */
export function serialToCellDate(serial: number): Date {
  return new Date(Math.round((serial - EPOCH_OFFSET) * MS_PER_DAY));
}

/** Whether a serial lies in the range we compute on. */
export function isValidSerial(serial: number): boolean {
  // Up to the end of 9999-12-31: serial MAX_SERIAL + 1 is already 10000-01-01, which Excel cannot show.
  return Number.isFinite(serial) && serial >= MIN_SERIAL && serial < MAX_SERIAL + 1;
}

export type DateParse = { ok: true; serial: number } | { ok: false; zh: string; en: string };

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999) return false;
  const { month, day } = serialToYmd(ymdToSerial(y, m, d));
  return month === m && day === d;
}

const TIME = String.raw`(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?`;
const WITH_YEAR = [
  new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`),
  new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`),
  new RegExp(String.raw`^(\d{4})\.(\d{1,2})\.(\d{1,2})${TIME}$`),
  new RegExp(String.raw`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?${TIME}$`),
  new RegExp(String.raw`^(\d{4})(\d{2})(\d{2})$`),
];
const WITHOUT_YEAR = new RegExp(String.raw`^(\d{1,2})月(\d{1,2})[日号]?${TIME}$`);

/**
 * Reads a date typed by a person: `2026-09-30`, `2026/9/30`, `2026.9.30`,
 * `2026年9月30日`, `20260930`, each optionally followed by `14:30`; with a
 * `defaultYear`, also `9月30日`. Never guesses: anything else is refused.
 *
 * `parseDateText("2026年9月30日")` → {ok: true, serial: 46295}
 */
export function parseDateText(text: string, opts: { defaultYear?: number } = {}): DateParse {
  const s = halfWidth(String(text)).trim();
  let m: RegExpMatchArray | null = null;
  let y = 0,
    mo = 0,
    d = 0,
    rest: (string | undefined)[] = [];
  for (const re of WITH_YEAR) {
    m = s.match(re);
    if (m) {
      [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      rest = m.slice(4);
      break;
    }
  }
  if (!m) {
    const my = s.match(WITHOUT_YEAR);
    if (my && opts.defaultYear) {
      [y, mo, d] = [opts.defaultYear, Number(my[1]), Number(my[2])];
      rest = my.slice(3);
      m = my;
    } else if (my) {
      return {
        ok: false,
        zh: `日期"${quote(text)}"缺少年份`,
        en: `Date "${quote(text)}" has no year`,
      };
    }
  }
  if (!m) {
    return {
      ok: false,
      zh: `无法识别的日期"${quote(text)}"(可用格式:2026-09-30、2026/9/30、2026年9月30日)`,
      en: `Unrecognised date "${quote(text)}" (use 2026-09-30, 2026/9/30 or 2026年9月30日)`,
    };
  }
  if (!validYmd(y, mo, d)) {
    return { ok: false, zh: `不存在的日期"${quote(text)}"`, en: `No such date "${quote(text)}"` };
  }
  let serial = ymdToSerial(y, mo, d);
  if (rest[0] !== undefined) {
    const [h, mi, se] = [Number(rest[0]), Number(rest[1]), Number(rest[2] ?? 0)];
    if (h > 23 || mi > 59 || se > 59) {
      return { ok: false, zh: `不存在的时间"${quote(text)}"`, en: `No such time "${quote(text)}"` };
    }
    serial += (h * 3600 + mi * 60 + se) / 86400;
  }
  return { ok: true, serial };
}

/**
 * A date given as an Excel serial, a JS Date or text, as a serial.
 * Booleans, blanks and out-of-range numbers are refused rather than coerced.
 */
export function toSerial(value: unknown, opts: { defaultYear?: number } = {}): DateParse {
  if (typeof value === "number") {
    if (!isValidSerial(value)) {
      return {
        ok: false,
        zh: `日期序号 ${value} 超出范围(${MIN_SERIAL}–${MAX_SERIAL})`,
        en: `Date serial ${value} is out of range (${MIN_SERIAL}–${MAX_SERIAL})`,
      };
    }
    return { ok: true, serial: value };
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return { ok: true, serial: cellDateToSerial(value) };
  }
  if (typeof value === "string" && value.trim() !== "") {
    const t = value.trim();
    // A serial pasted as text ("46295") is still a serial.
    if (/^\d+(\.\d+)?$/.test(t) && t.length !== 8) return toSerial(Number(t));
    return parseDateText(t, opts);
  }
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
    return { ok: false, zh: "缺少日期", en: "Date is missing" };
  }
  return { ok: false, zh: `"${quote(value)}"不是日期`, en: `"${quote(value)}" is not a date` };
}
