/**
 * Official China public holidays and make-up workdays (调休), from the
 * maintained `chinese-days` package (State Council notices, 2004 onward).
 * Only its JSON data is used: the library's own date code is not needed and
 * its ESM entry is mislabelled (see docs/decisions.md).
 *
 * The package marks no year as missing: its last year is simply the last one
 * with keys. Years after that are not covered until the Policy sheet adds them.
 */
import data from "chinese-days/dist/chinese-days.json";
import type { CalendarDay } from "./calendar";

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** "National Day,国庆节,3" → "国庆节 National Day" */
function label(raw: string): string {
  const [en, zh] = raw.split(",");
  return zh ? `${zh} ${en}` : raw;
}

function load(): { days: CalendarDay[]; years: number[] } {
  const d = data as ChineseDaysData;
  const days: CalendarDay[] = [];
  for (const [date, raw] of Object.entries(d.holidays)) days.push({ date, kind: "OFF", name: label(raw) });
  for (const [date, raw] of Object.entries(d.workdays)) days.push({ date, kind: "WORK", name: label(raw) });
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const years = [...new Set(days.map((x) => Number(x.date.slice(0, 4))))].sort((a, b) => a - b);
  return { days, years };
}

const loaded = load();

/** Official holidays (OFF) and make-up workdays (WORK), by date. */
export const CN_OFFICIAL_DAYS: readonly CalendarDay[] = loaded.days;
/** Years with official data in the bundled source. */
export const CN_OFFICIAL_YEARS: readonly number[] = loaded.years;
