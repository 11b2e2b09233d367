/**
 * A named view applied to the host's grid: views.ts decides which cases belong to it, the store filters the
 * sheet to them (LedgerStore.applyView; Excel: stores/excel/view-filter.ts).
 */
import { todayIn } from "../domain/zone";
import { calendarFor } from "../domain/sla";
import type { Ledger } from "../ledger/service";
import type { ViewApplied } from "../ledger/store";
import { applyView, VIEWS, type ViewId } from "./views";

/** The "by …" views' parameter for a row: its responsibility code, customer or product. */
export function paramOf(ledger: Ledger, view: ViewId, row: number): string | undefined {
  const p = VIEWS.find((v) => v.id === view)?.param;
  const c = ledger.rows.find((r) => r.row === row)?.case;
  return p && c ? c[p] : undefined;
}

export interface NamedViewResult extends ViewApplied {
  view: ViewId;
  param?: string;
}

/**
 * A ribbon button: reads the ledger, works out the view and has the store filter the sheet.
 * The "by …" views take their value from the selected ledger row (filter by
 * this customer: `selectedRow`, the host's cursor); undefined when no ledger row is selected.
 */
export async function applyNamedView(
  ledger: Ledger,
  selectedRow: () => Promise<number | undefined>,
  view: ViewId,
  now: Date = new Date(),
): Promise<NamedViewResult | undefined> {
  const store = ledger.store;
  if (!store.applyView) throw new Error("此存储不能筛选 / This store cannot filter the sheet");
  if (view === "all") return { view, ...(await store.applyView(null)) };
  await ledger.load();
  let param: string | undefined;
  if (VIEWS.find((v) => v.id === view)?.param) {
    const row = await selectedRow();
    param = row === undefined ? undefined : paramOf(ledger, view, row);
    if (param === undefined) return undefined;
  }
  const policy = ledger.policy;
  const r = applyView(ledger.rows, view, policy, calendarFor(policy), todayIn(now, policy.settings.timeZone), param);
  const applied = await store.applyView({ caseNos: r.rows.map((x) => x.case.caseNo ?? "").filter(Boolean) });
  return { view, param, ...applied };
}
