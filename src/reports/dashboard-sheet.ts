/**
 * The dashboard sheet ("看板 Dashboard") of a loaded ledger: the figures of dashboard.ts (finance summary =
 * finance-summary.ts's financeReport, the same object `complaint-ledger report --finance --json` prints) laid
 * out by report-sheets.ts and written by the store (Excel adds native charts over the written ranges).
 *
 * Round trips in Excel: `rebuildDashboard` (a ribbon click: read the ledger, compute, write) 3 — at 10 rows or 10,000.
 */
import { todayIn } from "../domain/zone";
import type { Ledger } from "../ledger/service";
import { dashboardOfLedger, type Dashboard } from "./dashboard";
import { dashboardLayout } from "./report-sheets";

/** The dashboard of a loaded ledger, as of `now`. */
export function dashboardOf(ledger: Ledger, now: Date = new Date()): Dashboard {
  return dashboardOfLedger(ledger, todayIn(now, ledger.policy.settings.timeZone));
}

/** Reads the ledger again and rewrites the dashboard sheet. Returns the sheet's name and the figures written. */
export async function rebuildDashboard(ledger: Ledger, now: Date = new Date()): Promise<{ sheet: string; dashboard: Dashboard }> {
  if (!ledger.store.writeSheet) throw new Error("此存储不能写看板 / This store cannot write a dashboard sheet");
  await ledger.load();
  const dashboard = dashboardOf(ledger, now);
  return { sheet: await ledger.store.writeSheet(dashboardLayout(dashboard)), dashboard };
}
