/**
 * A case as the rules see it: codes instead of labels, serial numbers
 * instead of date text. `readCase` turns one ledger row (cell values by field
 * key) into a Case and reports every cell it could not read, without ever
 * guessing; `caseToCells` writes it back.
 */
import { quote } from "./text";
import { serialToIso, toSerial, type DateParse } from "./dates";
import { findNamed, type Policy } from "./policy/policy";
import { isCaseKey, ledgerSchema, vocabularyOf, type CaseField, type CaseKey, type FieldDef, type FieldType } from "./schema";

export interface Signature {
  name: string;
  /** Serial date-time of signing. */
  at: number;
  comment?: string;
  /** Form codes of the documents this signature approves; absent: every document (an older, undivided sign-off). */
  forms?: string[];
  /** Further signatures in the same cell: the same role signing other documents later, one line each. */
  more?: Signature[];
}

/** What a cell of each field type holds once read: codes and text as strings, dates as serials. */
type ValueOf<T extends FieldType> = T extends "date" | "datetime" | "number" | "money"
  ? number
  : T extends "bool"
    ? boolean
    : T extends "signature"
      ? Signature
      : string;

/** The case fields, typed from the one field list in schema.ts (key → value type). */
export type CaseValues = { -readonly [F in CaseField as F["key"]]?: ValueOf<F["type"]> };

export interface Case extends CaseValues {
  /** Signatures by role code. */
  signatures: Record<string, Signature>;
}

/** The value of a case field, whatever its type: `caseValue(c, "market")` → "INTERNATIONAL". */
export const caseValue = (c: Case, key: CaseKey): CaseValues[CaseKey] => c[key];

/**
 * Sets a field from a value already read as its type (readValue's result). The value's type is
 * the reader's promise; a case is a plain record of its fields, so a field-keyed write is safe.
 */
export function setCaseValue(c: Case, key: CaseKey, value: unknown): void {
  const fields: Partial<Record<CaseKey, unknown>> = c;
  fields[key] = value;
}

export type CellValue = string | number | boolean | Date | null | undefined;

/** A cell that could not be read as its field's type. */
export interface CellProblem {
  field: string;
  value: CellValue;
  zh: string;
  en: string;
  /** CELL_ERROR: the cell shows an Excel error value (a formula that cannot compute); else BAD_VALUE. */
  code?: "CELL_ERROR";
}

/** The error values Excel shows in a cell whose formula cannot compute (Office.js and the readers give them as these strings). */
const EXCEL_ERRORS = new Set([
  "#NULL!",
  "#DIV/0!",
  "#VALUE!",
  "#REF!",
  "#NAME?",
  "#NUM!",
  "#N/A",
  "#GETTING_DATA",
  "#SPILL!",
  "#CALC!",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#PYTHON!",
]);

/** The Excel error a cell shows (#DIV/0!, #N/A…), or undefined: an error is no value of any type, not even text. */
export function excelError(raw: CellValue): string | undefined {
  return typeof raw === "string" && raw.length <= 14 && EXCEL_ERRORS.has(raw.trim().toUpperCase()) ? raw.trim().toUpperCase() : undefined;
}

/** The problem of a cell showing an Excel error, for every field alike. */
export function cellErrorProblem(code: string): { zh: string; en: string; code: "CELL_ERROR" } {
  return {
    code: "CELL_ERROR",
    zh: `单元格显示 Excel 错误值 ${code}(公式算不出结果),不是有效的值;请修正公式或填写数值`,
    en: `The cell shows Excel's error ${code} (its formula has no result), not a value; fix the formula or type the value`,
  };
}

/**
 * Case numbers, the one format: prefix, year, then a running number of at least four digits.
 * `formatCaseNo("KS", 2026, 1)` → "KS-2026-0001".
 */
export const formatCaseNo = (prefix: string, year: number, n: number): string => `${prefix}-${year}-${String(n).padStart(4, "0")}`;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const caseNoPatterns = new Map<string, RegExp>();

/** Separators people type inside case numbers: KS-2025-0001, KS_2025_0001, KS 2025 0001, KS2025-0001. */
const SEP = "[-_/.\\s]?";

/**
 * A case number's year and running number, when it has this prefix's format, up to separators and case
 * (KS2025-0001 and ks-2025-0001 are the same number as KS-2025-0001); the prefix is the user's text, so it
 * is matched literally ("K+S" is not a pattern). `parseCaseNo("KS", "KS-2026-0042")` → {year: 2026, n: 42}.
 */
export function parseCaseNo(prefix: string, text: string): { year: number; n: number } | undefined {
  let re = caseNoPatterns.get(prefix);
  if (!re) caseNoPatterns.set(prefix, (re = new RegExp(`^${escapeRegExp(prefix)}${SEP}((?:19|20)\\d{2})${SEP}(\\d{1,7})$`, "i")));
  const m = re.exec(text.trim());
  return m ? { year: Number(m[1]), n: Number(m[2]) } : undefined;
}

/** Letters, a year, a running number, in the shapes hand-kept sheets use: KS2025-0001, KT-2025-012, QC_2024_7, KS20250001. */
const CASE_NO_SHAPE = new RegExp(`^([A-Za-z]{1,8})${SEP}((?:19|20)\\d{2})${SEP}(\\d{1,7})$`);

/** A text in the shape of a case number: its letters (upper case), year and running number. `caseNoShape("ks2025-012")` → {letters: "KS", year: 2025, n: 12}. */
export function caseNoShape(text: string): { letters: string; year: number; n: number } | undefined {
  const m = CASE_NO_SHAPE.exec(text.trim());
  return m ? { letters: m[1].toUpperCase(), year: Number(m[2]), n: Number(m[3]) } : undefined;
}

/**
 * What two case numbers share when they are the same number typed differently: separators, case and the
 * running number's zero padding do not count. `caseNoKey("KS2025-0001") === caseNoKey("ks-2025-1")`.
 */
export function caseNoKey(text: string): string {
  const shape = caseNoShape(text);
  return shape
    ? `${shape.letters}${shape.year}#${shape.n}`
    : text
        .trim()
        .toUpperCase()
        .replace(/[-_/.\s]+/g, "");
}

/**
 * One more than the highest running number of `year` among `caseNos` (in any of their separators), and never a number
 * equal to one of them up to separators and case: `nextCaseNo("KS", 2026, ["KS-2026-0007"])` → "KS-2026-0008".
 */
export function nextCaseNo(prefix: string, year: number, caseNos: Iterable<string>): string {
  let max = 0;
  const taken = new Set<string>();
  for (const no of caseNos) {
    const p = parseCaseNo(prefix, no);
    if (p && p.year === year && p.n > max) max = p.n;
    taken.add(caseNoKey(no));
  }
  let n = max + 1;
  while (taken.has(caseNoKey(formatCaseNo(prefix, year, n)))) n++;
  return formatCaseNo(prefix, year, n);
}

/** Nothing typed: empty, null or only spaces. */
export const isBlank = (v: CellValue) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/**
 * "张三 2026-03-05 14:20" or "张三 2026-03-05 14:20 同意" → a signature.
 * The name comes first so the cell reads naturally in the sheet. `dateOf` reads the date part
 * (toSerial; a reader of many rows passes one that remembers the texts it has read).
 */
export function parseSignature(text: string, dateOf: (text: string) => DateParse = toSerial): Signature | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length > 1) {
    const all = lines.map((l) => parseSignature(l, dateOf));
    if (all.some((x) => !x)) return undefined;
    const [first, ...more] = all as Signature[];
    return { ...first, more };
  }
  const m = /^\s*(\S+)\s+(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?)\s*(.*)$/.exec(text);
  if (!m) return undefined;
  const at = dateOf(m[2]);
  if (!at.ok) return undefined;
  // "[SCRAP_APPLICATION; EXTERNAL_8D] 同意": the documents signed, then the comment.
  const docs = /^\[([^\]]*)\]\s*(.*)$/.exec(m[3]);
  const forms = docs ? docs[1].split(/[;；,，\s]+/).filter(Boolean) : undefined;
  const comment = docs ? docs[2] : m[3];
  return { name: m[1], at: at.serial, comment: comment || undefined, ...(forms && forms.length ? { forms } : {}) };
}

/** Dates a ledger can mean: 1990-01-01 up to 2100-12-31 (a serial outside is digits typed, not a date). */
const PLAUSIBLE_FROM = 32874;
const PLAUSIBLE_TO = 73051;

/**
 * An amount as a clerk types it: digits with an optional sign and decimal point, thousands
 * grouped by commas, a currency sign or 元. Anything else — hex, binary or octal ("0x10"),
 * European decimals ("1.234,50"), loose commas ("3,4,5"), a currency sign alone — is no number.
 */
export function parseAmount(text: string): number | undefined {
  const t = text
    .replace(/[\s\u3000]/g, "")
    .replace(/^[¥￥]|元$/g, "")
    .replace(/，/g, ",");
  if (!/^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(t) || !/\d/.test(t)) return undefined;
  return Number(t.replace(/,/g, ""));
}

/** Reads one value as a field's type: {value} or {problem}. */
export function readValue(
  field: FieldDef,
  raw: CellValue,
  policy: Policy,
  opts: { defaultYear?: number } = {},
): { value?: unknown; problem?: { zh: string; en: string; code?: "CELL_ERROR" } } {
  if (isBlank(raw)) return {};
  const error = excelError(raw);
  if (error) return { problem: cellErrorProblem(error) };
  switch (field.type) {
    case "text":
    case "longtext":
      return { value: raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim() };
    case "date":
    case "datetime": {
      const r = toSerial(raw, opts);
      if (!r.ok) return { problem: r };
      // Digits typed in a date column ("260303", "2026") are serials only where one is a plausible date for a ledger.
      if (r.serial < PLAUSIBLE_FROM || r.serial >= PLAUSIBLE_TO) {
        const shown = serialToIso(Math.floor(r.serial));
        return {
          problem: {
            zh: `"${quote(raw)}"不像是日期(作为日期序号是 ${shown},不在 1990–2100 年之间);请写成 2026-03-05 这样的日期`,
            en: `"${quote(raw)}" is not a plausible date (as a date serial it is ${shown}, outside 1990–2100); write a date such as 2026-03-05`,
          },
        };
      }
      return { value: field.type === "date" ? Math.floor(r.serial) : r.serial };
    }
    case "number":
    case "money": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" ? parseAmount(raw) : undefined;
      if (n === undefined || !Number.isFinite(n)) {
        return { problem: { zh: `"${quote(raw)}"不是数字`, en: `"${quote(raw)}" is not a number` } };
      }
      return { value: n };
    }
    case "bool": {
      if (typeof raw === "boolean") return { value: raw };
      const hit = findNamed(vocabularyOf("bool", policy), raw);
      if (!hit) return { problem: { zh: `"${quote(raw)}"应为 是/否`, en: `"${quote(raw)}" should be yes/no` } };
      return { value: hit.code === "YES" };
    }
    case "enum": {
      const list = vocabularyOf(field.vocabulary!, policy);
      const hit = findNamed(list, raw);
      if (!hit) {
        return {
          problem: {
            zh: `"${quote(raw)}"不是有效的${field.zh}(可选:${list.map((x) => x.zh).join("、")})`,
            en: `"${quote(raw)}" is not a valid ${field.en} (one of: ${list.map((x) => x.en).join(", ")})`,
          },
        };
      }
      return { value: hit.code };
    }
    case "signature": {
      const sig = parseSignature(String(raw));
      if (!sig) {
        return { problem: { zh: `签核"${quote(raw)}"应为"姓名 日期 时间"`, en: `Sign-off "${quote(raw)}" should be "name date time"` } };
      }
      return { value: sig };
    }
  }
}

/** One ledger row (values by field key) → a Case plus the cells it could not read. */
export function readCase(row: Record<string, CellValue>, policy: Policy, opts: { defaultYear?: number } = {}): { case: Case; problems: CellProblem[] } {
  const c: Case = { signatures: {} };
  const problems: CellProblem[] = [];
  for (const field of ledgerSchema(policy)) {
    const raw = row[field.key];
    const r = readValue(field, raw, policy, opts);
    if (r.problem) problems.push({ field: field.key, value: raw, ...r.problem });
    else if (r.value !== undefined) {
      if (field.type === "signature") c.signatures[field.role!] = r.value as Signature;
      else if (isCaseKey(field.key)) setCaseValue(c, field.key, r.value);
    }
  }
  return { case: c, problems };
}

/** A signature as written in its cell. */
export function formatSignature(s: Signature): string {
  const line = (x: Signature) =>
    [x.name, serialToIso(x.at), x.forms?.length ? `[${x.forms.join("; ")}]` : "", x.comment ?? ""].filter(Boolean).join(" ").trim();
  return [s, ...(s.more ?? [])].map(line).join("\n");
}
