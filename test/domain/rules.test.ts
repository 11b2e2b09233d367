/**
 * The process rules of docs/process.md §4–§7, case by case.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { allowedDispositions, approvalsForDisposition, missingApprovals, needs8D, requiredForms } from "../../src/domain/disposition";
import { canMove, missingFor, reachedState } from "../../src/domain/lifecycle";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { chargeConflict, chargeFor, chargeRule, matchResponsibility } from "../../src/domain/responsibility";
import { validateCase, validateLedger } from "../../src/domain/validate";

const p = defaultPolicy();
const day = (m: number, d: number) => ymdToSerial(2026, m, d);
const sig = (name: string) => ({ name, at: day(3, 20) });

/** A serious return that went all the way: judged, scrapped, 8D sent, replied, closed. */
function closedScrapCase(): Case {
  return {
    caseNo: "KS-2026-0001",
    kind: "RETURN",
    receivedAt: day(3, 2),
    customer: "华东电器",
    product: "注塑外壳",
    defect: "外壳开裂",
    customerClass: "A",
    market: "DOMESTIC",
    goodsBackAt: day(3, 5),
    judgedAt: day(3, 6),
    confirmed: true,
    severity: "SERIOUS",
    responsibility: "PRODUCTION",
    charge: "FREE",
    cost: 1200,
    disposition: "SCRAP",
    executedAt: day(3, 12),
    eightDStatus: "SENT",
    repliedAt: day(3, 13),
    closedAt: day(3, 16),
    status: "CLOSED",
    signatures: { QUALITY_MANAGER: sig("王经理"), VP: sig("李副总"), DEPT_HEAD: sig("赵部长") },
  };
}

describe("responsibility and free/charged (§5)", () => {
  test("free needs an internal or supplier cause, charged needs dealer, carrier or no fault", () => {
    for (const code of ["QC", "PROCESS", "PRODUCTION", "DESIGN", "SUPPLIER"]) expect(chargeFor(code, p)).toBe("FREE");
    for (const code of ["DEALER", "LOGISTICS", "NO_FAULT"]) expect(chargeFor(code, p)).toBe("CHARGED");
    expect(chargeConflict("FREE", "DEALER", p)?.en).toMatch(/Cannot mark as free with responsibility "Dealer \/ customer"/);
    expect(chargeConflict("CHARGED", "QC", p)?.zh).toMatch(/不能标记收费/);
    expect(chargeConflict("FREE", "SUPPLIER", p)).toBeUndefined();
  });

  test("the rule in words lists the policy's responsibilities on each side, and follows a change to the policy", () => {
    expect(chargeRule(p).en).toBe(
      `Free needs one of: ${p.responsibilities
        .filter((r) => r.charge === "FREE")
        .map((r) => r.en)
        .join(", ")}. ` +
        `Charged needs one of: ${p.responsibilities
          .filter((r) => r.charge === "CHARGED")
          .map((r) => r.en)
          .join(", ")}.`,
    );
    expect(chargeRule(p).zh).toMatch(/^免费须为以下责任之一:质量原因、.*;收费须为以下责任之一:.*物流.*。$/);
    const edited = { ...p, responsibilities: p.responsibilities.map((r) => (r.code === "DEALER" ? { ...r, zh: "客户责任", charge: "FREE" as const } : r)) };
    expect(chargeRule(edited).zh).toMatch(/^免费须为以下责任之一:[^;]*客户责任[^;]*;收费须为以下责任之一:物流、/);
    expect(chargeConflict("FREE", "DEALER", edited)).toBeUndefined();
    const allFree = { ...p, responsibilities: p.responsibilities.map((r) => ({ ...r, charge: "FREE" as const })) };
    expect(chargeRule(allFree).en).toMatch(/Charged needs one of: \(none\)\.$/);
  });

  test("ambiguous free text is reported, not decided by list order", () => {
    const m = matchResponsibility("材料", p);
    expect(m.ok).toBe(true); // a single weak hint still points one way
    const tie = matchResponsibility("供应商 物流", p);
    expect(tie.ok).toBe(false);
    if (!tie.ok) expect(tie.candidates.sort()).toEqual(["LOGISTICS", "SUPPLIER"]);
  });
});

describe("8D and approvals (§2, §7)", () => {
  test("8D when serious or when the customer asks", () => {
    expect(needs8D("SERIOUS", false, p)).toBe(true);
    expect(needs8D("严重", undefined, p)).toBe(true);
    expect(needs8D("MINOR", true, p)).toBe(true);
    expect(needs8D("一般", false, p)).toBe(false);
  });

  test("scrap needs the quality manager and the VP or general manager", () => {
    expect(approvalsForDisposition("SCRAP", p)?.slots).toEqual([["QUALITY_MANAGER"], ["VP", "GM"]]);
    expect(approvalsForDisposition("报废", p)?.slots).toEqual([["QUALITY_MANAGER"], ["VP", "GM"]]);
  });

  test("restock needs OQC, quality manager and planning manager; remake needs QM, VP and the requisition signers", () => {
    expect(approvalsForDisposition("RESTOCK", p)?.slots).toEqual([["OQC_INSPECTOR"], ["QUALITY_MANAGER"], ["PLANNING_MANAGER"]]);
    expect(approvalsForDisposition("REMAKE", p)?.slots).toEqual([["QUALITY_MANAGER"], ["VP"], ["PLANNING_MANAGER"]]);
    expect(approvalsForDisposition("REWORK", p)?.slots).toEqual([["QUALITY_MANAGER"], ["RECEIVING_HEAD"]]);
  });

  test("the situation adds forms: 8D, urgent, replacement first, a customer-caused non-repairable return", () => {
    const c: Case = {
      kind: "RETURN",
      severity: "SERIOUS",
      urgent: true,
      replacementFirst: true,
      returnReason: "CUSTOMER_NOT_REPAIRABLE",
      responsibility: "DEALER",
      disposition: "RETURN_TO_CUSTOMER",
      signatures: {},
    };
    expect(
      requiredForms(c, p)
        .map((f) => f.code)
        .sort(),
    ).toEqual(["ACCEPT_CUSTOMER_FAULT", "EXTERNAL_8D", "REPLACEMENT_FIRST", "URGENT"]);
    const missing = missingApprovals({ ...c, signatures: { GM: sig("总经理") } }, p);
    // The general manager's one signature covers both the urgent slot and the customer-fault acceptance.
    expect(missing.map((m) => m.form.code).sort()).toEqual(["EXTERNAL_8D", "EXTERNAL_8D", "REPLACEMENT_FIRST"]);
  });

  test("only dispositions that fit the situation are offered", () => {
    const noGoods: Case = { kind: "COMPLAINT", responsibility: "QC", signatures: {} };
    const offered = allowedDispositions(noGoods, p).map((d) => d.code);
    expect(offered).toEqual(["REMAKE", "CONCESSION", "REFUND"]);
    const supplierReturn: Case = { kind: "RETURN", responsibility: "SUPPLIER", signatures: {} };
    expect(allowedDispositions(supplierReturn, p).map((d) => d.code)).toContain("RETURN_TO_SUPPLIER");
    const dealerReturn: Case = { kind: "RETURN", responsibility: "DEALER", signatures: {} };
    expect(allowedDispositions(dealerReturn, p).map((d) => d.code)).not.toContain("RETURN_TO_SUPPLIER");
  });
});

describe("lifecycle (§4)", () => {
  test("a complete case may close", () => {
    const c = closedScrapCase();
    expect(canMove(c, "REPLIED", "CLOSED", p)).toEqual({ ok: true });
    expect(validateCase(c, p)).toEqual([]);
    expect(reachedState(c, p)).toBe("CLOSED");
  });

  test("closing without the VP's approval is refused, naming the form and the signer", () => {
    const c = closedScrapCase();
    delete c.signatures.VP;
    const r = canMove(c, "REPLIED", "CLOSED", p);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons.map((x) => x.zh)).toContain('不能跳过"已签核":《报废申请单》缺少副总裁或总经理签核');
      expect(r.reasons.map((x) => x.en)).toContain('Cannot skip "Approved": Scrap application lacks the sign-off of Vice president or General manager');
    }
  });

  test("closing without the 8D sent is refused", () => {
    const c = { ...closedScrapCase(), eightDStatus: "DRAFT" };
    const r = canMove(c, "REPLIED", "CLOSED", p);
    expect(!r.ok && r.reasons.some((x) => x.field === "eightDStatus")).toBe(true);
  });

  test("closing without responsibility or marking is refused", () => {
    const c = { ...closedScrapCase(), responsibility: undefined, charge: undefined };
    const r = canMove(c, "REPLIED", "CLOSED", p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons.map((x) => x.field)).toEqual(expect.arrayContaining(["responsibility", "charge"]));
  });

  test("free against a customer-fault code blocks the responsibility step", () => {
    const c: Case = { ...closedScrapCase(), responsibility: "DEALER", charge: "FREE" };
    const r = canMove(c, "JUDGED", "RESPONSIBILITY", p);
    expect(!r.ok && r.reasons[0].en).toMatch(/Cannot mark as free/);
  });

  test("a skipped step is refused: judgement cannot be jumped", () => {
    const c: Case = {
      caseNo: "KS-2",
      kind: "RETURN",
      receivedAt: day(3, 2),
      customer: "c",
      product: "p",
      defect: "d",
      goodsBackAt: day(3, 3),
      responsibility: "QC",
      charge: "FREE",
      signatures: {},
    };
    const r = canMove(c, "GOODS_BACK", "RESPONSIBILITY", p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons[0].zh).toMatch(/^不能跳过"已判定"/);
  });

  test("steps that do not apply may be passed: a complaint without goods has no goods-back step", () => {
    const c: Case = {
      caseNo: "KS-3",
      kind: "COMPLAINT",
      receivedAt: day(3, 2),
      customer: "c",
      product: "p",
      defect: "d",
      judgedAt: day(3, 3),
      confirmed: false,
      severity: "MINOR",
      signatures: {},
    };
    expect(canMove(c, "RECEIVED", "JUDGED", p)).toEqual({ ok: true });
    expect(missingFor("JUDGED", c, p)).toEqual([]);
  });

  test("moving back (reopening) is allowed; an unknown status is not", () => {
    expect(canMove(closedScrapCase(), "CLOSED", "EXECUTED", p)).toEqual({ ok: true });
    const r = canMove(closedScrapCase(), "CLOSED", "ARCHIVED", p);
    expect(!r.ok && r.reasons[0].en).toMatch(/Unknown status/);
  });
});

describe("validate", () => {
  const codes = (c: Case) => validateCase(c, p).map((v) => v.code);

  test("status ahead of the data is a violation per missing item", () => {
    const c = { ...closedScrapCase(), closedAt: undefined };
    expect(codes(c)).toEqual(["STATE_INCOMPLETE"]);
    const d = { ...closedScrapCase(), signatures: {} };
    // Scrap application (QM, VP|GM), external 8D (QM, dept head) and the review of the measures before the reply
    // (QM, dept head): one line per form and slot.
    expect(codes(d)).toEqual(Array(6).fill("APPROVAL_MISSING"));
  });

  test("charge conflicts and markings without responsibility are caught at any status", () => {
    const c: Case = { caseNo: "X", status: "RECEIVED", charge: "FREE", signatures: {} };
    expect(codes(c)).toContain("CHARGE_WITHOUT_RESPONSIBILITY");
    const d: Case = { ...closedScrapCase(), responsibility: "NO_FAULT" };
    expect(codes(d)).toContain("CHARGE_CONFLICT");
  });

  test("dates must follow the process", () => {
    const c = { ...closedScrapCase(), judgedAt: day(3, 1), followUpAt: day(3, 10) };
    expect(codes(c)).toEqual(expect.arrayContaining(["DATE_BEFORE_RECEIPT", "DATE_ORDER"]));
  });

  test("an unconfirmed complaint cannot be booked to the factory", () => {
    const c: Case = { ...closedScrapCase(), confirmed: false };
    expect(codes(c)).toContain("UNCONFIRMED_INTERNAL");
  });

  test("a whole ledger: unreadable cells, duplicates and rule violations, each with its message in 中文 and English", () => {
    const rows = [
      { caseNo: "KS-1", kind: "客退", receivedAt: "2026/3/2", customer: "甲", product: "外壳", defect: "开裂", status: "已登记" },
      { caseNo: "KS-1", kind: "客诉", receivedAt: "2026-13-40", customer: "乙", product: "盖板", defect: "划伤" },
      {
        caseNo: "KS-3",
        kind: "投诉",
        receivedAt: "2026年3月5日",
        customer: "丙",
        product: "盖板",
        defect: "划伤",
        status: "结案",
        responsibility: "经销商",
        charge: "免费",
      },
    ];
    const r = validateLedger(rows, p);
    expect(r.cases).toBe(3);
    const got = r.violations.map((v) => `${v.caseNo}:${v.code}:${v.field}`);
    expect(got).toContain("KS-1:DUPLICATE_CASE_NO:caseNo");
    expect(got).toContain("KS-1:BAD_VALUE:receivedAt");
    expect(got).toContain("KS-3:CHARGE_CONFLICT:charge");
    expect(got).toContain("KS-3:STATE_INCOMPLETE:closedAt");
    expect(got.filter((g) => g.startsWith("KS-1:") && !g.includes("DUPLICATE") && !g.includes("BAD_VALUE") && !g.includes("receivedAt"))).toEqual([]);
    for (const v of r.violations) {
      expect(v.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(v.en).toMatch(/[A-Za-z]{3}/);
    }
  });
});
