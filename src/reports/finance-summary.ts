/**
 * The finance summary (process.md §5 and §3: free/charged with cost, to
 * finance twice a month): counts and cost of free and charged cases by
 * responsibility, by customer and by half-month period (1st–15th,
 * 16th–end). Pure: the CLI prints it, the dashboard will show it.
 *
 * A case counts once it is marked free or charged. Its date is the closing
 * date when closed, else the receipt: the ledger keeps no date of the
 * marking itself, and a closed case is what finance books.
 */
import type { Case } from "../domain/case";
import { serialToIso, serialToYmd, ymdToSerial } from "../domain/dates";
import { findNamed, type Policy } from "../domain/policy/policy";
import { markedCharge } from "../domain/responsibility";

export interface FinanceLine {
  key: string;
  zh: string;
  en: string;
  free: number;
  charged: number;
  freeCost: number;
  chargedCost: number;
}

export interface FinanceReport {
  /** Inclusive serial bounds actually applied (undefined = open). */
  from?: number;
  to?: number;
  cases: number;
  /** Marked cases without a cost (counted, cost 0). */
  missingCost: number;
  /** Marked cases whose cost is not a sane amount (over MAX_COST, or not finite): counted, cost left out. Absent when none. */
  badCost?: number;
  total: FinanceLine;
  byResponsibility: FinanceLine[];
  byCustomer: FinanceLine[];
  byPeriod: FinanceLine[];
}

/** The half-month a day falls in: "2026-06 H1" (1st–15th) or "2026-06 H2" (16th–end), with its first and last day. */
export function halfMonth(serial: number): { key: string; start: number; end: number } {
  const { year, month, day } = serialToYmd(serial);
  const first = day <= 15;
  const start = ymdToSerial(year, month, first ? 1 : 16);
  const end = first ? ymdToSerial(year, month, 15) : ymdToSerial(year, month + 1, 1) - 1;
  return { key: `${year}-${String(month).padStart(2, "0")} ${first ? "H1" : "H2"}`, start, end };
}

/** The date a case is booked on (see the module note). */
export const bookingDate = (c: Case): number | undefined => c.closedAt ?? c.receivedAt;

const line = (key: string, zh: string, en: string): FinanceLine => ({ key, zh, en, free: 0, charged: 0, freeCost: 0, chargedCost: 0 });

/**
 * The largest cost a case may carry (a trillion): beyond it a typing slip
 * (1e308) would turn every total into Infinity, which JSON prints as null.
 * Such a cost is counted in `badCost` and left out of the sums.
 */
export const MAX_COST = 1e12;

const costOf = (c: Case): number => (c.cost !== undefined && Number.isFinite(c.cost) && Math.abs(c.cost) <= MAX_COST ? c.cost : 0);

function add(l: FinanceLine, c: Case): void {
  const cost = costOf(c);
  if (c.charge === "FREE") {
    l.free++;
    l.freeCost += cost;
  } else {
    l.charged++;
    l.chargedCost += cost;
  }
}

const round2 = (l: FinanceLine) => ({ ...l, freeCost: Math.round(l.freeCost * 100) / 100, chargedCost: Math.round(l.chargedCost * 100) / 100 });

/**
 * The finance summary built one case at a time, so a ledger can be summed as
 * it is read (the command line never holds all cases). `financeReport` is the
 * same over an array.
 */
export class FinanceTally {
  private readonly total = line("TOTAL", "合计", "Total");
  private readonly byResp = new Map<string, FinanceLine>();
  private readonly byCust = new Map<string, FinanceLine>();
  private readonly byPeriod = new Map<string, FinanceLine>();
  private n = 0;
  private missingCost = 0;
  private badCost = 0;

  constructor(
    private readonly policy: Policy,
    private readonly opts: { from?: number; to?: number } = {},
  ) {}

  add(c: Case): void {
    const opts = this.opts;
    if (!markedCharge(c)) return;
    const d = bookingDate(c);
    if (d === undefined) return;
    if (opts.from !== undefined && Math.floor(d) < opts.from) return;
    if (opts.to !== undefined && Math.floor(d) > opts.to) return;
    this.n++;
    if (c.cost === undefined) this.missingCost++;
    else if (costOf(c) !== c.cost) this.badCost++;
    add(this.total, c);
    const r = findNamed(this.policy.responsibilities, c.responsibility);
    const rk = r?.code ?? "(none)";
    if (!this.byResp.has(rk)) this.byResp.set(rk, line(rk, r?.zh ?? "(未判定)", r?.en ?? "(not set)"));
    add(this.byResp.get(rk)!, c);
    const ck = c.customer ?? "";
    if (!this.byCust.has(ck)) this.byCust.set(ck, line(ck, ck || "(空)", ck || "(blank)"));
    add(this.byCust.get(ck)!, c);
    const h = halfMonth(d);
    if (!this.byPeriod.has(h.key))
      this.byPeriod.set(h.key, line(h.key, `${serialToIso(h.start)} 至 ${serialToIso(h.end)}`, `${serialToIso(h.start)} to ${serialToIso(h.end)}`));
    add(this.byPeriod.get(h.key)!, c);
  }

  result(): FinanceReport {
    const respOrder = this.policy.responsibilities.map((r) => r.code);
    return {
      from: this.opts.from,
      to: this.opts.to,
      cases: this.n,
      missingCost: this.missingCost,
      ...(this.badCost ? { badCost: this.badCost } : {}),
      total: round2(this.total),
      byResponsibility: [...this.byResp.values()].sort((a, b) => (respOrder.indexOf(a.key) + 1 || 99) - (respOrder.indexOf(b.key) + 1 || 99)).map(round2),
      byCustomer: [...this.byCust.values()].sort((a, b) => b.freeCost + b.chargedCost - (a.freeCost + a.chargedCost) || a.key.localeCompare(b.key)).map(round2),
      byPeriod: [...this.byPeriod.values()].sort((a, b) => a.key.localeCompare(b.key)).map(round2),
    };
  }
}

export function financeReport(cases: Iterable<Case>, policy: Policy, opts: { from?: number; to?: number } = {}): FinanceReport {
  const t = new FinanceTally(policy, opts);
  for (const c of cases) t.add(c);
  return t.result();
}
