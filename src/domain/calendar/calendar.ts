/**
 * The company's working calendar: weekends, China's public holidays with their
 * make-up workdays (调休), and company overrides (shutdowns, extra days off,
 * extra working days).
 *
 * Every query runs on a precomputed index: `cum[i]` counts the working days
 * from the first indexed day up to day i, and `work` lists the working days in
 * order, so WORKDAY and NETWORKDAYS are a few array reads whatever the span.
 * A year without official data can be covered by a provisional calendar
 * (src/domain/calendar/provisional.ts): its days count like any other, and
 * `spansProvisional` tells callers which answers are estimates to mark as
 * such. A day in a year with neither is never guessed at: the query throws a
 * DomainError naming the year.
 */
import { DomainError } from "../errors";
import { serialToIso, serialToYmd, weekday, ymdToSerial } from "../dates";

/** One dated exception to the weekly pattern. */
export interface CalendarDay {
  /** ISO date, `2026-10-01`. */
  date: string;
  /** OFF: not worked (holiday, shutdown); WORK: worked although a weekend (调休). */
  kind: "OFF" | "WORK";
  /** Holiday or reason, e.g. `国庆节`. */
  name?: string;
}

export interface CalendarSpec {
  /** Days of the week off, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** Official holidays and make-up workdays. */
  official: CalendarDay[];
  /** Years for which `official` is complete; other years are refused. */
  years: number[];
  /** Those of `years` whose `official` days are an estimate (no published notice yet). */
  provisional?: number[];
  /** Company days: shutdowns, extra holidays, extra workdays; they win over `official`. */
  company: CalendarDay[];
  /** Working periods of a working day, as ["08:30", "12:00"] pairs. */
  workHours: [string, string][];
}

function parseHm(hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) {
    throw new DomainError("CAL_BAD_HOURS", `工作时间"${hm}"格式应为 HH:MM`, `Working hours "${hm}" must be HH:MM`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

function isoToSerial(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new DomainError("CAL_BAD_DATE", `日历日期"${iso}"格式应为 YYYY-MM-DD`, `Calendar date "${iso}" must be YYYY-MM-DD`);
  return ymdToSerial(Number(m[1]), Number(m[2]), Number(m[3]));
}

function missingYear(year: number): DomainError {
  return new DomainError(
    "CAL_NO_DATA",
    `${year} 年没有法定节假日数据,请在设置表中补充该年的节假日和调休`,
    `No public-holiday data for ${year}: add that year's holidays and make-up workdays to the Policy sheet`,
  );
}

export class WorkCalendar {
  /** Serial of the first indexed day (1 January of the first covered year). */
  private readonly base: number;
  /** cum[i]: working days in [base, base + i]. */
  private readonly cum: Int32Array;
  /** gaps[i]: days in [base, base + i] that lie in years without data. */
  private readonly gaps: Int32Array;
  /** est[i]: days in [base, base + i] that lie in provisional years. */
  private readonly est: Int32Array;
  /** Working days in ascending order. */
  private readonly work: Int32Array;
  /** Working periods in minutes from midnight, sorted. */
  readonly periods: [number, number][];
  readonly years: ReadonlySet<number>;
  readonly provisionalYears: ReadonlySet<number>;

  constructor(readonly spec: CalendarSpec) {
    this.years = new Set(spec.years);
    this.provisionalYears = new Set((spec.provisional ?? []).filter((y) => this.years.has(y)));
    if (spec.years.length === 0) {
      throw new DomainError("CAL_EMPTY", "日历没有任何年份的数据", "The calendar holds no year of data");
    }
    const first = Math.min(...spec.years);
    const last = Math.max(...spec.years);
    this.base = ymdToSerial(first, 1, 1);
    const size = ymdToSerial(last + 1, 1, 1) - this.base;

    const off = new Set(spec.weekend);
    const override = new Map<number, boolean>();
    for (const d of spec.official) override.set(isoToSerial(d.date), d.kind === "WORK");
    for (const d of spec.company) override.set(isoToSerial(d.date), d.kind === "WORK");

    this.cum = new Int32Array(size);
    this.gaps = new Int32Array(size);
    this.est = new Int32Array(size);
    const work: number[] = [];
    let count = 0;
    let gap = 0;
    let est = 0;
    // Year by year, so the year of a day is known without a date conversion per day.
    let i = 0;
    for (let year = first; year <= last; year++) {
      const known = this.years.has(year);
      const estimate = this.provisionalYears.has(year);
      const end = ymdToSerial(year + 1, 1, 1) - this.base;
      for (; i < end; i++) {
        const s = this.base + i;
        if (!known) gap++;
        if (estimate) est++;
        if (override.get(s) ?? !off.has(weekday(s))) {
          count++;
          work.push(s);
        }
        this.cum[i] = count;
        this.gaps[i] = gap;
        this.est[i] = est;
      }
    }
    this.work = Int32Array.from(work);

    this.periods = spec.workHours.map(([a, b]) => [parseHm(a), parseHm(b)] as [number, number]);
    this.periods.sort((p, q) => p[0] - q[0]);
    let prevEnd = 0;
    for (const [a, b] of this.periods) {
      if (b <= a || a < prevEnd) {
        throw new DomainError("CAL_BAD_HOURS", "工作时间段必须按顺序且不重叠", "Working periods must be in order and must not overlap");
      }
      prevEnd = b;
    }
    if (this.periods.length === 0) {
      throw new DomainError("CAL_BAD_HOURS", "没有设置工作时间段", "No working hours are set");
    }
  }

  /** Throws unless every day from a to b (serial days, a ≤ b) has calendar data. */
  private check(a: number, b: number): void {
    const i = a - this.base;
    const j = b - this.base;
    // Always the first year in the span that lacks data: before the index, a gap inside it, then past its end.
    if (i < 0) throw missingYear(serialToYmd(a).year);
    const end = Math.min(j, this.cum.length - 1);
    if (this.gaps[end] - (i > 0 ? this.gaps[i - 1] : 0) !== 0) {
      for (let y = serialToYmd(a).year; y <= serialToYmd(b).year; y++) {
        if (!this.years.has(y)) throw missingYear(y);
      }
    }
    if (j >= this.cum.length) throw missingYear(serialToYmd(this.base + this.cum.length).year);
  }

  /**
   * Whether any day from a to b (serial days, either order) lies in a
   * provisional year, so that an answer computed over that span is an estimate.
   * Days outside the index are not provisional (they are errors elsewhere).
   */
  spansProvisional(a: number, b: number): boolean {
    if (this.provisionalYears.size === 0) return false;
    const last = this.cum.length - 1;
    const i = Math.max(0, Math.min(Math.floor(a), Math.floor(b)) - this.base);
    const j = Math.min(last, Math.max(Math.floor(a), Math.floor(b)) - this.base);
    if (j < 0 || i > last || i > j) return false;
    return this.est[j] - (i > 0 ? this.est[i - 1] : 0) > 0;
  }

  /** Working days in [base, day]; the day must be indexed. */
  private countTo(day: number): number {
    return this.cum[day - this.base];
  }

  /** `isWorkday(ymdToSerial(2026, 10, 10))` → true: a Saturday worked for National Day. */
  isWorkday(serial: number): boolean {
    const day = Math.floor(serial);
    this.check(day, day);
    return this.isWorkdayUnchecked(day);
  }

  /**
   * Excel WORKDAY on this calendar: the `days`-th working day after `start`
   * (before it when negative); 0 returns `start` itself. Fractions are
   * truncated as Excel does.
   */
  workday(start: number, days: number): number {
    const s = Math.floor(start);
    const n = Math.trunc(days);
    this.check(s, s);
    if (n === 0) return s;
    const upTo = this.countTo(s);
    // Index in `work` of the answer.
    const k = n > 0 ? upTo + n - 1 : upTo - (this.isWorkdayUnchecked(s) ? 1 : 0) + n;
    if (k < 0) throw missingYear(serialToYmd(this.base).year - 1);
    if (k >= this.work.length) throw missingYear(serialToYmd(this.base + this.cum.length).year);
    const result = this.work[k];
    this.check(Math.min(s, result), Math.max(s, result));
    return result;
  }

  private isWorkdayUnchecked(day: number): boolean {
    const i = day - this.base;
    return this.cum[i] - (i > 0 ? this.cum[i - 1] : 0) === 1;
  }

  /** Excel NETWORKDAYS on this calendar: working days from a to b inclusive, negative when b < a. */
  networkdays(a: number, b: number): number {
    const x = Math.floor(a);
    const y = Math.floor(b);
    if (y < x) return -this.networkdays(y, x);
    this.check(x, y);
    return this.countTo(y) - (x > this.base ? this.countTo(x - 1) : 0);
  }

  /** The first working moment at or after `t`, or the same t when it is inside working time. */
  private nextWorkingMoment(t: number): { day: number; minute: number } {
    let day = Math.floor(t);
    let minute = Math.round((t - day) * 1440 * 1000) / 1000;
    for (;;) {
      if (this.isWorkday(day)) {
        for (const [a, b] of this.periods) {
          if (minute < b) return { day, minute: Math.max(minute, a) };
        }
      }
      day = this.workday(day, 1);
      minute = 0;
    }
  }

  /**
   * Adds working hours to a moment: `addWorkHours(received, 1)` is the
   * deadline of a one-working-hour clock. Time outside the working periods
   * and days off do not count.
   */
  addWorkHours(start: number, hours: number): number {
    if (!(hours >= 0)) {
      throw new DomainError("CAL_BAD_HOURS", "工作小时数不能为负", "Working hours cannot be negative");
    }
    let { day, minute } = this.nextWorkingMoment(start);
    let left = hours * 60;
    for (;;) {
      for (const [a, b] of this.periods) {
        if (minute >= b) continue;
        const from = Math.max(minute, a);
        if (left <= b - from) return day + Math.round((from + left) * 1000) / 1000 / 1440;
        left -= b - from;
        minute = b;
      }
      day = this.workday(day, 1);
      minute = 0;
    }
  }

  /** Working minutes in a working day. */
  get minutesPerDay(): number {
    return this.periods.reduce((s, [a, b]) => s + b - a, 0);
  }

  /** First and last day with data, as ISO dates (for messages and docs). */
  get span(): [string, string] {
    return [serialToIso(this.base), serialToIso(this.base + this.cum.length - 1)];
  }
}
