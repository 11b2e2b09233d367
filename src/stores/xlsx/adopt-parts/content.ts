/**
 * What both ways of adopting share (adopt.ts through exceljs's model, adopt-parts.ts by parts): the options,
 * the plan of a grid, and what the new sheets hold.
 */
import type { CellValue } from "../../../domain/case";
import { instantToSerial } from "../../../domain/zone";
import type { Policy } from "../../../domain/policy/policy";
import {
  adoptionPeopleRows,
  planAdoption,
  planAdoptionRows,
  type AdoptOptions,
  type AdoptPlan,
  type AnyAdoptPlan,
  type PlannedRows,
  type SheetGrid,
} from "../../../adoption/planner";
import { withHistoryUntil } from "../../../domain/history";
import { chain, headOf } from "../../../ledger/audit";
import { peopleTemplate } from "../../../ledger/service";
import { META, PROBLEM_COLUMNS } from "../../../ledger/workbook-layout";
import type { LedgerBookContent } from "../workbook";

export interface AdoptWorkbookOptions {
  /** The sheet to adopt; default the first visible one. */
  sheet?: string;
  renumber?: boolean;
  /** The kind of the rows whose data names none, as for planAdoption. */
  kind?: string;
  /** The user's corrections, as for planAdoption. */
  mapping?: Record<number, string | null>;
  headerRow?: number;
  policy?: Policy;
  user?: string;
  now?: Date;
  /** People for the People sheet, with their roles (the adoption screen asks); default: the plan's proposals as suggested. */
  people?: { name: string; roles: string[] }[];
}

const problemRow = (p: AdoptPlan["problems"][number]): CellValue[] =>
  PROBLEM_COLUMNS.map(
    (c) => ({ row: p.row, column: p.column, header: p.header, value: p.value, kind: p.kind, reason_zh: p.zh, reason_en: p.en })[c.key] ?? null,
  );

/** What planAdoption is given for the options adoptWorkbook takes. */
const planOptions = (opts: AdoptWorkbookOptions, policy: Policy, now: Date): AdoptOptions => ({
  policy,
  today: instantToSerial(now, policy.settings.timeZone),
  renumber: opts.renumber,
  kind: opts.kind,
  mapping: opts.mapping,
  headerRow: opts.headerRow,
  user: opts.user,
});

/** The plan of a sheet's grid, with the options adoptWorkbook takes. */
export const planOf = (grid: SheetGrid, opts: AdoptWorkbookOptions, policy: Policy, now: Date): AdoptPlan => planAdoption(grid, planOptions(opts, policy, now));

/**
 * planOf with the ledger's rows made when the writer asks (by parts: the rows are never held 75 columns wide);
 * the grid is the planner's to let go row by row (the caller must not read it again).
 */
export const planRowsOf = (grid: SheetGrid, opts: AdoptWorkbookOptions, policy: Policy, now: Date): AdoptPlan<PlannedRows> =>
  planAdoptionRows(grid, planOptions(opts, policy, now), { consume: true });

/** What the adopted ledger's sheets hold (the ledger sheet under the adopted sheet's `name`): the audit chained from genesis. */
export async function adoptedContent(plan: AnyAdoptPlan, name: string, opts: AdoptWorkbookOptions, policy: Policy, now: Date): Promise<LedgerBookContent> {
  const { rows: audit } = await chain(headOf([]), plan.audit, now, policy.settings.timeZone);
  const head = headOf(audit);
  const written = plan.counts.history > 0 ? withHistoryUntil(policy, plan.historyUntil) : policy;
  const peopleRows = adoptionPeopleRows(policy, opts.people ?? plan.people, peopleTemplate(policy));
  return {
    policy: written,
    header: plan.table.header,
    rows: plan.table.rows,
    auditRows: audit,
    problemRows: plan.problems.map(problemRow),
    peopleRows,
    meta: { [META.auditSeq]: String(head.seq), [META.auditHash]: head.hash },
    ledgerSheet: name,
    now,
  };
}
