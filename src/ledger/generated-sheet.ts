/**
 * A generated sheet as plain data: where each block of cells goes, which columns are money or rates, which rows
 * to mark, and which blocks get a native chart. Reports build one (reports/report-sheets.ts); every store writes
 * it the same way (Excel with native charts, an .xlsx file and memory as values) through `LedgerStore.writeSheet`,
 * so the store contract names no report and no store knows what a dashboard is.
 */
import type { CellValue } from "../domain/case";
import { safeSheetName } from "./workbook-layout";

export const MONEY = "#,##0.00";
export const PERCENT = "0.0%";

/** A block of cells: an optional title row, an optional header row, then the rows. */
export interface LayoutBlock {
  /** 0-based sheet row and column of the block's first row. */
  row: number;
  col: number;
  title?: string;
  header?: string[];
  rows: CellValue[][];
  /** Number format per column of `rows` ("" or missing: General). */
  formats?: string[];
  /** Indices into `rows` to mark (amber fill), e.g. review lines with issues. */
  marked?: number[];
}

export type ChartType = "ColumnClustered" | "BarClustered" | "ColumnStacked" | "Line" | "Pie";

/** A native chart over a block's header and rows: the first `cols` columns (labels first). */
export interface LayoutChart {
  type: ChartType;
  title: string;
  block: number;
  cols: number;
  /**
   * Columns of the block (1-based, each below `cols`) drawn as a line on a secondary axis over the others' bars:
   * a Pareto's cumulative share, a trend's on-time rate. Read by every store that draws charts (Excel's
   * `series.axisGroup`, the .xlsx file's DrawingML `lineChart`).
   */
  secondaryLine?: number[];
  /** Placement: top-left cell (0-based) and size in rows × columns. */
  at: { row: number; col: number; rows: number; cols: number };
}

export interface SheetLayout {
  name: string;
  blocks: LayoutBlock[];
  charts: LayoutChart[];
  /** Column widths in characters, from column A. */
  widths?: number[];
  /** Rows to freeze at the top. */
  freezeRows?: number;
}

/** 0-based sheet rows of a block: title, header, first and last data row (last < first when there are none). */
export function blockRows(b: LayoutBlock): { title?: number; header?: number; first: number; last: number } {
  let r = b.row;
  const title = b.title !== undefined ? r++ : undefined;
  const header = b.header ? r++ : undefined;
  return { title, header, first: r, last: r + b.rows.length - 1 };
}

/** Width of a block in columns. */
export const blockWidth = (b: LayoutBlock) => Math.max(b.header?.length ?? 0, ...b.rows.map((r) => r.length), 1);

/** A chart's source: header row to last data row, `cols` columns from the block's first. */
export function chartSource(layout: SheetLayout, c: LayoutChart): { row: number; col: number; rows: number; cols: number } | undefined {
  const b = layout.blocks[c.block];
  const at = blockRows(b);
  if (b.rows.length === 0 || at.header === undefined) return undefined;
  return { row: at.header, col: b.col, rows: at.last - at.header + 1, cols: c.cols };
}

/** The whole layout as one grid of values (for stores without charts or formats). */
export function layoutGrid(layout: SheetLayout): CellValue[][] {
  const grid: CellValue[][] = [];
  const put = (r: number, c: number, v: CellValue) => {
    while (grid.length <= r) grid.push([]);
    const row = grid[r];
    while (row.length < c) row.push(null);
    row[c] = v;
  };
  for (const b of layout.blocks) {
    const at = blockRows(b);
    if (at.title !== undefined) put(at.title, b.col, b.title!);
    if (at.header !== undefined) b.header!.forEach((h, j) => put(at.header!, b.col + j, h));
    b.rows.forEach((row, i) => row.forEach((v, j) => put(at.first + i, b.col + j, v === "" || v === undefined ? null : v)));
  }
  const width = Math.max(0, ...grid.map((r) => r.length));
  return grid.map((r) => [...r, ...Array(width - r.length).fill(null)]);
}

/** A plain sheet of values (LedgerStore.addSheet): one block at A1. */
export function plainLayout(name: string, rows: CellValue[][]): SheetLayout {
  return { name: safeSheetName(name), blocks: [{ row: 0, col: 0, rows }], charts: [] };
}
