/**
 * The managers' dashboard as numbers (process.md §3, §4, §9): open cases by
 * age, on-time rate per clock and month, cases and cost by responsibility
 * and by customer, the most frequent defects, the 8D status of the cases
 * that need one, and the finance summary — the very `financeReport` that
 * `complaint-ledger report` prints, so the dashboard and the report cannot
 * disagree. Pure: the Excel adapter writes it to the Dashboard sheet with
 * native charts; the CLI and tests read it directly.
 */
import type { Ledger } from "../ledger/service";
import type { Case } from "../domain/case";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { serialToYmd } from "../domain/dates";
import { needs8D } from "../domain/disposition";
import { findNamed, type Policy } from "../domain/policy/policy";
import { EIGHT_D_STATUSES } from "../domain/schema";
import { calendarFor, caseClocks } from "../domain/sla";
import { normalizeText } from "../domain/text";
import { financeReport, type FinanceReport } from "./finance-summary";
import { isOpen } from "./views";

export interface Counted {
  key: string;
  zh: string;
  en: string;
  cases: number;
  cost: number;
}

export interface OnTime {
  clock: string;
  zh: string;
  en: string;
  /** "2026-03": the month the step was done in. */
  month: string;
  met: number;
  missed: number;
  /** met / (met + missed), 0–1, rounded to 4 places. */
  rate: number;
}

export interface Dashboard {
  asOf: number;
  cases: number;
  open: number;
  /** Open cases by calendar days since receipt. */
  age: Counted[];
  onTime: OnTime[];
  byResponsibility: Counted[];
  byCustomer: Counted[];
  topDefects: Counted[];
  /** Cases that need an 8D, by 8D status (blank counts as not started). */
  eightD: Counted[];
  finance: FinanceReport;
}

export const AGE_BUCKETS = [
  { key: "0-7", zh: "7天内", en: "0–7 days", max: 7 },
  { key: "8-14", zh: "8–14天", en: "8–14 days", max: 14 },
  { key: "15-30", zh: "15–30天", en: "15–30 days", max: 30 },
  { key: "31-60", zh: "31–60天", en: "31–60 days", max: 60 },
  { key: ">60", zh: "60天以上", en: "over 60 days", max: Infinity },
] as const;

const round = (x: number, p = 2) => Math.round(x * 10 ** p) / 10 ** p;
const month = (serial: number) => {
  const { year, month: m } = serialToYmd(Math.floor(serial));
  return `${year}-${String(m).padStart(2, "0")}`;
};

function tally(cases: readonly Case[], keyOf: (c: Case) => { key: string; zh: string; en: string } | undefined): Counted[] {
  const m = new Map<string, Counted>();
  for (const c of cases) {
    const k = keyOf(c);
    if (!k) continue;
    const e = m.get(k.key) ?? { ...k, cases: 0, cost: 0 };
    e.cases++;
    e.cost += c.cost ?? 0;
    m.set(k.key, e);
  }
  return [...m.values()].map((e) => ({ ...e, cost: round(e.cost) }));
}

const byCount = (a: Counted, b: Counted) => b.cases - a.cases || b.cost - a.cost || a.key.localeCompare(b.key);

export function buildDashboard(cases: readonly Case[], policy: Policy, cal: WorkCalendar, today: number, opts: { top?: number } = {}): Dashboard {
  const top = opts.top ?? 10;
  const open = cases.filter(isOpen);

  const age = AGE_BUCKETS.map((b) => ({ key: b.key, zh: b.zh, en: b.en, cases: 0, cost: 0 }));
  for (const c of open) {
    if (c.receivedAt === undefined) continue;
    const days = Math.floor(today) - Math.floor(c.receivedAt);
    const i = AGE_BUCKETS.findIndex((b) => days <= b.max);
    age[i].cases++;
    age[i].cost = round(age[i].cost + (c.cost ?? 0));
  }

  const onTime = new Map<string, OnTime>();
  for (const c of cases) {
    for (const s of caseClocks(c, policy, cal, today)) {
      if (s.done === undefined || (s.status !== "MET" && s.status !== "MISSED")) continue;
      const key = `${s.clock.code}|${month(s.done)}`;
      const e = onTime.get(key) ?? { clock: s.clock.code, zh: s.clock.zh, en: s.clock.en, month: month(s.done), met: 0, missed: 0, rate: 0 };
      if (s.status === "MET") e.met++;
      else e.missed++;
      onTime.set(key, e);
    }
  }
  const clockOrder = policy.clocks.map((c) => c.code);
  const onTimeList = [...onTime.values()]
    .map((e) => ({ ...e, rate: round(e.met / (e.met + e.missed), 4) }))
    .sort((a, b) => a.month.localeCompare(b.month) || clockOrder.indexOf(a.clock) - clockOrder.indexOf(b.clock));

  const respOrder = policy.responsibilities.map((r) => r.code);
  const byResponsibility = tally(cases, (c) => {
    const r = findNamed(policy.responsibilities, c.responsibility);
    return r ? { key: r.code, zh: r.zh, en: r.en } : { key: "(none)", zh: "(未判定)", en: "(not set)" };
  }).sort((a, b) => (respOrder.indexOf(a.key) + 1 || 99) - (respOrder.indexOf(b.key) + 1 || 99));

  const byCustomer = tally(cases, (c) => (c.customer ? { key: c.customer, zh: c.customer, en: c.customer } : undefined))
    .sort(byCount)
    .slice(0, top);

  // Defects are free text: the same words typed with other spacing or width count together.
  const topDefects = tally(cases, (c) => (c.defect ? { key: normalizeText(c.defect), zh: c.defect, en: c.defect } : undefined))
    .sort(byCount)
    .slice(0, top);

  const need = cases.filter((c) => needs8D(c.severity, c.customerRequests8D, policy));
  const eightD = EIGHT_D_STATUSES.map((s) => ({
    key: s.code,
    zh: s.zh,
    en: s.en,
    cases: need.filter((c) => (c.eightDStatus ?? "NONE") === s.code).length,
    cost: round(need.filter((c) => (c.eightDStatus ?? "NONE") === s.code).reduce((t, c) => t + (c.cost ?? 0), 0)),
  }));

  return {
    asOf: today,
    cases: cases.length,
    open: open.length,
    age,
    onTime: onTimeList,
    byResponsibility,
    byCustomer,
    topDefects,
    eightD,
    finance: financeReport(cases, policy),
  };
}

/** The dashboard of a loaded ledger on `today` (a serial day): the page's figures, or the worker's off its thread. */
export function dashboardOfLedger(ledger: Pick<Ledger, "rows" | "policy">, today: number): Dashboard {
  return buildDashboard(
    ledger.rows.map((r) => r.case),
    ledger.policy,
    calendarFor(ledger.policy),
    today,
  );
}
