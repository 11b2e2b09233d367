/**
 * A provisional public-holiday calendar for a year the State Council has not
 * (yet) published, computed from the national rules themselves:
 * 全国年节及纪念日放假办法 as revised in 2024 (in force from 2025-01-01).
 *
 * Statutory days off (13):
 *   元旦 Jan 1 · 春节 除夕 and 正月初一–初三 · 清明 (the solar-term day) ·
 *   劳动节 May 1–2 · 端午 (五月初五) · 中秋 (八月十五) · 国庆 Oct 1–3.
 * A statutory day on a weekend is compensated on the next working day (补假,
 * article 4 of the rules); so is the second of two festivals on one day. Make-up working days (调休) are decided by each
 * year's notice and cannot be known in advance, so none are produced: an
 * estimate errs towards more days off, never towards a holiday counted as worked.
 *
 * Lunar dates and solar terms come from `chinese-days`' tables, read
 * zone-free through ./lunar.ts (the library's own date code depends on the
 * machine's time zone); this module is used for PROVISIONAL_YEARS only.
 */
import type { CalendarDay } from "./calendar";
import { serialToIso, weekday, ymdToSerial } from "../dates";
import { lunarToSerial, solarTermSerial } from "./lunar";

/** Years a provisional calendar is offered for. */
export const PROVISIONAL_YEARS = { first: 1990, last: 2100 } as const;

const lunar = lunarToSerial;

interface Statutory {
  serial: number;
  name: string;
}

/** The 13 statutory days of `year`, in date order. */
export function statutoryDays(year: number): Statutory[] {
  const springDay1 = lunar(year, 1, 1);
  const days: Statutory[] = [
    { serial: ymdToSerial(year, 1, 1), name: "元旦 New Year's Day" },
    // 除夕 is the last day of the twelfth lunar month: the day before 正月初一 (腊月 has 29 or 30 days).
    ...[-1, 0, 1, 2].map((k) => ({ serial: springDay1 + k, name: "春节 Spring Festival" })),
    { serial: solarTermSerial(year, 4, "pure_brightness"), name: "清明 Tomb-sweeping Day" },
    { serial: ymdToSerial(year, 5, 1), name: "劳动节 Labour Day" },
    { serial: ymdToSerial(year, 5, 2), name: "劳动节 Labour Day" },
    { serial: lunar(year, 5, 5), name: "端午 Dragon Boat Festival" },
    { serial: lunar(year, 8, 15), name: "中秋 Mid-autumn Festival" },
    ...[1, 2, 3].map((d) => ({ serial: ymdToSerial(year, 10, d), name: "国庆节 National Day" })),
  ];
  return days.sort((a, b) => a.serial - b.serial);
}

/**
 * The days off of a provisional year: the statutory days, and for each one
 * that falls on a weekend the next weekday that is not already off (补假).
 * `provisionalDays(2027, [6, 0])` includes 2027-10-04 and 2027-10-05 (Oct 2–3 are a weekend).
 */
export function provisionalDays(year: number, weekend: readonly number[]): CalendarDay[] {
  const off = new Map<number, string>();
  const isWeekend = (s: number) => weekend.includes(weekday(s));
  const statutory = statutoryDays(year);
  const lieu: Statutory[] = [];
  for (const d of statutory) {
    // Two festivals on one day (中秋 on 国庆, 2020) keep both days off: the second is compensated like a weekend.
    if (off.has(d.serial) && !isWeekend(d.serial)) lieu.push(d);
    else off.set(d.serial, off.get(d.serial) ?? d.name);
  }
  lieu.push(...statutory.filter((d) => isWeekend(d.serial)));
  for (const d of lieu) {
    let s = d.serial + 1;
    while (isWeekend(s) || off.has(s)) s++;
    off.set(s, `${d.name} (补假 in lieu)`);
  }
  return [...off.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([serial, name]) => ({ date: serialToIso(serial), kind: "OFF" as const, name: `${name} · 估算 estimate` }));
}
