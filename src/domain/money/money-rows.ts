/**
 * The money policy on the Policy sheet (policy-table.ts calls these): the
 * [COST_CATEGORIES] and [JOURNAL_LAYOUTS] sections' rows, and the settings
 * rows of the money rules and the monthly review. A bad cell throws a
 * bilingual DomainError, which the sheet reader reports with its row.
 */
import { DomainError } from "../errors";
import {
  JOURNAL_FIELDS,
  SIDES,
  type CostCategory,
  type JournalField,
  type JournalLayout,
  type MoneyPolicy,
  type ReviewPolicy,
  type Side,
} from "./money-policy";

type Cell = string | number | boolean | null;
const text = (s: unknown) => (s === null || s === undefined ? "" : String(s).trim());
const list = (s: unknown): string[] =>
  text(s)
    .split(/[;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

const SIDE_WORDS: Record<Side, string[]> = { DEBIT: ["DEBIT", "借", "借方", "D", "DR"], CREDIT: ["CREDIT", "贷", "贷方", "C", "CR"] };

export function readSide(v: unknown, where: string): Side {
  const t = text(v).toUpperCase();
  const hit = SIDES.find((s) => SIDE_WORDS[s].includes(t));
  if (!hit)
    throw new DomainError("POLICY_BAD_CHOICE", `${where}"${text(v)}"应为 借/贷 (DEBIT/CREDIT)`, `${where} "${text(v)}" should be DEBIT or CREDIT (借/贷)`);
  return hit;
}

export const CATEGORY_HEADER = ["代码 Code", "中文", "English", "科目 Account", "借贷 Side (DEBIT/CREDIT)", "同义词 Synonyms"];
export const categoryRow = (c: CostCategory): Cell[] => [c.code, c.zh, c.en, c.account, c.side, c.synonyms.join("; ")];
export function readCategory(c: readonly Cell[]): CostCategory {
  const code = text(c[0]).toUpperCase();
  if (!code) throw new DomainError("POLICY_BAD_FIELD", "费用类别缺少代码", "A cost category has no code");
  return { code, zh: text(c[1]), en: text(c[2]), account: text(c[3]), side: readSide(c[4], "借贷 Side"), synonyms: list(c[5]) };
}

export const LAYOUT_HEADER = [
  "代码 Code",
  "中文",
  "English",
  "列 Columns (字段=列名; …)",
  "借方用词 Debit word",
  "贷方用词 Credit word",
  "科目对照 Accounts (类别=科目; …)",
];
const pairs = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
export const layoutRow = (l: JournalLayout): Cell[] => [
  l.code,
  l.zh,
  l.en,
  l.columns.map((c) => `${c.field}=${c.header}`).join("; "),
  l.debitWord,
  l.creditWord,
  pairs(l.accounts),
];

function readPairs(v: unknown, where: string): [string, string][] {
  return list(v).map((x) => {
    const at = x.indexOf("=");
    if (at <= 0) throw new DomainError("POLICY_BAD_FIELD", `${where}"${x}"应写作 键=值`, `${where} "${x}" should read key=value`);
    return [x.slice(0, at).trim(), x.slice(at + 1).trim()];
  });
}

export function readLayout(c: readonly Cell[]): JournalLayout {
  const code = text(c[0]).toUpperCase();
  if (!code) throw new DomainError("POLICY_BAD_FIELD", "凭证格式缺少代码", "A journal layout has no code");
  const columns = readPairs(c[3], "列 Columns").map(([field, header]) => {
    const f = JOURNAL_FIELDS.find((x) => x === field.toLowerCase());
    if (!f)
      throw new DomainError(
        "POLICY_BAD_FIELD",
        `凭证格式 ${code} 的列"${field}"未知,可选:${JOURNAL_FIELDS.join("、")}`,
        `Journal layout ${code}: unknown column "${field}"; one of: ${JOURNAL_FIELDS.join(", ")}`,
      );
    return { field: f as JournalField, header: header || f };
  });
  if (!columns.length) throw new DomainError("POLICY_BAD_FIELD", `凭证格式 ${code} 没有列`, `Journal layout ${code} has no columns`);
  const accounts = Object.fromEntries(readPairs(c[6], "科目对照 Accounts").map(([k, v]) => [k.toUpperCase(), v]));
  return { code, zh: text(c[1]), en: text(c[2]), synonyms: [], columns, debitWord: text(c[4]) || "借", creditWord: text(c[5]) || "贷", accounts };
}

/** Settings rows the money rules and the monthly review read, beside the Settings type's own. */
export const MONEY_SETTINGS: readonly {
  key: string;
  zh: string;
  en: string;
  get: (m: MoneyPolicy, r: ReviewPolicy) => number;
  set: (m: MoneyPolicy, r: ReviewPolicy, n: number) => void;
}[] = [
  {
    key: "supplierBatchThreshold",
    zh: "供应商批量不良门槛(退回数量,参照质量协议)",
    en: "Supplier batch-defect threshold (pieces returned, per the quality agreement)",
    get: (m) => m.supplierBatchThreshold,
    set: (m, _r, n) => (m.supplierBatchThreshold = n),
  },
  {
    key: "supplierCreditDays",
    zh: "供应商赔偿应到账天数(自退回起)",
    en: "Days from the return by which the supplier's credit is due",
    get: (m) => m.supplierCreditDays,
    set: (m, _r, n) => (m.supplierCreditDays = n),
  },
  {
    key: "reviewRepeatWindowDays",
    zh: "重复客诉窗口(天)",
    en: "Repeat-complaint window (days)",
    get: (_m, r) => r.repeatWindowDays,
    set: (_m, r, n) => (r.repeatWindowDays = n),
  },
];

/** Reads a money setting's value: a whole number, zero or more. */
export function readMoneySetting(key: string, v: unknown, m: MoneyPolicy, r: ReviewPolicy): void {
  const s = MONEY_SETTINGS.find((x) => x.key === key)!;
  const n = typeof v === "number" ? v : Number(text(v));
  if (text(v) === "" || !Number.isInteger(n) || n < 0)
    throw new DomainError("POLICY_BAD_NUMBER", `设置 ${key}应为非负整数:"${text(v)}"`, `Setting ${key} should be a whole number, zero or more: "${text(v)}"`);
  s.set(m, r, n);
}
