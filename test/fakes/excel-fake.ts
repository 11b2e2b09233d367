/**
 * An in-memory Excel workbook behind the part of the Office.js object model
 * the adapter in src/stores/excel uses, instrumented to count round trips.
 *
 * Modelled like Office, so adapter mistakes fail tests:
 * - Batches: property sets, method calls and loads are queued and run in
 *   order only at `context.sync()` (or at the end of `run`, as Excel.run
 *   does). A property read before it was loaded *and* synced throws
 *   PropertyNotLoaded; `isNullObject` is known only after a sync. A failing
 *   operation (ItemNotFound, InvalidArgument) rejects the sync and drops the
 *   rest of the batch. `syncs` counts every sync, the implicit final one too.
 * - Input conversion (Range.values / formulas / TableRowCollection.add, and
 *   what a user types): a string starting with "=" becomes a formula, one
 *   starting with "+", "-" or "@" a formula too unless it is a number,
 *   numeric text ("0012", "1,234", "5%") a number, ISO-like dates and times
 *   serials, TRUE/FALSE booleans. A leading apostrophe keeps the rest as
 *   text (quote prefix) and is not returned by `values`; `formulas` drops it
 *   too (office-js issue #6687). A text number format ("@") does NOT protect
 *   input here: the Office.js docs promise nothing about it, so only the
 *   quote prefix counts. Formulas evaluate to plain arithmetic or "#NAME?"
 *   (set `formulaValue` to model custom functions).
 * - Tables: header + at least one body row (a header-only table gets a
 *   blank row, like Excel); a column whose whole body is written with one
 *   formula becomes a calculated column, which fills rows a *user* inserts
 *   or types below the table; `rows.add` writes exactly the values given.
 * - Events: worksheet/table `onChanged` handlers registered by the add-in
 *   fire asynchronously for user actions and for the add-in's own writes,
 *   but only while `context.runtime.enableEvents` is true at that point of
 *   the batch. `details` (valueBefore/valueAfter) only for a single cell.
 *
 * - Assumptions where the docs are silent: a method called on a null object
 *   (from *OrNullObject) yields a null object, so chained loads are safe;
 *   `enableEvents` takes effect at its place in the batch, so writes queued
 *   between `false` and `true` in one batch raise no events; `rows.add` and
 *   range writes by the add-in raise RowInserted / RangeEdited.
 *
 * Surface modelled (nothing else exists):
 *   run(fn) (Excel.run), RequestContext { workbook, runtime.enableEvents, sync, trackedObjects }
 *   Workbook { worksheets, tables }
 *   WorksheetCollection { getItem, getItemOrNullObject, add, getActiveWorksheet, load("items/name") }
 *   Worksheet { name, id, visibility, getRange(address?), getUsedRange(valuesOnly?), getUsedRangeOrNullObject,
 *     copy(position, relativeTo), delete, activate, freezePanes.freezeRows, tables, onChanged.add }
 *   Range { values, formulas, numberFormat, address, rowIndex, columnIndex, rowCount, columnCount, worksheet,
 *     getCell, getResizedRange, getOffsetRange, getRow, getColumn, unmerge, clear, select,
 *     dataValidation { rule, errorAlert, clear }, conditionalFormats { add("ContainsText"|"Custom"), clearAll } }
 *   TableCollection { add(address, hasHeaders), getItem, getItemOrNullObject, load("items/name") }
 *   Table { name, id, showFilterButton, worksheet, getHeaderRowRange, getDataBodyRange, getRange,
 *     rows { add(index, values), count }, columns { getItemAt, getItem, getItemOrNullObject, count }, onChanged.add,
 *     convertToRange, delete }
 *   TableColumn { name, index, getDataBodyRange, getHeaderRowRange }
 * Added for views, the dashboard and finance sheets (issue 6):
 *   Workbook { getActiveCell }   (the first cell of `selection`, else A1 of the active sheet)
 *   Worksheet { position (get/set), charts, namedSheetViews { enterTemporary, exit } (ExcelApiOnline 1.1) }
 *   Range { format { font.bold, font.color, fill.color, columnWidth, autofitColumns } } (recorded in `sheet.formats`)
 *   Table { autoFilter { apply(range, columnIndex, criteria), clearCriteria } }: "Values" criteria only; a row
 *     shows when its cell's displayed text is one of the values; an empty list is refused (InvalidArgument,
 *     the docs do not say it is allowed). Filters live in a sheet *view*: the shared one (`table.filter`,
 *     what co-authors see) unless the add-in's user entered a temporary view (`sheet.tempView`), which starts
 *     as a copy of the shared filters and changes nothing for others. `exit` leaves it.
 *   ChartCollection { add(type, range, seriesBy) } → Chart { name, title.text, legend.position/visible,
 *     series.getItemAt(i) { chartType, axisGroup }, setPosition(start, end?) } (recorded in `sheet.charts`).
 *   `sheetViews` (default false): whether ExcelApiOnline 1.1 exists; when false namedSheetViews calls fail
 *   the sync with ApiNotFound. `isSetSupported(name, version)` answers as Office.context.requirements would.
 *   Test side: `visibleRows(table)` (what the add-in's user sees), `sharedVisibleRows(table)` (co-authors).
 * Added for the pane (selection, Policy sheet):
 *   Table { onSelectionChanged.add } → handler({ address, isInsideTable, tableId, worksheetId }), fired by
 *   `user.select(sheet, address)` while events are enabled; Workbook { application.calculate(type) }
 *   (recorded in `calculations`).
 *
 * Excel as it is, per platform (`new FakeExcel(sheets, { platform: "web" | "desktop" })`, default "web";
 * tests that touch functions or the sheet run on both, `PLATFORMS`). Each behaviour and where it is documented:
 * - Empty cells reach a custom function's `any` parameter as 0 on desktop (Windows/Mac) and null on the web:
 *   office-js #4702, #5262. Modelled in `callFunction` and in formulas evaluated with `functions` set.
 * - `CustomFunctions.Error(code, message)`: `code` must be a CustomFunctions.ErrorCode value ("#VALUE!", "#N/A",
 *   "#NUM!", "#DIV/0!", "#NULL!", "#GETTING_DATA"…); the cell shows the code and the message in its error
 *   indicator; an unknown code gives a bare #VALUE! and the message is lost
 *   (https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-errors,
 *   https://learn.microsoft.com/javascript/api/custom-functions-runtime/customfunctions.errorcode). `FakeCustomFunctions`.
 * - Payload limit: Excel on the web refuses a request or a response over 5 MB
 *   (https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins:
 *   "RequestPayloadSizeLimitExceeded" / Excel.ErrorCodes.responsePayloadSizeLimitExceeded). The meter measures every
 *   sync's request (queued operations and the data they carry) and response (loaded properties) as UTF-8 JSON bytes,
 *   on both platforms (`lastRequest`, `maxRequest`, `maxResponse`, `bytesSent`, `bytesReceived`); only the web fails.
 *   Desktop documents no such limit, so it only counts.
 * - Localized names: a custom function whose zh-CN metadata gives it another name is not found when a formula
 *   written with `Range.formulas` names it by its English name: #NAME? (office-js #891). `localizedNames`.
 * - Cell-edit mode: while the user is editing a cell, a batch fails with InvalidOperationInCellEditMode unless
 *   the run passed `{ delayForCellEdit: true }`, which holds it until the edit ends
 *   (https://learn.microsoft.com/javascript/api/excel/excel.runoptions). `user.beginEdit()`, `user.endEdit(...)`.
 * - Undo: with ExcelApi 1.20 each sync is an undo record unless `mergeUndoGroup` (same page); `undoGroups`
 *   counts the records the add-in left.
 * - Event addresses: a fill-drag below a table is reported as RowInserted with the address of the table's last
 *   rows, not the new ones (office-js #728); a column inserted in a table is reported as RowInserted too, with the
 *   column's address (office-js #669); rows inserted above a table move its header row. `user.fillBelow`,
 *   `user.insertTableColumn`, `user.insertSheetRows`.
 * - Events off: edits made while `enableEvents` is false are never delivered later
 *   (https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-events#enable-and-disable-events).
 * - `isSetSupported`: ExcelApi up to `apiVersion` on both; ExcelApiOnline 1.1 only where `sheetViews` (the web).
 *
 * Added for issue 11: run(options, batch) with RunOptions { delayForCellEdit, mergeUndoGroup };
 *   Range { getLastCell, calculate } (calculate recorded in `calculations` as "range <sheet>!<address>").
 *   Test side: `platform`, `apiVersion`, `locale`, `localizedNames`, `functions`, `errorMessage()`, `callFunction()`,
 *   `resetMeter()`, the meter's fields, `undoGroups`, `user.beginEdit / endEdit / fillBelow / insertTableColumn /
 *   insertSheetRows`.
 * Added for issue 29 (merged cells in a hand-kept sheet): Range { getMergedAreasOrNullObject } (ExcelApi 1.13,
 *   ApiNotFound below) → RangeAreas { address, areaCount }: the sheet's `merges` whose top-left cell is in the range
 *   (office-js #3611), a null object when none, more than 512 fail the sync (GeneralException: the reference says
 *   the method fails and names no error code). Tests merge by pushing onto `sheet(name).merges`; the covered cells
 *   are empty, as Excel leaves them.
 * Added for issue 24 (co-authoring, missed events):
 * - Auto-expansion: values written (by the add-in or a person) into the rows directly below a table, within its
 *   columns, grow the table over them, row by row while a row holds data ("Setting the Range values directly below
 *   the table automatically expands the table"; "The table only automatically expands if data is present in the
 *   cells directly below the table": https://learn.microsoft.com/office/dev/add-ins/excel/co-authoring-in-excel-add-ins
 *   #avoid-table-row-coauthoring-conflicts). The new rows take the column's number format and calculated formula.
 *   Range { getRowsBelow(count) (ExcelApi 1.2), insert("Down") } (insert shifts the cells of the range's columns).
 * - `coauthors`: people editing the workbook at the same time. `TableRowCollection.add` while any are "causes
 *   coauthoring conflicts" and the yellow bar asking users to refresh (same page): counted in `mergeConflicts`,
 *   `refreshBar` set. Range writes are merged cell by cell and raise nothing.
 * - Missed events: `user.pickFromList` (a data-validation drop-down pick) raises no onChanged on Excel on the web
 *   (office-js #3888, #4066; desktop raises it here, though #420 reports misses there too); `user.fillFiltered`
 *   (fill-drag over a filtered table) writes the visible rows and raises nothing on either platform (office-js #1110).
 * Added for whole columns and rows: addresses "C:C", "C:E", "5:5", "3:7" (getRange, user actions); events report a
 *   whole column or whole rows in that form (`eventAddress`; `insertSheetRows` now reports "5:7", not "A5:XFD7");
 *   `user.clear(sheet, address, reported?)` (select and press Delete) and `user.pasteRows(sheet, at, rows, reported?)`.
 * Added for column deletes: `user.deleteColumns(sheet, "E:E")` (Delete Sheet Columns), `user.deleteTableColumn(table, i)`
 *   (Delete Table Columns), `user.deleteCells(sheet, address, "Up" | "Left")`, reported as ColumnDeleted / CellDeleted;
 *   `user.insertTableColumn(…, "ColumnInserted")`; TableColumnCollection.add(index, values, name) anywhere in the table.
 * Test side: `run` (pass as the adapter's Run), `syncs`, `fired`, `handlerErrors`, `eventsEnabled`,
 *   `user.edit / deleteRows / insertRows / sortTable`, `settle()`, `seed()`, `cells()`, `cell()`, `body()`,
 *   `header()`, `sheet()`, `table()` (the model: sheets' merges, validations, conditional formats, frozen rows).
 */

export type Prim = string | number | boolean;

export type Platform = "web" | "desktop";
export const PLATFORMS: Platform[] = ["web", "desktop"];

/** Excel on the web's limit on a request and on a response. */
export const PAYLOAD_LIMIT = 5 * 1024 * 1024;

/** CustomFunctions.ErrorCode values (the enum's values are the strings Excel shows). */
export const ERROR_CODES = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#BUSY!", "#CONNECT!"];

/** The CustomFunctions runtime's Error class: takes any code; what the cell shows is decided by `errorCell`. */
export class FakeFunctionError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? "");
  }
}

export const FakeCustomFunctions = {
  Error: FakeFunctionError,
  ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", invalidNumber: "#NUM!", divisionByZero: "#DIV/0!", nullReference: "#NULL!" },
  associate: () => undefined,
};

/** What a cell shows for an error a custom function threw: a valid code with its message, else a bare #VALUE!. */
export function errorCell(e: unknown): { value: string; message?: string } {
  if (e instanceof FakeFunctionError && ERROR_CODES.includes(e.code)) return { value: e.code, message: e.message || undefined };
  return { value: "#VALUE!" };
}

/** UTF-8 bytes of a value as JSON: what a request or a response carries for it. */
export function jsonBytes(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v === "number" || typeof v === "boolean") return String(v).length;
  if (typeof v === "string") return Buffer.byteLength(v) + 2;
  return Buffer.byteLength(JSON.stringify(v, (_k, x) => (x instanceof ProxyBase ? x.payload() : x)) ?? "");
}

interface Cell {
  /** The value as stored: "" for empty, text without its quote prefix. */
  v: Prim;
  /** Formula text, when the cell holds one. */
  f?: string;
  fmt?: string;
  /** Excel's quote prefix: typed with a leading apostrophe. */
  q?: boolean;
}

export interface Rect {
  r: number;
  c: number;
  h: number;
  w: number;
}

export interface CfRecord {
  rect: Rect;
  type: string;
  textComparison: { rule?: { operator: string; text: string }; format: { fill: { color?: string }; font: { color?: string } } };
  custom: { rule: { formula?: string }; format: { fill: { color?: string }; font: { color?: string } } };
}

export interface SheetModel {
  id: string;
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  grid: (Cell | undefined)[][];
  merges: Rect[];
  frozenRows: number;
  validations: { rect: Rect; rule?: Excel.DataValidationRule; errorAlert?: unknown }[];
  cfs: CfRecord[];
  handlers: Handler[];
  charts: ChartModel[];
  formats: FormatRecord[];
  /** The add-in user's temporary sheet view: its own table filters (by table id). */
  tempView?: { filters: Map<string, ValuesFilter | undefined> };
}

/** A table's AutoFilter criteria on one column: rows whose displayed text is one of `values`. */
export interface ValuesFilter {
  col: number;
  values: string[];
}

export interface ChartModel {
  name: string;
  type: string;
  source: { sheet: string; rect: Rect };
  seriesBy: string;
  title?: string;
  legend: { position?: string; visible?: boolean };
  position?: { start: string; end?: string };
  /** Series changed by index (ChartSeries.chartType, ExcelApi 1.7; axisGroup, 1.8). */
  series?: Record<number, { chartType?: string; axisGroup?: string }>;
}

export interface FormatRecord {
  rect: Rect;
  bold?: boolean;
  fontColor?: string;
  fill?: string;
  columnWidth?: number;
  autofit?: boolean;
}

export interface TableModel {
  id: string;
  name: string;
  sheet: SheetModel;
  /** Header row, 0-based sheet coordinates. */
  r: number;
  c: number;
  w: number;
  /** Body rows (≥ 1). */
  n: number;
  calc: (string | undefined)[];
  showFilterButton: boolean;
  handlers: Handler[];
  /** Table.onSelectionChanged handlers. */
  selHandlers?: ((args: SelectionArgs) => unknown)[];
  /** The shared view's AutoFilter criteria (what every co-author sees). */
  filter?: ValuesFilter;
}

type Handler = (args: ChangeArgs) => Promise<unknown> | unknown;

interface SelectionArgs {
  address: string;
  isInsideTable: boolean;
  tableId: string;
  worksheetId: string;
  type: "TableSelectionChanged";
}

export interface ChangeArgs {
  type: "WorksheetChanged" | "TableChanged";
  changeType: "RangeEdited" | "RowInserted" | "RowDeleted" | "ColumnInserted" | "ColumnDeleted" | "CellInserted" | "CellDeleted";
  source: "Local" | "Remote";
  address: string;
  worksheetId: string;
  tableId?: string;
  triggerSource: "ThisLocalAddin" | "Unknown";
  details?: { valueBefore: unknown; valueAfter: unknown; valueTypeBefore: string; valueTypeAfter: string };
  getRange(ctx: unknown): unknown;
}

class OfficeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

// ---------- addresses ----------

export function colLetter(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function a1(rect: Rect): string {
  const tl = `${colLetter(rect.c)}${rect.r + 1}`;
  return rect.h === 1 && rect.w === 1 ? tl : `${tl}:${colLetter(rect.c + rect.w - 1)}${rect.r + rect.h}`;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Excel's grid. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

/**
 * The address Excel reports for a changed rect: a whole column as "C:C" / "C:E", whole rows as "5:5" / "3:7"
 * (Excel's A1 notation for them, as Range.address gives it), else "A1" / "A1:B2". Excel's event reference says
 * only "the range address that represents the changed area"; see docs/decisions.md (whole columns and rows).
 */
export function eventAddress(rect: Rect): string {
  if (rect.r === 0 && rect.h >= MAX_ROWS) return `${colLetter(rect.c)}:${colLetter(rect.c + rect.w - 1)}`;
  if (rect.c === 0 && rect.w >= MAX_COLS) return `${rect.r + 1}:${rect.r + rect.h}`;
  return a1(rect);
}

/** "A1", "B2:C9", "C:E" (whole columns), "3:7" (whole rows), "'Sheet x'!A1:B2" → sheet name (if any) and rect. */
export function parseAddress(address: string): { sheet?: string; rect: Rect } {
  let sheet: string | undefined;
  let ref = address;
  const bang = address.lastIndexOf("!");
  if (bang >= 0) {
    sheet = address
      .slice(0, bang)
      .replace(/^'(.*)'$/, "$1")
      .replace(/''/g, "'");
    ref = address.slice(bang + 1);
  }
  const cols = /^\$?([A-Z]+):\$?([A-Z]+)$/i.exec(ref.trim());
  if (cols) {
    const [c1, c2] = [colIndex(cols[1]), colIndex(cols[2])];
    return { sheet, rect: { r: 0, c: Math.min(c1, c2), h: MAX_ROWS, w: Math.abs(c2 - c1) + 1 } };
  }
  const rows = /^\$?(\d+):\$?(\d+)$/.exec(ref.trim());
  if (rows) {
    const [r1, r2] = [Number(rows[1]) - 1, Number(rows[2]) - 1];
    return { sheet, rect: { r: Math.min(r1, r2), c: 0, h: Math.abs(r2 - r1) + 1, w: MAX_COLS } };
  }
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref.trim());
  if (!m) throw new OfficeError("InvalidArgument", `bad address ${address}`);
  const r1 = Number(m[2]) - 1,
    c1 = colIndex(m[1]);
  const r2 = m[4] ? Number(m[4]) - 1 : r1,
    c2 = m[3] ? colIndex(m[3]) : c1;
  return { sheet, rect: { r: Math.min(r1, r2), c: Math.min(c1, c2), h: Math.abs(r2 - r1) + 1, w: Math.abs(c2 - c1) + 1 } };
}

const intersects = (a: Rect, b: Rect) => a.r < b.r + b.h && b.r < a.r + a.h && a.c < b.c + b.w && b.c < a.c + a.w;

// ---------- Excel's input conversion ----------

const EPOCH = Date.UTC(1899, 11, 30);

/** What Excel stores when `x` is written through Range.values / formulas / rows.add, or typed. */
export function excelInput(x: unknown): Cell | undefined {
  if (x === null || x === undefined || x === "") return undefined;
  if (typeof x === "number" || typeof x === "boolean") return { v: x };
  if (typeof x !== "string") throw new OfficeError("InvalidArgument", `unsupported value ${String(x)}`);
  if (x.startsWith("'")) return { v: x.slice(1), q: true };
  const t = x.trim();
  const num = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$/.exec(t);
  if (num && /\d/.test(t)) {
    const n = Number(t.replace(/[,%]/g, ""));
    if (Number.isFinite(n)) return { v: t.endsWith("%") ? n / 100 : n };
  }
  if (/^[=+\-@]./.test(t)) return { v: "", f: t.startsWith("=") ? t : `=${t}` };
  const d = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (d) {
    const day = (Date.UTC(+d[1], +d[2] - 1, +d[3]) - EPOCH) / 86400000;
    return { v: day + (+(d[4] ?? 0) * 3600 + +(d[5] ?? 0) * 60 + +(d[6] ?? 0)) / 86400 };
  }
  const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (tm) return { v: (+tm[1] * 3600 + +tm[2] * 60 + +(tm[3] ?? 0)) / 86400 };
  if (/^(true|false)$/i.test(t)) return { v: t.toLowerCase() === "true" };
  return { v: x };
}

/** Plain arithmetic (+ - * / parentheses); anything else is an unknown name. */
function arithmetic(formula: string): Prim {
  const s = formula.slice(1).replace(/\s+/g, "");
  let i = 0;
  const fail = () => {
    throw new Error("#NAME?");
  };
  const num = (): number => {
    if (s[i] === "(") {
      i++;
      const v = sum();
      if (s[i++] !== ")") fail();
      return v;
    }
    if (s[i] === "-") {
      i++;
      return -num();
    }
    if (s[i] === "+") {
      i++;
      return num();
    }
    const m = /^\d+(\.\d+)?/.exec(s.slice(i));
    if (!m) return fail();
    i += m[0].length;
    return Number(m[0]);
  };
  const prod = (): number => {
    let v = num();
    while (s[i] === "*" || s[i] === "/") {
      const op = s[i++];
      const w = num();
      v = op === "*" ? v * w : v / w;
    }
    return v;
  };
  const sum = (): number => {
    let v = prod();
    while (s[i] === "+" || s[i] === "-") {
      const op = s[i++];
      const w = prod();
      v = op === "+" ? v + w : v - w;
    }
    return v;
  };
  try {
    const v = sum();
    return i === s.length ? v : "#NAME?";
  } catch {
    return "#NAME?";
  }
}

// ---------- the workbook model ----------

export class FakeExcel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  /** The add-in's context.runtime.enableEvents. */
  eventsEnabled = true;
  /** Every context.sync(), including Excel.run's final one. */
  syncs = 0;
  /** Formula value hook (custom functions); default: arithmetic or "#NAME?". */
  formulaValue: (formula: string) => Prim = arithmetic;
  /** Event handler calls scheduled so far. */
  fired = 0;
  /** Errors thrown by event handlers (tests assert none). */
  handlerErrors: unknown[] = [];
  selection?: { sheet: string; address: string };
  /** application.calculate calls, in order. */
  calculations: string[] = [];
  active = 0;
  /** ExcelApiOnline 1.1 (named and temporary sheet views), as Excel on the web has it. */
  sheetViews = false;
  readonly platform: Platform;
  /** Highest ExcelApi version the host has, e.g. "1.14" or "1.20" (a string: 1.20 is not 1.2). */
  apiVersion: string;
  /** The workbook's (Office's) language: localized function names apply in it. */
  locale: string;
  /** Function id → its name in `locale` (from that locale's functions metadata). */
  localizedNames: Record<string, string> = {};
  /** Custom functions by their formula name ("CL.DUEDATE"): formulas that call them are evaluated row by row. */
  functions?: Record<string, (...args: unknown[]) => unknown>;
  /** Error messages of cells whose custom function threw ("sheet!r,c" → message). */
  errorMessages = new Map<string, string | undefined>();
  /** The user is typing in a cell (cell-edit mode). */
  editing = false;
  private editEnded: (() => void)[] = [];
  /** Payload meter, per sync and in total (UTF-8 JSON bytes). */
  lastRequest = 0;
  lastResponse = 0;
  maxRequest = 0;
  maxResponse = 0;
  bytesSent = 0;
  bytesReceived = 0;
  /** Undo records the add-in's syncs left (ExcelApi 1.20: one per sync, one per run with mergeUndoGroup). */
  undoGroups = 0;
  /** Other people editing the workbook now (co-authoring); `rows.add` then conflicts (see the header). */
  coauthors = 0;
  /** Merge conflicts the add-in's calls caused (TableRowCollection.add under co-authors). */
  mergeConflicts = 0;
  /** The yellow "refresh" bar Excel shows after such a conflict. */
  refreshBar = false;
  private ids = 0;
  private pending = new Set<Promise<unknown>>();

  constructor(sheetNames: string[] = ["Sheet1"], opts: { platform?: Platform; apiVersion?: string; locale?: string } = {}) {
    this.platform = opts.platform ?? "web";
    this.apiVersion = opts.apiVersion ?? "1.14";
    this.locale = opts.locale ?? "en-US";
    for (const n of sheetNames) this.addSheet(n);
  }

  /** Resets the sync and byte counters (a test measures one operation). */
  resetMeter(): void {
    this.syncs = 0;
    this.lastRequest = this.lastResponse = this.maxRequest = this.maxResponse = this.bytesSent = this.bytesReceived = 0;
  }

  /** Excel.run([options,] batch): a fresh context, then a final sync of whatever is still queued. */
  run = async <T>(a: Excel.RunOptions | ((ctx: Excel.RequestContext) => Promise<T>), b?: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> => {
    const [options, fn] = typeof a === "function" ? [{}, a] : [a, b!];
    const ctx = new FakeContext(this, options);
    const out = await fn(ctx as unknown as Excel.RequestContext);
    if (ctx.queued()) await ctx.sync();
    if (options.mergeUndoGroup && this.supports("ExcelApi", "1.20") && ctx.synced) this.undoGroups++;
    return out;
  };

  /** How many delayForCellEdit batches wait for the user to leave the cell: what a test waits on instead of a sleep. */
  heldForEdit(): number {
    return this.editEnded.length;
  }

  /** Waits until the user leaves cell-edit mode (a delayForCellEdit batch). */
  untilEditEnds(): Promise<void> {
    return this.editing ? new Promise((res) => this.editEnded.push(res)) : Promise.resolve();
  }

  /** Counts one sync's payload; on the web a request or response over the limit fails the sync. */
  meter(kind: "request" | "response", bytes: number): void {
    if (kind === "request") {
      this.lastRequest = bytes;
      this.maxRequest = Math.max(this.maxRequest, bytes);
      this.bytesSent += bytes;
    } else {
      this.lastResponse = bytes;
      this.maxResponse = Math.max(this.maxResponse, bytes);
      this.bytesReceived += bytes;
    }
    if (this.platform === "web" && bytes > PAYLOAD_LIMIT) {
      throw new OfficeError(
        kind === "request" ? "RequestPayloadSizeLimitExceeded" : "ResponsePayloadSizeLimitExceeded",
        `The ${kind} payload size has exceeded the limit (${bytes} bytes > 5 MB).`,
      );
    }
  }

  /** Office.context.requirements.isSetSupported, comparing minor versions as numbers (1.9 < 1.14). */
  supports(name: string, version = "1.1"): boolean {
    const minor = (v: string | number) => Number(String(v).split(".")[1] ?? 0);
    if (name === "ExcelApiOnline") return this.sheetViews && minor(version) <= 1;
    if (name === "ExcelApi") return minor(version) <= minor(this.apiVersion);
    return false;
  }

  /** Calls a custom function as Excel does with cell arguments: an empty cell is 0 on desktop, null on the web. */
  callFunction(fn: (...args: unknown[]) => unknown, args: (Prim | null)[]): { value: unknown; message?: string } {
    const g = globalThis as unknown as { CustomFunctions?: unknown };
    const saved = g.CustomFunctions;
    g.CustomFunctions = FakeCustomFunctions;
    try {
      return { value: fn(...args.map((a) => (a === "" || a === null ? (this.platform === "desktop" ? 0 : null) : a))) };
    } catch (e) {
      return errorCell(e);
    } finally {
      g.CustomFunctions = saved;
    }
  }

  nextId(prefix: string): string {
    return `${prefix}${++this.ids}`;
  }

  addSheet(name: string, at?: number): SheetModel {
    checkSheetName(name, this);
    const s: SheetModel = {
      id: this.nextId("{ws-"),
      name,
      visibility: "Visible",
      grid: [],
      merges: [],
      frozenRows: 0,
      validations: [],
      cfs: [],
      handlers: [],
      charts: [],
      formats: [],
    };
    if (at === undefined) this.sheets.push(s);
    else this.sheets.splice(at, 0, s);
    return s;
  }

  sheet(name: string): SheetModel | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string): TableModel | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  mustSheet(name: string): SheetModel {
    const s = this.sheet(name);
    if (!s) throw new OfficeError("ItemNotFound", `worksheet ${name}`);
    return s;
  }

  // ----- cells -----

  get(s: SheetModel, r: number, c: number): Cell | undefined {
    return s.grid[r]?.[c];
  }

  put(s: SheetModel, r: number, c: number, cell: Cell | undefined): void {
    if (!s.grid[r]) {
      if (!cell) return;
      s.grid[r] = [];
    }
    s.grid[r]![c] = cell;
  }

  valueOf(cell: Cell | undefined): Prim {
    if (!cell) return "";
    if (cell.f !== undefined) return this.formulaValue(cell.f);
    return cell.v;
  }

  /** A cell's value where it is: formulas calling `functions` are evaluated in their row. */
  valueAt(s: SheetModel, r: number, c: number): Prim {
    const cell = this.get(s, r, c);
    if (cell?.f !== undefined && this.functions) return this.evaluate(cell.f, s, r, c);
    return this.valueOf(cell);
  }

  /**
   * The formulas the ledger writes, evaluated: literals, `[@[column]]` of the cell's table row, = <> &, IF, OR,
   * AND, and the custom functions in `functions` (an empty cell passed as 0 on desktop, null on the web).
   */
  evaluate(formula: string, s: SheetModel, r: number, c: number): Prim {
    const BLANK = Symbol("blank");
    type V = Prim | typeof BLANK;
    const toks = formula.slice(1).match(/"(?:[^"]|"")*"|\[@\[(?:[^\]']|'.)*\]\]|\d+(?:\.\d+)?|<>|[A-Za-z_][A-Za-z0-9_.]*|[(),=&<>+\-*/]/g) ?? [];
    let i = 0;
    const table = this.tablesOn(s).find((t) => r > t.r && r <= t.r + t.n && c >= t.c && c < t.c + t.w);
    const isErr = (v: V) => typeof v === "string" && ERROR_CODES.includes(v);
    const plain = (v: V): Prim => (v === BLANK ? "" : v);
    const eq = (a: V, b: V) =>
      a === BLANK ? b === BLANK || b === "" || b === 0 : b === BLANK ? a === "" || a === 0 : String(a).toLowerCase() === String(b).toLowerCase();
    const call = (name: string, args: V[]): V => {
      const up = name.toUpperCase();
      if (up === "IF") return args[0] === true || (typeof args[0] === "number" && args[0] !== 0) ? (args[1] ?? true) : (args[2] ?? false);
      if (up === "OR") return args.some((a) => a === true);
      if (up === "AND") return args.every((a) => a === true);
      const fn = this.functions?.[up];
      const id = up.replace(/^[A-Z]+\./, "");
      const local = this.localizedNames[id];
      // Registered under another name in this locale: the English name is unknown here (office-js #891).
      if (!fn || (local && local.toUpperCase() !== id)) return "#NAME?";
      const bad = args.find(isErr);
      if (bad !== undefined) return bad;
      const out = this.callFunction(
        fn,
        args.map((a) => (a === BLANK ? null : a)),
      );
      if (out.message !== undefined || (typeof out.value === "string" && isErr(out.value as string)))
        this.errorMessages.set(`${s.name}!${r},${c}`, out.message);
      return out.value as Prim;
    };
    const atom = (): V => {
      const t = toks[i++];
      if (t === undefined) throw new Error("#NAME?");
      if (t === "(") {
        const v = cmp();
        i++;
        return v;
      }
      if (t === "-") {
        const v = atom();
        return typeof v === "number" ? -v : "#VALUE!";
      }
      if (t.startsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
      if (/^\d/.test(t)) return Number(t);
      if (t.startsWith("[@[")) {
        if (!table) return "#REF!";
        const col = t.slice(3, -2).replace(/'(.)/g, "$1");
        const header = this.cells(table.sheet, { r: table.r, c: table.c, h: 1, w: table.w })[0];
        const j = header.findIndex((h) => String(h) === col);
        if (j < 0) return "#REF!";
        const v = this.valueAt(s, r, table.c + j);
        return v === "" ? BLANK : v;
      }
      if (/^(TRUE|FALSE)$/i.test(t) && toks[i] !== "(") return t.toUpperCase() === "TRUE";
      if (toks[i] !== "(") return "#NAME?";
      i++;
      const args: V[] = [];
      if (toks[i] === ")") i++;
      else
        for (;;) {
          args.push(cmp());
          if (toks[i++] !== ",") break;
        }
      return call(t, args);
    };
    const concat = (): V => {
      let v = atom();
      while (toks[i] === "&") {
        i++;
        const w = atom();
        v = String(plain(v)) + String(plain(w));
      }
      return v;
    };
    const cmp = (): V => {
      const a = concat();
      const op = toks[i];
      if (op !== "=" && op !== "<>") return a;
      i++;
      const b = concat();
      if (isErr(a)) return a;
      if (isErr(b)) return b;
      return op === "=" ? eq(a, b) : !eq(a, b);
    };
    try {
      const v = cmp();
      return v === BLANK ? 0 : v;
    } catch {
      return "#NAME?";
    }
  }

  /** The message in a cell's error indicator (a custom function's CustomFunctions.Error), if any. */
  errorMessage(sheet: string, r: number, c: number): string | undefined {
    return this.errorMessages.get(`${sheet}!${r},${c}`);
  }

  /** Values of a rect as `values` returns them. */
  cells(s: SheetModel | string, rect: Rect | string): Prim[][] {
    const sh = typeof s === "string" ? this.mustSheet(s) : s;
    const rc = typeof rect === "string" ? parseAddress(rect).rect : rect;
    return Array.from({ length: rc.h }, (_, i) => Array.from({ length: rc.w }, (_, j) => this.valueAt(sh, rc.r + i, rc.c + j)));
  }

  cell(s: SheetModel | string, r: number, c: number): Cell | undefined {
    return this.get(typeof s === "string" ? this.mustSheet(s) : s, r, c);
  }

  /** Seeds raw cells as typed text (no conversion): test setup only. */
  seed(sheet: string, r: number, c: number, values: Prim[][]): void {
    const s = this.sheet(sheet) ?? this.addSheet(sheet);
    values.forEach((row, i) => row.forEach((v, j) => this.put(s, r + i, c + j, v === "" ? undefined : { v })));
  }

  usedRect(s: SheetModel, valuesOnly: boolean): Rect | undefined {
    let r0 = Infinity,
      c0 = Infinity,
      r1 = -1,
      c1 = -1;
    s.grid.forEach((row, r) =>
      row?.forEach((cell, c) => {
        if (!cell) return;
        const used = cell.v !== "" || cell.f !== undefined || (!valuesOnly && cell.fmt !== undefined && cell.fmt !== "General");
        if (!used) return;
        r0 = Math.min(r0, r);
        c0 = Math.min(c0, c);
        r1 = Math.max(r1, r);
        c1 = Math.max(c1, c);
      }),
    );
    return r1 < 0 ? undefined : { r: r0, c: c0, h: r1 - r0 + 1, w: c1 - c0 + 1 };
  }

  /** Office.context.requirements.isSetSupported for this fake host. */
  isSetSupported = (name: string, version = "1.1"): boolean => this.supports(name, version);

  /** The filter the add-in's user sees on a table: the temporary view's, else the shared one. */
  filterOf(t: TableModel, shared = false): ValuesFilter | undefined {
    const temp = t.sheet.tempView;
    return !shared && temp ? temp.filters.get(t.id) : t.filter;
  }

  /** Body rows (0-based) visible to the add-in's user, or to co-authors (`shared`). */
  visibleRows(name: string, shared = false): number[] {
    const t = this.table(name)!;
    const f = this.filterOf(t, shared);
    const body = this.cells(t.sheet, this.bodyRect(t));
    return body.map((row, i) => (f && !f.values.includes(String(row[f.col])) ? -1 : i)).filter((i) => i >= 0);
  }

  sharedVisibleRows(name: string): number[] {
    return this.visibleRows(name, true);
  }

  tablesOn(s: SheetModel): TableModel[] {
    return this.tables.filter((t) => t.sheet === s);
  }

  bodyRect(t: TableModel): Rect {
    return { r: t.r + 1, c: t.c, h: t.n, w: t.w };
  }

  tableRect(t: TableModel): Rect {
    return { r: t.r, c: t.c, h: t.n + 1, w: t.w };
  }

  /** Values of a table's body. */
  body(name: string): Prim[][] {
    const t = this.table(name);
    if (!t) throw new OfficeError("ItemNotFound", `table ${name}`);
    return this.cells(t.sheet, this.bodyRect(t));
  }

  header(name: string): string[] {
    const t = this.table(name)!;
    return this.cells(t.sheet, { r: t.r, c: t.c, h: 1, w: t.w })[0].map(String);
  }

  // ----- writes (API and user) -----

  /** Writes converted input into a rect; returns whether anything changed. */
  write(s: SheetModel, rect: Rect, data: unknown[][], kind: "values" | "formulas"): void {
    if (data.length !== rect.h || data.some((row) => row.length !== rect.w)) {
      throw new OfficeError("InvalidArgument", `${kind}: ${data.length}×${data[0]?.length ?? 0} for a ${rect.h}×${rect.w} range`);
    }
    for (let i = 0; i < rect.h; i++) {
      for (let j = 0; j < rect.w; j++) {
        const old = this.get(s, rect.r + i, rect.c + j);
        const next = excelInput(data[i][j]);
        const fmt = old?.fmt;
        this.put(s, rect.r + i, rect.c + j, next || fmt ? { v: "", ...next, ...(fmt ? { fmt } : {}) } : undefined);
      }
    }
    this.autoExpand(s, rect);
    // A table column whose whole body holds one formula becomes a calculated column (checked when a write
    // reaches the body's last row, so a column written in pieces under the payload limit counts too).
    for (const t of this.tablesOn(s)) {
      const b = this.bodyRect(t);
      if (rect.r > b.r + b.h - 1 || rect.r + rect.h < b.r + b.h) continue;
      for (let j = 0; j < t.w; j++) {
        const c = t.c + j;
        if (c < rect.c || c >= rect.c + rect.w) continue;
        const fs = new Set(Array.from({ length: t.n }, (_, i) => this.get(s, b.r + i, c)?.f));
        t.calc[j] = fs.size === 1 ? [...fs][0] : undefined;
      }
    }
  }

  /**
   * Values written directly below a table, within its columns, grow it over each following row that holds data
   * (co-authoring page, see the header); the new rows take the last row's number formats and calculated formulas
   * where the write left the cell empty.
   */
  autoExpand(s: SheetModel, rect: Rect): void {
    for (const t of this.tablesOn(s)) {
      const end = t.r + 1 + t.n;
      if (rect.r !== end || rect.c < t.c || rect.c + rect.w > t.c + t.w) continue;
      let grow = 0;
      while (grow < rect.h && Array.from({ length: t.w }, (_, j) => this.get(s, end + grow, t.c + j)).some((c) => c && (c.v !== "" || c.f))) grow++;
      for (let i = 0; i < grow; i++)
        for (let j = 0; j < t.w; j++) {
          const cell = this.get(s, end + i, t.c + j);
          const fmt = cell?.fmt ?? this.get(s, end - 1, t.c + j)?.fmt;
          const f = t.calc[j];
          if (f && (!cell || (cell.v === "" && cell.f === undefined))) this.put(s, end + i, t.c + j, { v: "", f, fmt });
          else if (fmt && !cell?.fmt) this.put(s, end + i, t.c + j, { v: "", ...cell, fmt });
        }
      t.n += grow;
    }
  }

  /** Range.insert("Down"): the cells of `rect`'s columns from its top row move down by its height (tables below too). */
  insertDown(s: SheetModel, rect: Rect): void {
    for (let r = s.grid.length - 1; r >= rect.r; r--) {
      for (let c = rect.c; c < rect.c + rect.w; c++) {
        this.put(s, r + rect.h, c, this.get(s, r, c));
        this.put(s, r, c, undefined);
      }
    }
    for (const t of this.tablesOn(s)) if (t.r >= rect.r && t.c >= rect.c && t.c + t.w <= rect.c + rect.w) t.r += rect.h;
  }

  /** Inserts `count` sheet rows at `at` (shifting cells, merges, tables below). */
  shiftRows(s: SheetModel, at: number, count: number): void {
    if (count > 0) s.grid.splice(at, 0, ...Array.from({ length: count }, () => undefined as unknown as Cell[]));
    else s.grid.splice(at, -count);
    for (const t of this.tablesOn(s)) if (t.r >= at) t.r += count;
  }

  /**
   * Deletes sheet columns `at`…`at+count-1` in sheet rows `r0`…`r1` (every row for a whole column), shifting the cells
   * to their right left. Tables lose the columns they hold (a table whose every column goes is deleted) and move left
   * when they lie to the right; validations, conditional formats and format records shrink or move the same way.
   * A calculated formula naming a deleted column by `[@[header]]` reads `#REF!` there afterwards, as Excel rewrites it.
   */
  deleteColumns(s: SheetModel, at: number, count: number, r0 = 0, r1 = MAX_ROWS - 1): void {
    const gone: string[] = [];
    for (const t of this.tablesOn(s)) {
      if (t.r < r0 || t.r + t.n > r1) continue;
      const lo = Math.max(at, t.c),
        hi = Math.min(at + count, t.c + t.w);
      for (let c = lo; c < hi; c++) gone.push(String(this.valueOf(this.get(s, t.r, c))));
    }
    for (let r = r0; r <= Math.min(r1, s.grid.length - 1); r++) s.grid[r]?.splice(at, count);
    const moveRect = (x: Rect): Rect | undefined => {
      if (x.r < r0 || x.r + x.h - 1 > r1) return x; // cells beside the deleted rows do not move (a simplification)
      const lo = Math.max(at, x.c),
        hi = Math.min(at + count, x.c + x.w);
      const cut = Math.max(0, hi - lo);
      if (cut === x.w) return undefined;
      return { ...x, c: x.c >= at + count ? x.c - count : x.c, w: x.w - cut };
    };
    s.validations = s.validations.flatMap((v) => (moveRect(v.rect) ? [{ ...v, rect: moveRect(v.rect)! }] : []));
    s.cfs = s.cfs.filter((cf) => {
      const m = moveRect(cf.rect);
      if (m) cf.rect = m;
      return !!m;
    });
    s.formats = s.formats.flatMap((f) => (moveRect(f.rect) ? [{ ...f, rect: moveRect(f.rect)! }] : []));
    for (const t of [...this.tablesOn(s)]) {
      if (t.r < r0 || t.r + t.n > r1) continue;
      const lo = Math.max(at, t.c),
        hi = Math.min(at + count, t.c + t.w);
      if (hi > lo) {
        t.calc.splice(lo - t.c, hi - lo);
        t.w -= hi - lo;
      }
      if (t.c >= at + count) t.c -= count;
      else if (t.c > at) t.c = at;
      if (t.w <= 0) this.tables = this.tables.filter((x) => x !== t);
    }
    if (!gone.length) return;
    const broken = (f: string) => gone.reduce((g, h) => g.split(`[@[${h.replace(/([[\]#'])/g, "'$1")}]]`).join("#REF!"), f);
    for (const t of this.tablesOn(s)) {
      t.calc = t.calc.map((f) => (f ? broken(f) : f));
      for (let r = t.r + 1; r <= t.r + t.n; r++)
        for (let c = t.c; c < t.c + t.w; c++) {
          const cell = this.get(s, r, c);
          if (cell?.f) this.put(s, r, c, { ...cell, f: broken(cell.f) });
        }
    }
  }

  // ----- events -----

  emit(
    s: SheetModel,
    rect: Rect,
    changeType: ChangeArgs["changeType"],
    trigger: ChangeArgs["triggerSource"],
    single?: { before: Prim; after: Prim },
    /** The address as reported, when a test tries another form than Excel's (`eventAddress`). */
    reported?: string,
  ): void {
    if (!this.eventsEnabled) return;
    const typeOf = (v: Prim) => (v === "" ? "Empty" : typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : "String");
    const base = {
      changeType,
      source: "Local" as const,
      address: reported ?? eventAddress(rect),
      worksheetId: s.id,
      triggerSource: trigger,
      details:
        single && rect.h === 1 && rect.w === 1
          ? { valueBefore: single.before, valueAfter: single.after, valueTypeBefore: typeOf(single.before), valueTypeAfter: typeOf(single.after) }
          : undefined,
      getRange: (ctx: unknown) => (ctx as FakeContext).workbook.worksheets.getItem(s.name).getRange(a1(rect)),
    };
    const calls: [Handler, ChangeArgs][] = s.handlers.map((h) => [h, { ...base, type: "WorksheetChanged" }]);
    for (const t of this.tablesOn(s)) {
      if (intersects(this.tableRect(t), rect) || changeType !== "RangeEdited") {
        for (const h of t.handlers) calls.push([h, { ...base, type: "TableChanged", tableId: t.id }]);
      }
    }
    for (const [h, args] of calls) {
      this.fired++;
      const p: Promise<unknown> = new Promise((res) => setTimeout(res, 0))
        .then(() => h(args))
        .catch((e) => {
          this.handlerErrors.push(e);
        })
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Waits until every event handler (and those its writes set off) has finished. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** What a person does in the grid. */
  readonly user = {
    /** Selects `address` on `sheet`; tables on the sheet hear it (onSelectionChanged) while events are on. */
    select: (sheet: string, address: string): void => {
      const s = this.mustSheet(sheet);
      this.selection = { sheet, address };
      if (!this.eventsEnabled) return;
      const { rect } = parseAddress(address);
      for (const t of this.tablesOn(s)) {
        for (const h of t.selHandlers ?? []) {
          const args: SelectionArgs = {
            address,
            isInsideTable: intersects(this.tableRect(t), rect),
            tableId: t.id,
            worksheetId: s.id,
            type: "TableSelectionChanged",
          };
          this.fired++;
          const p: Promise<unknown> = new Promise((res) => setTimeout(res, 0))
            .then(() => h(args))
            .catch((e) => {
              this.handlerErrors.push(e);
            })
            .finally(() => this.pending.delete(p));
          this.pending.add(p);
        }
      }
    },
    /** Types or pastes `values` at `address` of `sheet` (typed input is converted the way Excel does). */
    edit: (sheet: string, address: string, values: unknown[][]): void => {
      const s = this.mustSheet(sheet);
      const { rect } = parseAddress(address);
      const before = this.valueAt(s, rect.r, rect.c);
      // Typing right below a table grows it, and its calculated columns fill the new rows (write → autoExpand).
      this.write(s, rect, values, "values");
      this.emit(s, rect, "RangeEdited", "Unknown", { before, after: this.valueAt(s, rect.r, rect.c) });
    },
    /**
     * Selects `address` and presses Delete: the values go, formats stay. A whole column ("C:C", "C:E") or whole
     * rows ("5:7") are cleared where the sheet holds cells, never walked over a million rows. A table's header cell
     * cleared this way reads "Column<n>" afterwards: Excel keeps a table's headers non-blank (its UI does so; the
     * Office.js reference is silent). Reported as one RangeEdited with Excel's address for the selection
     * (`eventAddress`), or `reported` when a test tries another form ("$C:$E", sheet-qualified, unreadable).
     */
    clear: (sheet: string, address: string, reported?: string): void => {
      const s = this.mustSheet(sheet);
      const { rect } = parseAddress(address);
      const before = this.valueAt(s, rect.r, rect.c);
      const lastRow = Math.min(rect.r + rect.h, s.grid.length);
      for (let r = rect.r; r < lastRow; r++) {
        const lastCol = Math.min(rect.c + rect.w, s.grid[r]?.length ?? 0);
        for (let c = rect.c; c < lastCol; c++) {
          const fmt = this.get(s, r, c)?.fmt;
          this.put(s, r, c, fmt ? { v: "", fmt } : undefined);
        }
      }
      for (const t of this.tablesOn(s)) {
        if (rect.r > t.r || rect.r + rect.h <= t.r) continue;
        for (let j = 0; j < t.w; j++) if (t.c + j >= rect.c && t.c + j < rect.c + rect.w) this.put(s, t.r, t.c + j, { v: `Column${j + 1}` });
      }
      this.emit(s, rect, "RangeEdited", "Unknown", { before, after: this.valueAt(s, rect.r, rect.c) }, reported);
    },
    /**
     * Pastes whole rows (copied as rows) over sheet rows from 0-based `at`: `rows` are the cells from column A,
     * the rest of each row is emptied, as a whole-row paste leaves it. Reported as "5:7" (`eventAddress`) or `reported`.
     */
    pasteRows: (sheet: string, at: number, rows: unknown[][], reported?: string): void => {
      const s = this.mustSheet(sheet);
      const w = Math.max(...rows.map((r) => r.length), ...rows.map((_, i) => s.grid[at + i]?.length ?? 0));
      this.write(
        s,
        { r: at, c: 0, h: rows.length, w },
        rows.map((r) => Array.from({ length: w }, (_, j) => r[j] ?? "")),
        "values",
      );
      this.emit(s, { r: at, c: 0, h: rows.length, w: MAX_COLS }, "RangeEdited", "Unknown", undefined, reported);
    },
    /** Deletes `count` table rows from body row `index` (whole sheet rows, as "Delete table rows" does). */
    deleteRows: (table: string, index: number, count = 1): void => {
      const t = this.table(table)!;
      const rect = { r: t.r + 1 + index, c: t.c, h: count, w: t.w };
      this.shiftRows(t.sheet, rect.r, -count);
      t.n = Math.max(1, t.n - count);
      this.emit(t.sheet, rect, "RowDeleted", "Unknown");
    },
    /** Inserts blank table rows at body row `index`; calculated columns fill them. */
    insertRows: (table: string, index: number, count = 1): void => {
      const t = this.table(table)!;
      const at = t.r + 1 + index;
      this.shiftRows(t.sheet, at, count);
      t.n += count;
      this.fillCalc(t, at, count);
      this.emit(t.sheet, { r: at, c: t.c, h: count, w: t.w }, "RowInserted", "Unknown");
    },
    /** The user starts typing in a cell: batches fail (or wait, with delayForCellEdit) until `endEdit`. */
    beginEdit: (): void => {
      this.editing = true;
    },
    /** The user leaves the cell, committing `values` at `address` when given (an edit like `edit`). */
    endEdit: (sheet?: string, address?: string, values?: unknown[][]): void => {
      if (sheet && address && values) this.user.edit(sheet, address, values);
      this.editing = false;
      const waiting = this.editEnded;
      this.editEnded = [];
      for (const res of waiting) res();
    },
    /**
     * Drags the fill handle of body column `col`'s last cell `count` rows below the table: the table grows and
     * the new rows get the value (calculated columns fill). Excel reports RowInserted with the address of the
     * table's last `count` rows before the drag, not the new ones (office-js #728).
     */
    fillBelow: (table: string, col: number, count: number): void => {
      const t = this.table(table)!;
      const end = t.r + 1 + t.n;
      const v = this.get(t.sheet, end - 1, t.c + col);
      t.n += count;
      this.fillCalc(t, end, count);
      for (let i = 0; i < count; i++) this.put(t.sheet, end + i, t.c + col, v ? { ...v } : undefined);
      this.emit(t.sheet, { r: end - count, c: t.c, h: count, w: t.w }, "RowInserted", "Unknown");
    },
    /**
     * Inserts a table column before body column `index`: reported as RowInserted with the column's address
     * (office-js #669, closed as fixed), or as `reported` ("ColumnInserted", as the DataChangeType says).
     */
    insertTableColumn: (table: string, index: number, header = "Column", reported: "RowInserted" | "ColumnInserted" = "RowInserted"): void => {
      const t = this.table(table)!;
      const at = t.c + index;
      for (let r = t.r; r <= t.r + t.n; r++) t.sheet.grid[r]?.splice(at, 0, undefined as unknown as Cell);
      this.put(t.sheet, t.r, at, { v: header });
      t.w++;
      t.calc.splice(index, 0, undefined);
      this.emit(t.sheet, { r: t.r, c: at, h: t.n + 1, w: 1 }, reported, "Unknown");
    },
    /**
     * Selects whole sheet columns ("E:E", "E:G") and deletes them (Delete Sheet Columns): the cells to the right move
     * left, a table loses the columns it held. Reported as ColumnDeleted with the columns' address ("E:E"): the
     * event reference names the change type only (docs/decisions.md, column deletes).
     */
    deleteColumns: (sheet: string, address: string): void => {
      const s = this.mustSheet(sheet);
      const { rect } = parseAddress(address);
      this.deleteColumns(s, rect.c, rect.w);
      this.emit(s, { r: 0, c: rect.c, h: MAX_ROWS, w: rect.w }, "ColumnDeleted", "Unknown");
    },
    /**
     * Deletes `count` table columns from column `index` (right-click, Delete, Table Columns): the table's cells in
     * those columns go and the cells to their right, in the table's rows, move left. Reported as ColumnDeleted with
     * the deleted cells' address.
     */
    deleteTableColumn: (table: string, index: number, count = 1): void => {
      const t = this.table(table)!;
      const rect = { r: t.r, c: t.c + index, h: t.n + 1, w: count };
      this.deleteColumns(t.sheet, rect.c, count, t.r, t.r + t.n);
      this.emit(t.sheet, rect, "ColumnDeleted", "Unknown");
    },
    /**
     * Deletes the cells of `address` and shifts the cells below up ("Up") or those to the right left ("Left"), in
     * the range's columns (rows) only. Desktop Excel refuses this when it would shift part of a table; Excel on the
     * web and other hosts are not documented, so the fake lets it happen and reports CellDeleted.
     */
    deleteCells: (sheet: string, address: string, shift: "Up" | "Left"): void => {
      const s = this.mustSheet(sheet);
      const { rect } = parseAddress(address);
      if (shift === "Up") {
        const end = s.grid.length;
        for (let r = rect.r; r < end; r++)
          for (let c = rect.c; c < rect.c + rect.w; c++) this.put(s, r, c, r + rect.h < end ? this.get(s, r + rect.h, c) : undefined);
      } else {
        for (let r = rect.r; r < Math.min(rect.r + rect.h, s.grid.length); r++) s.grid[r]?.splice(rect.c, rect.w);
      }
      this.emit(s, rect, "CellDeleted", "Unknown");
    },
    /** Inserts whole sheet rows at 0-based sheet row `at` (above a table, its header row moves down). */
    insertSheetRows: (sheet: string, at: number, count = 1): void => {
      const s = this.mustSheet(sheet);
      this.shiftRows(s, at, count);
      this.emit(s, { r: at, c: 0, h: count, w: 16384 }, "RowInserted", "Unknown");
    },
    /**
     * Picks `value` from a cell's data-validation drop-down. Excel on the web raises no onChanged for it
     * (office-js #3888, #4066); desktop raises it like typing.
     */
    pickFromList: (sheet: string, address: string, value: Prim): void => {
      if (this.platform === "desktop") return this.user.edit(sheet, address, [[value]]);
      const s = this.mustSheet(sheet);
      this.write(s, parseAddress(address).rect, [[value]], "values");
    },
    /**
     * Drags the fill handle down body column `col` of a filtered table from body row `from` to `to`: the value of
     * row `from` goes into the visible rows only, and no onChanged is raised (office-js #1110).
     */
    fillFiltered: (table: string, col: number, from: number, to: number): void => {
      const t = this.table(table)!;
      const visible = new Set(this.visibleRows(table));
      const b = this.bodyRect(t);
      const v = this.valueAt(t.sheet, b.r + from, t.c + col);
      for (let i = from + 1; i <= to; i++) if (visible.has(i)) this.write(t.sheet, { r: b.r + i, c: t.c + col, h: 1, w: 1 }, [[v]], "values");
    },
    /** Sorts a table's body by one column (ascending): one multi-cell change over the whole body. */
    sortTable: (table: string, col: number): void => {
      const t = this.table(table)!;
      const b = this.bodyRect(t);
      const rows = Array.from({ length: t.n }, (_, i) => t.sheet.grid[b.r + i]?.slice(t.c, t.c + t.w) ?? []);
      const key = (row: (Cell | undefined)[]) => String(this.valueOf(row[col]));
      rows.sort((x, y) => key(x).localeCompare(key(y)));
      rows.forEach((row, i) => {
        for (let j = 0; j < t.w; j++) this.put(t.sheet, b.r + i, t.c + j, row[j]);
      });
      this.emit(t.sheet, b, "RangeEdited", "Unknown");
    },
  };

  fillCalc(t: TableModel, at: number, count: number): void {
    t.calc.forEach((f, j) => {
      if (f) for (let i = 0; i < count; i++) this.put(t.sheet, at + i, t.c + j, { v: "", f, fmt: this.get(t.sheet, at - 1, t.c + j)?.fmt });
    });
  }
}

function checkSheetName(name: string, wb: FakeExcel): void {
  if (!name || name.length > 31 || /[[\]:*?/\\]/.test(name)) throw new OfficeError("InvalidArgument", `sheet name "${name}"`);
  if (wb.sheet(name)) throw new OfficeError("ItemAlreadyExists", `sheet ${name}`);
}

// ---------- proxies ----------

type Resolver<T> = () => T | null;

/** Request bytes of one queued operation without data (object path, method, ids). */
const OP_BYTES = 64;

class FakeContext {
  readonly workbook: WorkbookP;
  readonly runtime: { enableEvents: boolean };
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  private ops: (() => void)[] = [];
  private requestBytes = 0;
  /** Response bytes of the batch being run (loads add to it). */
  responseBytes = 0;
  created: ProxyBase<unknown>[] = [];
  synced = false;

  constructor(
    readonly wb: FakeExcel,
    readonly options: Excel.RunOptions = {},
  ) {
    this.workbook = new WorkbookP(this);
    const queue = (op: () => void) => this.queue(op);
    this.runtime = {
      set enableEvents(v: boolean) {
        queue(() => {
          wb.eventsEnabled = v;
        });
      },
      get enableEvents(): boolean {
        throw notLoaded("enableEvents");
      },
    };
  }

  /** Queues an operation; `data` is what it carries to Excel (values, formulas, names), metered at the sync. */
  queue(op: () => void, data?: unknown): void {
    this.ops.push(op);
    this.requestBytes += OP_BYTES + (data === undefined ? 0 : jsonBytes(data));
  }

  queued(): boolean {
    return this.ops.length > 0;
  }

  async sync(): Promise<void> {
    this.wb.syncs++;
    const ops = this.ops;
    const request = this.requestBytes;
    this.ops = [];
    this.requestBytes = 0;
    const created = this.created;
    this.created = [];
    await Promise.resolve();
    if (this.wb.editing) {
      // RunOptions.delayForCellEdit: held until the user leaves the cell; otherwise the batch fails.
      if (!this.options.delayForCellEdit) throw new OfficeError("InvalidOperationInCellEditMode", "Excel is in cell-editing mode.");
      await this.wb.untilEditEnds();
    }
    this.wb.meter("request", request);
    this.responseBytes = 0;
    for (const op of ops) op();
    for (const p of created) p.settle();
    this.synced = true;
    if (!this.options.mergeUndoGroup && this.wb.supports("ExcelApi", "1.20")) this.wb.undoGroups++;
    this.wb.meter("response", this.responseBytes);
  }
}

function notLoaded(prop: string): OfficeError {
  return new OfficeError("PropertyNotLoaded", `The property '${prop}' is not available. Load it and call context.sync() first.`);
}

abstract class ProxyBase<T> {
  protected loaded: Record<string, unknown> = {};
  private synced = false;
  private isNull = false;
  private memo?: { t: T | null };

  constructor(
    readonly ctx: FakeContext,
    private readonly resolver: Resolver<T>,
    private readonly nullable: boolean,
  ) {
    ctx.created.push(this as ProxyBase<unknown>);
  }

  get isNullObject(): boolean {
    if (!this.synced) throw notLoaded("isNullObject");
    return this.isNull;
  }

  /** The model object; resolved once, inside a sync. */
  target(): T | null {
    if (!this.memo) this.memo = { t: this.resolver() };
    if (this.memo.t === null && !this.nullable) {
      this.memo = undefined;
      throw new OfficeError("ItemNotFound", "The requested resource doesn't exist.");
    }
    return this.memo.t;
  }

  settle(): void {
    try {
      this.isNull = this.target() === null;
      this.synced = true;
    } catch {
      // A missing non-null item: its error surfaced (or will) in a sync that uses it.
    }
  }

  /** A child proxy: null when this one is. */
  child<U>(f: (t: T) => U | null, nullable = false): Resolver<U> & { nullable: boolean } {
    const r = (() => {
      const t = this.target();
      return t === null ? null : f(t);
    }) as Resolver<U> & { nullable: boolean };
    r.nullable = this.nullable || nullable;
    return r;
  }

  protected read(name: string): unknown {
    if (!(name in this.loaded)) throw notLoaded(name);
    return this.loaded[name];
  }

  protected op(f: (t: T) => void, data?: unknown): void {
    this.ctx.queue(() => {
      const t = this.target();
      if (t !== null) f(t);
    }, data);
  }

  load(props?: string | string[] | { select?: string }): this {
    const list = (typeof props === "string" ? props.split(",") : Array.isArray(props) ? props : (props?.select ?? "").split(","))
      .map((p) => p.trim())
      .filter(Boolean);
    // "items/name,items/visibility" loads both on the same items: group sub-properties by their root.
    const byRoot = new Map<string, string[]>();
    for (const p of list) {
      const [root, sub] = p.split("/");
      const subs = byRoot.get(root) ?? [];
      if (sub) subs.push(sub);
      byRoot.set(root, subs);
    }
    this.ctx.queue(() => {
      const t = this.target();
      if (t === null) return;
      for (const [root, subs] of byRoot) {
        this.loaded[root] = this.property(t, subs.length ? `${root}/${subs.join("+")}` : root);
        this.ctx.responseBytes += jsonBytes(this.loaded[root]) + root.length + 4;
      }
    });
    return this;
  }

  /** What a loaded proxy sends back (for the payload meter). */
  payload(): Record<string, unknown> {
    return this.loaded;
  }

  protected abstract property(t: T, name: string): unknown;
}

const mk = <T, P>(ctx: FakeContext, C: new (ctx: FakeContext, r: Resolver<T>, n: boolean) => P, r: Resolver<T> & { nullable?: boolean }, nullable = false) =>
  new C(ctx, r, nullable || !!r.nullable);

/** A collection's `items` load ("items", "items/name+visibility"): settled proxies with those properties read. */
function loadedItems<T, P extends { settle(): void; prop(t: T, name: string): unknown }>(
  ctx: FakeContext,
  C: new (ctx: FakeContext, r: Resolver<T>, n: boolean) => P,
  models: readonly T[],
  name: string,
): P[] {
  if (!name.startsWith("items")) throw new OfficeError("InvalidArgument", `load ${name}`);
  const subs = (name.split("/")[1] ?? "").split("+").filter(Boolean);
  return models.map((m) => {
    const p = mk(ctx, C, () => m);
    p.settle();
    for (const sub of subs) (p as unknown as { loaded: Record<string, unknown> }).loaded[sub] = p.prop(m, sub);
    return p;
  });
}

class WorkbookP extends ProxyBase<FakeExcel> {
  readonly worksheets: WorksheetCollectionP;
  readonly tables: TableCollectionP;
  constructor(ctx: FakeContext) {
    super(ctx, () => ctx.wb, false);
    this.worksheets = new WorksheetCollectionP(ctx, () => ctx.wb, false);
    this.tables = new TableCollectionP(ctx, () => ({ wb: ctx.wb }), false);
  }
  readonly application = {
    calculate: (type: string) => {
      this.op((wb) => {
        wb.calculations.push(type);
      });
    },
  };
  getActiveCell(): RangeP {
    return mk(this.ctx, RangeP, () => {
      const wb = this.ctx.wb;
      const sel = wb.selection;
      const s = (sel && wb.sheet(sel.sheet)) || wb.sheets[wb.active];
      const rect = sel ? parseAddress(sel.address.split(":")[0]).rect : { r: 0, c: 0, h: 1, w: 1 };
      return { s, rect: { ...rect, h: 1, w: 1 } };
    });
  }
  protected property(): unknown {
    return undefined;
  }
}

class WorksheetCollectionP extends ProxyBase<FakeExcel> {
  get items(): WorksheetP[] {
    return this.read("items") as WorksheetP[];
  }
  getItem(name: string): WorksheetP {
    return mk(this.ctx, WorksheetP, () => this.ctx.wb.sheet(name) ?? null);
  }
  getItemOrNullObject(name: string): WorksheetP {
    return mk(this.ctx, WorksheetP, () => this.ctx.wb.sheet(name) ?? null, true);
  }
  getActiveWorksheet(): WorksheetP {
    return mk(this.ctx, WorksheetP, () => this.ctx.wb.sheets[this.ctx.wb.active] ?? null);
  }
  add(name?: string): WorksheetP {
    let made: SheetModel | undefined;
    this.ctx.queue(() => {
      made = this.ctx.wb.addSheet(name ?? this.ctx.wb.nextId("Sheet"));
    });
    return mk(this.ctx, WorksheetP, () => made ?? null);
  }
  protected property(wb: FakeExcel, name: string): unknown {
    return loadedItems(this.ctx, WorksheetP, wb.sheets, name);
  }
}

class WorksheetP extends ProxyBase<SheetModel> {
  get name(): string {
    return this.read("name") as string;
  }
  set name(v: string) {
    this.op((s) => {
      if (s.name !== v) {
        checkSheetName(v, this.ctx.wb);
        s.name = v;
      }
    });
  }
  get id(): string {
    return this.read("id") as string;
  }
  get visibility(): string {
    return this.read("visibility") as string;
  }
  set visibility(v: string) {
    this.op((s) => {
      s.visibility = v as SheetModel["visibility"];
    });
  }
  readonly freezePanes = {
    freezeRows: (n = 1) =>
      this.op((s) => {
        s.frozenRows = n;
      }),
  };
  get position(): number {
    return this.read("position") as number;
  }
  set position(v: number) {
    this.op((s) => {
      const list = this.ctx.wb.sheets;
      list.splice(list.indexOf(s), 1);
      list.splice(Math.max(0, Math.min(v, list.length)), 0, s);
    });
  }
  get charts(): { add(type: string, source: RangeP, seriesBy?: string): ChartP } {
    return {
      add: (type: string, source: RangeP, seriesBy = "Auto") => {
        const model: ChartModel = { name: "", type, source: { sheet: "", rect: { r: 0, c: 0, h: 0, w: 0 } }, seriesBy, legend: {} };
        this.op((s) => {
          const src = source.target()!;
          model.name = `Chart ${s.charts.length + 1}`;
          model.source = { sheet: src.s.name, rect: src.rect };
          s.charts.push(model);
        });
        return new ChartP(this.ctx, model);
      },
    };
  }
  get namedSheetViews(): { enterTemporary(): { name: string }; exit(): void } {
    const ok = () => {
      if (!this.ctx.wb.sheetViews) throw new OfficeError("ApiNotFound", "namedSheetViews needs ExcelApiOnline 1.1");
    };
    return {
      enterTemporary: () => {
        this.op((s) => {
          ok();
          s.tempView = { filters: new Map(this.ctx.wb.tablesOn(s).map((t) => [t.id, t.filter ? { ...t.filter, values: [...t.filter.values] } : undefined])) };
        });
        return { name: "" };
      },
      exit: () =>
        this.op((s) => {
          ok();
          s.tempView = undefined;
        }),
    };
  }
  get tables(): TableCollectionP {
    return mk(
      this.ctx,
      TableCollectionP,
      this.child((s) => ({ wb: this.ctx.wb, sheet: s })),
    );
  }
  readonly onChanged = {
    add: (h: Handler) => {
      this.op((s) => s.handlers.push(h));
      return { remove: () => undefined };
    },
  };

  getRange(address?: string): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child((s) => {
        if (!address) return { s, rect: { r: 0, c: 0, h: 1048576, w: 16384 } };
        const p = parseAddress(address);
        return { s: p.sheet ? this.ctx.wb.mustSheet(p.sheet) : s, rect: p.rect };
      }),
    );
  }
  getUsedRange(valuesOnly = false): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child((s) => ({ s, rect: this.ctx.wb.usedRect(s, valuesOnly) ?? { r: 0, c: 0, h: 1, w: 1 } })),
    );
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child((s) => {
        const rect = this.ctx.wb.usedRect(s, valuesOnly);
        return rect ? { s, rect } : null;
      }, true),
    );
  }
  copy(position: string = "None", relativeTo?: WorksheetP): WorksheetP {
    let made: SheetModel | undefined;
    this.op((s) => {
      const wb = this.ctx.wb;
      let name = `${s.name} (2)`;
      for (let k = 3; wb.sheet(name) || name.length > 31; k++) name = `${s.name.slice(0, 25)} (${k})`;
      const rel = relativeTo?.target() ?? s;
      const at =
        position === "Before" ? wb.sheets.indexOf(rel) : position === "Beginning" ? 0 : position === "End" ? wb.sheets.length : wb.sheets.indexOf(rel) + 1;
      const copy = wb.addSheet(name, at);
      copy.grid = s.grid.map((row) => row?.map((c) => (c ? { ...c } : undefined)) as Cell[]);
      copy.merges = s.merges.map((m) => ({ ...m }));
      copy.frozenRows = s.frozenRows;
      copy.validations = s.validations.map((v) => ({ ...v }));
      copy.cfs = s.cfs.map((c) => ({ ...c }));
      for (const t of wb.tablesOn(s)) {
        let tn = `${t.name}_2`;
        for (let k = 3; wb.table(tn); k++) tn = `${t.name}_${k}`;
        wb.tables.push({ ...t, id: wb.nextId("{tb-"), name: tn, sheet: copy, calc: [...t.calc], handlers: [] });
      }
      made = copy;
    });
    return mk(this.ctx, WorksheetP, () => made ?? null);
  }
  delete(): void {
    this.op((s) => {
      const wb = this.ctx.wb;
      wb.tables = wb.tables.filter((t) => t.sheet !== s);
      wb.sheets = wb.sheets.filter((x) => x !== s);
    });
  }
  activate(): void {
    this.op((s) => {
      this.ctx.wb.active = this.ctx.wb.sheets.indexOf(s);
    });
  }
  /** Internal: property by name, for collection loads. */
  prop(s: SheetModel, name: string): unknown {
    return this.property(s, name);
  }
  protected property(s: SheetModel, name: string): unknown {
    switch (name) {
      case "name":
        return s.name;
      case "id":
        return s.id;
      case "visibility":
        return s.visibility;
      case "position":
        return this.ctx.wb.sheets.indexOf(s);
      default:
        throw new OfficeError("InvalidArgument", `Worksheet.${name} is not modelled`);
    }
  }
}

interface RangeT {
  s: SheetModel;
  rect: Rect;
}

class RangeP extends ProxyBase<RangeT> {
  get values(): Prim[][] {
    return this.read("values") as Prim[][];
  }
  set values(v: unknown[][]) {
    this.writeOp(v, "values");
  }
  get formulas(): Prim[][] {
    return this.read("formulas") as Prim[][];
  }
  set formulas(v: unknown[][]) {
    this.writeOp(v, "formulas");
  }
  get numberFormat(): string[][] {
    return this.read("numberFormat") as string[][];
  }
  set numberFormat(v: string[][]) {
    this.op(({ s, rect }) => {
      if (v.length !== rect.h || v.some((row) => row.length !== rect.w)) throw new OfficeError("InvalidArgument", "numberFormat dimensions");
      v.forEach((row, i) =>
        row.forEach((fmt, j) => {
          const cell = this.ctx.wb.get(s, rect.r + i, rect.c + j);
          this.ctx.wb.put(s, rect.r + i, rect.c + j, { v: "", ...cell, fmt });
        }),
      );
    }, v);
  }
  get address(): string {
    return this.read("address") as string;
  }
  get rowIndex(): number {
    return this.read("rowIndex") as number;
  }
  get columnIndex(): number {
    return this.read("columnIndex") as number;
  }
  get rowCount(): number {
    return this.read("rowCount") as number;
  }
  get columnCount(): number {
    return this.read("columnCount") as number;
  }
  private ws?: WorksheetP;
  get worksheet(): WorksheetP {
    return (this.ws ??= mk(
      this.ctx,
      WorksheetP,
      this.child((t) => t.s),
    ));
  }

  private writeOp(v: unknown[][], kind: "values" | "formulas"): void {
    this.op(({ s, rect }) => {
      const wb = this.ctx.wb;
      const before = wb.valueAt(s, rect.r, rect.c);
      wb.write(s, rect, v, kind);
      wb.emit(s, rect, "RangeEdited", "ThisLocalAddin", { before, after: wb.valueAt(s, rect.r, rect.c) });
    }, v);
  }
  private sub(f: (rect: Rect) => Rect): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child(({ s, rect }) => ({ s, rect: f(rect) })),
    );
  }
  getCell(r: number, c: number): RangeP {
    return this.sub((x) => ({ r: x.r + r, c: x.c + c, h: 1, w: 1 }));
  }
  getResizedRange(dr: number, dc: number): RangeP {
    return this.sub((x) => {
      if (x.h + dr < 1 || x.w + dc < 1) throw new OfficeError("InvalidArgument", "getResizedRange");
      return { ...x, h: x.h + dr, w: x.w + dc };
    });
  }
  getOffsetRange(dr: number, dc: number): RangeP {
    return this.sub((x) => ({ ...x, r: x.r + dr, c: x.c + dc }));
  }
  getRow(i: number): RangeP {
    return this.sub((x) => ({ ...x, r: x.r + i, h: 1 }));
  }
  getLastCell(): RangeP {
    return this.sub((x) => ({ r: x.r + x.h - 1, c: x.c + x.w - 1, h: 1, w: 1 }));
  }
  /** ExcelApi 1.2: the `count` rows right below this range, resolved when the batch runs. */
  getRowsBelow(count = 1): RangeP {
    return this.sub((x) => ({ r: x.r + x.h, c: x.c, h: count, w: x.w }));
  }
  /** Range.insert("Down") only: shifts the cells of the range's columns down to make room (ExcelApi 1.1). */
  insert(shift: string): RangeP {
    this.op(({ s, rect }) => {
      if (shift !== "Down") throw new OfficeError("InvalidArgument", `the fake inserts with shift Down only, not ${shift}`);
      this.ctx.wb.insertDown(s, rect);
    });
    return this;
  }
  getColumn(j: number): RangeP {
    return this.sub((x) => ({ ...x, c: x.c + j, w: 1 }));
  }
  /**
   * ExcelApi 1.13: the merged areas whose top-left cell is in this range (office-js #3611: not those that only
   * overlap it), as a RangeAreas; a null object when there are none; more than 512 fail the batch (the reference:
   * "if the merged areas count in this range is more than 512, then this method will fail").
   */
  getMergedAreasOrNullObject(): RangeAreasP {
    return mk(
      this.ctx,
      RangeAreasP,
      this.child(({ s, rect }) => {
        if (!this.ctx.wb.supports("ExcelApi", "1.13")) throw new OfficeError("ApiNotFound", "Range.getMergedAreasOrNullObject needs ExcelApi 1.13");
        const areas = s.merges.filter((m) => m.r >= rect.r && m.r < rect.r + rect.h && m.c >= rect.c && m.c < rect.c + rect.w);
        if (areas.length > MERGED_AREAS_LIMIT)
          throw new OfficeError("GeneralException", `There are ${areas.length} merged areas in the range (more than 512).`);
        return areas.length ? { s, areas: [...areas].sort((a, b) => a.r - b.r || a.c - b.c) } : null;
      }, true),
    );
  }
  unmerge(): void {
    this.op(({ s, rect }) => {
      s.merges = s.merges.filter((m) => !intersects(m, rect));
    });
  }
  clear(_applyTo?: string): void {
    this.op(({ s, rect }) => {
      for (let r = rect.r; r < Math.min(rect.r + rect.h, s.grid.length); r++) {
        const row = s.grid[r];
        if (row) for (let c = rect.c; c < Math.min(rect.c + rect.w, row.length); c++) row[c] = undefined;
      }
      s.cfs = s.cfs.filter((cf) => !intersects(cf.rect, rect));
    });
  }
  select(): void {
    this.op(({ s, rect }) => {
      this.ctx.wb.selection = { sheet: s.name, address: a1(rect) };
    });
  }
  /** Range.calculate (ExcelApi 1.6): recorded in `calculations` as "range <sheet>!<address>". */
  calculate(): void {
    this.op(({ s, rect }) => {
      this.ctx.wb.calculations.push(`range ${s.name}!${a1(rect)}`);
    });
  }

  get format(): { font: { bold: boolean; color: string }; fill: { color: string }; columnWidth: number; autofitColumns(): void } {
    const rec = (f: (r: FormatRecord) => void) =>
      this.op(({ s, rect }) => {
        const r: FormatRecord = { rect };
        f(r);
        s.formats.push(r);
      });
    return {
      font: {
        set bold(v: boolean) {
          rec((r) => {
            r.bold = v;
          });
        },
        get bold(): boolean {
          throw notLoaded("bold");
        },
        set color(v: string) {
          rec((r) => {
            r.fontColor = v;
          });
        },
        get color(): string {
          throw notLoaded("color");
        },
      },
      fill: {
        set color(v: string) {
          rec((r) => {
            r.fill = v;
          });
        },
        get color(): string {
          throw notLoaded("color");
        },
      },
      set columnWidth(v: number) {
        rec((r) => {
          r.columnWidth = v;
        });
      },
      get columnWidth(): number {
        throw notLoaded("columnWidth");
      },
      autofitColumns: () =>
        rec((r) => {
          r.autofit = true;
        }),
    };
  }

  get dataValidation(): { rule: Excel.DataValidationRule; errorAlert: unknown; clear(): void } {
    const op = (f: (t: RangeT) => void, data?: unknown) => this.op(f, data);
    const entry = (s: SheetModel, rect: Rect) => {
      let e = s.validations.find((v) => a1(v.rect) === a1(rect));
      if (!e) s.validations.push((e = { rect }));
      return e;
    };
    return {
      set rule(rule: Excel.DataValidationRule) {
        op(({ s, rect }) => {
          entry(s, rect).rule = rule;
        }, rule);
      },
      get rule(): Excel.DataValidationRule {
        throw notLoaded("rule");
      },
      set errorAlert(a: unknown) {
        op(({ s, rect }) => {
          entry(s, rect).errorAlert = a;
        });
      },
      get errorAlert(): unknown {
        throw notLoaded("errorAlert");
      },
      clear() {
        op(({ s, rect }) => {
          s.validations = s.validations.filter((v) => !intersects(v.rect, rect));
        });
      },
    };
  }

  get conditionalFormats(): { add(type: string): CfRecord; clearAll(): void } {
    return {
      add: (type: string) => {
        const rec: CfRecord = {
          rect: { r: 0, c: 0, h: 0, w: 0 },
          type,
          textComparison: { format: { fill: {}, font: {} } },
          custom: { rule: {}, format: { fill: {}, font: {} } },
        };
        this.op(({ s, rect }) => {
          rec.rect = rect;
          s.cfs.push(rec);
        });
        return rec;
      },
      clearAll: () =>
        this.op(({ s, rect }) => {
          s.cfs = s.cfs.filter((cf) => !intersects(cf.rect, rect));
        }),
    };
  }

  protected property({ s, rect }: RangeT, name: string): unknown {
    const wb = this.ctx.wb;
    const each = <X>(f: (c: Cell | undefined) => X) =>
      Array.from({ length: rect.h }, (_, i) => Array.from({ length: rect.w }, (_, j) => f(wb.get(s, rect.r + i, rect.c + j))));
    switch (name) {
      case "values":
        return Array.from({ length: rect.h }, (_, i) => Array.from({ length: rect.w }, (_, j) => wb.valueAt(s, rect.r + i, rect.c + j)));
      case "formulas":
        return each((c) => (c?.f !== undefined ? c.f : c ? c.v : ""));
      case "numberFormat":
        return each((c) => c?.fmt ?? "General");
      case "address":
        return `${quoteSheet(s.name)}!${a1(rect)}`;
      case "rowIndex":
        return rect.r;
      case "columnIndex":
        return rect.c;
      case "rowCount":
        return rect.h;
      case "columnCount":
        return rect.w;
      default:
        throw new OfficeError("InvalidArgument", `Range.${name} is not modelled`);
    }
  }
}

/** Excel fails Range.getMergedAreasOrNullObject over this many areas. */
export const MERGED_AREAS_LIMIT = 512;

interface RangeAreasT {
  s: SheetModel;
  areas: Rect[];
}

/** Excel.RangeAreas as far as merged areas need it: `address` ("Sheet1!A3:A5,Sheet1!C3:D3", each area with its sheet), `areaCount`. */
class RangeAreasP extends ProxyBase<RangeAreasT> {
  get address(): string {
    return this.read("address") as string;
  }
  get areaCount(): number {
    return this.read("areaCount") as number;
  }
  protected property({ s, areas }: RangeAreasT, name: string): unknown {
    if (name === "address") return areas.map((a) => `${quoteSheet(s.name)}!${a1(a)}`).join(",");
    if (name === "areaCount") return areas.length;
    throw new OfficeError("InvalidArgument", `RangeAreas.${name} is not modelled`);
  }
}

interface TablesT {
  wb: FakeExcel;
  sheet?: SheetModel;
}

class TableCollectionP extends ProxyBase<TablesT> {
  get items(): TableP[] {
    return this.read("items") as TableP[];
  }
  get count(): number {
    return this.read("count") as number;
  }
  private list(t: TablesT): TableModel[] {
    return t.sheet ? t.wb.tablesOn(t.sheet) : t.wb.tables;
  }
  getItem(name: string): TableP {
    return mk(
      this.ctx,
      TableP,
      this.child((t) => this.list(t).find((x) => x.name.toLowerCase() === name.toLowerCase()) ?? null),
    );
  }
  getItemOrNullObject(name: string): TableP {
    return mk(
      this.ctx,
      TableP,
      this.child((t) => this.list(t).find((x) => x.name.toLowerCase() === name.toLowerCase()) ?? null, true),
    );
  }
  add(address: string | RangeP, hasHeaders: boolean): TableP {
    let made: TableModel | undefined;
    this.op(({ wb, sheet }) => {
      let s: SheetModel, rect: Rect;
      if (typeof address === "string") {
        const p = parseAddress(address);
        s = p.sheet ? wb.mustSheet(p.sheet) : (sheet ?? wb.sheets[wb.active]);
        rect = p.rect;
      } else ({ s, rect } = address.target()!);
      if (!hasHeaders) throw new OfficeError("InvalidArgument", "the fake models tables with headers only");
      for (const t of wb.tablesOn(s)) if (intersects(wb.tableRect(t), rect)) throw new OfficeError("InvalidOperation", "tables overlap");
      // A table always has a body row: a header-only range gets a blank one, like Excel.
      const n = Math.max(1, rect.h - 1);
      const header = wb.cells(s, { ...rect, h: 1 })[0];
      header.forEach((h, j) => {
        if (h === "") wb.put(s, rect.r, rect.c + j, { v: `Column${j + 1}` });
      });
      let name = "Table1";
      for (let k = 2; wb.table(name); k++) name = `Table${k}`;
      made = {
        id: wb.nextId("{tb-"),
        name,
        sheet: s,
        r: rect.r,
        c: rect.c,
        w: rect.w,
        n,
        calc: Array(rect.w).fill(undefined),
        showFilterButton: true,
        handlers: [],
      };
      wb.tables.push(made);
    });
    return mk(this.ctx, TableP, () => made ?? null);
  }
  protected property(t: TablesT, name: string): unknown {
    if (name === "count") return this.list(t).length;
    return loadedItems(this.ctx, TableP, this.list(t), name);
  }
}

class TableP extends ProxyBase<TableModel> {
  get name(): string {
    return this.read("name") as string;
  }
  set name(v: string) {
    this.op((t) => {
      if (this.ctx.wb.tables.some((x) => x !== t && x.name.toLowerCase() === v.toLowerCase())) throw new OfficeError("ItemAlreadyExists", `table ${v}`);
      t.name = v;
    });
  }
  get id(): string {
    return this.read("id") as string;
  }
  set showFilterButton(v: boolean) {
    this.op((t) => {
      t.showFilterButton = v;
    });
  }
  get showFilterButton(): boolean {
    return this.read("showFilterButton") as boolean;
  }
  private ws?: WorksheetP;
  get worksheet(): WorksheetP {
    return (this.ws ??= mk(
      this.ctx,
      WorksheetP,
      this.child((t) => t.sheet),
    ));
  }
  readonly onChanged = {
    add: (h: Handler) => {
      this.op((t) => t.handlers.push(h));
      return { remove: () => undefined };
    },
  };
  readonly onSelectionChanged = {
    add: (h: (args: SelectionArgs) => unknown) => {
      this.op((t) => {
        (t.selHandlers ??= []).push(h);
      });
      return { remove: () => undefined, context: this.ctx };
    },
  };

  private range(f: (t: TableModel) => Rect): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child((t) => ({ s: t.sheet, rect: f(t) })),
    );
  }
  getHeaderRowRange(): RangeP {
    return this.range((t) => ({ r: t.r, c: t.c, h: 1, w: t.w }));
  }
  getDataBodyRange(): RangeP {
    return this.range((t) => this.ctx.wb.bodyRect(t));
  }
  getRange(): RangeP {
    return this.range((t) => this.ctx.wb.tableRect(t));
  }
  get autoFilter(): { apply(range: RangeP | string, columnIndex?: number, criteria?: { filterOn: string; values?: unknown[] }): void; clearCriteria(): void } {
    const wb = this.ctx.wb;
    const setFilter = (t: TableModel, f: ValuesFilter | undefined) => {
      const temp = t.sheet.tempView;
      if (temp) temp.filters.set(t.id, f);
      else t.filter = f;
    };
    return {
      apply: (range, columnIndex, criteria) => {
        this.op((t) => {
          const rect = typeof range === "string" ? parseAddress(range).rect : range.target()!.rect;
          const tr = wb.tableRect(t);
          if (rect.r !== tr.r || rect.c !== tr.c || rect.w !== tr.w) throw new OfficeError("InvalidArgument", "autoFilter.apply: not the table's range");
          if (columnIndex === undefined || !criteria) return;
          if (columnIndex < 0 || columnIndex >= t.w) throw new OfficeError("InvalidArgument", `autoFilter column ${columnIndex}`);
          if (criteria.filterOn !== "Values") throw new OfficeError("InvalidArgument", `the fake models Values filters only, not ${criteria.filterOn}`);
          if (!criteria.values?.length) throw new OfficeError("InvalidArgument", "an empty values filter");
          setFilter(t, { col: columnIndex, values: criteria.values.map(String) });
        }, criteria);
      },
      clearCriteria: () => this.op((t) => setFilter(t, undefined)),
    };
  }

  convertToRange(): void {
    this.op((t) => {
      this.ctx.wb.tables = this.ctx.wb.tables.filter((x) => x !== t);
    });
  }
  delete(): void {
    this.op((t) => {
      const wb = this.ctx.wb;
      const rect = wb.tableRect(t);
      for (let i = 0; i < rect.h; i++) for (let j = 0; j < rect.w; j++) wb.put(t.sheet, rect.r + i, rect.c + j, undefined);
      wb.tables = wb.tables.filter((x) => x !== t);
    });
  }

  private rowsP?: { add(index?: number | null, values?: unknown[][]): void; readonly count: number; load(p: string): unknown };
  get rows(): { add(index?: number | null, values?: unknown[][]): void; readonly count: number; load(p: string): unknown } {
    if (this.rowsP) return this.rowsP;
    const op = (f: (t: TableModel) => void, data?: unknown) => this.op(f, data);
    const wb = this.ctx.wb;
    const queue = (f: () => void) => this.ctx.queue(f);
    const target = () => this.target();
    const counted = { loaded: undefined as number | undefined };
    return (this.rowsP = {
      add(index?: number | null, values?: unknown[][]) {
        op((t) => {
          if (index !== null && index !== undefined && index !== -1) throw new OfficeError("InvalidArgument", "the fake adds rows at the end only");
          // "calls to the TableRowCollection.add API can cause coauthoring conflicts" (co-authoring page, see the header).
          if (wb.coauthors > 0) {
            wb.mergeConflicts++;
            wb.refreshBar = true;
          }
          const data = values ?? [Array(t.w).fill("")];
          const at = t.r + 1 + t.n;
          if (data.some((row) => row.length !== t.w)) throw new OfficeError("InvalidArgument", "row width");
          for (let i = 0; i < data.length; i++) {
            if (t.sheet.grid[at + i]?.slice(t.c, t.c + t.w).some((c) => c && (c.v !== "" || c.f))) {
              throw new OfficeError("InvalidOperation", "the fake does not shift cells below a table");
            }
          }
          t.n += data.length;
          // Rows added below inherit the column's number format, as Excel does.
          const fmts = Array.from({ length: t.w }, (_, j) => wb.get(t.sheet, at - 1, t.c + j)?.fmt);
          for (let i = 0; i < data.length; i++)
            fmts.forEach((fmt, j) => {
              if (fmt) wb.put(t.sheet, at + i, t.c + j, { v: "", fmt });
            });
          wb.write(t.sheet, { r: at, c: t.c, h: data.length, w: t.w }, data, "values");
          wb.emit(t.sheet, { r: at, c: t.c, h: data.length, w: t.w }, "RowInserted", "ThisLocalAddin");
        }, values);
      },
      get count(): number {
        if (counted.loaded === undefined) throw notLoaded("count");
        return counted.loaded;
      },
      load() {
        queue(() => {
          counted.loaded = target()?.n;
        });
        return this;
      },
    });
  }

  get columns(): {
    getItemAt(i: number): TableColumnP;
    getItem(name: string): TableColumnP;
    getItemOrNullObject(name: string): TableColumnP;
    add(index?: number | null, values?: unknown[][], name?: string): TableColumnP;
  } {
    const byName = (t: TableModel, name: string) => {
      const header = this.ctx.wb.cells(t.sheet, { r: t.r, c: t.c, h: 1, w: t.w })[0];
      const j = header.findIndex((h) => String(h) === name);
      return j < 0 ? null : { t, j };
    };
    return {
      getItemAt: (i: number) =>
        mk(
          this.ctx,
          TableColumnP,
          this.child((t) => (i >= 0 && i < t.w ? { t, j: i } : null)),
        ),
      getItem: (name: string) =>
        mk(
          this.ctx,
          TableColumnP,
          this.child((t) => byName(t, name)),
        ),
      getItemOrNullObject: (name: string) =>
        mk(
          this.ctx,
          TableColumnP,
          this.child((t) => byName(t, name), true),
        ),
      /**
       * A column at `index` (null, -1 or the column count: the end; "Columns with a higher index will be shifted to the
       * side"): inside the table the cells of the table's rows from there move right; at the end, cells right of the
       * table must be empty (the fake does not shift them). `values` ("unformatted values of the table column") are the
       * header and body, one row each, as the reference's example passes them; without them the body is blank. The
       * header is `name`, else values' first row, else "Column<n>". The new cells carry no number format, validation or
       * conditional format (the reference promises none; the caller sets them).
       */
      add: (index?: number | null, values?: unknown[][], name?: string) => {
        let placed = -1;
        this.op(
          (t) => {
            const wb = this.ctx.wb;
            const j = index === null || index === undefined || index === -1 ? t.w : index;
            if (j < 0 || j > t.w) throw new OfficeError("InvalidArgument", `column index ${j}`);
            if (values !== undefined && (values.length !== t.n + 1 || values.some((r) => r.length !== 1)))
              throw new OfficeError("InvalidArgument", `values: ${values.length} rows for a table of ${t.n + 1}`);
            const c = t.c + j;
            if (j === t.w) {
              for (let r = t.r; r <= t.r + t.n; r++) {
                const there = wb.get(t.sheet, r, c);
                if (there && (there.v !== "" || there.f)) throw new OfficeError("InvalidOperation", "the fake does not shift cells right of a table");
              }
            } else for (let r = t.r; r <= t.r + t.n; r++) t.sheet.grid[r]?.splice(c, 0, undefined as unknown as Cell);
            wb.put(t.sheet, t.r, c, { v: name ?? (values?.[0]?.[0] as Prim | undefined) ?? `Column${t.w + 1}` });
            t.w += 1;
            t.calc.splice(j, 0, undefined);
            placed = j;
            if (values) wb.write(t.sheet, { r: t.r + 1, c, h: t.n, w: 1 }, values.slice(1), "values");
          },
          [index, name, values],
        );
        return mk(
          this.ctx,
          TableColumnP,
          this.child((t) => ({ t, j: placed >= 0 ? placed : t.w - 1 })),
        );
      },
    };
  }

  prop(t: TableModel, name: string): unknown {
    return this.property(t, name);
  }
  protected property(t: TableModel, name: string): unknown {
    switch (name) {
      case "name":
        return t.name;
      case "id":
        return t.id;
      case "showFilterButton":
        return t.showFilterButton;
      default:
        throw new OfficeError("InvalidArgument", `Table.${name} is not modelled`);
    }
  }
}

class TableColumnP extends ProxyBase<{ t: TableModel; j: number }> {
  get name(): string {
    return this.read("name") as string;
  }
  get index(): number {
    return this.read("index") as number;
  }
  getDataBodyRange(): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child(({ t, j }) => ({ s: t.sheet, rect: { r: t.r + 1, c: t.c + j, h: t.n, w: 1 } })),
    );
  }
  getHeaderRowRange(): RangeP {
    return mk(
      this.ctx,
      RangeP,
      this.child(({ t, j }) => ({ s: t.sheet, rect: { r: t.r, c: t.c + j, h: 1, w: 1 } })),
    );
  }
  protected property({ t, j }: { t: TableModel; j: number }, name: string): unknown {
    if (name === "index") return j;
    if (name === "name") return String(this.ctx.wb.valueOf(this.ctx.wb.get(t.sheet, t.r, t.c + j)));
    throw new OfficeError("InvalidArgument", `TableColumn.${name} is not modelled`);
  }
}

class ChartP {
  constructor(
    private readonly ctx: FakeContext,
    private readonly model: ChartModel,
  ) {}
  set name(v: string) {
    this.ctx.queue(() => {
      this.model.name = v;
    });
  }
  get name(): string {
    throw notLoaded("name");
  }
  readonly title = ((ctx: FakeContext, m: ChartModel) => ({
    set text(v: string) {
      ctx.queue(() => {
        m.title = v;
      });
    },
    get text(): string {
      throw notLoaded("text");
    },
  }))(this.ctx, this.model);
  readonly legend = ((ctx: FakeContext, m: ChartModel) => ({
    set position(v: string) {
      ctx.queue(() => {
        m.legend.position = v;
      });
    },
    get position(): string {
      throw notLoaded("position");
    },
    set visible(v: boolean) {
      ctx.queue(() => {
        m.legend.visible = v;
      });
    },
    get visible(): boolean {
      throw notLoaded("visible");
    },
  }))(this.ctx, this.model);
  get series(): { getItemAt(i: number): { chartType: string; axisGroup: string } } {
    const ctx = this.ctx;
    const m = this.model;
    return {
      getItemAt: (i: number) => {
        const cols = () => (m.seriesBy === "Rows" ? m.source.rect.h : m.source.rect.w) - 1;
        const at = (f: (s: { chartType?: string; axisGroup?: string }) => void) =>
          ctx.queue(() => {
            // Excel's own refusal of an index past the chart's series.
            if (i < 0 || i >= cols()) throw new OfficeError("InvalidArgument", `ChartSeriesCollection.getItemAt(${i}): the chart has ${cols()} series`);
            m.series ??= {};
            f((m.series[i] ??= {}));
          });
        return {
          set chartType(v: string) {
            at((s) => (s.chartType = v));
          },
          get chartType(): string {
            throw notLoaded("chartType");
          },
          set axisGroup(v: string) {
            at((s) => (s.axisGroup = v));
          },
          get axisGroup(): string {
            throw notLoaded("axisGroup");
          },
        };
      },
    };
  }
  setPosition(start: string, end?: string): void {
    parseAddress(start);
    if (end) parseAddress(end);
    this.ctx.queue(() => {
      this.model.position = { start, end };
    });
  }
}
