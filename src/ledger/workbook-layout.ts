/**
 * Where things live in a ledger workbook, shared by the Excel and the .xlsx
 * adapters so a workbook made by one opens in the other: sheet and table
 * names, the ledger's columns (schema fields, then computed columns, then any
 * columns the user's original sheet had that the schema does not know), and
 * the People, Audit and Problems sheets' columns.
 *
 * Names are ASCII for tables (structured references and both adapters find
 * them by name) and bilingual for sheets (people read those).
 */
import { CLOCK, type Policy } from "../domain/policy/policy";
import { CLOSED_STATES, REPLY_DONE_FIELDS } from "../domain/sla";
import { EVIDENCE_FIELDS } from "../domain/evidence";
import { COST_LINE_FIELDS } from "../domain/money/cost-lines";
import { headerOf, ledgerSchema, STATES, type FieldDef } from "../domain/schema";

export const SHEETS = {
  /** A new ledger's sheet; an adopted ledger keeps its own sheet name. */
  ledger: "客诉台账 Ledger",
  policy: "设置 Policy",
  people: "人员 People",
  audit: "审计 Audit",
  problems: "导入问题 Problems",
  /** Evidence records, one row each (domain/evidence.ts); created at the first record. */
  evidence: "证据 Evidence",
  /** Cost lines, one row each (domain/money/cost-lines.ts); created at the first line. */
  costs: "费用明细 CostLines",
  /** Managers' dashboard, rebuilt whole by one command (never edited by hand). */
  dashboard: "看板 Dashboard",
  /** The month-end complaint review (reports/monthly-review-sheet.ts), rebuilt whole on demand. */
  review: "月度检讨 Review",
  /** Prefix of a finance review period's sheet: "财务审核 2026-03 H1". */
  financePrefix: "财务审核 ",
  /** Prefix of the untouched copy adoption keeps: "备份 Backup-<sheet>" (cut to Excel's 31 characters). */
  backupPrefix: "备份 ",
  /** Very hidden key/value sheet: the audit chain's head (so cutting entries off the end shows), schema version. */
  meta: "_cl_meta",
} as const;

export const TABLES = {
  ledger: "CaseLedger",
  people: "People",
  audit: "AuditLog",
  problems: "AdoptionProblems",
  evidence: "Evidence",
  costs: "CostLines",
} as const;

/** Computed columns: formulas of the custom functions, never typed. */
export interface ComputedColumn {
  key: string;
  zh: string;
  en: string;
  /** The formula for one table row, written with structured references. */
  formula: string;
  /** Number format of the result. */
  numberFormat?: string;
}

const ref = (f: FieldDef | undefined) => `[@[${f ? headerOf(f) : "?"}]]`;

/** Status labels of a closed case, both languages (sla.ts CLOSED_STATES). */
const closedLabels = STATES.filter((x) => CLOSED_STATES.some((c) => c === x.code)).flatMap((x) => [x.zh, x.en]);

/** A computed column's header as the sheet shows it ("回复到期 Reply due"). */
export const computedHeader = (c: Pick<ComputedColumn, "zh" | "en">) => `${c.zh} ${c.en}`;

/** The computed column a header names: its bilingual header, or either language alone (hand-renamed). */
export function computedColumnOf(header: unknown, policy: Policy): ComputedColumn | undefined {
  const text = String(header ?? "").trim();
  return computedColumns(policy).find((c) => computedHeader(c) === text || c.zh === text || c.en === text);
}

const REPLY_DUE = { key: "replyDue", zh: "回复到期", en: "Reply due" } as const;

/** The reply clock depends on the market (resolved by CL.DUEDATE); its due date and status are what managers filter on. */
export function computedColumns(policy: Policy): ComputedColumn[] {
  const s = ledgerSchema(policy);
  const by = (k: string) => s.find((f) => f.key === k);
  const received = ref(by("receivedAt"));
  const due = `[@[${computedHeader(REPLY_DUE)}]]`;
  // sla.ts replyJudged, as a formula: the reply date, else the close date; a closed case with neither is not judged.
  const [first, then] = REPLY_DONE_FIELDS.map((k) => ref(by(k)));
  return [
    {
      ...REPLY_DUE,
      numberFormat: "yyyy-mm-dd",
      // The market cell goes to the function as it is: the domain resolves its synonyms (出口, 外销…) through the
      // policy (sla.ts clockForMarket), so the sheet and the pane cannot disagree about which reply clock runs.
      formula: `=IF(${received}="","",CL.DUEDATE(${received},"${CLOCK.REPLY_DOMESTIC}",${ref(by("customerClass"))},${ref(by("severity"))},${ref(by("urgent"))},${ref(by("market"))}))`,
    },
    {
      key: "replyStatus",
      zh: "回复时效",
      en: "Reply status",
      formula:
        `=IF(${due}="","",IF(AND(${first}="",${then}="",OR(${closedLabels.map((t) => `${ref(by("status"))}="${t}"`).join(",")})),"",` +
        `CL.SLASTATUS(${due},IF(${first}="",${then},${first}))))`,
    },
  ];
}

/**
 * The conditional-format test for "this due date is an estimate" (its year's
 * holidays are provisional): CL.ESTIMATE, so it follows the Policy sheet and
 * turns off by itself once the year's notice is imported.
 */
export function estimateFormula(dueCell: string, startCell?: string): string {
  return `=CL.ESTIMATE(${dueCell}${startCell ? `,${startCell}` : ""})`;
}

/** One column of the ledger table. */
export interface LedgerColumn {
  /** Field key, computed key, or `extra:<header>` for a column the schema does not know. */
  key: string;
  header: string;
  field?: FieldDef;
  computed?: ComputedColumn;
}

/** The ledger's columns for a policy, in sheet order; `extras` are kept original headers. */
export function ledgerColumns(policy: Policy, extras: readonly string[] = []): LedgerColumn[] {
  return [
    ...ledgerSchema(policy).map((field) => ({ key: field.key, header: headerOf(field), field })),
    ...computedColumns(policy).map((computed) => ({ key: computed.key, header: computedHeader(computed), computed })),
    ...extras.map((h) => ({ key: `extra:${h}`, header: h })),
  ];
}

export const PEOPLE_COLUMNS = [
  { key: "name", header: "姓名 Name" },
  { key: "roles", header: "角色 Roles" },
  { key: "account", header: "账号 Account" },
  { key: "email", header: "邮箱 Email" },
] as const;

/** The Evidence table's columns: one per EVIDENCE_FIELDS entry, headed in both languages. */
export const EVIDENCE_COLUMNS = EVIDENCE_FIELDS.map((f) => ({ key: f.key, header: `${f.zh} ${f.en}` }));

/** The CostLines table's columns: one per COST_LINE_FIELDS entry, headed in both languages. */
export const COST_LINE_COLUMNS = COST_LINE_FIELDS.map((f) => ({ key: f.key, header: `${f.zh} ${f.en}` }));

export const AUDIT_COLUMNS = [
  { key: "seq", header: "序号 Seq" },
  { key: "at", header: "时间 Time" },
  { key: "user", header: "用户 User" },
  { key: "action", header: "操作 Action" },
  { key: "caseNo", header: "客诉单号 Case No." },
  { key: "field", header: "字段 Field" },
  { key: "cell", header: "单元格 Cell" },
  { key: "oldValue", header: "原值 Old value" },
  { key: "newValue", header: "新值 New value" },
  { key: "reason", header: "原因 Reason" },
  { key: "prevHash", header: "前哈希 Previous hash" },
  { key: "hash", header: "哈希 Hash" },
] as const;

/** Keys of the meta sheet. */
export const META = { auditSeq: "audit.seq", auditHash: "audit.hash", schemaVersion: "schema.version" } as const;

/**
 * The workbook layout's version, written to the meta sheet by both adapters.
 * Raising it: record the new version with `npm run schema:snapshot` and add
 * its file to ledger/migrations/steps.ts SNAPSHOTS (a test fails until both are done).
 */
export const SCHEMA_VERSION = "3";

export const PROBLEM_COLUMNS = [
  { key: "row", header: "行 Row" },
  { key: "column", header: "列 Column" },
  { key: "header", header: "表头 Header" },
  { key: "value", header: "原值 Value as typed" },
  { key: "kind", header: "类型 Kind" },
  { key: "reason_zh", header: "原因" },
  { key: "reason_en", header: "Reason" },
] as const;

/**
 * Excel's rules for sheet names: at most 31 characters, none of [ ] : * ? / \,
 * no apostrophe at either end. The cut never splits a surrogate pair (a rare
 * CJK character such as 𠀀 is two UTF-16 units).
 */
export function safeSheetName(name: string): string {
  let s = name.replace(/[[\]:*?/\\]/g, "_");
  if (s.length > 31) {
    const c = s.charCodeAt(30);
    s = s.slice(0, c >= 0xd800 && c <= 0xdbff ? 30 : 31);
  }
  s = s.replace(/^'+|'+$/g, "");
  return s || "_";
}

/** 1 for "A", 27 for "AA": the 1-based number of upper-case column letters (the inverse of columnLetter, plus one). */
export const columnNumber = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** "A", "B", … "AA": the letter of a 0-based column index. */
export function columnLetter(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
