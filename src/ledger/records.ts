/**
 * Rows of cells ↔ records keyed by field. The ledger table may hold columns
 * in any order and extra columns of the user's own; the header decides.
 * Also the one place that turns a field's value into what a cell shows
 * (labels in the policy's language, dates as serials), so every adapter
 * writes the same thing.
 */
import type { CellValue } from "../domain/case";
import { formatSignature, type Signature } from "../domain/case";
import { findNamed, type Policy } from "../domain/policy/policy";
import { inLang } from "../domain/errors";
import { matchHeader, readYesNo, vocabularyOf, yesNo, type FieldDef } from "../domain/schema";
import { computedColumnOf, ledgerColumns, type LedgerColumn } from "./workbook-layout";

export type CaseRecord = Record<string, CellValue>;

/** The key of each header: a field key, a computed key, or `extra:<header>`. */
export function keysOfHeader(header: readonly CellValue[], policy: Policy): string[] {
  const cols = ledgerColumns(policy);
  const fields = cols.filter((c) => c.field).map((c) => c.field!);
  return header.map((h) => {
    const text = String(h ?? "").trim();
    return computedColumnOf(text, policy)?.key ?? matchHeader(text, fields)?.key ?? `extra:${text}`;
  });
}

/** The case-number column of a header, found by meaning (synonyms too), or -1. */
export function caseNoColumn(header: readonly CellValue[], policy: Policy): number {
  return keysOfHeader(header, policy).indexOf("caseNo");
}

export function rowToRecord(keys: readonly string[], row: readonly CellValue[]): CaseRecord {
  const r: CaseRecord = {};
  // The first column of a key wins; a plain loop and an undefined test (values are never undefined) run once per row of 50,000.
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (r[k] === undefined) r[k] = row[i] ?? null;
  }
  return r;
}

/** Full-width row for the given keys; keys absent from the record stay `undefined` (a computed column's formula). */
export function recordToRow(keys: readonly string[], rec: CaseRecord): CellValue[] {
  return keys.map((k) => rec[k]);
}

/** The cell a field value is shown as: labels in the policy's language, dates as serials, booleans as 是/否. */
export function cellOf(field: FieldDef, value: unknown, policy: Policy): CellValue {
  if (value === undefined || value === null || value === "") return null;
  const lang = policy.settings.language;
  switch (field.type) {
    case "enum": {
      const hit = findNamed(vocabularyOf(field.vocabulary!, policy), value);
      return hit ? inLang(hit, lang) : String(value);
    }
    case "bool": {
      return inLang(yesNo(readYesNo(value) === true), lang);
    }
    case "signature":
      return typeof value === "object" ? formatSignature(value as Signature) : String(value);
    default:
      return value as CellValue;
  }
}

/** Number format of a field's cells (dates as dates, money with two decimals, text as text). */
export function numberFormatOf(col: LedgerColumn): string {
  if (col.computed) return col.computed.numberFormat ?? "General";
  switch (col.field?.type) {
    case "date":
      return "yyyy-mm-dd";
    case "datetime":
      return "yyyy-mm-dd hh:mm";
    case "money":
      return "#,##0.00";
    case "number":
      return "General";
    default:
      return "@";
  }
}

/** Two cell values are the same for the rules (1 and "1", blank and null). */
export function sameCell(a: CellValue, b: CellValue): boolean {
  const norm = (v: CellValue) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v));
  return norm(a) === norm(b);
}
