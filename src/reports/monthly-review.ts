/**
 * The month-end complaint review (「在月底进行客诉不良的检讨」, 「CQE定期统计…满意度」, 「汇总&收集相关数据」; issue 23):
 * the figures of one calendar month of a ledger. Pure: the CLI writes them to a workbook with native charts
 * (`complaint-ledger report --month`), the add-in to its 月度检讨 Review sheet, the pane draws them.
 *
 * Definitions (dates are the ledger's own: cells hold wall-clock days of the Policy's time zone, domain/zone.ts,
 * so the month's bounds are days, whatever the machine's zone):
 * - received: cases received in the month; closed: cases closed in the month (closedAt in it);
 * - openAtEnd: received by the month's last day and not closed by then. A case whose status is closed but carries no
 *   close date (adopted history) is not open: it is counted in `closedUndated` instead of any month's `closed`.
 * - breakdowns and Paretos are of the cases received in the month; Pareto = top N (10) and "rest".
 * - on-time per clock: the clock steps done in the month, met / (met + missed) (sla.ts `caseClocks`, as the dashboard);
 *   times are calendar days from the clock's start to its end; median and 90th percentile by nearest rank.
 * - cost by responsibility and free / charged: the cases booked in the month (finance's booking date, closed else
 *   received: finance-summary.ts `bookingDate`), free / charged summed through the finance review of the month's two
 *   half-months (`financeReview` + `reviewTotals`), so the review and finance's sheet cannot disagree.
 * - repeats: a case received in the month with an earlier case of the same customer and defect, or the same product
 *   and defect (defects compared as normalised text), received at most `repeatWindowDays` days before it.
 * - satisfaction: follow-ups done in the month (followUpAt in it), by the satisfaction recorded.
 * - fines (乐捐, issue 21): the audit log's finable refusals in the month (classify.ts `fineTally`).
 */
import type { Case } from "../domain/case";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { fineTally, type FineLine } from "../domain/classify";
import { serialToYmd, ymdToSerial } from "../domain/dates";
import { DomainError } from "../domain/errors";
import type { Named } from "../domain/policy/named";
import { findNamed, type Policy } from "../domain/policy/policy";
import { KINDS, MARKETS, SATISFACTION } from "../domain/schema";
import { calendarFor, caseClocks, CLOSED_STATES } from "../domain/sla";
import { normalizeText } from "../domain/text";
import type { CostLine } from "../domain/money/cost-lines";
import { financeReview, reviewTotals, type ReviewTotals } from "./finance-review";
import { moneyFigures, type MoneyFigures } from "./money-figures";
import { bookingDate, MAX_COST } from "./finance-summary";

/** One line of a breakdown: a code (or "(none)" / "(rest)") with its labels, cases and cost. */
export interface ReviewCount {
  key: string;
  zh: string;
  en: string;
  cases: number;
  cost: number;
}

/** A Pareto line: share of the month's cases and the running share, 0–1 rounded to 4 places. */
export interface ParetoLine extends ReviewCount {
  share: number;
  cumulative: number;
}

export interface ClockReview {
  clock: string;
  zh: string;
  en: string;
  met: number;
  missed: number;
  /** met / (met + missed), 0–1 rounded to 4 places; null when no step was done. */
  rate: number | null;
  /** Calendar days from the clock's start to its end, of the steps done in the month; null when none. */
  medianDays: number | null;
  p90Days: number | null;
}

export interface TrendPoint {
  month: string;
  received: number;
  closed: number;
  openAtEnd: number;
  met: number;
  missed: number;
  /** All clocks together; null when no step was done that month. */
  onTimeRate: number | null;
}

export interface RepeatCase {
  caseNo: string;
  /** The earlier case it repeats, and how: same customer and defect, or same product and defect. */
  previous: string;
  by: "CUSTOMER" | "PRODUCT";
  days: number;
  customer: string;
  product: string;
  defect: string;
}

export interface MonthlyReview {
  month: string;
  /** First and last day of the month (serials on the ledger's calendar). */
  start: number;
  end: number;
  received: number;
  closed: number;
  openAtEnd: number;
  /** Closed cases without a close date (adopted history): never open, never closed in a month. */
  closedUndated: number;
  /** Cases without a receipt date: in no month. */
  undated: number;
  byKind: ReviewCount[];
  byClass: ReviewCount[];
  byMarket: ReviewCount[];
  bySeverity: ReviewCount[];
  pareto: { defects: ParetoLine[]; products: ParetoLine[]; customers: ParetoLine[]; responsibility: ParetoLine[] };
  onTime: ClockReview[];
  /** Received → closed, calendar days, of the cases closed in the month. */
  leadTime: { cases: number; medianDays: number | null; p90Days: number | null };
  /** The 12 months ending with this one, oldest first. */
  trend: TrendPoint[];
  /** Cost of the cases booked in the month, by responsibility (policy order, then "(none)"). */
  costByResponsibility: ReviewCount[];
  /** Free / charged of the month: the sum of the finance review's totals of its two half-months. */
  freeCharged: ReviewTotals;
  repeats: { windowDays: number; cases: number; byCustomer: number; byProduct: number; list: RepeatCase[] };
  satisfaction: {
    followedUp: number;
    rated: number;
    counts: ReviewCount[];
    /** (satisfied + acceptable) / rated; null when none rated. */ rate: number | null;
  };
  fines: { count: number; amount: number; lines: FineLine[] };
  /** The month's money trail (money-figures.ts, as finance's review): cost by category, dealer debits to book, supplier credits. */
  money: MoneyFigures;
}

export interface MonthlyReviewOptions {
  /** Days back a repeat looks (default: the Policy's review.repeatWindowDays, Settings row reviewRepeatWindowDays). */
  repeatWindowDays?: number;
  /** Audit entries for the fines; without them the fines are zero. */
  audit?: readonly { user: string; action: string; at: string }[];
  /** Pareto length before "rest" (default 10). */
  top?: number;
  /** Today (serial day): what is overdue in a month still running (supplier credits); default the month's last day. */
  today?: number;
  /** The ledger's cost lines (Ledger.costLines): cost by category. */
  costLines?: readonly CostLine[];
  calendar?: WorkCalendar;
}

/**
 * What the review keeps of a case: the fields it counts (dates floored to days) and the clock steps done, each judged
 * once (sla.ts `caseClocks`: a done step's MET / MISSED does not depend on the day it is judged). The full case is kept
 * only where the finance review needs it (`case`: cases booked in the month). A 50,000-case ledger is held as these.
 */
export type ReviewFacts = Pick<
  Case,
  | "caseNo"
  | "kind"
  | "customerClass"
  | "market"
  | "severity"
  | "defect"
  | "product"
  | "customer"
  | "responsibility"
  | "cost"
  | "charge"
  | "satisfaction"
  | "status"
  | "receivedAt"
  | "closedAt"
  | "followUpAt"
> & {
  steps: { clock: string; done: number; days?: number; met: boolean }[];
  case?: Case;
};

/**
 * A case reduced to its ReviewFacts; `keepCase` keeps the case itself (the CLI keeps it only for the month's booked
 * cases). Steps done before `since` (the trend's first day) count nowhere: a case whose every step end is earlier is
 * not run through its clocks at all, which is most of a ledger with years of history.
 */
export function reviewFacts(c: Case, policy: Policy, cal: WorkCalendar, keepCase = true, since = -Infinity): ReviewFacts {
  const steps: ReviewFacts["steps"] = [];
  // A step ends on its clock's end field, or on the close for adopted history (sla.ts caseClocks).
  let latest = c.closedAt ?? -Infinity;
  for (const k of policy.clocks) latest = Math.max(latest, c[k.endField] ?? -Infinity);
  // A done step is judged the same on any day; the day passed only sets the running clocks' status (not kept), so it
  // is one near the case's dates, which keeps their working-day count short.
  const near = Math.floor(c.receivedAt ?? (Number.isFinite(latest) ? latest : 0));
  for (const st of latest >= since ? caseClocks(c, policy, cal, near) : []) {
    if (st.done === undefined || (st.status !== "MET" && st.status !== "MISSED")) continue;
    steps.push({ clock: st.clock.code, done: st.done, days: st.start === undefined ? undefined : round(st.done - st.start, 2), met: st.status === "MET" });
  }
  return {
    caseNo: c.caseNo,
    kind: c.kind,
    customerClass: c.customerClass,
    market: c.market,
    severity: c.severity,
    defect: c.defect,
    product: c.product,
    customer: c.customer,
    responsibility: c.responsibility,
    cost: c.cost,
    charge: c.charge,
    satisfaction: c.satisfaction,
    status: c.status,
    receivedAt: day(c.receivedAt),
    closedAt: day(c.closedAt),
    followUpAt: day(c.followUpAt),
    steps,
    ...(keepCase ? { case: c } : {}),
  };
}

/** The first day of the 12-month trend ending with `month`: steps done before it count nowhere. */
export const trendStart = (month: string) => monthBounds(shiftMonth(month, -11)).start;

/**
 * Whether the review of `month` needs the whole case (what `reviewFacts`' keepCase must keep): finance books it in the
 * month, or it carries money records (a dealer debit, a supplier credit, cost lines: `withLines` holds their case numbers).
 */
export function bookedIn(c: Case, month: string, withLines: ReadonlySet<string> = new Set()): boolean {
  if ((c.dealerDebitAmount ?? 0) > 0 || (c.supplierCreditAmount ?? 0) > 0 || (c.caseNo !== undefined && withLines.has(c.caseNo))) return true;
  const d = day(bookingDate(c));
  const { start, end } = monthBounds(month);
  return d !== undefined && d >= start && d <= end;
}

export const DEFAULT_REPEAT_WINDOW_DAYS = 90;
/** Repeats listed at most (the count covers all): the sheet and the JSON stay bounded. */
export const REPEATS_LISTED = 500;

const MONTH = /^(\d{4})-(\d{2})$/;

/** "2026-03" → its first and last day; a bilingual error for anything else. */
export function monthBounds(month: string): { start: number; end: number } {
  const m = MONTH.exec(month.trim());
  const y = m ? Number(m[1]) : NaN;
  const mo = m ? Number(m[2]) : NaN;
  if (!m || mo < 1 || mo > 12 || y < 1900 || y > 9999) {
    throw new DomainError("BAD_MONTH", `月份"${month}"无效,请写成 YYYY-MM,例如 2026-03`, `"${month}" is not a month: write YYYY-MM, e.g. 2026-03`);
  }
  return { start: ymdToSerial(y, mo, 1), end: ymdToSerial(y, mo + 1, 1) - 1 };
}

/** The month a serial day falls in, "YYYY-MM". */
export function monthOf(serial: number): string {
  const { year, month } = serialToYmd(Math.floor(serial));
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** The month `k` months after `month` ("2026-01", -1 → "2025-12"). */
export function shiftMonth(month: string, k: number): string {
  const { start } = monthBounds(month);
  const { year, month: m } = serialToYmd(start);
  const m0 = year * 12 + (m - 1) + k;
  return `${Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, "0")}`;
}

const round = (x: number, p = 2) => Math.round(x * 10 ** p) / 10 ** p;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);
const day = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? undefined : Math.floor(v));
/** A cost as the sums count it: finance's sane-amount rule (finance-summary.ts MAX_COST). */
const costOf = (c: Pick<Case, "cost">) => (c.cost !== undefined && Number.isFinite(c.cost) && Math.abs(c.cost) <= MAX_COST ? c.cost : 0);

/** Nearest-rank percentile of sorted values (p in 0–1): the smallest value with at least p of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

const isClosedStatus = (c: Pick<Case, "status">) => CLOSED_STATES.some((s) => s === c.status);

/** Received by `end` and not closed by then (see the module note). */
export function openAt(c: Pick<Case, "receivedAt" | "closedAt" | "status">, end: number): boolean {
  const r = day(c.receivedAt);
  if (r === undefined || r > end) return false;
  const closed = day(c.closedAt);
  if (closed !== undefined) return closed > end;
  return !isClosedStatus(c);
}

const NONE = { key: "(none)", zh: "(空)", en: "(blank)" };
const REST = { key: "(rest)", zh: "其余", en: "Rest" };

function tally<C extends Pick<Case, "cost">>(cases: readonly C[], keyOf: (c: C) => { key: string; zh: string; en: string }): ReviewCount[] {
  const m = new Map<string, ReviewCount>();
  for (const c of cases) {
    const k = keyOf(c);
    const e = m.get(k.key) ?? { ...k, cases: 0, cost: 0 };
    e.cases++;
    e.cost += costOf(c);
    m.set(k.key, e);
  }
  return [...m.values()].map((e) => ({ ...e, cost: round(e.cost) }));
}

/** A breakdown by a vocabulary: every code in the vocabulary's order (zeros kept, so months line up), then blank. */
function byVocabulary<C extends Pick<Case, "cost">>(cases: readonly C[], vocab: readonly Named[], value: (c: C) => string | undefined): ReviewCount[] {
  const named = (c: C) => {
    const hit = findNamed(vocab, value(c));
    return hit ? { key: hit.code, zh: hit.zh, en: hit.en } : NONE;
  };
  const counted = new Map(tally(cases, named).map((l) => [l.key, l]));
  const out: ReviewCount[] = vocab.map((v) => counted.get(v.code) ?? { key: v.code, zh: v.zh, en: v.en, cases: 0, cost: 0 });
  const none = counted.get(NONE.key);
  return none ? [...out, none] : out;
}

const byCount = (a: ReviewCount, b: ReviewCount) => b.cases - a.cases || b.cost - a.cost || a.key.localeCompare(b.key);

/** Top `top` lines by cases, then one "rest" line; shares of the month's received cases. */
export function pareto(lines: readonly ReviewCount[], total: number, top: number): ParetoLine[] {
  const sorted = [...lines].sort(byCount);
  const head = sorted.slice(0, top);
  const rest = sorted.slice(top);
  const all = rest.length ? [...head, { ...REST, cases: rest.reduce((t, l) => t + l.cases, 0), cost: round(rest.reduce((t, l) => t + l.cost, 0)) }] : head;
  let run = 0;
  return all.map((l) => {
    run += l.cases;
    return { ...l, share: ratio(l.cases, total) ?? 0, cumulative: ratio(run, total) ?? 0 };
  });
}

const textKey = (v: string | undefined, label?: string) => {
  const t = (v ?? "").trim();
  return t ? { key: normalizeText(t), zh: label ?? t, en: label ?? t } : NONE;
};

function responsibilityKey(c: Pick<Case, "responsibility">, policy: Policy) {
  const r = findNamed(policy.responsibilities, c.responsibility);
  return r ? { key: r.code, zh: r.zh, en: r.en } : { key: "(none)", zh: "(未判定)", en: "(not set)" };
}

interface ClockTally {
  met: number;
  missed: number;
  days: number[];
}

/** One walk over the steps done: per month all clocks together (the trend), per clock for the month itself. */
function clockFigures(facts: readonly ReviewFacts[], month: string, months: ReadonlySet<string>, policy: Policy) {
  const perMonth = new Map<string, { met: number; missed: number }>();
  const perClock = new Map<string, ClockTally>();
  // Steps are many (a few per case): their month is found by comparing days, not by formatting each date.
  const bounds = [...months].map((m) => ({ m, ...monthBounds(m) }));
  const first = Math.min(...bounds.map((b) => b.start));
  const last = Math.max(...bounds.map((b) => b.end));
  for (const f of facts) {
    for (const s of f.steps) {
      const d = Math.floor(s.done);
      if (d < first || d > last) continue;
      const m = bounds.find((b) => d >= b.start && d <= b.end)!.m;
      const pm = perMonth.get(m) ?? { met: 0, missed: 0 };
      if (s.met) pm.met++;
      else pm.missed++;
      perMonth.set(m, pm);
      if (m !== month) continue;
      const pc = perClock.get(s.clock) ?? { met: 0, missed: 0, days: [] };
      if (s.met) pc.met++;
      else pc.missed++;
      if (s.days !== undefined) pc.days.push(s.days);
      perClock.set(s.clock, pc);
    }
  }
  const onTime: ClockReview[] = policy.clocks.map((clock) => {
    const t = perClock.get(clock.code) ?? { met: 0, missed: 0, days: [] };
    const days = [...t.days].sort((a, b) => a - b);
    return {
      clock: clock.code,
      zh: clock.zh,
      en: clock.en,
      met: t.met,
      missed: t.missed,
      rate: ratio(t.met, t.met + t.missed),
      medianDays: percentile(days, 0.5),
      p90Days: percentile(days, 0.9),
    };
  });
  return { onTime, perMonth };
}

/** received / closed / open at the end of each trend month, one walk over the cases. */
function trendCounts(cases: readonly ReviewFacts[], months: readonly string[]) {
  const bounds = months.map((m) => monthBounds(m));
  const index = new Map(months.map((m, i) => [m, i]));
  const counts = months.map(() => ({ received: 0, closed: 0, openAtEnd: 0 }));
  for (const c of cases) {
    const r = day(c.receivedAt);
    const k = day(c.closedAt);
    const ri = r === undefined ? undefined : index.get(monthOf(r));
    const ci = k === undefined ? undefined : index.get(monthOf(k));
    if (ri !== undefined) counts[ri].received++;
    if (ci !== undefined) counts[ci].closed++;
    if (r === undefined || r > bounds[bounds.length - 1].end) continue;
    for (let i = 0; i < bounds.length; i++) if (openAt(c, bounds[i].end)) counts[i].openAtEnd++;
  }
  return counts;
}

/** Repeats among the month's received cases: the latest earlier case of the same customer (or product) and defect within the window. */
function repeatsOf(cases: readonly ReviewFacts[], start: number, end: number, windowDays: number): MonthlyReview["repeats"] {
  // Only cases received within the window before the month can be a repeat's previous case.
  const dated = cases.filter((c) => {
    const r = day(c.receivedAt);
    return r !== undefined && r <= end && r >= start - windowDays && (c.defect ?? "").trim();
  });
  // Oldest first, ties by case number, so "previous" is the same case however the ledger is sorted.
  dated.sort((a, b) => day(a.receivedAt)! - day(b.receivedAt)! || (a.caseNo ?? "").localeCompare(b.caseNo ?? ""));
  const last = new Map<string, ReviewFacts>();
  const list: RepeatCase[] = [];
  let byCustomer = 0;
  let byProduct = 0;
  let count = 0;
  for (const c of dated) {
    const r = day(c.receivedAt)!;
    const defect = normalizeText(c.defect!.trim());
    const keys: [RepeatCase["by"], string | undefined][] = [
      ["CUSTOMER", c.customer?.trim() ? `C\u0000${normalizeText(c.customer.trim())}\u0000${defect}` : undefined],
      ["PRODUCT", c.product?.trim() ? `P\u0000${normalizeText(c.product.trim())}\u0000${defect}` : undefined],
    ];
    if (r >= start) {
      const hit = keys
        .map(([by, k]) => ({ by, prev: k ? last.get(k) : undefined }))
        .find((h) => h.prev !== undefined && r - day(h.prev.receivedAt)! <= windowDays);
      if (hit) {
        count++;
        if (hit.by === "CUSTOMER") byCustomer++;
        else byProduct++;
        if (list.length < REPEATS_LISTED) {
          list.push({
            caseNo: c.caseNo ?? "",
            previous: hit.prev!.caseNo ?? "",
            by: hit.by,
            days: r - day(hit.prev!.receivedAt)!,
            customer: c.customer ?? "",
            product: c.product ?? "",
            defect: c.defect ?? "",
          });
        }
      }
    }
    for (const [, k] of keys) if (k) last.set(k, c);
  }
  return { windowDays, cases: count, byCustomer, byProduct, list };
}

function satisfactionOf(cases: readonly ReviewFacts[], start: number, end: number): MonthlyReview["satisfaction"] {
  const followed = cases.filter((c) => {
    const f = day(c.followUpAt);
    return f !== undefined && f >= start && f <= end;
  });
  const counts = byVocabulary(followed, SATISFACTION, (c) => c.satisfaction).map((l) => ({ ...l, cost: 0 }));
  const n = (code: string) => counts.find((l) => l.key === code)?.cases ?? 0;
  const rated = followed.length - n(NONE.key);
  return { followedUp: followed.length, rated, counts, rate: ratio(n("SATISFIED") + n("ACCEPTABLE"), rated) };
}

/** Free / charged of the month: the finance review of each half-month, totals summed (finance-review.ts `reviewTotals`). */
function freeChargedOf(cases: readonly Case[], start: number, end: number, policy: Policy): ReviewTotals {
  // The finance review of each half filters by its own period: handing it the month's booked cases changes nothing.
  const rows = cases.map((c, row) => ({ row, record: {}, case: c, problems: [] }));
  const halves = [start, Math.min(end, start + 15)].map((d) => reviewTotals(financeReview(rows, [], policy, d)));
  const add = (a: { n: number; cost: number }, b: { n: number; cost: number }) => ({ n: a.n + b.n, cost: round(a.cost + b.cost) });
  return { free: add(halves[0].free, halves[1].free), charged: add(halves[0].charged, halves[1].charged), all: add(halves[0].all, halves[1].all) };
}

function finesOf(audit: MonthlyReviewOptions["audit"], month: string, policy: Policy): MonthlyReview["fines"] {
  const lines = fineTally(
    (audit ?? []).filter((e) => e.at.startsWith(month)).map((e) => ({ user: e.user, action: e.action, time: e.at })),
    policy,
  );
  return { count: lines.reduce((t, l) => t + l.count, 0), amount: round(lines.reduce((t, l) => t + l.amount, 0)), lines };
}

/**
 * The figures of `month` ("YYYY-MM") over every case of a ledger (all of them: the trend, repeats and open-at-end
 * look before the month). Throws a bilingual DomainError (BAD_MONTH) for a month that is not one.
 */
export function monthlyReview(cases: readonly Case[], month: string, policy: Policy, options: MonthlyReviewOptions = {}): MonthlyReview {
  monthBounds(month);
  const cal = options.calendar ?? calendarFor(policy);
  const since = trendStart(month);
  return reviewOfFacts(
    cases.map((c) => reviewFacts(c, policy, cal, true, since)),
    month,
    policy,
    options,
  );
}

/**
 * monthlyReview over cases already reduced (`reviewFacts`): what the command line keeps of a large ledger as it reads
 * it. Facts booked in the month must keep their case (`bookedIn`), for the free / charged figures.
 */
export function reviewOfFacts(cases: readonly ReviewFacts[], month: string, policy: Policy, options: MonthlyReviewOptions = {}): MonthlyReview {
  const { start, end } = monthBounds(month);
  month = monthOf(start);
  const top = options.top ?? 10;
  const windowDays = options.repeatWindowDays ?? policy.review?.repeatWindowDays ?? DEFAULT_REPEAT_WINDOW_DAYS;
  const inMonth = (v: number | undefined) => {
    const d = day(v);
    return d !== undefined && d >= start && d <= end;
  };
  const received = cases.filter((c) => inMonth(c.receivedAt));
  const months = Array.from({ length: 12 }, (_, i) => shiftMonth(month, i - 11));
  const clocks = clockFigures(cases, month, new Set(months), policy);
  const trend = trendCounts(cases, months).map((t, i) => {
    const ot = clocks.perMonth.get(months[i]) ?? { met: 0, missed: 0 };
    return { month: months[i], ...t, met: ot.met, missed: ot.missed, onTimeRate: ratio(ot.met, ot.met + ot.missed) };
  });
  const closedIn = cases.filter((c) => inMonth(c.closedAt));
  const lead = closedIn
    .filter((c) => day(c.receivedAt) !== undefined)
    .map((c) => day(c.closedAt)! - day(c.receivedAt)!)
    .sort((a, b) => a - b);
  const respOrder = policy.responsibilities.map((r) => r.code);
  // Finance's booking date (finance-summary.ts bookingDate): closed, else received.
  const booked = cases.filter((c) => inMonth(c.closedAt ?? c.receivedAt));
  const n = received.length;
  return {
    month,
    start,
    end,
    received: n,
    closed: closedIn.length,
    openAtEnd: trend[trend.length - 1].openAtEnd,
    closedUndated: cases.filter((c) => day(c.closedAt) === undefined && isClosedStatus(c) && day(c.receivedAt) !== undefined && day(c.receivedAt)! <= end)
      .length,
    undated: cases.filter((c) => day(c.receivedAt) === undefined).length,
    byKind: byVocabulary(received, KINDS, (c) => c.kind),
    byClass: byVocabulary(received, policy.classes, (c) => c.customerClass),
    byMarket: byVocabulary(received, MARKETS, (c) => c.market),
    bySeverity: byVocabulary(received, policy.severities, (c) => c.severity),
    pareto: {
      defects: pareto(
        tally(received, (c) => textKey(c.defect)),
        n,
        top,
      ),
      products: pareto(
        tally(received, (c) => textKey(c.product)),
        n,
        top,
      ),
      customers: pareto(
        tally(received, (c) => textKey(c.customer)),
        n,
        top,
      ),
      responsibility: pareto(
        tally(received, (c) => responsibilityKey(c, policy)),
        n,
        top,
      ),
    },
    onTime: clocks.onTime,
    leadTime: { cases: lead.length, medianDays: percentile(lead, 0.5), p90Days: percentile(lead, 0.9) },
    trend,
    costByResponsibility: tally(booked, (c) => responsibilityKey(c, policy)).sort(
      (a, b) => (respOrder.indexOf(a.key) + 1 || 999) - (respOrder.indexOf(b.key) + 1 || 999),
    ),
    freeCharged: freeChargedOf(
      booked.flatMap((f) => (f.case ? [f.case] : [])),
      start,
      end,
      policy,
    ),
    repeats: repeatsOf(cases, start, end, windowDays),
    satisfaction: satisfactionOf(cases, start, end),
    fines: finesOf(options.audit, month, policy),
    money: moneyFigures(
      cases.flatMap((f) => (f.case ? [f.case] : [])),
      options.costLines ?? [],
      policy,
      start,
      end,
      options.today ?? end,
    ),
  };
}
