/**
 * An upgrade's new ledger columns in Excel (ledger/migrations): each added at
 * the table's end through the table's column collection (so the table, its
 * filter and its style grow with it and no cell beside it is written), with
 * the layout's number format, validation and, for a computed column, its
 * formula in every row. Only queues: the caller's write syncs.
 */
import { inLang } from "../../domain/errors";
import type { Policy } from "../../domain/policy/policy";
import { vocabularyOf, type FieldDef } from "../../domain/schema";
import { numberFormatOf } from "../../ledger/records";
import { ledgerColumns, type LedgerColumn } from "../../ledger/workbook-layout";
import { Budget, writeRows } from "./chunks";

/** Excel's limit on an inline list source. */
const LIST_MAX = 255;

/** The inline list of a coded field, or undefined when it cannot be one. */
export function listSource(field: FieldDef, policy: Policy): string | undefined {
  if (!field.vocabulary) return undefined;
  const labels = vocabularyOf(field.vocabulary, policy).map((n) => inLang(n, policy.settings.language));
  const source = labels.join(",");
  return labels.some((l) => l.includes(",")) || source.length > LIST_MAX ? undefined : source;
}

/** The drop-down list or date check of a field's cells, as the ledger's rules set them (rules.ts). */
export function queueFieldRule(range: Excel.Range, field: FieldDef, policy: Policy): boolean {
  if (field.type === "enum" || field.type === "bool") {
    const source = listSource(field, policy);
    if (!source) return false;
    range.dataValidation.rule = { list: { inCellDropDown: true, source } };
    range.dataValidation.errorAlert = {
      showAlert: true,
      style: "Warning",
      title: "不在列表中 Not in the list",
      message: `请从列表中选择${field.zh} / Please choose a ${field.en} from the list`,
    };
    return true;
  }
  if (field.type === "date" || field.type === "datetime") {
    range.dataValidation.rule = { date: { formula1: "2000-01-01", operator: "GreaterThanOrEqualTo" } };
    range.dataValidation.errorAlert = {
      showAlert: true,
      style: "Warning",
      title: "日期 Date",
      message: `${field.zh}应为日期,例如 2026-03-05 / ${field.en} should be a date, e.g. 2026-03-05`,
    };
    return true;
  }
  return false;
}

/** Queues the new columns at the end of `table` (which has `rows` body rows). */
export async function queueNewColumns(
  budget: Budget,
  table: Excel.Table,
  add: readonly { key: string; header: string }[],
  rows: number,
  policy: Policy,
): Promise<void> {
  const known = ledgerColumns(policy);
  for (const a of add) {
    const col: LedgerColumn = { ...(known.find((k) => k.key === a.key) ?? { key: a.key }), header: a.header };
    const body = table.columns.add(undefined, undefined, a.header).getDataBodyRange();
    const block = (v: string) => Array.from({ length: rows }, () => [v]);
    if (rows > 0) await writeRows(budget, (first, n) => body.getRow(first).getResizedRange(n - 1, 0), block(numberFormatOf(col)), "numberFormat");
    if (col.field) queueFieldRule(body, col.field, policy);
    if (col.computed && rows > 0) await writeRows(budget, (first, n) => body.getRow(first).getResizedRange(n - 1, 0), block(col.computed.formula), "formulas");
  }
}
