/**
 * What the ribbon's Views and Dashboard buttons do, loaded on the first
 * click (commands.ts imports it on demand, so the ribbon adds nothing to the
 * pane's first download). Each click reads the ledger fresh from the sheet,
 * works out the view with views.ts or the figures with dashboard.ts, and
 * writes through the ExcelStore — the same code the task pane calls.
 *
 * Round trips per click: a view 3 (4 for "same customer/product/
 * responsibility", which first finds the selected row; "show all" 2), the
 * dashboard 3.
 */
import { ExcelStore } from "../stores/excel/store";
import { excelRun, type Run } from "../stores/excel/excel-run";
import { rebuildDashboard } from "../reports/dashboard-sheet";
import { activeLedgerRow, officeSupports, type Supports } from "../stores/excel/view-filter";
import { applyNamedView, type NamedViewResult } from "../reports/named-views";
import { Ledger } from "../ledger/service";
import { VIEWS, type ViewId } from "../reports/views";
import { requestPane, type PaneRequest } from "./bus";

export interface RibbonEnv {
  run: Run;
  supports: Supports;
  now(): Date;
  /** Opens the task pane (Office.addin.showAsTaskpane) with a message for it. */
  showPane(r: PaneRequest): Promise<void>;
}

export const officeEnv: RibbonEnv = {
  run: excelRun,
  supports: officeSupports,
  now: () => new Date(),
  async showPane(r) {
    requestPane(r);
    await Office.addin.showAsTaskpane();
  },
};

const message = (err: unknown) => String((err as Error)?.message ?? err);

export async function runView(view: ViewId, env: RibbonEnv = officeEnv): Promise<NamedViewResult | undefined> {
  const ledger = new Ledger(new ExcelStore({ run: env.run, supports: env.supports }), { now: env.now });
  try {
    const r = await applyNamedView(ledger, () => activeLedgerRow(env.run), view, env.now());
    if (!r) {
      const def = VIEWS.find((v) => v.id === view)!;
      await env.showPane({
        tab: "views",
        notice: {
          intent: "info",
          zh: `“${def.zh}”需要先在台账中选中一行,或在窗格中选择`,
          en: `“${def.en}” needs a ledger row selected first, or a choice in the pane`,
        },
      });
      return undefined;
    }
    requestPane({ applied: r });
    return r;
  } catch (err) {
    await env.showPane({ tab: "views", notice: { intent: "error", zh: `筛选失败:${message(err)}`, en: `Filtering failed: ${message(err)}` } });
    return undefined;
  }
}

export async function runDashboard(env: RibbonEnv = officeEnv): Promise<string | undefined> {
  const ledger = new Ledger(new ExcelStore({ run: env.run, supports: env.supports }), { now: env.now });
  try {
    const { sheet } = await rebuildDashboard(ledger, env.now());
    return sheet;
  } catch (err) {
    await env.showPane({
      tab: "dashboard",
      notice: { intent: "error", zh: `看板生成失败:${message(err)}`, en: `The dashboard could not be built: ${message(err)}` },
    });
    return undefined;
  }
}
