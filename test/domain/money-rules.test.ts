/**
 * The money policy on the Policy sheet and the money rules (issue 23): categories and layouts round-trip and refuse
 * a bad cell in both languages; batch or not per the threshold; the debit's rules name their codes.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial as ymd } from "../../src/domain/dates";
import { moneyViolations, supplierBatch } from "../../src/domain/money/money-rules";
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
