/**
 * Cost lines (issue 23): what a case cost, line by line, each with its
 * category (销售成本, 销售费用, 供应商承担…, on the Policy sheet) so finance
 * books it. One row per line on the `费用明细 CostLines` sheet, created at the
 * first line like the Evidence sheet: a case has any number of them. A line
 * is never rewritten: its journal mark (which export batch, when) is the
 * JOURNAL_EXPORTED audit entry that names its line number (journal.ts).
 */
import { parseAmount, type CellValue } from "../case";
import { serialToIso, toSerial } from "../dates";
import type { Bilingual } from "../errors";
import { findNamed, type Policy } from "../policy/policy";
import type { CostCategory } from "./money-policy";
import { cellText as text } from "../text";

export interface CostLine {
  /** Stable id, `KS-2026-0001-C1`: the journal's memory names it. */
  lineNo: string;
  caseNo: string;
  item: string;
  amount: number;
  currency: string;
  category: string;
  counterparty?: string;
  /** Serial day the cost arose (and is booked). */
  date: number;
  by?: string;
  row?: number;
}

export const COST_LINE_FIELDS = [
  { key: "lineNo", zh: "分录号", en: "Line No." },
  { key: "caseNo", zh: "客诉单号", en: "Case No." },
  { key: "item", zh: "费用项目", en: "What" },
  { key: "amount", zh: "金额", en: "Amount" },
  { key: "currency", zh: "币种", en: "Currency" },
  { key: "category", zh: "费用类别", en: "Category" },
  { key: "counterparty", zh: "往来单位", en: "Counterparty" },
  { key: "date", zh: "日期", en: "Date" },
  { key: "by", zh: "记录人", en: "By" },
] as const satisfies readonly { key: keyof CostLine; zh: string; en: string }[];

export const DEFAULT_CURRENCY = "CNY";

/** An amount cell: a number, or text as a clerk types it (case.ts parseAmount: ¥1,200.50, 300元). */
export function readAmount(v: CellValue | undefined): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  const s = text(v);
  return s === "" ? undefined : parseAmount(s);
}

/** A category by code, either name or synonym, or as the sheet writes it ("销售成本 Cost of sales"). */
export function categoryNamed(s: string, policy: Policy): CostCategory | undefined {
  return findNamed(policy.money.categories, s) ?? policy.money.categories.find((c) => `${c.zh} ${c.en}` === s.trim());
}

/** Rows of the CostLines sheet → lines; a row without its number, case or a readable amount and date is no line. */
export function readCostLines(rows: readonly CellValue[][], policy: Policy): CostLine[] {
  const out: CostLine[] = [];
  const at = (k: keyof CostLine) => COST_LINE_FIELDS.findIndex((f) => f.key === k);
  rows.forEach((r, row) => {
    const lineNo = text(r[at("lineNo")]);
    const caseNo = text(r[at("caseNo")]);
    const amount = readAmount(r[at("amount")]);
    const date = toSerial(r[at("date")]);
    if (!lineNo || !caseNo || amount === undefined || !date.ok) return;
    const cat = categoryNamed(text(r[at("category")]), policy);
    const line: CostLine = {
      lineNo,
      caseNo,
      item: text(r[at("item")]),
      amount,
      currency: text(r[at("currency")]) || DEFAULT_CURRENCY,
      category: cat?.code ?? text(r[at("category")]),
      date: Math.floor(date.serial),
      row,
    };
    const cp = text(r[at("counterparty")]);
    if (cp) line.counterparty = cp;
    const by = text(r[at("by")]);
    if (by) line.by = by;
    out.push(line);
  });
  return out;
}

/** A line as a sheet row: the category in both languages (people read the sheet), the date as ISO text. */
export function costLineRow(l: CostLine, policy: Policy): CellValue[] {
  const cat = findNamed(policy.money.categories, l.category);
  return COST_LINE_FIELDS.map(({ key }) => {
    if (key === "category") return cat ? `${cat.zh} ${cat.en}` : l.category;
    if (key === "date") return serialToIso(l.date);
    const v = l[key];
    return v === undefined ? null : v;
  });
}

/** The next line number of a case: one more than the highest it has. */
export function nextLineNo(caseNo: string, lines: readonly CostLine[]): string {
  const re = new RegExp(`^${caseNo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-C(\\d+)$`);
  const n = lines.reduce((m, l) => Math.max(m, Number(re.exec(l.lineNo)?.[1] ?? 0)), 0);
  return `${caseNo}-C${n + 1}`;
}

/** Why a line does not hold, in both languages (empty when it holds): a known category, an amount above zero, a date, a what. */
export function costLineProblems(l: Partial<Omit<CostLine, "amount">> & { amount?: number | string }, policy: Policy): Bilingual[] {
  const p: Bilingual[] = [];
  if (!l.caseNo?.trim()) p.push({ zh: "缺少客诉单号", en: "The case number is missing" });
  if (!l.item?.trim()) p.push({ zh: "请填写费用项目", en: "Say what the cost is for" });
  const amount = typeof l.amount === "string" ? parseAmount(l.amount) : l.amount;
  if (amount === undefined || !Number.isFinite(amount))
    p.push({ zh: `金额无法识别:${String(l.amount ?? "")}`, en: `The amount does not read as a number: ${String(l.amount ?? "")}` });
  else if (amount <= 0) p.push({ zh: "金额应大于零", en: "The amount must be above zero" });
  if (!l.category || !findNamed(policy.money.categories, l.category)) {
    const known = policy.money.categories.map((c) => c.zh).join("、");
    p.push({
      zh: `费用类别未知:${l.category ?? ""}(可选:${known})`,
      en: `Unknown cost category: ${l.category ?? ""} (one of: ${policy.money.categories.map((c) => c.en).join(", ")})`,
    });
  }
  if (l.date === undefined || !Number.isFinite(l.date)) p.push({ zh: "请填写日期", en: "The date is missing" });
  if (l.currency !== undefined && !/^[A-Z]{3}$/.test(l.currency))
    p.push({ zh: `币种应为三位代码(如 CNY):${l.currency}`, en: `The currency should be a three-letter code (e.g. CNY): ${l.currency}` });
  return p;
}
