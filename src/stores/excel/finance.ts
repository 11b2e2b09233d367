/**
 * A finance review period as a sheet ("财务审核 2026-03 H1"): the totals and
 * one row per case marked free or charged in the half-month, with
 * responsibility, cost, sign-offs, who marked it and who reviewed it; rows
 * with inconsistencies are marked. Figures are finance-review.ts's; the
 * CSV of the same period is `reviewCsv` (a download in the task pane).
 *
 * Round trips: 2, whatever the number of lines.
 */
import type { FinanceReview } from "../../reports/finance-review";
import { financeLayout } from "../../reports/report-sheets";
import type { Run } from "./excel-run";
import { writeLayout } from "./sheet";

export function writeFinanceSheet(run: Run, review: FinanceReview): Promise<string> {
  return writeLayout(run, financeLayout(review));
}
