/**
 * The hand-off to the accounts (issue 23: 纳入T6系统账): one journal line per
 * booking — a cost line, a booked dealer debit, a supplier credit received —
 * with its date, case, account (the Policy's category, or the layout's own
 * code for it), side, amount, counterparty and memo, in the columns of a
 * layout row of the Policy sheet. What was exported is remembered in the
 * audit log (one JOURNAL_EXPORTED entry per line, naming its key and batch),
 * never by rewriting a line: a repeat export of a period lists only what is
 * new, unless asked again.
 */
import type { Case } from "../domain/case";
import { serialToIso } from "../domain/dates";
import type { CostLine } from "../domain/money/cost-lines";
import { CATEGORY, type CostCategory, type JournalLayout } from "../domain/money/money-policy";
import { dealerDebitApproved } from "../domain/money/money-rules";
import { findNamed, type Policy } from "../domain/policy/policy";
import type { AuditEntry } from "../ledger/audit";
import { toCsv } from "./csv";

export interface Booking {
  /** `COST:KS-2026-0001-C1`, `DEBIT:KS-2026-0001`, `CREDIT:KS-2026-0001`: what the journal's memory names. */
  key: string;
  date: number;
  caseNo: string;
  category: string;
  amount: number;
  currency: string;
  counterparty: string;
  memo: string;
}

/** Field of the audit entries that mark an exported line. */
export const JOURNAL_FIELD = "journal";

/**
 * Every booking the ledger holds, by date then key. A dealer debit is a booking once it is booked and approved
 * (an unapproved one is check's finding, not the accounts'); a supplier credit once it is received.
 */
export function bookings(cases: readonly Case[], lines: readonly CostLine[], policy: Policy): Booking[] {
  const out: Booking[] = [];
  const byNo = new Map(cases.filter((c) => c.caseNo).map((c) => [c.caseNo!, c]));
  for (const l of lines) {
    const c = byNo.get(l.caseNo);
    if (!c) continue;
    out.push({
      key: `COST:${l.lineNo}`,
      date: l.date,
      caseNo: l.caseNo,
      category: l.category,
      amount: l.amount,
      currency: l.currency,
      counterparty: l.counterparty ?? c.customer ?? "",
      memo: `${l.lineNo} ${l.item}`,
    });
  }
  /** A dealer debit or supplier credit: a booking of the whole case, in CNY, on the day it was booked. */
  const ofCase = (kind: "DEBIT" | "CREDIT", caseNo: string, at: number, category: string, amount: number, counterparty: string, memo: string): Booking => ({
    key: `${kind}:${caseNo}`,
    date: Math.floor(at),
    caseNo,
    category,
    amount,
    currency: "CNY",
    counterparty,
    memo: `${memo} ${caseNo}`,
  });
  for (const c of cases) {
    if (!c.caseNo) continue;
    if (c.dealerDebitBookedAt !== undefined && (c.dealerDebitAmount ?? 0) > 0 && dealerDebitApproved(c, policy))
      out.push(ofCase("DEBIT", c.caseNo, c.dealerDebitBookedAt, CATEGORY.DEALER_DEBIT, c.dealerDebitAmount!, c.customer ?? "", "经销商扣款 Dealer debit"));
    if (c.supplierCreditedAt !== undefined && (c.supplierCreditAmount ?? 0) > 0)
      out.push(
        ofCase("CREDIT", c.caseNo, c.supplierCreditedAt, CATEGORY.SUPPLIER, c.supplierCreditAmount!, c.supplierName ?? "", "供应商赔偿 Supplier credit"),
      );
  }
  return out.sort((a, b) => a.date - b.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The keys already exported, with the batch and time of their export (the journal mark). */
export function journalMarks(audit: readonly AuditEntry[]): Map<string, { batch: string; at: string }> {
  const m = new Map<string, { batch: string; at: string }>();
  for (const e of audit)
    if (e.action === "JOURNAL_EXPORTED" && e.field === JOURNAL_FIELD && e.newValue) m.set(e.newValue, { batch: e.oldValue ?? "", at: e.at });
  return m;
}

/** The category a booking books to (the Policy's row, else the default one of that code). */
export const categoryOf = (code: string, policy: Policy): CostCategory | undefined => findNamed(policy.money.categories, code);

/** A layout by code or name; the first (the shipped generic one) when none is named. */
export function layoutOf(name: string | undefined, policy: Policy): JournalLayout | undefined {
  return name ? findNamed(policy.money.layouts, name) : policy.money.layouts[0];
}

/** One booking as the layout's cells. */
export function journalCells(b: Booking, layout: JournalLayout, policy: Policy): string[] {
  const cat = categoryOf(b.category, policy);
  const side = cat?.side ?? "DEBIT";
  const value: Record<string, string> = {
    date: serialToIso(b.date),
    case: b.caseNo,
    account: layout.accounts[b.category] ?? cat?.account ?? b.category,
    category: cat ? `${cat.zh} ${cat.en}` : b.category,
    side: side === "DEBIT" ? layout.debitWord : layout.creditWord,
    amount: b.amount.toFixed(2),
    currency: b.currency,
    counterparty: b.counterparty,
    memo: b.memo,
    line: b.key,
  };
  return layout.columns.map((c) => value[c.field] ?? "");
}

/** The journal file: UTF-8 with a BOM (the accounts system and Excel read the Chinese), cells made safe by csv.ts. */
export function journalCsv(list: readonly Booking[], layout: JournalLayout, policy: Policy): string {
  return "\uFEFF" + toCsv([layout.columns.map((c) => c.header), ...list.map((b) => journalCells(b, layout, policy))]);
}
