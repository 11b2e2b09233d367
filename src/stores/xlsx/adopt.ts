/**
 * Adopting a hand-kept sheet of an .xlsx workbook: read it as a SheetGrid,
 * plan with the shared planAdoption, and build the ledger in the same
 * workbook: an untouched backup copy of the sheet, the ledger table under the
 * sheet's own name (at its place), Problems, Policy, People, Audit and meta.
 * The caller saves the result under a new name; the input is never written.
 */
import type { Workbook, Worksheet } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { defaultPolicy } from "../../domain/policy/policy";
import { OUTSIDE_LISTED, type AdoptPlan, type SheetGrid } from "../../adoption/planner";
import { ledgerBlock, type PresentCell } from "../../adoption/block";
import { gridTooBig, LIMITS, tooManyCells } from "./limits";
import { columnLetter, SHEETS, TABLES, safeSheetName } from "../../ledger/workbook-layout";
import { isBlank, plainValue } from "./cells";
import { findTable, hiddenLedgerSheets, internals } from "./tables";
import { quote } from "../../domain/text";
import { deferBackupRows } from "./backup-rows";
import type { DeferredBody } from "./sheet-xml";
import { addLedgerSheet, addSupportSheets } from "./workbook";
import { adoptedContent, planOf, type AdoptWorkbookOptions } from "./adopt-parts/content";

/** Non-blank cells present on a sheet (merged slaves excluded), 0-based: what the limits count, not the used range. */
export function presentCells(ws: Worksheet): PresentCell[] {
  const cells: PresentCell[] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (cell.isMerged && cell.master !== cell) return;
      if (!isBlank(plainValue(cell.value))) cells.push({ row: r - 1, col: c - 1 });
    });
  });
  return cells;
}

/**
 * The ledger's block of a sheet as values (what a person sees), with number
 * formats: the cells around the header row (adoption/block.ts), from the
 * sheet's first row and column so row and column numbers stay the sheet's.
 * Cells beyond the block are returned as `outside`, for the Problems sheet.
 */
export function readGrid(ws: Worksheet): SheetGrid {
  const values: CellValue[][] = [];
  const numberFormats: (string | null)[][] = [];
  const cells = presentCells(ws);
  if (cells.length > LIMITS.gridCells) throw tooManyCells(ws.name, cells.length);
  const block = ledgerBlock(cells) ?? { top: 0, left: 0, bottom: -1, right: -1, outside: [] };
  // From the first row and column, as before: titles above the header and row numbers keep their places.
  const width = block.right + 1;
  if ((block.bottom + 1) * width > LIMITS.gridCells) throw gridTooBig(ws.name, block.bottom + 1, width, columnLetter(block.right) + (block.bottom + 1));
  const formulas: NonNullable<SheetGrid["formulas"]> = [];
  for (let r = 1; r <= block.bottom + 1; r++) {
    // findRow/findCell read what is there; getRow/getCell would create every empty cell (and the backup would copy them).
    const row = ws.findRow(r);
    const v: CellValue[] = [];
    const f: (string | null)[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row?.findCell(c);
      // A merged cell shows its master's value only in the master (the planner gives it to the area: grid.merges).
      v.push(!cell || (cell.isMerged && cell.master !== cell) ? null : plainValue(cell.value));
      f.push(cell?.numFmt ?? null);
      // A formula a program wrote without its result: not a blank (the planner lists it).
      const raw = cell?.value as { formula?: string; sharedFormula?: string; result?: unknown } | null | undefined;
      if (raw && typeof raw === "object" && ("formula" in raw || "sharedFormula" in raw) && raw.result === undefined)
        formulas.push({ row: r - 1, col: c - 1, formula: cell!.formula ?? raw.formula ?? "" });
    }
    values.push(v);
    numberFormats.push(f);
  }
  while (values.length && values[values.length - 1].every(isBlank)) {
    values.pop();
    numberFormats.pop();
  }
  // Cells above or left of the block are in the grid read from A1 (titles, notes: the planner reads them); beyond it they are outside.
  const beyond = block.outside.filter((c) => c.row > block.bottom || c.col > block.right);
  const outside = beyond.slice(0, OUTSIDE_LISTED).map((c) => ({ ...c, value: plainValue(ws.findRow(c.row + 1)!.findCell(c.col + 1)!.value) }));
  const merges = Object.values(internals(ws)._merges ?? {})
    .map((m) => ({ top: m.top - 1, left: m.left - 1, bottom: m.bottom - 1, right: m.right - 1 }))
    .filter((m) => m.top < values.length && m.left < width);
  return { name: ws.name, values, numberFormats, origin: { row: 0, col: 0 }, outside, outsideCount: beyond.length, merges, formulas };
}

export type { AdoptWorkbookOptions };

/**
 * Adopts one sheet of `wb` in place (load the input, adopt, save elsewhere).
 * Throws DomainError for a missing sheet, a workbook that already is a
 * ledger, or a sheet without a recognisable header. With `defer`, the
 * ledger, Audit and Problems rows are left to the streaming writer
 * (file.ts saveLedgerBook) instead of becoming exceljs cells, and so, where
 * it can, are the backup's own rows (backup-rows.ts).
 */
export async function adoptWorkbook(wb: Workbook, opts: AdoptWorkbookOptions = {}, defer?: DeferredBody[]): Promise<AdoptPlan> {
  const policy = opts.policy ?? defaultPolicy();
  const now = opts.now ?? new Date();
  if (findTable(wb, TABLES.ledger)) {
    throw new DomainError("ALREADY_LEDGER", "此工作簿已经是客诉台账,无需导入", "This workbook already is a complaint ledger; nothing to adopt");
  }
  // A ledger table Excel hides is neither read nor adopted over: a second CaseLedger table would break the file.
  const hidden = hiddenLedgerSheets(wb);
  if (hidden.length) {
    throw new DomainError(
      "ALREADY_LEDGER",
      `台账表只在隐藏的工作表"${quote(hidden[0])}"中;请先在 Excel 中取消隐藏该工作表(或删除它)再打开`,
      `The ledger table is only on the hidden sheet "${quote(hidden[0])}": unhide that sheet in Excel (or delete it), then open the file again`,
    );
  }
  const visible = wb.worksheets.filter((w) => w.state !== "hidden" && w.state !== "veryHidden");
  const ws = opts.sheet === undefined ? visible[0] : wb.worksheets.find((w) => w.name === opts.sheet);
  if (!ws) {
    const names = wb.worksheets.map((w) => w.name).join("、");
    throw new DomainError(
      "NO_SHEET",
      `找不到工作表"${opts.sheet ?? ""}"(现有:${names})`,
      `No sheet named "${opts.sheet ?? ""}" (sheets: ${wb.worksheets.map((w) => w.name).join(", ")})`,
    );
  }
  // Excel (and exceljs, on adding) compares sheet names without case: "审计 AUDIT" or "_CL_META" is taken too.
  const taken = (name: string) => wb.worksheets.find((w) => w.name.toLowerCase() === name.toLowerCase());
  for (const name of [SHEETS.policy, SHEETS.people, SHEETS.audit, SHEETS.problems, SHEETS.meta]) {
    const there = taken(name);
    if (there) {
      throw new DomainError(
        "SHEET_EXISTS",
        `工作簿中已有工作表"${there.name}"(与本工具要写的"${name}"同名,Excel 不区分大小写),请先改名`,
        `The workbook already has a sheet named "${there.name}" (the same name as "${name}", which this tool writes: Excel ignores case); rename it first`,
      );
    }
  }
  const plan = planOf(readGrid(ws), opts, policy, now);

  const name = ws.name;
  const order = internals(ws).orderNo;
  const backupName = safeSheetName(`${SHEETS.backupPrefix}${name}`);
  if (taken(backupName)) {
    throw new DomainError("SHEET_EXISTS", `工作簿中已有工作表"${backupName}"`, `The workbook already has a sheet named "${backupName}"`);
  }
  // The original sheet itself becomes the backup: renamed, not copied, so every cell, style, merge,
  // validation and format stays exactly as it was, and a 50,000-row sheet is not held twice (issue 15).
  ws.name = backupName;
  const backup = ws;

  // The ledger's dates are 1900-system serials (the whole project's); a Mac workbook in the 1904 system is written
  // in the 1900 system, its backup's dates (Dates, as exceljs read them) converted with it: one system in the output.
  (wb.properties as { date1904?: boolean }).date1904 = false;
  const content = await adoptedContent(plan, name, opts, policy, now);
  const { ws: ledger, formatRows } = addLedgerSheet(wb, content, defer);
  // The ledger takes the original's place; its backup follows it.
  internals(ledger).orderNo = order;
  internals(backup).orderNo = order + 0.5;
  addSupportSheets(wb, content, formatRows, defer);
  // The backup's own rows stream too when exceljs need not gather anything from its cells (decision #42).
  if (defer) deferBackupRows(backup, defer, false);
  return plan;
}
