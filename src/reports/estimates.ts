/**
 * Due dates that rest on a provisional holiday calendar (a year whose notice
 * is not published or not imported yet): what the pane's banner, the sheet's
 * estimate mark and `check --json` show, so nobody mistakes an estimate for a
 * firm deadline.
 */
import type { WorkCalendar } from "../domain/calendar/calendar";
import type { Case } from "../domain/case";
import { serialToYmd } from "../domain/dates";
import type { Policy } from "../domain/policy/policy";
import { caseClocks } from "../domain/sla";
import type { CaseRow } from "../ledger/service";
import { isOpen } from "./views";

export interface EstimatedDue {
  caseNo: string;
  /** Clock code, e.g. REPLY_INTERNATIONAL. */
  clock: string;
  due: number;
}

/** Running clocks of one case whose due date is an estimate (none when the case is closed). */
export function caseEstimates(c: Case, policy: Policy, cal: WorkCalendar, today: number): EstimatedDue[] {
  // No clock runs for more than a few months: older open cases are skipped without computing their clocks.
  if (cal.provisionalYears.size === 0 || !isOpen(c) || c.receivedAt === undefined) return [];
  if (serialToYmd(c.receivedAt).year + 1 < serialToYmd(today).year) return [];
  const out: EstimatedDue[] = [];
  for (const k of caseClocks(c, policy, cal, today)) {
    if (k.estimate && k.due !== undefined && k.done === undefined) out.push({ caseNo: c.caseNo ?? "", clock: k.clock.code, due: k.due });
  }
  return out;
}

/** Running clocks of open cases whose due date is an estimate. */
export function estimatedDues(rows: readonly CaseRow[], policy: Policy, cal: WorkCalendar, today: number): EstimatedDue[] {
  return rows.flatMap((r) => caseEstimates(r.case, policy, cal, today));
}

/**
 * Years whose holidays are estimated and matter now: this year's, and those
 * the open cases' due dates reach. Sorted; empty when every date is firm.
 */
export function provisionalYearsInUse(dues: readonly EstimatedDue[], cal: WorkCalendar, today: number): number[] {
  const years = new Set(dues.map((d) => serialToYmd(d.due).year).filter((y) => cal.provisionalYears.has(y)));
  const now = serialToYmd(today).year;
  if (cal.provisionalYears.has(now)) years.add(now);
  return [...years].sort((a, b) => a - b);
}
