/**
 * The money rules of a case (issue 23), for validateCase (so `check` finds
 * them and the edit check refuses an edit that would break one):
 * - a dealer debit only where the dealer or customer is at fault (经销商责任,
 *   无故退货: the CUSTOMER group), only once the replacement went out when it
 *   was shipped first (先补发,再追究), notified before it is booked, and booked
 *   only with its approval (the DEALER_DEBIT form's signers on the Policy);
 * - a supplier return only on a supplier-caused case, never more replaced
 *   than returned; batch or not per the quality agreement's threshold.
 */
import type { Case } from "../case";
import { serialToIso } from "../dates";
import type { Bilingual } from "../errors";
import { findNamed, type ApprovalFormDef, type Policy } from "../policy/policy";
import { DEALER_DEBIT_FORM } from "./money-policy";

export type MoneyViolationCode =
  | "DEALER_DEBIT_NOT_DEALER"
  | "DEALER_DEBIT_BEFORE_SHIPMENT"
  | "DEALER_DEBIT_UNNOTIFIED"
  | "DEALER_DEBIT_UNAPPROVED"
  | "SUPPLIER_RETURN_NOT_SUPPLIER"
  | "SUPPLIER_RETURN_MISMATCH";

/** Every money code: an edit may not introduce one (ledger/edit-check.ts). */
export const MONEY_VIOLATION_CODES: readonly MoneyViolationCode[] = [
  "DEALER_DEBIT_NOT_DEALER",
  "DEALER_DEBIT_BEFORE_SHIPMENT",
  "DEALER_DEBIT_UNNOTIFIED",
  "DEALER_DEBIT_UNAPPROVED",
  "SUPPLIER_RETURN_NOT_SUPPLIER",
  "SUPPLIER_RETURN_MISMATCH",
];

export interface MoneyViolation extends Bilingual {
  code: MoneyViolationCode;
  field: string;
}

/** The responsibility group of a case (the policy's words for who is at fault). */
const groupOf = (c: Case, policy: Policy) => policy.responsibilities.find((r) => r.code === c.responsibility)?.group;

/** Whether a supplier return is a batch defect: as the case says, else at or above the Policy's threshold. */
export function supplierBatch(c: Pick<Case, "supplierBatch" | "supplierReturnedQty">, policy: Policy): boolean {
  if (c.supplierBatch !== undefined) return c.supplierBatch;
  const t = policy.money.supplierBatchThreshold;
  return t > 0 && (c.supplierReturnedQty ?? 0) >= t;
}

/** A non-batch return runs the supplier's 8D clock (2 working days from the return). */
export const nonBatchReturn = (c: Case, policy: Policy): boolean => c.supplierReturnedAt !== undefined && !supplierBatch(c, policy);

/** Whether a case records a dealer debit. */
export const hasDealerDebit = (c: Pick<Case, "dealerDebitAmount">): boolean => c.dealerDebitAmount !== undefined && c.dealerDebitAmount !== 0;

/** The debit's approval form when the case needs it signed (a debit recorded), for the documents to sign. */
export function moneyForms(c: Case, policy: Policy): ApprovalFormDef[] {
  const f = hasDealerDebit(c) ? findNamed(policy.forms, DEALER_DEBIT_FORM) : undefined;
  return f ? [f] : [];
}

/** The debit's approval is signed, or the Policy has no such form (its rule is off). */
export function dealerDebitApproved(c: Case, policy: Policy): boolean {
  const f = findNamed(policy.forms, DEALER_DEBIT_FORM);
  if (!f) return true;
  return f.signers.every((slot) =>
    slot.some((role) => {
      const s = c.signatures[role];
      return !!s && [s, ...(s.more ?? [])].some((x) => !x.forms || x.forms.includes(f.code));
    }),
  );
}

function dealerRules(c: Case, policy: Policy): MoneyViolation[] {
  const out: MoneyViolation[] = [];
  const debit = hasDealerDebit(c);
  const any = debit || c.dealerNotifiedAt !== undefined || c.dealerDebitBookedAt !== undefined;
  if (!any) return out;
  if (groupOf(c, policy) !== "CUSTOMER")
    out.push({
      code: "DEALER_DEBIT_NOT_DEALER",
      field: "dealerDebitAmount",
      zh: "经销商扣款只适用于经销商/客户责任的案件",
      en: "A dealer debit applies only to a case the dealer or customer caused",
    });
  if (c.replacementFirst === true) {
    const shipped = c.replacementShippedAt;
    const at = c.dealerNotifiedAt ?? c.dealerDebitBookedAt;
    if (shipped === undefined)
      out.push({
        code: "DEALER_DEBIT_BEFORE_SHIPMENT",
        field: "dealerDebitAmount",
        zh: "先补发:补发货物发出前不能扣款",
        en: "Replacement first: no debit before the replacement has shipped",
      });
    else if (at !== undefined && Math.floor(at) < Math.floor(shipped))
      out.push({
        code: "DEALER_DEBIT_BEFORE_SHIPMENT",
        field: c.dealerNotifiedAt !== undefined ? "dealerNotifiedAt" : "dealerDebitBookedAt",
        zh: `先补发:扣款(${serialToIso(Math.floor(at))})早于补发日期(${serialToIso(Math.floor(shipped))})`,
        en: `Replacement first: the debit (${serialToIso(Math.floor(at))}) is before the replacement shipped (${serialToIso(Math.floor(shipped))})`,
      });
  }
  if (c.dealerDebitBookedAt !== undefined) {
    if (!debit)
      out.push({ code: "DEALER_DEBIT_UNNOTIFIED", field: "dealerDebitBookedAt", zh: "已入账但没有扣款金额", en: "Booked, but no debit amount is recorded" });
    if (c.dealerNotifiedAt === undefined || !c.dealerNotifiedBy)
      out.push({
        code: "DEALER_DEBIT_UNNOTIFIED",
        field: "dealerNotifiedAt",
        zh: "扣款入账前须记录通知经销商的日期和通知人",
        en: "Before the debit is booked, record when and by whom the dealer was notified",
      });
    else if (Math.floor(c.dealerDebitBookedAt) < Math.floor(c.dealerNotifiedAt))
      out.push({
        code: "DEALER_DEBIT_UNNOTIFIED",
        field: "dealerDebitBookedAt",
        zh: "扣款入账早于通知经销商",
        en: "The debit is booked before the dealer was notified",
      });
    if (!dealerDebitApproved(c, policy))
      out.push({
        code: "DEALER_DEBIT_UNAPPROVED",
        field: "dealerDebitBookedAt",
        zh: "经销商扣款未经审批不能入账",
        en: "A dealer debit cannot be booked before it is approved",
      });
  }
  return out;
}

function supplierRules(c: Case, policy: Policy): MoneyViolation[] {
  const out: MoneyViolation[] = [];
  // A credit date alone counts: typed without its amount, the journal books nothing (reports/journal.ts).
  const any =
    c.supplierReturnedAt !== undefined || c.supplierReturnedQty !== undefined || c.supplierCreditAmount !== undefined || c.supplierCreditedAt !== undefined;
  if (!any) return out;
  if (groupOf(c, policy) !== "SUPPLIER")
    out.push({
      code: "SUPPLIER_RETURN_NOT_SUPPLIER",
      field: "supplierReturnedAt",
      zh: "退供应商/供应商赔偿只适用于原材料/供应商责任的案件",
      en: "A supplier return or credit applies only to a supplier-caused case",
    });
  if (c.supplierReplacedQty !== undefined && c.supplierReturnedQty !== undefined && c.supplierReplacedQty > c.supplierReturnedQty)
    out.push({
      code: "SUPPLIER_RETURN_MISMATCH",
      field: "supplierReplacedQty",
      zh: "供应商补货数量大于退回数量",
      en: "The supplier replaced more than was returned",
    });
  if (c.supplierCreditedAt !== undefined && c.supplierCreditAmount === undefined)
    out.push({
      code: "SUPPLIER_RETURN_MISMATCH",
      field: "supplierCreditAmount",
      zh: "已记录赔偿到账,但没有赔偿金额",
      en: "A credit is recorded as received, but with no amount",
    });
  return out;
}

/** Every money rule a case breaks. */
export function moneyViolations(c: Case, policy: Policy): MoneyViolation[] {
  return [...dealerRules(c, policy), ...supplierRules(c, policy)];
}

/** Money fields that may not be negative (the NEGATIVE rule of validate.ts). */
export const MONEY_AMOUNTS = ["dealerDebitAmount", "supplierReturnedQty", "supplierReplacedQty", "supplierCreditAmount"] as const;
