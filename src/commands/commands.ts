/**
 * Ribbon command handlers. In the shared runtime they run in the task pane's
 * page (the manifest's FunctionFile is taskpane.html), so they can reach the
 * same state as the pane and the custom functions.
 *
 * The Home-tab button itself uses a ShowTaskpane action; `showTaskpane` is
 * registered for ExecuteFunction buttons and keyboard shortcuts added later.
 * The Views menu, "Show all" and "Dashboard" (manifest.xml, group
 * ComplaintLedger.ViewsGroup) call ledger-actions.ts, loaded on the first
 * click so this entry stays tiny.
 */
import type { ViewId } from "../reports/views";

/** Opens the task pane, then tells Office the command finished (it must, or the button stays busy). */
export async function showTaskpane(event?: Office.AddinCommands.Event): Promise<void> {
  try {
    await Office.addin.showAsTaskpane();
  } catch (err) {
    // Nothing useful to show from a ribbon click; keep it in the console.
    console.error("showTaskpane failed", err);
  } finally {
    event?.completed();
  }
}

const actions = () => import(/* webpackChunkName: "ribbon" */ "./ledger-actions");

/** An ExecuteFunction handler: runs `f`, then always tells Office it finished. */
function command(f: (m: Awaited<ReturnType<typeof actions>>) => Promise<unknown>) {
  return async (event?: Office.AddinCommands.Event): Promise<void> => {
    try {
      await f(await actions());
    } catch (err) {
      console.error("ribbon command failed", err);
    } finally {
      event?.completed();
    }
  };
}

/** Ribbon function name (manifest <FunctionName>) → view. */
export const VIEW_COMMANDS: Record<string, ViewId> = {
  clViewOpen: "open",
  clViewOverdue: "overdue",
  clViewDueThisWeek: "dueThisWeek",
  clViewSerious: "serious",
  clViewAwaitingApproval: "awaitingApproval",
  clViewByResponsibility: "byResponsibility",
  clViewByCustomer: "byCustomer",
  clViewByProduct: "byProduct",
  clViewAll: "all",
};

// Outside Office (browser workbench) there is no Office object to register with.
if (typeof Office !== "undefined" && Office.actions) {
  Office.actions.associate("showTaskpane", showTaskpane);
  for (const [name, view] of Object.entries(VIEW_COMMANDS))
    Office.actions.associate(
      name,
      command((m) => m.runView(view)),
    );
  Office.actions.associate(
    "clRebuildDashboard",
    command((m) => m.runDashboard()),
  );
}
