/**
 * The dashboard sheet ("看板 Dashboard") in the open workbook: the figures
 * of dashboard.ts (finance summary = report.ts's financeReport, the same
 * object `complaint-ledger report --finance --json` prints) laid out by
 * reports/report-sheets.ts, with native Excel charts over the written ranges.
 *
 * Round trips: `writeDashboardSheet` 2; `rebuildDashboard` (a ribbon click:
 * read the ledger, compute, write) 3 — at 10 rows or 10,000.
 */
import { dateToSerial } from "../../domain/dates";
import { calendarFor } from "../../domain/sla";
import { buildDashboard, type Dashboard } from "../../reports/dashboard";
import type { Ledger } from "../../ledger/service";
import { dashboardLayout } from "../../reports/report-sheets";
import type { Run } from "./excel-run";
import { writeLayout } from "./sheet";

export function writeDashboardSheet(run: Run, d: Dashboard): Promise<string> {
  return writeLayout(run, dashboardLayout(d));
}

/** The dashboard of a loaded ledger, as of `now`. */
export function dashboardOf(ledger: Ledger, now: Date = new Date()): Dashboard {
  const policy = ledger.policy;
  return buildDashboard(
    ledger.rows.map((r) => r.case),
    policy,
    calendarFor(policy),
    Math.floor(dateToSerial(now)),
  );
}

/** Reads the ledger again and rewrites the dashboard sheet. Returns the sheet's name and the figures written. */
export async function rebuildDashboard(ledger: Ledger, now: Date = new Date()): Promise<{ sheet: string; dashboard: Dashboard }> {
  if (!ledger.store.writeDashboard) throw new Error("此存储不能写看板 / This store cannot write a dashboard sheet");
  await ledger.load();
  const dashboard = dashboardOf(ledger, now);
  return { sheet: await ledger.store.writeDashboard(dashboard), dashboard };
}
