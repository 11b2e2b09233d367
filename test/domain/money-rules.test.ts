/**
 * The money policy on the Policy sheet and the money rules (issue 23): categories and layouts round-trip and refuse
 * a bad cell in both languages; batch or not per the threshold; the debit's rules name their codes.
 */
import type { Case, Signature } from "../../src/domain/case";
import { ymdToSerial as ymd } from "../../src/domain/dates";
import { dealerDebitApproved, hasDealerDebit, moneyForms, moneyViolations, nonBatchReturn, supplierBatch } from "../../src/domain/money/money-rules";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../src/domain/policy/policy-table";
import { validateCase } from "../../src/domain/validate";

const policy = defaultPolicy();

test("cost categories, journal layouts and the money settings round-trip through the Policy sheet", () => {
  const p = defaultPolicy();
  p.money.supplierBatchThreshold = 40;
  p.review.repeatWindowDays = 60;
  p.money.layouts.push({ ...p.money.layouts[0], code: "T6", zh: "用友T6", en: "UFIDA T6", accounts: { SALES_COST: "5401" } });
  const back = policyFromRows(policyToRows(p));
  expect(back.problems).toEqual([]);
  expect(back.policy!.money).toEqual(p.money);
  expect(back.policy!.review).toEqual({ repeatWindowDays: 60 });
});

test("a bad side, an unknown layout column or category, a bad threshold are refused with the row, in both languages", () => {
  const rows = policyToRows(defaultPolicy());
  const at = (code: string) => rows.findIndex((r) => r[0] === code);
  rows[at("SALES_COST")][4] = "LEFT";
  rows[at("GENERIC")][3] = "date=日期; colour=颜色";
  rows[at("reviewRepeatWindowDays")][1] = "三个月";
  const r = policyFromRows(rows);
  expect(r.policy).toBeUndefined();
  expect(r.problems.map((x) => x.row)).toEqual([at("SALES_COST") + 1, at("GENERIC") + 1, at("reviewRepeatWindowDays") + 1].sort((a, b) => a - b));
  expect(r.problems.map((x) => x.en).join(" ")).toMatch(/should be DEBIT or CREDIT.*unknown column "colour"|unknown column "colour".*should be DEBIT/);
  expect(r.problems.map((x) => x.zh).join(" ")).toMatch(/应为非负整数/);
  const mapped = policyToRows(defaultPolicy());
  mapped[mapped.findIndex((x) => x[0] === "GENERIC")][6] = "REPAIRS=5001";
  expect(policyFromRows(mapped).problems.map((x) => x.en)).toEqual(['Journal layout GENERIC maps unknown cost category "REPAIRS"']);
});

test("a supplier return is a batch at the Policy's threshold, unless the case says otherwise", () => {
  expect(supplierBatch({ supplierReturnedQty: 99 }, policy)).toBe(false);
  expect(supplierBatch({ supplierReturnedQty: 100 }, policy)).toBe(true);
  expect(supplierBatch({ supplierReturnedQty: 500, supplierBatch: false }, policy)).toBe(false);
  expect(supplierBatch({ supplierReturnedQty: 1, supplierBatch: true }, policy)).toBe(true);
});

test("the dealer debit's rules, each by its code; none for a case without money", () => {
  const base: Case = { caseNo: "KS-2026-0001", responsibility: "DEALER", replacementFirst: true, signatures: {} };
  const codes = (c: Partial<Case>) => moneyViolations({ ...base, ...c }, policy).map((v) => v.code);
  expect(codes({})).toEqual([]);
  expect(codes({ dealerDebitAmount: 100 })).toEqual(["DEALER_DEBIT_BEFORE_SHIPMENT"]);
  expect(codes({ dealerDebitAmount: 100, replacementShippedAt: ymd(2026, 3, 5), dealerNotifiedAt: ymd(2026, 3, 4) })).toEqual(["DEALER_DEBIT_BEFORE_SHIPMENT"]);
  expect(codes({ dealerDebitAmount: 100, replacementShippedAt: ymd(2026, 3, 5), dealerDebitBookedAt: ymd(2026, 3, 6) })).toEqual([
    "DEALER_DEBIT_UNNOTIFIED",
    "DEALER_DEBIT_UNAPPROVED",
  ]);
  expect(codes({ responsibility: "QC", replacementFirst: false, dealerDebitAmount: 100 })).toEqual(["DEALER_DEBIT_NOT_DEALER"]);
  expect(codes({ responsibility: "NO_FAULT", replacementFirst: false, dealerDebitAmount: 100 })).toEqual([]);
  expect(codes({ responsibility: "SUPPLIER", supplierReturnedQty: 10, supplierReplacedQty: 12 })).toEqual(["SUPPLIER_RETURN_MISMATCH"]);
  // validateCase carries them, with the case number, as check prints them.
  expect(validateCase({ ...base, dealerDebitAmount: 100 }, policy)).toContainEqual(
    expect.objectContaining({ caseNo: "KS-2026-0001", code: "DEALER_DEBIT_BEFORE_SHIPMENT" }),
  );
});

describe("the money rules branch by branch (issue 30)", () => {
  const CS = (forms?: string[], more?: Signature[]): Signature => ({
    name: "客服经理",
    at: ymd(2026, 3, 6),
    ...(forms ? { forms } : {}),
    ...(more ? { more } : {}),
  });
  /** A dealer debit done by the book: replacement shipped, the dealer notified after, booked after that, approved. */
  const booked: Case = {
    caseNo: "KS-2026-0001",
    responsibility: "DEALER",
    replacementFirst: true,
    replacementShippedAt: ymd(2026, 3, 5),
    dealerDebitAmount: 100,
    dealerNotifiedAt: ymd(2026, 3, 6),
    dealerNotifiedBy: "张",
    dealerDebitBookedAt: ymd(2026, 3, 7),
    signatures: { CS_MANAGER: CS() },
  };
  const all = (c: Partial<Case>) => moneyViolations({ ...booked, ...c }, policy);
  const codes = (c: Partial<Case>) => all(c).map((v) => `${v.code}:${v.field}`);

  test("a batch needs a threshold above zero; no quantity is no batch", () => {
    const zero = defaultPolicy();
    zero.money.supplierBatchThreshold = 0;
    expect(supplierBatch({ supplierReturnedQty: 5 }, zero)).toBe(false);
    expect(supplierBatch({ supplierReturnedQty: 0 }, zero)).toBe(false);
    expect(supplierBatch({}, policy)).toBe(false);
    const one = defaultPolicy();
    one.money.supplierBatchThreshold = 1;
    expect(supplierBatch({}, one)).toBe(false);
    expect(supplierBatch({ supplierReturnedQty: 1 }, one)).toBe(true);
  });

  test("a non-batch return is one returned and below the threshold", () => {
    const base: Case = { signatures: {}, supplierReturnedQty: 5 };
    expect(nonBatchReturn(base, policy)).toBe(false);
    expect(nonBatchReturn({ ...base, supplierReturnedAt: ymd(2026, 3, 5) }, policy)).toBe(true);
    expect(nonBatchReturn({ ...base, supplierReturnedAt: ymd(2026, 3, 5), supplierReturnedQty: 100 }, policy)).toBe(false);
  });

  test("a debit is an amount other than zero; its form is then a document to sign, if the Policy has it", () => {
    expect([undefined, 0, 100, -5].map((dealerDebitAmount) => hasDealerDebit({ dealerDebitAmount }))).toEqual([false, false, true, true]);
    expect(moneyForms(booked, policy).map((f) => f.code)).toEqual(["DEALER_DEBIT"]);
    expect(moneyForms({ ...booked, dealerDebitAmount: 0 }, policy)).toEqual([]);
    const off = defaultPolicy();
    off.forms = off.forms.filter((f) => f.code !== "DEALER_DEBIT");
    expect(moneyForms(booked, off)).toEqual([]);
  });

  test("the debit's approval: every slot signed for that document; a Policy without the form does not ask", () => {
    expect(dealerDebitApproved(booked, policy)).toBe(true);
    expect(dealerDebitApproved({ ...booked, signatures: {} }, policy)).toBe(false);
    expect(dealerDebitApproved({ ...booked, signatures: { CS_MANAGER: CS(["DEALER_DEBIT"]) } }, policy)).toBe(true);
    expect(dealerDebitApproved({ ...booked, signatures: { CS_MANAGER: CS(["URGENT"]) } }, policy)).toBe(false);
    expect(dealerDebitApproved({ ...booked, signatures: { CS_MANAGER: CS(["URGENT"], [CS(["DEALER_DEBIT"])]) } }, policy)).toBe(true);
    expect(dealerDebitApproved({ ...booked, signatures: { GM: CS() } }, policy)).toBe(false);
    const two = defaultPolicy();
    two.forms.find((f) => f.code === "DEALER_DEBIT")!.signers = [["CS_MANAGER"], ["FINANCE"]];
    expect(dealerDebitApproved(booked, two)).toBe(false);
    expect(dealerDebitApproved({ ...booked, signatures: { CS_MANAGER: CS(), FINANCE: CS() } }, two)).toBe(true);
    const off = defaultPolicy();
    off.forms = off.forms.filter((f) => f.code !== "DEALER_DEBIT");
    expect(dealerDebitApproved({ ...booked, signatures: {} }, off)).toBe(true);
  });

  test("a slot naming alternatives (the customer-service manager or the general manager) is signed by either one", () => {
    const either = defaultPolicy();
    either.forms.find((f) => f.code === "DEALER_DEBIT")!.signers = [["CS_MANAGER", "GM"]];
    expect(dealerDebitApproved({ ...booked, signatures: { GM: CS() } }, either)).toBe(true);
    expect(dealerDebitApproved({ ...booked, signatures: { CS_MANAGER: CS() } }, either)).toBe(true);
    expect(dealerDebitApproved({ ...booked, signatures: { FINANCE: CS() } }, either)).toBe(false);
    expect(moneyViolations({ ...booked, signatures: { GM: CS() } }, either)).toEqual([]);
  });

  test("a debit done by the book breaks no rule; the same day for notice and booking, or shipment and notice, is in order", () => {
    expect(all({})).toEqual([]);
    expect(all({ dealerNotifiedAt: ymd(2026, 3, 5) + 0.2, replacementShippedAt: ymd(2026, 3, 5) + 0.9, dealerDebitBookedAt: ymd(2026, 3, 5) + 0.1 })).toEqual(
      [],
    );
  });

  test("any trace of a debit on a case the dealer did not cause is refused, in both languages", () => {
    const qc = { responsibility: "QC", replacementFirst: false, dealerDebitAmount: undefined, dealerDebitBookedAt: undefined, signatures: {} };
    expect(all({ ...qc, dealerNotifiedAt: ymd(2026, 3, 6) })).toEqual([
      {
        code: "DEALER_DEBIT_NOT_DEALER",
        field: "dealerDebitAmount",
        zh: "经销商扣款只适用于经销商/客户责任的案件",
        en: "A dealer debit applies only to a case the dealer or customer caused",
      },
    ]);
    expect(codes({ ...qc, dealerNotifiedAt: undefined, dealerDebitAmount: 0 })).toEqual([]);
    expect(codes({ ...qc, dealerNotifiedAt: undefined, dealerDebitBookedAt: ymd(2026, 3, 7) })).toEqual([
      "DEALER_DEBIT_NOT_DEALER:dealerDebitAmount",
      "DEALER_DEBIT_UNNOTIFIED:dealerDebitBookedAt",
      "DEALER_DEBIT_UNNOTIFIED:dealerNotifiedAt",
      "DEALER_DEBIT_UNAPPROVED:dealerDebitBookedAt",
    ]);
  });

  test("replacement first: no debit before it ships, named on the date that is early", () => {
    expect(all({ replacementShippedAt: undefined })).toEqual([
      {
        code: "DEALER_DEBIT_BEFORE_SHIPMENT",
        field: "dealerDebitAmount",
        zh: "先补发:补发货物发出前不能扣款",
        en: "Replacement first: no debit before the replacement has shipped",
      },
    ]);
    expect(all({ replacementShippedAt: ymd(2026, 3, 8) })).toEqual([
      {
        code: "DEALER_DEBIT_BEFORE_SHIPMENT",
        field: "dealerNotifiedAt",
        zh: "先补发:扣款(2026-03-06)早于补发日期(2026-03-08)",
        en: "Replacement first: the debit (2026-03-06) is before the replacement shipped (2026-03-08)",
      },
    ]);
    // Booked without notice: the booking date is the early one.
    expect(codes({ replacementShippedAt: ymd(2026, 3, 8), dealerNotifiedAt: undefined })).toEqual([
      "DEALER_DEBIT_BEFORE_SHIPMENT:dealerDebitBookedAt",
      "DEALER_DEBIT_UNNOTIFIED:dealerNotifiedAt",
    ]);
    // Not shipped first: no shipment asked for.
    expect(all({ replacementFirst: false, replacementShippedAt: undefined })).toEqual([]);
    expect(all({ replacementFirst: undefined, replacementShippedAt: ymd(2026, 3, 8) })).toEqual([]);
  });

  test("booking: an amount, a notice with its date and who gave it, before the booking, and the approval", () => {
    expect(all({ dealerDebitAmount: undefined })).toEqual([
      { code: "DEALER_DEBIT_UNNOTIFIED", field: "dealerDebitBookedAt", zh: "已入账但没有扣款金额", en: "Booked, but no debit amount is recorded" },
    ]);
    const unnotified = {
      code: "DEALER_DEBIT_UNNOTIFIED",
      field: "dealerNotifiedAt",
      zh: "扣款入账前须记录通知经销商的日期和通知人",
      en: "Before the debit is booked, record when and by whom the dealer was notified",
    };
    expect(all({ dealerNotifiedBy: undefined })).toEqual([unnotified]);
    expect(all({ dealerNotifiedBy: "" })).toEqual([unnotified]);
    expect(all({ dealerNotifiedAt: undefined, replacementFirst: false })).toEqual([unnotified]);
    expect(all({ dealerDebitBookedAt: ymd(2026, 3, 5), replacementFirst: false })).toEqual([
      { code: "DEALER_DEBIT_UNNOTIFIED", field: "dealerDebitBookedAt", zh: "扣款入账早于通知经销商", en: "The debit is booked before the dealer was notified" },
    ]);
    expect(all({ signatures: {} })).toEqual([
      {
        code: "DEALER_DEBIT_UNAPPROVED",
        field: "dealerDebitBookedAt",
        zh: "经销商扣款未经审批不能入账",
        en: "A dealer debit cannot be booked before it is approved",
      },
    ]);
    // Not booked yet: nothing about notice or approval.
    expect(all({ dealerDebitBookedAt: undefined, dealerNotifiedAt: undefined, dealerNotifiedBy: undefined, signatures: {} })).toEqual([]);
  });

  test("a supplier return or credit only on a supplier-caused case, in both languages; each of its fields counts", () => {
    const sup: Case = { caseNo: "KS-2026-0002", responsibility: "SUPPLIER", signatures: {} };
    const notSupplier = {
      code: "SUPPLIER_RETURN_NOT_SUPPLIER",
      field: "supplierReturnedAt",
      zh: "退供应商/供应商赔偿只适用于原材料/供应商责任的案件",
      en: "A supplier return or credit applies only to a supplier-caused case",
    };
    for (const x of [{ supplierReturnedAt: ymd(2026, 3, 5) }, { supplierReturnedQty: 3 }, { supplierCreditAmount: 50 }]) {
      expect(moneyViolations({ ...sup, ...x }, policy)).toEqual([]);
      expect(moneyViolations({ ...sup, ...x, responsibility: "QC" }, policy)).toEqual([notSupplier]);
    }
    expect(moneyViolations({ ...sup, responsibility: "QC", supplierReplacedQty: 3 }, policy)).toEqual([]);
  });

  test("never more replaced than returned; a credit received has an amount, even with nothing returned", () => {
    const sup: Case = { caseNo: "KS-2026-0002", responsibility: "SUPPLIER", signatures: {} };
    const mv = (x: Partial<Case>) => moneyViolations({ ...sup, ...x }, policy);
    expect(mv({ supplierReturnedQty: 10, supplierReplacedQty: 12 })).toEqual([
      { code: "SUPPLIER_RETURN_MISMATCH", field: "supplierReplacedQty", zh: "供应商补货数量大于退回数量", en: "The supplier replaced more than was returned" },
    ]);
    expect(mv({ supplierReturnedQty: 10, supplierReplacedQty: 10 })).toEqual([]);
    expect(mv({ supplierReturnedAt: ymd(2026, 3, 5), supplierReplacedQty: 10 })).toEqual([]);
    const noAmount = {
      code: "SUPPLIER_RETURN_MISMATCH",
      field: "supplierCreditAmount",
      zh: "已记录赔偿到账,但没有赔偿金额",
      en: "A credit is recorded as received, but with no amount",
    };
    expect(mv({ supplierReturnedAt: ymd(2026, 3, 5), supplierCreditedAt: ymd(2026, 3, 20) })).toEqual([noAmount]);
    expect(mv({ supplierReturnedAt: ymd(2026, 3, 5), supplierCreditedAt: ymd(2026, 3, 20), supplierCreditAmount: 80 })).toEqual([]);
    // The credit date alone (a supplier paying without goods returned) is checked too: the journal books no credit without its amount.
    expect(mv({ supplierCreditedAt: ymd(2026, 3, 20) })).toEqual([noAmount]);
    expect(mv({ supplierCreditedAt: ymd(2026, 3, 20), responsibility: "QC" }).map((v) => v.code)).toEqual([
      "SUPPLIER_RETURN_NOT_SUPPLIER",
      "SUPPLIER_RETURN_MISMATCH",
    ]);
  });

  test("dealer rules come before supplier rules", () => {
    expect(moneyViolations({ ...booked, responsibility: "QC", supplierReturnedQty: 3 }, policy).map((v) => v.code)).toEqual([
      "DEALER_DEBIT_NOT_DEALER",
      "SUPPLIER_RETURN_NOT_SUPPLIER",
    ]);
  });
});
