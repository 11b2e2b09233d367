/**
 * Rows of cells → Cases for a pass over many rows (check, report): exactly
 * `readCase(rowToRecord(keys, cells), policy, opts)`, with the work that is
 * the same on every row done once — which column holds each field, the
 * schema — and the answers for labels that repeat (an enum or yes/no typed
 * the same way on thousands of rows) remembered. No record object per row.
 */
import { isBlank, parseSignature, readValue, setCaseValue, type Case, type CellProblem, type CellValue, type Signature } from "../domain/case";
import { isValidSerial, toSerial, type DateParse } from "../domain/dates";
import type { Policy } from "../domain/policy/policy";
import { isCaseKey, ledgerSchema, type FieldDef } from "../domain/schema";

type ReadResult = ReturnType<typeof readValue>;

/** A field of the schema and the first column whose header maps to it. */
interface FieldColumn {
  field: FieldDef;
  col: number;
  /** Answers by the text typed, for the field types whose answer is a code or a boolean (never an object). */
  memo?: Map<string, ReadResult>;
}

/** A remembered answer per distinct text, up to this many per field: memory stays flat whatever the sheet holds. */
const MEMO_SIZE = 2000;

/**
 * readValue's answer for the cells most rows hold — text typed as text, a
 * date or number stored as a number — without its result objects (several
 * per cell, 50,000 rows); undefined for anything else, which readValue reads.
 */
function plainRead(field: FieldDef, raw: CellValue): string | number | undefined {
  switch (field.type) {
    case "text":
    case "longtext":
      return typeof raw === "string" ? raw.trim() : undefined;
    case "date":
    case "datetime":
      if (typeof raw !== "number" || !isValidSerial(raw)) return undefined;
      return field.type === "date" ? Math.floor(raw) : raw;
    case "number":
    case "money":
      return typeof raw === "number" && Number.isFinite(raw) ? raw : undefined;
    default:
      return undefined;
  }
}

export class RowReader {
  private readonly columns: FieldColumn[] = [];
  /** Signatures' date texts as read: many sign-offs share a minute. */
  private readonly dates = new Map<string, DateParse>();
  private readonly dateOf = (text: string): DateParse => {
    let r = this.dates.get(text);
    if (r === undefined) {
      r = toSerial(text);
      if (this.dates.size >= MEMO_SIZE) this.dates.clear();
      this.dates.set(text, r);
    }
    return r;
  };

  constructor(
    keys: readonly string[],
    private readonly policy: Policy,
    private readonly opts: { defaultYear?: number } = {},
  ) {
    for (const field of ledgerSchema(policy)) {
      // rowToRecord: the first column of a key wins; a field without a column reads as blank (nothing to read).
      const col = keys.indexOf(field.key);
      if (col < 0) continue;
      const memo = field.type === "enum" || field.type === "bool" ? new Map<string, ReadResult>() : undefined;
      this.columns.push({ field, col, memo });
    }
  }

  /** One row of cells (index = column) → its Case and the cells it could not read, as readCase gives them. */
  read(cells: readonly CellValue[]): { case: Case; problems: CellProblem[] } {
    const c: Case = { signatures: {} };
    const problems: CellProblem[] = [];
    for (const { field, col, memo } of this.columns) {
      const raw = cells[col] ?? null;
      if (isBlank(raw)) continue;
      const plain = plainRead(field, raw);
      if (plain !== undefined) {
        if (isCaseKey(field.key)) setCaseValue(c, field.key, plain);
        continue;
      }
      // A sign-off as readValue reads it; one it cannot read goes to readValue for the problem.
      const sig = field.type === "signature" && typeof raw === "string" ? parseSignature(raw, this.dateOf) : undefined;
      if (sig) {
        c.signatures[field.role!] = sig;
        continue;
      }
      const r = memo && typeof raw === "string" ? this.remembered(memo, field, raw) : readValue(field, raw, this.policy, this.opts);
      if (r.problem) problems.push({ field: field.key, value: raw, ...r.problem });
      else if (r.value !== undefined) {
        if (field.type === "signature") c.signatures[field.role!] = r.value as Signature;
        else if (isCaseKey(field.key)) setCaseValue(c, field.key, r.value);
      }
    }
    return { case: c, problems };
  }

  private remembered(memo: Map<string, ReadResult>, field: FieldDef, raw: string): ReadResult {
    let r = memo.get(raw);
    if (r === undefined) {
      r = readValue(field, raw, this.policy, this.opts);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(raw, r);
    }
    return r;
  }
}
