/**
 * Keeps the custom functions on the workbook's own rules. The Policy sheet
 * is read into a Policy, handed to the functions (`apply`, normally
 * functions.setPolicy) and the workbook is recalculated in full, because
 * Excel does not know that CL.DUEDATE depends on cells of another sheet.
 * A Policy sheet with errors keeps the last good policy in force and the
 * problems are reported: a half-read policy would compute wrong due dates.
 *
 * Round trips: reading is one sync, applying (recalculation) one more.
 */
import type { Policy } from "../../domain/policy/policy";
import { policyFromRows, type PolicyProblem } from "../../domain/policy/policy-table";
import { SHEETS } from "../../ledger/workbook-layout";
import type { Run } from "./excel-run";

export type { Run };

export interface PolicyLoad {
  /** The policy read, or undefined when the sheet is missing or has errors. */
  policy?: Policy;
  problems: PolicyProblem[];
  missing: boolean;
}

/** Reads the Policy sheet; when it reads cleanly, applies it and recalculates. */
export async function loadPolicy(run: Run, apply: (p: Policy) => void): Promise<PolicyLoad> {
  return run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(SHEETS.policy);
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load("values");
    await ctx.sync();
    if (sheet.isNullObject || used.isNullObject) return { problems: [], missing: true };
    const r = policyFromRows(used.values as (string | number | boolean | null)[][]);
    if (!r.policy) return { problems: r.problems, missing: false };
    apply(r.policy);
    ctx.workbook.application.calculate("Full");
    await ctx.sync();
    return { policy: r.policy, problems: [], missing: false };
  });
}

/**
 * Re-reads the policy whenever the Policy sheet changes; `report` hears
 * about every load (problems included) so the task pane can show them.
 * Returns a function that stops watching.
 */
export async function watchPolicy(run: Run, apply: (p: Policy) => void, report: (r: PolicyLoad) => void): Promise<() => Promise<void>> {
  const handler = await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(SHEETS.policy);
    await ctx.sync();
    if (sheet.isNullObject) return undefined;
    const h = sheet.onChanged.add(async () => {
      report(await loadPolicy(run, apply));
    });
    await ctx.sync();
    return h;
  });
  return async () => {
    if (!handler) return;
    // A handler is removed in the context it was added in; the user may be typing meanwhile.
    await Excel.run({ previousObjects: handler.context, delayForCellEdit: true }, async (ctx) => {
      handler.remove();
      await ctx.sync();
    });
  };
}
