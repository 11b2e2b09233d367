/**
 * The one wrapper around Excel.run: every feature in
 * stores/excel takes a `Run`, so tests hand in the instrumented fake and
 * count round trips, and the add-in's own bulk writes switch events off in
 * one place.
 *
 * Events: `context.runtime.enableEvents = false` is queued in the first
 * batch of an operation and `true` at the end of its last writing batch.
 * Office runs a batch's commands in order, so the add-in's own writes in
 * between raise no change events (our handler would otherwise judge its own
 * signatures as direct edits of a protected column). If a batch fails,
 * `restoreEvents` turns them back on so enforcement is never left off.
 */
import { columnNumber } from "../../ledger/workbook-layout";

export type Run = <T>(fn: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** The part of the Excel namespace `hostRun` needs (the real one, or the test fake). */
export interface ExcelLike {
  run<T>(options: Excel.RunOptions, fn: (ctx: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/**
 * The options every batch of the add-in runs with:
 * - `delayForCellEdit`: a batch that reaches Excel while the user is typing
 *   in a cell otherwise fails (so a revert or an audit entry would be lost);
 *   with it, Excel holds the batch until the user leaves the cell
 *   (https://learn.microsoft.com/javascript/api/excel/excel.runoptions).
 * - `mergeUndoGroup` where ExcelApi 1.20 exists: each sync would otherwise be
 *   its own undo record, so Ctrl+Z could take back an audit row while leaving
 *   the change it records; merged, one Ctrl+Z undoes the whole operation.
 */
export function runOptions(supports: (set: string, version: string) => boolean): Excel.RunOptions {
  return supports("ExcelApi", "1.20") ? { delayForCellEdit: true, mergeUndoGroup: true } : { delayForCellEdit: true };
}

/** A Run over `excel` with the add-in's options (tests pass the fake; the add-in, Office's Excel). */
export function hostRun(excel: ExcelLike, supports: (set: string, version: string) => boolean = officeSupports): Run {
  return (fn) => excel.run(runOptions(supports), fn);
}

/** Office.context.requirements.isSetSupported, false outside Office. */
export function officeSupports(set: string, version: string): boolean {
  return typeof Office !== "undefined" && !!Office.context?.requirements?.isSetSupported(set, version);
}

/** Excel.run with the add-in's options, looked up when called so this module loads outside Office (tests, the workbench). */
export const excelRun: Run = (fn) => hostRun(Excel)(fn);

export function eventsOff(ctx: Excel.RequestContext): void {
  ctx.runtime.enableEvents = false;
}

export function eventsOn(ctx: Excel.RequestContext): void {
  ctx.runtime.enableEvents = true;
}

/** After a failed batch: events back on (one extra round trip, only on the error path). */
export async function restoreEvents(run: Run): Promise<void> {
  try {
    await run(async (ctx) => {
      eventsOn(ctx);
      await ctx.sync();
    });
  } catch {
    // Nothing more to do: the original error is what the caller reports.
  }
}

/** Runs `fn` with events switched off by its first batch; on failure switches them back on and rethrows. */
export async function withEventsGuard<T>(run: Run, fn: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> {
  try {
    return await run(fn);
  } catch (e) {
    await restoreEvents(run);
    throw e;
  }
}

/** "'客诉台账 Ledger'!A1:C9" → "A1:C9". */
export function localAddress(address: string): string {
  const bang = address.lastIndexOf("!");
  return bang >= 0 ? address.slice(bang + 1) : address;
}

/** Parses one A1 area ("D5", "A2:C9", "$A$2:$C$9") into 0-based sheet rows/columns. */
export function parseArea(ref: string): { row: number; col: number; rows: number; cols: number } | undefined {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref.trim());
  if (!m) return undefined;
  const col = (s: string) => columnNumber(s.toUpperCase()) - 1;
  const r1 = Number(m[2]) - 1,
    c1 = col(m[1]);
  const r2 = m[4] ? Number(m[4]) - 1 : r1,
    c2 = m[3] ? col(m[3]) : c1;
  return { row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

/** Every area of an event address ("A2:B3, D5" when several areas changed at once). */
export function parseAreas(address: string): { row: number; col: number; rows: number; cols: number }[] {
  return localAddress(address)
    .split(/[,;]/)
    .map((a) => parseArea(localAddress(a)))
    .filter((a): a is NonNullable<typeof a> => !!a);
}

/** Sheet name as an address prefix: quoted when it holds anything but letters, digits and underscores. */
export function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
