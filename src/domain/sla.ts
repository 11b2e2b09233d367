/**
 * Clocks and due dates (时效, process.md §3): which clocks run for a case,
 * when each is due on the company calendar, and whether it is on time.
 */
import { isHistory } from "./history";
import { WorkCalendar, type CalendarDay } from "./calendar/calendar";
import type { Case } from "./case";
import { CN_OFFICIAL_DAYS, CN_OFFICIAL_YEARS } from "./calendar/cn-holidays";
import { serialToYmd, ymdToSerial } from "./dates";
import { goodsReturned, urgentApproved } from "./disposition";
import { DomainError } from "./errors";
import { CLOCK, findNamed, type ClockDef, type ClockLimit, type Named, type Policy } from "./policy/policy";
import { festivalsNamed } from "./calendar/notice";
import { PROVISIONAL_YEARS, provisionalDays } from "./calendar/provisional";
import { responsibilityOf } from "./responsibility";
import type { DateKey } from "./schema";
import { nonBatchReturn } from "./money/money-rules";

/** Where a year's public holidays come from, in order of precedence. */
export type YearSource = "policy" | "official" | "provisional";

/**
 * The source of a year's holidays: the Policy sheet when it lists the year as
 * complete (`extraCalendarYears`, what an imported notice writes), else the
 * bundled official data, else a provisional estimate (1990–2100); undefined
 * outside all three.
 */
export function yearSource(policy: Policy, year: number): YearSource | undefined {
  if (policy.settings.extraCalendarYears.includes(year)) return "policy";
  if (CN_OFFICIAL_YEARS.includes(year)) return "official";
  if (year >= PROVISIONAL_YEARS.first && year <= PROVISIONAL_YEARS.last) return "provisional";
  return undefined;
}

/** One year's holidays as the calendar uses them: `calendar show YEAR --json`. */
export interface CalendarYear {
  year: number;
  source: YearSource;
  /** Days off the source lists (weekends inside a holiday included), ISO, sorted. */
  off: string[];
  /** Make-up working days (调休), ISO, sorted. */
  on: string[];
}

/** The official days of a year from its source, with the Policy sheet's single official days on top. */
export function calendarYear(policy: Policy, year: number): CalendarYear {
  const source = yearSource(policy, year);
  if (!source) {
    throw new DomainError(
      "CAL_NO_DATA",
      `${year} 年不在日历范围内(${PROVISIONAL_YEARS.first}–${PROVISIONAL_YEARS.last})`,
      `${year} is outside the calendar (${PROVISIONAL_YEARS.first}–${PROVISIONAL_YEARS.last})`,
    );
  }
  const inYear = (d: CalendarDay) => d.date.startsWith(`${year}-`);
  const base = source === "official" ? CN_OFFICIAL_DAYS.filter(inYear) : source === "provisional" ? provisionalBase(policy, year) : [];
  const days = new Map<string, CalendarDay["kind"]>(base.map((d) => [d.date, d.kind]));
  for (const r of policy.calendar) if (r.scope === "OFFICIAL" && inYear(r)) days.set(r.date, r.kind);
  const pick = (k: CalendarDay["kind"]) =>
    [...days]
      .filter(([, v]) => v === k)
      .map(([d]) => d)
      .sort();
  return { year, source, off: pick("OFF"), on: pick("WORK") };
}

const provisionalCache = new Map<string, CalendarDay[]>();
/** Provisional days of a year; computed once per weekend pattern (lunar conversions are not free). */
function provisionalFor(year: number, weekend: readonly number[]): CalendarDay[] {
  const key = `${year}:${[...weekend].sort().join(",")}`;
  let days = provisionalCache.get(key);
  if (!days) provisionalCache.set(key, (days = provisionalDays(year, weekend)));
  return days;
}

/**
 * The estimate of a provisional year under the Policy sheet's official rows:
 * the estimated days of a festival those rows give days off for (a partial
 * notice imported) give way to the rows; the other festivals keep theirs.
 */
function provisionalBase(policy: Policy, year: number): CalendarDay[] {
  const days = provisionalFor(year, policy.settings.weekend);
  const prefix = `${year}-`;
  const named = new Set(
    policy.calendar.filter((r) => r.scope === "OFFICIAL" && r.kind === "OFF" && r.date.startsWith(prefix)).flatMap((r) => festivalsNamed(r.name)),
  );
  return named.size ? days.filter((d) => !festivalsNamed(d.name).some((f) => named.has(f))) : days;
}

/**
 * The company calendar a policy describes: per year the Policy sheet, the
 * bundled official data or a provisional estimate (see `yearSource`), then the
 * Policy sheet's single official and company days on top.
 */
export function calendarFor(policy: Policy): WorkCalendar {
  const years = new Set<number>([...CN_OFFICIAL_YEARS, ...policy.settings.extraCalendarYears]);
  for (let y = PROVISIONAL_YEARS.first; y <= PROVISIONAL_YEARS.last; y++) years.add(y);
  const provisional = [...years].filter((y) => yearSource(policy, y) === "provisional");
  const bundled = CN_OFFICIAL_DAYS.filter((d) => yearSource(policy, Number(d.date.slice(0, 4))) === "official");
  return new WorkCalendar({
    weekend: policy.settings.weekend,
    official: [...bundled, ...provisional.flatMap((y) => provisionalBase(policy, y)), ...policy.calendar.filter((r) => r.scope === "OFFICIAL")],
    years: [...years],
    provisional,
    company: policy.calendar.filter((r) => r.scope === "COMPANY"),
    workHours: policy.settings.workHours,
  });
}

export interface ClockSelectors {
  customerClass?: string;
  severity?: string;
  urgent?: boolean;
}

export function clockOf(name: unknown, policy: Policy): ClockDef | undefined {
  return findNamed(policy.clocks, name);
}

/**
 * The limit row that applies: rows whose selectors all match (a blank
 * selector matches anything), the most specific first.
 */
export function limitFor(clock: ClockDef, sel: ClockSelectors, policy: Policy): ClockLimit {
  const cls = findNamed(policy.classes, sel.customerClass)?.code;
  const sev = findNamed(policy.severities, sel.severity)?.code;
  let best: ClockLimit | undefined;
  let bestScore = -1;
  for (const row of policy.limits) {
    if (row.clock !== clock.code) continue;
    if (row.customerClass !== undefined && row.customerClass !== cls) continue;
    if (row.severity !== undefined && row.severity !== sev) continue;
    if (row.urgent !== undefined && row.urgent !== (sel.urgent === true)) continue;
    const s = +(row.customerClass !== undefined) + +(row.severity !== undefined) + +(row.urgent !== undefined);
    if (s > bestScore) {
      best = row;
      bestScore = s;
    }
  }
  if (!best) {
    const needs = [
      ...new Set(
        policy.limits
          .filter((r) => r.clock === clock.code)
          .flatMap((r) => [r.customerClass !== undefined ? "class" : "", r.severity !== undefined ? "severity" : ""].filter(Boolean)),
      ),
    ];
    throw new DomainError(
      "SLA_NO_LIMIT",
      `"${clock.zh}"没有适用的时限${needs.length ? `(需要提供${needs.map((x) => (x === "class" ? "客户等级" : "客诉等级")).join("和")})` : ""}`,
      `No limit applies to the clock "${clock.en}"${needs.length ? ` (give the ${needs.map((x) => (x === "class" ? "customer class" : x)).join(" and ")})` : ""}`,
    );
  }
  return best;
}

/** Adds calendar months as Excel EDATE does: 31 Jan + 1 month → 28/29 Feb. */
export function addMonths(serial: number, months: number): number {
  const { year, month, day } = serialToYmd(serial);
  const m0 = year * 12 + (month - 1) + months;
  const y = Math.floor(m0 / 12);
  const m = (m0 % 12) + 1;
  const last = serialToYmd(ymdToSerial(y, m + 1, 1) - 1).day;
  return ymdToSerial(y, m, Math.min(day, last));
}

/**
 * When a clock started at `start` is due. Working-hour clocks return a
 * date-time; the others a date (the whole of that day counts).
 *
 * `dueDate(received, clockOf("REPLY_DOMESTIC", p)!, {}, p, cal)` → 7 working days later.
 */
export function dueDate(start: number, clock: ClockDef, sel: ClockSelectors, policy: Policy, cal: WorkCalendar): number {
  return dueAfter(start, clock, limitFor(clock, sel, policy).limit, cal);
}

/** `start` plus `n` of the clock's unit on the calendar. */
export function dueAfter(start: number, clock: ClockDef, limit: number, cal: WorkCalendar): number {
  const day = Math.floor(start);
  switch (clock.unit) {
    case "HOUR":
      return start + limit / 24;
    case "WORKHOUR":
      return cal.addWorkHours(start, limit);
    case "WORKDAY":
      return cal.workday(day, limit);
    case "DAY":
      return day + limit - (clock.countStartDay ? 1 : 0);
    case "WEEK":
      return day + 7 * limit - (clock.countStartDay ? 1 : 0);
    case "MONTH":
      return addMonths(day, limit);
  }
}

export type SlaStatus = "ON_TIME" | "DUE_SOON" | "OVERDUE" | "MET" | "MISSED";
export const SLA_STATUSES: readonly Named[] = [
  { code: "ON_TIME", zh: "按时", en: "On time", synonyms: [] },
  { code: "DUE_SOON", zh: "即将到期", en: "Due soon", synonyms: [] },
  { code: "OVERDUE", zh: "逾期", en: "Overdue", synonyms: [] },
  { code: "MET", zh: "按时完成", en: "Met", synonyms: [] },
  { code: "MISSED", zh: "超时完成", en: "Missed", synonyms: [] },
];

/** A date-only due means "by the end of that day"; a date-time due is exact. */
const isDateOnly = (due: number) => due === Math.floor(due);
const late = (t: number, due: number) => (isDateOnly(due) ? Math.floor(t) > due : t > due);

/**
 * Status of a clock: done → MET or MISSED; running → OVERDUE past the due,
 * DUE_SOON when at most `dueSoonWorkdays` working days remain, else ON_TIME.
 */
export function slaStatus(due: number, done: number | undefined, today: number, cal: WorkCalendar, dueSoonWorkdays: number): SlaStatus {
  if (done !== undefined) return late(done, due) ? "MISSED" : "MET";
  if (late(today, due)) return "OVERDUE";
  // Working days left after today, up to and including the due day.
  const left = cal.networkdays(Math.floor(today), Math.floor(due)) - (cal.isWorkday(today) ? 1 : 0);
  return left <= dueSoonWorkdays ? "DUE_SOON" : "ON_TIME";
}

/** Whether a clock runs for a case. */
export function clockApplies(clock: ClockDef, c: Case, policy: Policy): boolean {
  const group = responsibilityOf(c.responsibility, policy)?.group;
  switch (clock.appliesWhen) {
    case "ALWAYS":
      return true;
    case "GOODS_RETURNED":
      return goodsReturned(c);
    // A case without a market is domestic: most customers are, and the ledger flags the blank.
    case "DOMESTIC":
      return c.market !== "INTERNATIONAL";
    case "INTERNATIONAL":
      return c.market === "INTERNATIONAL";
    case "NOT_OUR_FAULT":
      return c.confirmed === false || group === "CUSTOMER";
    case "OUR_FAULT_NO_RETURN":
      return (group === "INTERNAL" || group === "SUPPLIER") && !goodsReturned(c);
    case "SUPPLIER":
      return group === "SUPPLIER";
    case "REPLACEMENT_FIRST":
      return c.replacementFirst === true;
    // 国际应用设计中心的异常品是否退回根据具体客诉情况确定: international parts come back only when the case says so.
    case "PART_BACK":
      return c.replacementFirst === true && (c.market !== "INTERNATIONAL" || c.partBackRequired === true);
    case "LOAN":
      return c.kind === "LOAN";
    case "SUPPLIER_RETURN":
      return nonBatchReturn(c, policy);
  }
}

/**
 * The variant of a market-dependent clock (REPLY_DOMESTIC / REPLY_INTERNATIONAL) that runs for a market code,
 * decided by clockApplies: the sheet's formula (CL.DUEDATE's market argument), the cached results an .xlsx file
 * carries and the pane's clocks cannot disagree about which reply clock runs. Other clocks are returned as they are.
 */
export function clockForMarket(def: ClockDef, market: string | undefined, policy: Policy): ClockDef {
  if (market === undefined || (def.appliesWhen !== "DOMESTIC" && def.appliesWhen !== "INTERNATIONAL")) return def;
  const facts: Case = { market, signatures: {} };
  if (clockApplies(def, facts, policy)) return def;
  const twin = policy.clocks.find(
    (c) =>
      (c.appliesWhen === "DOMESTIC" || c.appliesWhen === "INTERNATIONAL") &&
      c.startField === def.startField &&
      c.endField === def.endField &&
      clockApplies(c, facts, policy),
  );
  return twin ?? def;
}

/** The reply clock a case of this market runs (the ledger's "reply due" column), or undefined when the policy has none. */
export function replyClockFor(market: string | undefined, policy: Policy): ClockDef | undefined {
  const base = clockOf(CLOCK.REPLY_DOMESTIC, policy);
  return base && clockForMarket(base, market, policy);
}

/**
 * What the "reply status" column judges (one rule for the sheet's formula, workbook-layout.ts, and the cached
 * results of .xlsx files, stores/xlsx/columns.ts): the reply date, else the close date; a case closed with
 * neither (adopted history) is not judged at all.
 */
export const REPLY_DONE_FIELDS = ["repliedAt", "closedAt"] as const satisfies readonly DateKey[];
export const CLOSED_STATES = ["CLOSED", "FOLLOWED_UP"] as const;

export function replyJudged(c: Pick<Case, "repliedAt" | "closedAt" | "status">): { judged: false } | { judged: true; done: number | undefined } {
  const done = c.repliedAt ?? c.closedAt;
  if (done === undefined && CLOSED_STATES.some((s) => s === c.status)) return { judged: false };
  return { judged: true, done };
}

/**
 * The selectors a case's clocks are looked up with. The urgent limit is the case's only once the
 * leader's special approval is signed (经公司领导特批后可加急处理); before, the normal limit runs.
 */
export function selectorsOf(c: Case, policy: Policy): ClockSelectors {
  return { customerClass: c.customerClass, severity: c.severity, urgent: urgentApproved(c, policy) };
}

/** A closed case runs no clock that should have stopped by the close; clocks that start at or after it (the follow-up) run on. */
function stoppedByClose(c: Case, clock: ClockDef): boolean {
  const closed = c.status === "CLOSED" || c.status === "FOLLOWED_UP";
  return closed && clock.startField !== "closedAt" && clock.endField !== "followUpAt";
}

export interface ClockState {
  clock: ClockDef;
  start?: number;
  due?: number;
  /** A range's target (its earlier bound), when the limit row has one. */
  target?: number;
  /** The limit in the clock's unit. */
  limit?: number;
  done?: number;
  status?: SlaStatus;
  /** The due date rests on a provisional (estimated) holiday calendar: show it marked 估算 / estimate. */
  estimate?: boolean;
  /** Why no due date could be computed (missing calendar year, no limit…). */
  problem?: { zh: string; en: string };
}

const dateField = (c: Case, key: DateKey): number | undefined => c[key];

/** Every clock that applies to a case, with its due date and status as of `today`. */
export function caseClocks(c: Case, policy: Policy, cal: WorkCalendar, today: number): ClockState[] {
  const out: ClockState[] = [];
  // Adopted history: a step without its own date ended by the close at the latest (domain/history.ts).
  const history = isHistory(c, policy);
  for (const clock of policy.clocks) {
    if (!clockApplies(clock, c, policy)) continue;
    const start = dateField(c, clock.startField);
    let done = dateField(c, clock.endField);
    if (history && done === undefined) {
      if (start === undefined || c.closedAt === undefined || clock.startField === "closedAt") {
        // Nothing to judge against (the follow-up after a close that predates the ledger): not running, not overdue.
        out.push({ clock, start, problem: { zh: "接管前已结案,未记录此步骤", en: "Closed before adoption; this step was not recorded" } });
        continue;
      }
      done = c.closedAt;
    }
    const state: ClockState = { clock, start, done };
    if (start !== undefined) {
      try {
        const row = limitFor(clock, selectorsOf(c, policy), policy);
        state.limit = row.limit;
        state.due = dueAfter(start, clock, row.limit, cal);
        if (row.target !== undefined) state.target = dueAfter(start, clock, row.target, cal);
        if (done === undefined && stoppedByClose(c, clock)) {
          state.problem = { zh: "案件已结案,此时限不再计算", en: "The case is closed; this clock no longer runs" };
          out.push(state);
          continue;
        }
        state.status = slaStatus(state.due, done, today, cal, policy.settings.dueSoonWorkdays);
        if (cal.spansProvisional(start, state.due)) state.estimate = true;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        state.problem = { zh: e.zh, en: e.en };
      }
    }
    out.push(state);
  }
  return out;
}
