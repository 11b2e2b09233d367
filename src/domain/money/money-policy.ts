/**
 * The money trail's part of the policy (issue 23): cost categories with the
 * account each books to and its side, journal layouts (one per accounts
 * system: which columns, in what order, which words for debit and credit,
 * account codes that differ from the categories'), and the settings the money
 * rules read. Plain data with no import from policy.ts, so policy.ts can hold
 * it without a cycle; the rules are in money-rules.ts, the sheet's rows in
 * money-rows.ts.
 */
import type { Named } from "../policy/named";

export type Side = "DEBIT" | "CREDIT";
export const SIDES: readonly Side[] = ["DEBIT", "CREDIT"];

/** A cost category finance books: 销售成本, 销售费用, 供应商承担… with its account code and side. */
export interface CostCategory extends Named {
  account: string;
  side: Side;
}

/** What a journal line holds; a layout picks and orders them. */
export const JOURNAL_FIELDS = ["date", "case", "account", "category", "side", "amount", "currency", "counterparty", "memo", "line"] as const;
export type JournalField = (typeof JOURNAL_FIELDS)[number];

/** One accounts system's journal file: its columns (field and the header it gives it), side words and account codes. */
export interface JournalLayout extends Named {
  columns: { field: JournalField; header: string }[];
  debitWord: string;
  creditWord: string;
  /** Account codes of this system that differ from the categories' (category code → account). */
  accounts: Record<string, string>;
}

export interface MoneyPolicy {
  categories: CostCategory[];
  layouts: JournalLayout[];
  /** A supplier return of at least this many pieces is a batch defect (质量协议), unless the case says otherwise. */
  supplierBatchThreshold: number;
  /** Days after the return by which the supplier's credit is due; unpaid after them it is overdue. */
  supplierCreditDays: number;
}

/** The monthly review's settings (read by reports; issue 23). */
export interface ReviewPolicy {
  /** Two complaints of the same customer and defect, or product and defect, within this many days repeat. */
  repeatWindowDays: number;
}

/** Category codes the money rules name: the dealer debit and the supplier's credit book to these. */
export const CATEGORY = {
  SALES_COST: "SALES_COST",
  SALES_EXPENSE: "SALES_EXPENSE",
  SUPPLIER: "SUPPLIER",
  CUSTOMER: "CUSTOMER",
  DEALER_DEBIT: "DEALER_DEBIT",
} as const;
/** The approval form of a dealer debit (its signers on the FORMS rows are the Policy's approver). */
export const DEALER_DEBIT_FORM = "DEALER_DEBIT";
/** The clock of the supplier's 8D after a non-batch return (管理办法 7.1.2). */
export const SUPPLIER_RETURN_CLOCK = "SUPPLIER_RETURN_8D";

const cat = (code: string, zh: string, en: string, account: string, side: Side, synonyms: string[]): CostCategory => ({
  code,
  zh,
  en,
  synonyms,
  account,
  side,
});

/** The defaults: account codes of the 2007 Chinese chart of accounts (6401 主营业务成本, 6601 销售费用, 1221 其他应收款, 1122 应收账款). */
export function defaultMoneyPolicy(): MoneyPolicy {
  return {
    categories: [
      cat(CATEGORY.SALES_COST, "销售成本", "Cost of sales", "6401", "DEBIT", ["主营业务成本", "cost of sales"]),
      cat(CATEGORY.SALES_EXPENSE, "销售费用", "Selling expense", "6601", "DEBIT", ["selling expense"]),
      cat(CATEGORY.SUPPLIER, "供应商承担", "Borne by the supplier", "1221", "DEBIT", ["供应商索赔", "supplier"]),
      cat(CATEGORY.CUSTOMER, "客户承担", "Borne by the customer", "1122", "DEBIT", ["客户付费", "customer"]),
      cat(CATEGORY.DEALER_DEBIT, "经销商扣款", "Dealer debit", "1122", "CREDIT", ["扣款", "dealer debit"]),
    ],
    layouts: [
      {
        code: "GENERIC",
        zh: "通用凭证",
        en: "Generic journal",
        synonyms: [],
        columns: [
          { field: "date", header: "日期 Date" },
          { field: "case", header: "客诉单号 Case No." },
          { field: "account", header: "科目 Account" },
          { field: "category", header: "费用类别 Category" },
          { field: "side", header: "借贷 Debit/credit" },
          { field: "amount", header: "金额 Amount" },
          { field: "currency", header: "币种 Currency" },
          { field: "counterparty", header: "往来单位 Counterparty" },
          { field: "memo", header: "摘要 Memo" },
          { field: "line", header: "分录号 Line" },
        ],
        debitWord: "借",
        creditWord: "贷",
        accounts: {},
      },
    ],
    supplierBatchThreshold: 100,
    supplierCreditDays: 30,
  };
}

export const defaultReviewPolicy = (): ReviewPolicy => ({ repeatWindowDays: 90 });
