/**
 * What managers look at: open, overdue, due this week, serious, waiting for
 * approval, and cases by responsibility, customer or product. Each view is a
 * predicate over cases computed with the domain's clocks and approvals, so
 * the task pane's lists, the sheet's filters, the dashboard and the CLI agree
 * on which cases are "overdue". The Excel adapter turns a view into an
 * AutoFilter on the case-number column (the matching numbers), which works
 * for any predicate and leaves the user's own columns alone.
 */
import { isHistory } from "../domain/history";
import type { Case } from "../domain/case";
import { missingApprovals } from "../domain/disposition";
import type { Bilingual } from "../domain/errors";
import { STATE_ORDER, type State } from "../domain/lifecycle";
import { SEVERITY, type Policy } from "../domain/policy/policy";
import { caseClocks, type ClockState } from "../domain/sla";
import type { WorkCalendar } from "../domain/calendar/calendar";
import type { CaseRow } from "../ledger/service";

export type ViewId = "all" | "open" | "overdue" | "dueThisWeek" | "serious" | "awaitingApproval" | "mine" | "byResponsibility" | "byCustomer" | "byProduct";

export interface ViewDef extends Bilingual {
  id: ViewId;
  /** Views that need a value chosen (which responsibility, customer or product). */
  param?: "responsibility" | "customer" | "product" | "owner";
}

export const VIEWS: readonly ViewDef[] = [
  { id: "all", zh: "显示全部", en: "Show all" },
  { id: "open", zh: "未结案", en: "Open" },
  { id: "overdue", zh: "已逾期", en: "Overdue" },
  { id: "dueThisWeek", zh: "7 天内到期", en: "Due in the next 7 days" },
  { id: "serious", zh: "严重客诉", en: "Serious" },
  { id: "awaitingApproval", zh: "待签核", en: "Waiting for approval" },
  { id: "mine", zh: "我负责的未结案件", en: "My open cases", param: "owner" },
  { id: "byResponsibility", zh: "按责任", en: "By responsibility", param: "responsibility" },
  { id: "byCustomer", zh: "按客户", en: "By customer", param: "customer" },
  { id: "byProduct", zh: "按产品", en: "By product", param: "product" },
];

const CLOSED_AT = STATE_ORDER.indexOf("CLOSED");

/** Open means not closed yet: closed and followed-up cases are done. A blank status is a new case. */
export function isOpen(c: Case): boolean {
  return stateIndex(c.status) < CLOSED_AT;
}
const EXECUTED_AT = STATE_ORDER.indexOf("EXECUTED");

/** Facts about one case on a given day, computed once per case. */
export interface CaseFacts {
  open: boolean;
  /**
   * THE definition of overdue, shared by My work, the views, the dashboard
   * and the CLI (docs/decisions.md #32): a clock that still runs is past its
   * due date. Clocks run until the date that stops them is filled; after
   * closing only the satisfaction follow-up runs, so a closed case whose
   * follow-up is late is overdue too (someone must still call the customer).
   */
  overdue: boolean;
  dueThisWeek: boolean;
  serious: boolean;
  /** Roles whose signature the case waits for (any one role of each unsigned slot). */
  awaiting: string[];
  /** The running clocks, earliest due first. */
  running: ClockState[];
}

const stateIndex = (s: string | undefined) => STATE_ORDER.indexOf((s ?? "RECEIVED") as State);

/**
 * The seven days from `today` (serials): "due soon" looks ahead a week from any day, so on a Sunday the
 * cases due Monday are counted (a Monday–Sunday week would show 0 then).
 */
function nextSevenDays(today: number): [number, number] {
  const day = Math.floor(today);
  return [day, day + 6];
}

export function caseFacts(row: Pick<CaseRow, "case">, policy: Policy, cal: WorkCalendar, today: number): CaseFacts {
  const c = row.case;
  const idx = stateIndex(c.status);
  const open = isOpen(c);
  // After closing only the satisfaction follow-up still runs; other unfinished clocks no longer matter.
  const followedUp = idx >= STATE_ORDER.indexOf("FOLLOWED_UP");
  // Adopted history runs no clock: it was closed before the ledger existed (domain/history.ts).
  const running =
    followedUp || isHistory(c, policy)
      ? []
      : caseClocks(c, policy, cal, today)
          .filter((s) => s.due !== undefined && s.done === undefined && (open || s.clock.code === "FOLLOW_UP"))
          .sort((a, b) => a.due! - b.due!);
  const [from, to] = nextSevenDays(today);
  const awaiting = c.disposition && idx < EXECUTED_AT ? [...new Set(missingApprovals(c, policy).flatMap((m) => m.roles))] : [];
  return {
    open,
    overdue: running.some((s) => s.status === "OVERDUE"),
    dueThisWeek: running.some((s) => Math.floor(s.due!) >= from && Math.floor(s.due!) <= to && s.status !== "OVERDUE"),
    serious: c.severity === SEVERITY.SERIOUS,
    awaiting,
    running,
  };
}

/** Whether a case belongs to a view; `param` is the chosen code or name for the "by …" views. */
export function inView(view: ViewId, row: CaseRow, facts: CaseFacts, param?: string): boolean {
  switch (view) {
    case "all":
      return true;
    case "open":
      return facts.open;
    case "overdue":
      return facts.overdue;
    case "dueThisWeek":
      return facts.dueThisWeek;
    case "serious":
      return facts.serious && facts.open;
    case "awaitingApproval":
      return facts.awaiting.length > 0;
    case "mine":
      return facts.open && param !== undefined && row.case.owner === param;
    case "byResponsibility":
      return row.case.responsibility === param;
    case "byCustomer":
      return row.case.customer === param;
    case "byProduct":
      return row.case.product === param;
  }
}

export interface ViewResult {
  view: ViewId;
  param?: string;
  rows: CaseRow[];
}

/** The cases of a view, in ledger order. */
export function applyView(rows: readonly CaseRow[], view: ViewId, policy: Policy, cal: WorkCalendar, today: number, param?: string): ViewResult {
  return { view, param, rows: rows.filter((r) => inView(view, r, caseFacts(r, policy, cal, today), param)) };
}

/** How many cases each parameterless view holds: the numbers on the buttons. */
export function viewCounts(
  rows: readonly CaseRow[],
  policy: Policy,
  cal: WorkCalendar,
  today: number,
): Record<Exclude<ViewId, "mine" | "byResponsibility" | "byCustomer" | "byProduct">, number> {
  const counts = { all: 0, open: 0, overdue: 0, dueThisWeek: 0, serious: 0, awaitingApproval: 0 };
  for (const r of rows) {
    const f = caseFacts(r, policy, cal, today);
    for (const v of Object.keys(counts) as (keyof typeof counts)[]) if (inView(v, r, f)) counts[v]++;
  }
  return counts;
}

export type ChoiceParam = "responsibility" | "customer" | "product";

/** The values offered for a "by …" view, most frequent first. */
export function viewChoices(rows: readonly CaseRow[], param: ChoiceParam): { value: string; count: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) {
    const v = r.case[param];
    if (v) m.set(v, (m.get(v) ?? 0) + 1);
  }
  return choicesOfCounts(m);
}

/** Counts by value as viewChoices lists them: most frequent first, then by the language's order (then by code units: one order whatever the map's). */
export function choicesOfCounts(m: ReadonlyMap<string, number>): { value: string; count: number }[] {
  return [...m.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
