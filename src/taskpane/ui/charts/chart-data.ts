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
 * All clocks together per month (met / (met + missed) over every clock): the one line a 300 px chart can show
 * legibly; ten clocks' lines would cross each other everywhere.
 */
export function onTimeOverall(rows: readonly (ClockRate & { month: string })[], last = 12): { months: string[]; rates: number[] } {
  const byMonth = new Map<string, { met: number; done: number }>();
  for (const r of rows) {
    const m = byMonth.get(r.month) ?? { met: 0, done: 0 };
    m.met += r.met;
    m.done += r.met + r.missed;
    byMonth.set(r.month, m);
  }
  const months = [...byMonth.keys()].sort().slice(-last);
  return { months, rates: months.map((m) => Math.round((byMonth.get(m)!.met / byMonth.get(m)!.done) * 10000) / 10000) };
}

/** Tick positions for `n` months across `width` px: every month when there is room, else every other one (the last kept). */
export function monthTicks(n: number, width: number): number[] {
  const step = width / Math.max(n, 1) >= 34 ? 1 : 2;
  return Array.from({ length: n }, (_, i) => i).filter((i) => (n - 1 - i) % step === 0);
}

export const percentText = (rate: number | null | undefined) => (rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`);
