/**
 * Managers' views in the grid. A view (views.ts decides which cases belong
 * to it, with the domain's clocks) becomes the ledger table's AutoFilter on
 * the case-number column, "Values" = the matching case numbers: it works for
 * any predicate, and leaves the user's own columns and filters alone.
 * "Show all" clears the criteria.
 *
 * Co-authoring: where the host has sheet views (ExcelApiOnline 1.1, Excel on
 * the web), the filter is set in a temporary sheet view, which only this
 * user sees; elsewhere it is the sheet's own filter, seen by everyone on the
 * sheet. `viewModeOf` says which, and the pane shows it. "Show all" in a
 * temporary view clears that view's criteria (entering a fresh one first),
 * so it never clears a filter a co-author set on the shared view.
 *
 * Round trips: `applyViewFilter` 2 (find the table and its columns; filter),
 * `activeLedgerRow` 1, "show all" 2 — whatever the number of rows. A named
 * view from the ribbon (reports/named-views.ts: read the ledger, [which row
 * is selected,] filter) costs 3–4.
 */
import { TABLES } from "../../ledger/workbook-layout";
import { keysOfHeader } from "../../ledger/records";
import type { ViewApplied, ViewFilter, ViewMode } from "../../ledger/store";
import type { Policy } from "../../domain/policy/policy";
import type { Run } from "./excel-run";

/** Office.context.requirements.isSetSupported, or a test's stand-in. */
export type Supports = (set: string, version: string) => boolean;

export const officeSupports: Supports = (set, version) => {
  try {
    return typeof Office !== "undefined" && !!Office.context?.requirements?.isSetSupported(set, version);
  } catch {
    return false;
  }
};

export function viewModeOf(supports: Supports): ViewMode {
  return supports("ExcelApiOnline", "1.1") ? "temporary" : "shared";
}

/**
 * A values filter cannot be empty (the API does not say an empty list is
 * allowed); a view with no cases filters on a text no case number has.
 */
export const NO_MATCH = "(无匹配 no match)";

const NOT_A_LEDGER = () => new Error(`工作簿中没有台账表 ${TABLES.ledger},请先导入台账 / The workbook has no ${TABLES.ledger} table; adopt a ledger first`);

export async function applyViewFilter(run: Run, filter: ViewFilter | null, mode: ViewMode, policy: Policy): Promise<ViewApplied> {
  return run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(TABLES.ledger);
    const header = table.getHeaderRowRange().load("values");
    const body = table.getDataBodyRange().load("rowCount");
    await ctx.sync();
    if (table.isNullObject) throw NOT_A_LEDGER();

    const keys = keysOfHeader(
      (header.values[0] ?? []).map((h) => String(h ?? "")),
      policy,
    );
    const col = keys.indexOf("caseNo");
    if (col < 0) throw new Error("台账表中找不到客诉单号列 / The ledger table has no case-number column");
    if (mode === "temporary") table.worksheet.namedSheetViews.enterTemporary();
    if (filter) {
      const values = [...new Set(filter.caseNos.map(String).filter((v) => v !== ""))];
      table.autoFilter.apply(table.getRange(), col, { filterOn: "Values", values: values.length ? values : [NO_MATCH] });
    } else {
      table.autoFilter.clearCriteria();
    }
    await ctx.sync();
    return { mode, shown: filter ? filter.caseNos.length : body.rowCount };
  });
}

/** The ledger body row of the active cell, or undefined when the cursor is not in the ledger table's body. */
export async function activeLedgerRow(run: Run): Promise<number | undefined> {
  return run(async (ctx) => {
    const cell = ctx.workbook.getActiveCell().load("rowIndex,columnIndex");
    const cellSheet = cell.worksheet.load("name");
    const table = ctx.workbook.tables.getItemOrNullObject(TABLES.ledger);
    const body = table.getDataBodyRange().load("rowIndex,columnIndex,rowCount,columnCount");
    const sheet = table.worksheet.load("name");
    await ctx.sync();
    if (table.isNullObject || sheet.name !== cellSheet.name) return undefined;
    const row = cell.rowIndex - body.rowIndex;
    const inside = row >= 0 && row < body.rowCount && cell.columnIndex >= body.columnIndex && cell.columnIndex < body.columnIndex + body.columnCount;
    return inside ? row : undefined;
  });
}
