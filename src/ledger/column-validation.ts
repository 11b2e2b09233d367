/**
 * The data validation of a ledger column, as Excel shows it: lists in the policy's language, dates after 2000,
 * numbers of at least 0. One rule for every writer: exceljs's (stores/xlsx formatLedgerRows) and the upgrade's
 * patch of a file's parts.
 */
import { inLang } from "../domain/errors";
import type { Policy } from "../domain/policy/policy";
import { vocabularyOf } from "../domain/schema";
import type { LedgerColumn } from "./workbook-layout";

/** Inline list validation text, or undefined when the list is too long for Excel's 255 characters or holds a comma. */
function inlineList(items: string[]): string | undefined {
  const text = items.join(",");
  if (text.length > 250 || items.some((x) => x.includes(",") || x.includes('"'))) return undefined;
  return `"${text}"`;
}

/** A column's data validation as exceljs takes it (a date formula as a Date): lists in the policy's language, dates after 2000, numbers ≥ 0. */
export interface ValidationRule {
  type: "list" | "date" | "decimal";
  operator?: "greaterThan" | "greaterThanOrEqual";
  allowBlank: true;
  formulae: (string | number | Date)[];
  showErrorMessage: true;
  errorStyle: "stop";
  errorTitle: string;
  error: string;
}

/** The validation of a ledger column (formatLedgerRows and the upgrade's patch write the same rule); none for free text. */
export function validationOf(col: LedgerColumn, policy: Policy): ValidationRule | undefined {
  const f = col.field;
  if (!f) return undefined;
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: "stop", errorTitle: `${f.zh} ${f.en}` } as const;
  if (f.type === "enum" || f.type === "bool") {
    const list = inlineList(vocabularyOf(f.vocabulary ?? "bool", policy).map((x) => inLang(x, policy.settings.language)));
    return list ? { type: "list", ...common, formulae: [list], error: "请从列表中选择 / Please choose a value from the list" } : undefined;
  }
  if (f.type === "date" || f.type === "datetime") {
    return {
      type: "date",
      operator: "greaterThan",
      ...common,
      formulae: [new Date(Date.UTC(2000, 0, 1))],
      error: "请输入 2000 年以后的日期 / Enter a date after 2000",
    };
  }
  if (f.type === "number" || f.type === "money") {
    return { type: "decimal", operator: "greaterThanOrEqual", ...common, formulae: [0], error: "请输入不小于 0 的数字 / Enter a number of at least 0" };
  }
  return undefined;
}
