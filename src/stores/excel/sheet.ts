/**
 * Writes a report sheet (reports/report-sheets.ts) into the open workbook: values
 * through `toExcel` (text stays text), number formats, bold titles and
 * headers, marked rows, column widths and native charts over the written
 * blocks. A sheet of that name is replaced whole — it is generated, never
 * edited by hand — and keeps its place among the tabs.
 *
 * Round trips: 2 (probe the sheet; then delete, add, write and chart in one
 * batch), plus one per 2 MB of a big sheet (chunks.ts: Excel on the web's
 * 5 MB limit).
 */
import { columnLetter } from "../../ledger/workbook-layout";
import { blockRows, blockWidth, chartSource, type SheetLayout } from "../../ledger/generated-sheet";
import { rowToExcel, toExcel } from "./cells";
import { Budget, writeRows } from "./chunks";
import { eventsOff, eventsOn, withEventsGuard, type Run } from "./excel-run";
import { blockAddress } from "./tables";

const MARK_FILL = "#FFEB9C";
const TITLE_COLOR = "#174A7E";
/** Excel measures column width in points; one character of the default font is about 7. */
const POINTS_PER_CHAR = 7;

export interface WriteSheetOptions {
  /** Show the sheet when done (a command the user clicked); default true. */
  activate?: boolean;
}

export async function writeLayout(run: Run, layout: SheetLayout, opts: WriteSheetOptions = {}): Promise<string> {
  return withEventsGuard(run, async (ctx) => {
    const sheets = ctx.workbook.worksheets;
    const old = sheets.getItemOrNullObject(layout.name).load("position");
    await ctx.sync();

    eventsOff(ctx);
    const budget = new Budget(ctx);
    const position = old.isNullObject ? undefined : old.position;
    if (!old.isNullObject) old.delete();
    const ws = sheets.add(layout.name);
    if (position !== undefined) ws.position = position;

    for (const b of layout.blocks) {
      const at = blockRows(b);
      const width = blockWidth(b);
      if (at.title !== undefined) {
        const t = ws.getRange(blockAddress(at.title, b.col, 1, 1));
        t.values = [[toExcel(b.title!)]];
        t.format.font.bold = true;
        t.format.font.color = TITLE_COLOR;
      }
      if (at.header !== undefined) {
        const h = ws.getRange(blockAddress(at.header, b.col, 1, b.header!.length));
        h.values = [b.header!.map(toExcel)];
        h.format.font.bold = true;
      }
      if (b.rows.length) {
        // Formats first, so a rate or an amount shows as one from the start.
        for (const [j, fmt] of (b.formats ?? []).entries()) {
          if (!fmt || j >= width) continue;
          await writeRows(
            budget,
            (first, n) => ws.getRange(blockAddress(at.first + first, b.col + j, n, 1)),
            b.rows.map(() => [fmt]),
            "numberFormat",
          );
        }
        const rows = b.rows.map((r) => rowToExcel([...r, ...Array(width - r.length).fill(null)]));
        await writeRows(budget, (first, n) => ws.getRange(blockAddress(at.first + first, b.col, n, width)), rows, "values");
        for (const i of b.marked ?? []) ws.getRange(blockAddress(at.first + i, b.col, 1, width)).format.fill.color = MARK_FILL;
      }
    }
    (layout.widths ?? []).forEach((w, j) => {
      ws.getRange(`${columnLetter(j)}1`).format.columnWidth = w * POINTS_PER_CHAR;
    });
    if (layout.freezeRows) ws.freezePanes.freezeRows(layout.freezeRows);

    for (const c of layout.charts) {
      const src = chartSource(layout, c);
      if (!src) continue;
      const chart = ws.charts.add(c.type as Excel.ChartType, ws.getRange(blockAddress(src.row, src.col, src.rows, src.cols)), "Columns");
      chart.title.text = c.title;
      chart.legend.position = "Bottom";
      chart.legend.visible = c.type === "Pie" || src.cols > 2;
      // A Pareto's cumulative share, a trend's rate: a line on its own axis over the bars (series follow the columns).
      for (const j of c.secondaryLine ?? []) {
        if (j < 1 || j >= src.cols) continue;
        const series = chart.series.getItemAt(j - 1);
        series.chartType = "Line";
        series.axisGroup = "Secondary";
      }
      chart.setPosition(`${columnLetter(c.at.col)}${c.at.row + 1}`, `${columnLetter(c.at.col + c.at.cols - 1)}${c.at.row + c.at.rows}`);
    }
    if (opts.activate !== false) ws.activate();
    eventsOn(ctx);
    await ctx.sync();
    return layout.name;
  });
}
