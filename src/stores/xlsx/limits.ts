/**
 * What a ledger file may hold before we refuse it, stated once. A file over
 * a limit is refused (exit 2 on the command line) with a message naming the
 * limit, before it can take the machine's memory or time: a 3 MB zip can
 * inflate to gigabytes, and one stray cell at XFD1048576 makes a sheet's
 * used range 17 billion cells.
 *
 * Sizes are checked against what the zip declares first and then against
 * what actually inflates (a hostile zip lies), so refusing costs at most one
 * part's limit of work.
 */
import { DomainError } from "../../domain/errors";
import { SHEETS } from "../../ledger/workbook-layout";
import { MAX_CELL_CHARS } from "./stored-text";

export const LIMITS = {
  /**
   * Inflated size of a part read whole as one piece: a sheet the synchronous reader (`readRows`) or the
   * workbench holds whole, decoded to one string (V8's longest is ~512 million characters).
   */
  partBytes: 512 * 1024 * 1024,
  /**
   * Inflated size of a sheet streamed a piece at a time (the ledger and audit sheets of check, verify-audit,
   * upgrade, calendar import): memory stays flat, so this bounds time only. A 200,000-case ledger's audit sheet
   * is ~880 MB; 2 GB holds ~450,000 cases and stays under zip32's 4 GB per entry. Checked up front against what
   * every entry declares (the most any use allows), then where each part is used, against that use's limit.
   */
  streamedPartBytes: 2048 * 1024 * 1024,
  /** Inflated size of all parts together: the time a file may take (~20 s of inflating and scanning at 4 GB). */
  totalBytes: 4096 * 1024 * 1024,
  /** Parts read whole into memory (shared strings, styles, workbook, small sheets a patch rewrites): held at once. */
  wholePartBytes: 256 * 1024 * 1024,
  /** Inflated size of a file handed to exceljs, which builds a model of every cell (~10 bytes of memory per byte of XML). */
  exceljsBytes: 96 * 1024 * 1024,
  /** Zip entries in one file. */
  entries: 10000,
  /** Excel's grid: rows and columns. */
  rows: 1048576,
  columns: 16384,
  /** Characters in one cell (Excel's limit). */
  cellChars: MAX_CELL_CHARS,
  /**
   * Cells adoption reads: those present on the sheet, and those of the ledger's block it reads as a grid
   * (blanks included). A stray cell far from the ledger counts once, not as the used range it stretches.
   */
  gridCells: 3000000,
} as const;

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;
const num = (n: number) => n.toLocaleString("en");

/** A limit exceeded: code LIMIT, exit 2, both languages, the limit named. */
export function limitError(zh: string, en: string): DomainError {
  return new DomainError("LIMIT", `超出限制:${zh}`, `Limit exceeded: ${en}`);
}

export const partTooBig = (part: string, bytes: number, limit: number, declared: boolean) =>
  limitError(
    `压缩包中的 ${part} 解压后${declared ? "声明为" : "超过"} ${mb(bytes)},上限为 ${mb(limit)}(可能是压缩炸弹)`,
    `${part} in the zip ${declared ? "declares" : "inflates to more than"} ${mb(bytes)} when inflated; the limit is ${mb(limit)} (a zip bomb?)`,
  );

export const totalTooBig = (bytes: number, limit: number) =>
  limitError(`文件解压后共 ${mb(bytes)},上限为 ${mb(limit)}`, `the file inflates to ${mb(bytes)} in all; the limit is ${mb(limit)}`);

export const tooManyEntries = (n: number) =>
  limitError(`压缩包有 ${num(n)} 个条目,上限为 ${num(LIMITS.entries)}`, `the zip has ${num(n)} entries; the limit is ${num(LIMITS.entries)}`);

export const cellTooLong = (where: string, chars: number) =>
  limitError(
    `单元格 ${where} 有 ${num(chars)} 个字符,Excel 单元格上限为 ${num(LIMITS.cellChars)}`,
    `cell ${where} holds ${num(chars)} characters; Excel's limit per cell is ${num(LIMITS.cellChars)}`,
  );

/** A cell or row past Excel's grid; `at` names it in each language (a cell reference, or a row or column number). */
export const outsideGrid = (sheet: string, at: string | { row: number } | { column: number }) => {
  const zh = typeof at === "string" ? at : "row" in at ? `第 ${at.row} 行` : `第 ${at.column} 列`;
  const en = typeof at === "string" ? at : "row" in at ? `row ${at.row}` : `column ${at.column}`;
  return limitError(
    `工作表"${sheet}"的 ${zh} 超出 Excel 的 ${num(LIMITS.rows)} 行 × ${num(LIMITS.columns)} 列`,
    `sheet "${sheet}": ${en} is outside Excel's ${num(LIMITS.rows)} rows × ${num(LIMITS.columns)} columns`,
  );
};

/**
 * Rows a sheet can still take below its row `lastRow` before Excel's grid ends. Every writer that appends
 * rows (ledger, audit log, people, problems, records) asks this before it writes anything: a file past the grid
 * is one Excel opens only by "repairing" it, dropping the rows beyond (an audit trail destroyed).
 */
export const rowsLeft = (lastRow: number) => Math.max(0, LIMITS.rows - lastRow);

/** What the user is told the sheet is, by its name (the audit log and the ledger are the ones that fill up). */
function sheetKind(sheet: string): { zh: string; en: string } {
  if (sheet === SHEETS.audit) return { zh: "审计日志", en: "the audit log" };
  if (sheet === SHEETS.ledger || sheet.includes("台账") || /ledger/i.test(sheet)) return { zh: "台账", en: "the ledger" };
  return { zh: `工作表"${sheet}"`, en: `sheet "${sheet}"` };
}

/** The refusal when `adding` rows after row `lastRow` of `sheet` would pass Excel's grid: LIMIT, both languages, the way out said. */
export const sheetFull = (sheet: string, lastRow: number, adding: number) => {
  const k = sheetKind(sheet);
  return limitError(
    `工作表"${sheet}"已用到第 ${num(lastRow)} 行,再写入 ${num(adding)} 行将超出 Excel 的 ${num(LIMITS.rows)} 行上限,本次未写入任何内容。` +
      `${k.zh}已满,请将已结案年度归档到另一个工作簿`,
    `sheet "${sheet}" is used to row ${num(lastRow)}; ${num(adding)} more rows would pass Excel's ${num(LIMITS.rows)} rows, so nothing was written. ` +
      `${k.en[0].toUpperCase()}${k.en.slice(1)} is full: archive closed cases' years into a separate workbook`,
  );
};

/** Throws sheetFull unless `adding` rows fit below row `lastRow` of `sheet`: the one check, called before a byte is written. */
export function checkRowsFit(sheet: string, lastRow: number, adding: number): void {
  if (adding > 0 && adding > rowsLeft(lastRow)) throw sheetFull(sheet, lastRow, adding);
}

export const gridTooBig = (sheet: string, rows: number, cols: number, far: string) =>
  limitError(
    `工作表"${sheet}"的台账区域为 ${num(rows)} 行 × ${num(cols)} 列(至 ${far}),上限为 ${num(LIMITS.gridCells)} 个单元格`,
    `sheet "${sheet}": the ledger's block is ${num(rows)} rows × ${num(cols)} columns (to ${far}); the limit is ${num(LIMITS.gridCells)} cells`,
  );

export const tooManyCells = (sheet: string, cells: number) =>
  limitError(
    `工作表"${sheet}"有 ${num(cells)} 个非空单元格,上限为 ${num(LIMITS.gridCells)}`,
    `sheet "${sheet}" holds ${num(cells)} non-blank cells; the limit is ${num(LIMITS.gridCells)}`,
  );

/** A zip whose entry inflates to other than it declares: damaged or made to deceive. */
export const sizeLie = (part: string) =>
  new DomainError("NOT_XLSX", `文件已损坏:${part} 的实际大小与压缩包声明的不符`, `The file is damaged: ${part} does not inflate to the size the zip declares`);

/** Not a ledger: the detail in each language (never a "中文 / English" fragment inside one language's text). */
/** A part whose bytes do not match the CRC the zip records: changed after it was written (Excel refuses such a file). */
export const crcMismatch = (part: string) =>
  new DomainError(
    "NOT_XLSX",
    `文件已损坏:${part} 的校验和(CRC)与压缩包记录的不符,Excel 也会拒绝打开`,
    `The file is damaged: ${part} fails the zip's CRC check (Excel refuses such a file too)`,
  );

export const NOT_A_LEDGER = (zh: string, en: string) =>
  new DomainError(
    "NOT_A_LEDGER",
    `此文件不是客诉台账:${zh}。请先用 adopt 命令导入原有台账。`,
    `This file is not a complaint ledger: ${en}. Adopt your existing sheet first (the adopt command).`,
  );

/** An upgrade's new columns would overwrite a cell right of the ledger table (the .xlsx store and the upgrade's patch). */
export const columnSpaceTaken = (address: string) =>
  new DomainError(
    "COLUMN_SPACE_TAKEN",
    `台账表右侧的单元格 ${address} 已有内容,无法在表格末尾添加新列;请移走该处内容后再升级(文件未修改)`,
    `Cell ${address}, right of the ledger table, holds something, so new columns cannot be added at the table's end; move it and upgrade again (the file is unchanged)`,
  );
