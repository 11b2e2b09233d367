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

/** Excel's grid: rows 1…1,048,576, columns A…XFD (16,384). */
export const SHEET_ROWS = 1_048_576;
export const SHEET_COLS = 16_384;

/** One area in 0-based sheet rows/columns. A whole column spans all SHEET_ROWS rows, a whole row all SHEET_COLS columns: callers clip. */
export interface Area {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

const CELLS = /^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$/i;
const COLUMNS = /^\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$/i;
const ROWS = /^\$?(\d{1,7}):\$?(\d{1,7})$/;

/**
 * Parses one A1 area into 0-based sheet rows/columns: cells ("D5", "A2:C9",
 * "$A$2:$C$9"), whole columns ("C:C", "$C:$E": a column selected and
 * cleared) and whole rows ("5:5", "3:7": rows pasted over), with or without
 * a sheet ("'客诉台账 Ledger'!C:C"). Anything else, or a row or column
 * outside the grid, is undefined: the caller must not take it for "nothing
 * changed".
 */
export function parseArea(ref: string): Area | undefined {
  const a = localAddress(ref).trim();
  const col = (s: string) => columnNumber(s.toUpperCase()) - 1;
  let r1: number, r2: number, c1: number, c2: number;
  let m: RegExpExecArray | null;
  if ((m = CELLS.exec(a))) {
    [r1, c1] = [Number(m[2]) - 1, col(m[1])];
    [r2, c2] = [m[4] ? Number(m[4]) - 1 : r1, m[3] ? col(m[3]) : c1];
  } else if ((m = COLUMNS.exec(a))) {
    [r1, r2, c1, c2] = [0, SHEET_ROWS - 1, col(m[1]), col(m[2])];
  } else if ((m = ROWS.exec(a))) {
    [r1, r2, c1, c2] = [Number(m[1]) - 1, Number(m[2]) - 1, 0, SHEET_COLS - 1];
  } else return undefined;
  if ([r1, r2].some((r) => r < 0 || r >= SHEET_ROWS) || [c1, c2].some((c) => c < 0 || c >= SHEET_COLS)) return undefined;
  return { row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

/** The parts of a multi-area address, split at commas (or semicolons) outside a quoted sheet name. */
function splitAreas(address: string): string[] {
  const parts: string[] = [];
  let quoted = false,
    start = 0;
  for (let i = 0; i < address.length; i++) {
    const ch = address[i];
    if (ch === "'")
      quoted = !quoted; // '' inside a name toggles twice: still quoted
    else if (!quoted && (ch === "," || ch === ";")) {
      parts.push(address.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(address.slice(start));
  return parts;
}

/**
 * Every area of an event address ("A2:B3, D5" when several areas changed at
 * once; each may name its sheet) and the parts that are no A1 area at all
 * (`unread`; an empty address is one): an event whose address cannot be read
 * is re-read in full by the handler, never passed over.
 */
export function readAreas(address: string): { areas: Area[]; unread: string[] } {
  const areas: Area[] = [];
  const unread: string[] = [];
  for (const part of splitAreas(address)) {
    const a = parseArea(part);
    if (a) areas.push(a);
    else unread.push(part);
  }
  return { areas, unread };
}

/** The areas of an address that could be read (see readAreas for what could not). */
export function parseAreas(address: string): Area[] {
  return readAreas(address).areas;
}

/** Sheet name as an address prefix: quoted when it holds anything but letters, digits and underscores. */
export function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
