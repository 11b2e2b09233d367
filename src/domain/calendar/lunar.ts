/**
 * Lunar dates and solar terms from `chinese-days`, zone-free.
 *
 * The library reads and writes its dates with the machine's local-time
 * getters (a "YYYY-MM-DD" parsed as UTC midnight, then formatted in local
 * time), so under America/Los_Angeles its 正月初一 and 清明 come out a day early
 * and under Pacific/Kiritimati its lunar dates slip across the 1995 date-line
 * change. Only its tables are zone-free: this module takes the month lengths
 * from them (`monthDays`, `getYearLeapMonth`) and counts days on serials, and
 * reads the solar-term formula's answer back through the same local getters
 * the library used to print it.
 */
import { getSolarTermDate, getYearLeapMonth, monthDays } from "chinese-days";
import { ymdToSerial } from "../dates";

/** 1900-01-31, 正月初一 of lunar year 1900: where the library's table (1900–2100) starts. */
const LUNAR_EPOCH = ymdToSerial(1900, 1, 31);
const FIRST = 1900;
const LAST = 2100;

const yearLengths = new Map<number, number>();
/** Days in lunar year `y`: twelve months of 29 or 30 days plus the leap month, if any. */
function lunarYearDays(y: number): number {
  let n = yearLengths.get(y);
  if (n === undefined) {
    n = getYearLeapMonth(y).days;
    for (let m = 1; m <= 12; m++) n += monthDays(y, m);
    yearLengths.set(y, n);
  }
  return n;
}

/**
 * Serial of lunar `month`/`day` (the ordinary month, not its leap twin) of
 * lunar year `year`. `lunarToSerial(2026, 1, 1)` is 2026-02-17.
 */
export function lunarToSerial(year: number, month: number, day: number): number {
  if (!Number.isInteger(year) || year < FIRST || year > LAST) throw new RangeError(`lunar year ${year} outside ${FIRST}–${LAST}`);
  let s = 0;
  for (let y = FIRST; y < year; y++) s += lunarYearDays(y);
  const leap = getYearLeapMonth(year).leapMonth;
  for (let m = 1; m < month; m++) {
    s += monthDays(year, m);
    if (m === leap) s += getYearLeapMonth(year).days;
  }
  return LUNAR_EPOCH + s + day - 1;
}

type Term = Parameters<typeof getSolarTermDate>[2];

/**
 * Serial of a solar term of `year`/`month` (清明 is `solarTermSerial(y, 4, "pure_brightness")`).
 * The library computes the day of month by formula, builds UTC midnight of it
 * and prints that instant's local date; the day it meant is the one whose
 * UTC midnight prints as that date here (offsets are under a day, so it is the
 * printed day or a neighbour).
 */
export function solarTermSerial(year: number, month: number, term: Term): number {
  const printed = getSolarTermDate(year, month, term);
  const [y, m, d] = printed.split("-").map(Number);
  const local = (ms: number) => {
    const t = new Date(ms);
    return t.getFullYear() === y && t.getMonth() + 1 === m && t.getDate() === d;
  };
  for (const k of [0, 1, -1]) {
    if (local(Date.UTC(y, m - 1, d + k))) return ymdToSerial(y, m, d) + k;
  }
  throw new RangeError(`solar term ${term} ${year}: unreadable answer ${printed}`);
}
