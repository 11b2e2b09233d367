/**
 * The plan shows the result (issue 28): before anything is written, the
 * adopted rows are read and checked exactly as `complaint-ledger check` will
 * read and check the written ledger (its Policy with the adoption day, its
 * RowReader, validateRead one row at a time), and the violations are grouped by cause, each
 * group with a one-click fix where the cause is a choice of the adoption
 * (the kind for the whole sheet, a column to map).
 */
import type { CellValue } from "../domain/case";
import { serialToYmd } from "../domain/dates";
import type { Bilingual } from "../domain/errors";
import { withHistoryUntil } from "../domain/history";
import { findNamed, type Policy } from "../domain/policy/policy";
import { caseField, isCaseKey, KINDS } from "../domain/schema";
import { validateEach, type Violation } from "../domain/validate";
import { keysOfHeader } from "../ledger/records";
import { RowReader } from "../ledger/row-reader";

/** A change of the adoption's choices that removes a cause: re-plan with it. */
export interface AdoptFix {
  label: Bilingual;
  /** The kind for every row whose own data names none. */
  kind?: string;
  /** Source column index → field key (null: keep the column as an extra). */
  mapping?: Record<number, string | null>;
  /** Give missing and repeated case numbers new ones. */
  renumber?: boolean;
}

export interface ViolationGroup {
  code: Violation["code"];
  field: string;
  count: number;
  /** Cases the group touches (the first few, for the screen). */
  examples: string[];
  /** The first violation's message: what the cause is, in words. */
  zh: string;
  en: string;
  fix?: AdoptFix;
}

export interface AdoptCheck {
  cases: number;
  /** Violations check will report on the written ledger. */
  violations: number;
  casesWithViolations: number;
  groups: ViolationGroup[];
}

/** What the preview needs of the plan: the table to write and the policy it is written with. */
export interface PreviewInput {
  table: { header: readonly string[]; rows: readonly (readonly CellValue[])[] | { readonly length: number; row(i: number): CellValue[] } };
  policy: Policy;
  /** The adoption day, when any case is history (the written Policy's historyUntil). */
  historyUntil?: number;
  today: number;
}

/** The policy the adoption writes: with the adoption day when history was adopted. */
export const writtenPolicy = (input: Pick<PreviewInput, "policy" | "historyUntil">): Policy =>
  input.historyUntil !== undefined ? withHistoryUntil(input.policy, input.historyUntil) : input.policy;

/** Violations of the adopted rows, as check will report them on the written ledger. */
export function adoptedViolations(input: PreviewInput): { cases: number; violations: Violation[] } {
  const policy = writtenPolicy(input);
  const reader = new RowReader(keysOfHeader([...input.table.header], policy), policy, { defaultYear: serialToYmd(Math.floor(input.today)).year });
  // Each row's case is read when its turn comes and dropped after (a 200,000-row sheet's cases are never all held).
  const { rows } = input.table;
  return validateEach(rows.length, (i) => reader.read("row" in rows ? rows.row(i) : [...rows[i]]), policy);
}

/** The preview: violations grouped by code and field, largest first, with the fixes `fixFor` proposes. */
export function previewCheck(input: PreviewInput, fixFor: (g: ViolationGroup) => AdoptFix | undefined = () => undefined): AdoptCheck {
  const { cases, violations } = adoptedViolations(input);
  const groups = new Map<string, ViolationGroup>();
  for (const v of violations) {
    const key = `${v.code}\u0000${v.field}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { code: v.code, field: v.field, count: 0, examples: [], zh: v.zh, en: v.en }));
    g.count++;
    if (g.examples.length < 5 && v.caseNo && !g.examples.includes(v.caseNo)) g.examples.push(v.caseNo);
  }
  const list = [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  for (const g of list) {
    const fix = fixFor(g);
    if (fix) g.fix = fix;
  }
  return { cases, violations: violations.length, casesWithViolations: new Set(violations.map((v) => v.caseNo)).size, groups: list };
}

/** A field's name for a group's heading: 不良现象 / Defect description (signature columns by their role). */
export function fieldName(field: string, policy: Policy): Bilingual {
  if (isCaseKey(field)) return { zh: caseField(field).zh, en: caseField(field).en };
  const role = field.startsWith("sign_") ? findNamed(policy.roles, field.slice(5)) : undefined;
  return role ? { zh: `${role.zh}签核`, en: `${role.en} sign-off` } : { zh: field, en: field };
}

/** "Choose 客退 for all": the kind fix for a sheet whose kind was asked. */
export const kindFix = (code: string): AdoptFix => {
  const k = findNamed(KINDS, code)!;
  return { kind: k.code, label: { zh: `未注明类别的行全部选"${k.zh}"`, en: `Choose "${k.en}" for every row that names no kind` } };
};
