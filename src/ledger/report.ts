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
import { findNamed, type Policy } from "../domain/policy";

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

function add(l: FinanceLine, c: Case): void {
  const cost = c.cost ?? 0;
  if (c.charge === "FREE") { l.free++; l.freeCost += cost; } else { l.charged++; l.chargedCost += cost; }
}

const round2 = (l: FinanceLine) => ({ ...l, freeCost: Math.round(l.freeCost * 100) / 100, chargedCost: Math.round(l.chargedCost * 100) / 100 });

export function financeReport(cases: readonly Case[], policy: Policy, opts: { from?: number; to?: number } = {}): FinanceReport {
  const total = line("TOTAL", "合计", "Total");
  const byResp = new Map<string, FinanceLine>();
  const byCust = new Map<string, FinanceLine>();
  const byPeriod = new Map<string, FinanceLine>();
  let n = 0, missingCost = 0;
  for (const c of cases) {
    if (c.charge !== "FREE" && c.charge !== "CHARGED") continue;
    const d = bookingDate(c);
    if (d === undefined) continue;
    if (opts.from !== undefined && Math.floor(d) < opts.from) continue;
    if (opts.to !== undefined && Math.floor(d) > opts.to) continue;
    n++;
    if (c.cost === undefined) missingCost++;
    add(total, c);
    const r = findNamed(policy.responsibilities, c.responsibility);
    const rk = r?.code ?? "(none)";
    if (!byResp.has(rk)) byResp.set(rk, line(rk, r?.zh ?? "(未判定)", r?.en ?? "(not set)"));
    add(byResp.get(rk)!, c);
    const ck = c.customer ?? "";
    if (!byCust.has(ck)) byCust.set(ck, line(ck, ck || "(空)", ck || "(blank)"));
    add(byCust.get(ck)!, c);
    const h = halfMonth(d);
    if (!byPeriod.has(h.key)) byPeriod.set(h.key, line(h.key, `${serialToIso(h.start)} 至 ${serialToIso(h.end)}`, `${serialToIso(h.start)} to ${serialToIso(h.end)}`));
    add(byPeriod.get(h.key)!, c);
  }
  const respOrder = policy.responsibilities.map((r) => r.code);
  return {
    from: opts.from, to: opts.to, cases: n, missingCost, total: round2(total),
    byResponsibility: [...byResp.values()].sort((a, b) => (respOrder.indexOf(a.key) + 1 || 99) - (respOrder.indexOf(b.key) + 1 || 99)).map(round2),
    byCustomer: [...byCust.values()].sort((a, b) => b.freeCost + b.chargedCost - (a.freeCost + a.chargedCost) || a.key.localeCompare(b.key)).map(round2),
    byPeriod: [...byPeriod.values()].sort((a, b) => a.key.localeCompare(b.key)).map(round2),
  };
}
