/**
 * Finance's review marks in the audit log: what a FINANCE_REVIEWED entry stores (the marking and cost finance
 * saw), written by the service and read back by the finance review (reports/finance-review.ts).
 */
import type { AuditInput } from "./audit";
import type { Case } from "../domain/case";

/** What a review entry stores: the marking and cost finance saw. */
export const reviewedValue = (charge: string | undefined, cost: number | undefined) => `${charge ?? ""}|${cost ?? ""}`;

/** The audit entries that mark cases reviewed by `user`. */
export function reviewEntries(rows: readonly { case: Pick<Case, "caseNo" | "charge" | "cost"> }[], caseNos: readonly string[], user: string): AuditInput[] {
  return caseNos.map((no) => {
    const c = rows.find((r) => r.case.caseNo === no)?.case;
    return { user, action: "FINANCE_REVIEWED", caseNo: no, field: "charge", newValue: reviewedValue(c?.charge, c?.cost), reason: "财务审核 / Finance review" };
  });
}
