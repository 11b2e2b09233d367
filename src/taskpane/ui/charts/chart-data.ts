/**
 * What the pane's charts draw, as plain data: the figures of the dashboard and the monthly review turned into
 * bars and points with labels in the pane's language. Kept apart from the chart library so the same rows feed
 * the chart and the table beside it (the accessible alternative), and so tests check the data without a layout.
 */
import { inLang, type Lang } from "../../i18n";

/** A labelled count; dashboard.ts `Counted` and monthly-review.ts `ReviewCount` both fit. */
export interface LabelledCount {
  key: string;
  zh: string;
  en: string;
  cases: number;
}

export interface ParetoBar {
  key: string;
  label: string;
  cases: number;
  /** Running share 0–1 (of the whole the figures were taken from). */
  cumulative: number;
}

/** A month of the trend: counts, and the on-time rate (0–1) when any step was done. */
export interface TrendMonth {
  month: string;
  received: number;
  closed: number;
  openAtEnd?: number;
  onTimeRate?: number | null;
}

/** One clock's on-time rate (0–1, null when no step was done) with its counts. */
export interface ClockRate {
  clock: string;
  zh: string;
  en: string;
  met: number;
  missed: number;
  rate: number | null;
}

/**
 * Pareto bars: the lines in the order given (already sorted by count, a "rest" line last), each with its running
 * share of `total`. Lines given a `cumulative` (monthly-review.ts `ParetoLine`) keep it; `total` defaults to
 * the lines' own sum (the dashboard's top lists: the share within what is listed).
 */
export function paretoBars(lines: readonly (LabelledCount & { cumulative?: number })[], lang: Lang, total?: number): ParetoBar[] {
  const whole = total ?? lines.reduce((s, l) => s + l.cases, 0);
  let run = 0;
  return lines.map((l) => {
    run += l.cases;
    return {
      key: l.key,
      label: inLang(l, lang) || l.key,
      cases: l.cases,
      cumulative: l.cumulative ?? (whole > 0 ? Math.round((run / whole) * 10000) / 10000 : 0),
    };
  });
}

/** "2026-03" → "3月" / "Mar": short enough for twelve ticks across 300 px. */
export function monthTick(month: string, lang: Lang): string {
  const m = Number(month.slice(5, 7));
  if (!(m >= 1 && m <= 12)) return month;
  const en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return inLang({ zh: `${m}月`, en }, lang);
}

/**
 * The dashboard's on-time history (one row per clock and month) as a trend per clock: the months in order, and for
 * each clock its rate per month (null where that clock had no step done that month).
 */
export function onTimeByMonth(
  rows: readonly (ClockRate & { month: string })[],
  lang: Lang,
  last = 12,
): { months: string[]; clocks: { clock: string; label: string; rates: (number | null)[] }[] } {
  const months = [...new Set(rows.map((r) => r.month))].sort().slice(-last);
  const clocks = new Map<string, { clock: string; label: string; rates: (number | null)[] }>();
  for (const r of rows) {
    const i = months.indexOf(r.month);
    if (i < 0) continue;
    const c = clocks.get(r.clock) ?? { clock: r.clock, label: inLang(r, lang) || r.clock, rates: months.map(() => null) };
    c.rates[i] = r.rate;
    clocks.set(r.clock, c);
  }
  return { months, clocks: [...clocks.values()] };
}

export const percentText = (rate: number | null | undefined) => (rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`);
