/**
 * Cells whose value is not what the grid's value says (issue 29): a merged
 * area shows its value across every cell it covers, a formula a program
 * wrote has no result until something calculates it, and an error value
 * (#DIV/0!, #N/A…) is no value at all. The planner reads each as a person
 * sees it and lists it; none is read as blank or as text.
 */
import { excelError, isBlank, type CellValue } from "../domain/case";
import { columnLetter } from "../ledger/workbook-layout";
import { quote } from "../domain/text";
import type { AdoptProblem, ColumnMapping, Planning, SheetGrid } from "./planning";

/**
 * The grid's values with every merged area below the header filled with its
 * top-left value, and one MERGED_CELLS problem per area filled. Areas above
 * or across the header row (titles, two-level headers) are left as they are.
 */
export function fillMerges(grid: SheetGrid, headerRow: number): { values: CellValue[][]; problems: AdoptProblem[] } {
  const values = grid.values as CellValue[][];
  const problems: AdoptProblem[] = [];
  const origin = grid.origin ?? { row: 0, col: 0 };
  if (!grid.merges?.length) return { values, problems };
  const out = values.slice();
  const copied = new Set<number>();
  const header = values[headerRow] ?? [];
  for (const m of [...grid.merges].sort((a, b) => a.top - b.top || a.left - b.left)) {
    if (m.top <= headerRow || m.top >= values.length) continue;
    const value = values[m.top]?.[m.left] ?? null;
    if (isBlank(value)) continue;
    for (let r = m.top; r <= Math.min(m.bottom, values.length - 1); r++) {
      if (!copied.has(r)) {
        out[r] = (values[r] ?? []).slice();
        copied.add(r);
      }
      for (let c = m.left; c <= m.right; c++) out[r][c] = value;
    }
    const range = `${columnLetter(origin.col + m.left)}${origin.row + m.top + 1}:${columnLetter(origin.col + m.right)}${origin.row + m.bottom + 1}`;
    problems.push({
      row: origin.row + m.top + 1,
      column: columnLetter(origin.col + m.left),
      header: String(header[m.left] ?? ""),
      value,
      kind: "MERGED_CELLS",
      zh: `合并单元格 ${range} 的值"${quote(value)}"已填入它覆盖的每个单元格(原表的合并保留在备份表中)`,
      en: `Merged cells ${range}: the value "${quote(value)}" was given to every cell they cover (the original merge is kept in the backup sheet)`,
    });
  }
  return { values: out, problems };
}

/** Formulas without a result, by grid row then column. */
export function formulasByCell(grid: SheetGrid): Map<number, Map<number, string>> {
  const at = new Map<number, Map<number, string>>();
  for (const f of grid.formulas ?? []) {
    const row = at.get(f.row) ?? new Map<number, string>();
    row.set(f.col, f.formula);
    at.set(f.row, row);
  }
  return at;
}

/**
 * Whether a case row's cell holds no value although it is not blank: a formula with no result, or an Excel
 * error. Listed as FORMULA_NO_VALUE / CELL_ERROR; the ledger cell stays blank, the backup keeps the formula.
 */
export function markedCell(p: Planning, formulas: Map<number, Map<number, string>>, r: number, c: ColumnMapping, raw: CellValue): boolean {
  const formula = formulas.get(r)?.get(c.index);
  const error = formula === undefined ? excelError(raw) : undefined;
  if (formula === undefined && error === undefined) return false;
  const at = { row: p.sheetRow(r), column: c.letter, header: c.header };
  if (formula !== undefined) {
    const f = quote(`=${formula.replace(/^=/, "")}`);
    p.problems.push({
      ...at,
      value: `=${formula.replace(/^=/, "")}`,
      kind: "FORMULA_NO_VALUE",
      zh: `公式 ${f} 没有计算结果(文件由不计算公式的程序写出),未读作空白,台账中留空;请在 Excel 中打开并保存后重新导入,或填写数值`,
      en: `The formula ${f} has no computed result (a program that does not calculate wrote the file); not read as blank, left empty in the ledger: open and save the file in Excel and adopt again, or type the value`,
    });
  } else {
    p.problems.push({
      ...at,
      value: raw,
      kind: "CELL_ERROR",
      zh: `单元格显示 Excel 错误值 ${error}(公式算不出结果),不作为数值或文字导入,台账中留空(原公式保留在备份表中)`,
      en: `The cell shows Excel's error ${error} (its formula has no result); not adopted as a value or as text, left empty in the ledger (the formula is kept in the backup sheet)`,
    });
  }
  return true;
}
