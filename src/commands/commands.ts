/**
 * Ribbon command handlers. In the shared runtime they run in the task pane's
 * page (the manifest's FunctionFile is taskpane.html), so they can reach the
 * same state as the pane and the custom functions.
 *
 * The Home-tab button itself uses a ShowTaskpane action; `showTaskpane` is
 * registered for ExecuteFunction buttons and keyboard shortcuts added later.
 */

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

// Outside Office (browser workbench) there is no Office object to register with.
if (typeof Office !== "undefined" && Office.actions) {
  Office.actions.associate("showTaskpane", showTaskpane);
}
