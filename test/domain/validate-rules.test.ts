/**
 * validateCase, one violation at a time (issue 30): each code on the case that has it and not on the one
 * next to it that does not, with the field it names.
 */
import type { Case, CellProblem } from "../../src/domain/case";
import { serialToIso } from "../../src/domain/dates";
import { withHistoryUntil } from "../../src/domain/history";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { unreadableNotMissing, validateCase, validateLedger, validateRead } from "../../src/domain/validate";
import { caseAt, RECEIVED_AT } from "../ledger/cases";

const p = defaultPolicy();
const got = (c: Case) => validateCase(c, p).map((v) => `${v.code}:${v.field}`);
const day = Math.floor(RECEIVED_AT);

describe("validateCase, code by code", () => {
  test("a complete case at each state has no violation", () => {
    for (const s of [
      "RECEIVED",
      "GOODS_BACK",
      "JUDGED",
      "RESPONSIBILITY",
      "DISPOSITION",
      "APPROVED",
      "EXECUTED",
      "REPLIED",
      "CLOSED",
      "FOLLOWED_UP",
    ] as const) {
      expect([s, got(caseAt(s, p))]).toEqual([s, []]);
    }
  });

  test("a close or reply date on an unfinished case; the status check covers a status that claims the step", () => {
    const c = caseAt("DISPOSITION", p, { disposition: "SCRAP" });
    expect(got({ ...c, closedAt: day + 9 })).toEqual(["CLOSE_DATE_UNSUPPORTED:closedAt"]);
    expect(got({ ...c, repliedAt: day + 9 })).toEqual(["REPLY_DATE_UNSUPPORTED:repliedAt"]);
    const msg = validateCase({ ...c, repliedAt: day + 9 }, p)[0];
    expect(msg.en).toBe(
      "Replied at is filled in, but the case is not finished: Scrap application lacks the sign-off of Quality manager; Scrap application lacks the sign-off of Vice president or General manager; Executed at is missing",
    );
    // Status 已结案 without a close date: the status check names it, not the claim check.
    expect(got({ ...caseAt("CLOSED", p), closedAt: undefined })).toEqual(["STATE_INCOMPLETE:closedAt"]);
  });

  test("8D sent without its signatures, before the approval step; from 已签核 on the status check says it", () => {
    const c = caseAt("RESPONSIBILITY", p, { severity: "SERIOUS", eightDStatus: "SENT" });
    expect(got(c)).toEqual(["EIGHT_D_SENT_UNSIGNED:eightDStatus"]);
    expect(validateCase(c, p)[0].zh).toBe('8D状态为"已发送",但《8D报告/回复书》缺少品质部经理、部长签核');
    expect(got({ ...c, severity: "MINOR" })).toEqual([]);
    const signed = { ...c, signatures: { QUALITY_MANAGER: { name: "王", at: day + 3 }, DEPT_HEAD: { name: "赵", at: day + 3 } } };
    expect(got(signed)).toEqual([]);
  });

  test("free/charged needs a responsibility; an unconfirmed complaint is not the factory's", () => {
    expect(got({ ...caseAt("JUDGED", p), charge: "CHARGED" })).toEqual(["CHARGE_WITHOUT_RESPONSIBILITY:charge"]);
    const unconfirmed = caseAt("RESPONSIBILITY", p, { confirmed: false });
    expect(got(unconfirmed)).toEqual(["UNCONFIRMED_INTERNAL:responsibility"]);
    expect(got({ ...unconfirmed, responsibility: "SUPPLIER" })).toEqual(["UNCONFIRMED_INTERNAL:responsibility"]);
    expect(got({ ...unconfirmed, responsibility: "NO_FAULT", charge: "CHARGED" })).toEqual([]);
    expect(got({ ...unconfirmed, responsibility: undefined, charge: undefined, status: "JUDGED" })).toEqual([]);
  });

  test("a disposition that does not fit; a closed free/charged case without a cost", () => {
    expect(got(caseAt("DISPOSITION", p, { disposition: "RETURN_TO_SUPPLIER" }))).toEqual(["DISPOSITION_MISFIT:disposition"]);
    expect(got({ ...caseAt("CLOSED", p), cost: undefined })).toEqual(["COST_MISSING:cost"]);
    expect(got({ ...caseAt("FOLLOWED_UP", p), cost: undefined })).toEqual(["COST_MISSING:cost"]);
    expect(got({ ...caseAt("REPLIED", p), cost: undefined })).toEqual([]);
    expect(got({ ...caseAt("CLOSED", p), cost: 0 })).toEqual([]);
  });

  test("negative quantity and cost; zero is fine", () => {
    expect(got(caseAt("JUDGED", p, { quantity: -1, cost: -2 }))).toEqual(["NEGATIVE:quantity", "NEGATIVE:cost"]);
    expect(got(caseAt("JUDGED", p, { quantity: 0, cost: 0 }))).toEqual([]);
    expect(validateCase(caseAt("JUDGED", p, { quantity: -1 }), p)[0]).toEqual(
      expect.objectContaining({ zh: "数量不能为负数", en: "Quantity cannot be negative" }),
    );
  });

  test("dates: none before the receipt's day (the same day earlier in it is fine), the ship date not after it, steps in order", () => {
    const c = caseAt("EXECUTED", p);
    expect(got({ ...c, judgedAt: day - 1 })).toEqual(["DATE_BEFORE_RECEIPT:judgedAt"]);
    expect(validateCase({ ...c, loggedAt: day - 1 }, p)[0].zh).toBe(`登记时间(${serialToIso(day - 1)})早于接收时间(${serialToIso(day)})`);
    expect(got({ ...c, loggedAt: day + 0.1 })).toEqual([]);
    expect(got({ ...c, shipDate: day + 1 })).toEqual(["SHIP_DATE_AFTER_RECEIPT:shipDate"]);
    expect(got({ ...c, shipDate: day + 0.9 })).toEqual([]);
    expect(got({ ...c, executedAt: (c.judgedAt as number) - 1 })).toEqual(["DATE_ORDER:executedAt"]);
    expect(got({ ...c, executedAt: c.judgedAt })).toEqual([]);
    const closed = caseAt("FOLLOWED_UP", p);
    expect(got({ ...closed, followUpAt: (closed.closedAt as number) - 1 })).toEqual(["DATE_ORDER:followUpAt"]);
    expect(got({ ...closed, closedAt: (closed.repliedAt as number) - 1, followUpAt: (closed.repliedAt as number) + 20 })).toEqual(["DATE_ORDER:closedAt"]);
  });

  test("adopted history is not held to the steps it never recorded; its claims and dates still are", () => {
    const old: Case = { ...caseAt("CLOSED", p), signatures: {}, executedAt: undefined };
    expect(got(old)).toContain("APPROVAL_MISSING:sign_QUALITY_MANAGER");
    const hp = withHistoryUntil(p, (old.closedAt as number) + 1);
    expect(validateCase(old, hp)).toEqual([]);
    expect(validateCase({ ...old, quantity: -1 }, hp).map((v) => v.code)).toEqual(["NEGATIVE"]);
  });
});

describe("validateRead", () => {
  test("duplicates name the first row; a row without a number is named by its position; problems come first", () => {
    const a = caseAt("RECEIVED", p);
    const r = validateRead(
      [
        { case: a, problems: [] },
        { case: { ...a, caseNo: undefined }, problems: [{ field: "quantity", value: "很多", zh: "数量无法读取", en: "Quantity cannot be read" }] },
        { case: a, problems: [] },
      ],
      p,
    );
    expect(r.cases).toBe(3);
    expect(r.violations.map((v) => `${v.caseNo}:${v.code}:${v.field}`)).toEqual([
      "#2:BAD_VALUE:quantity",
      "#2:STATE_INCOMPLETE:caseNo",
      "KS-2026-0001:DUPLICATE_CASE_NO:caseNo",
    ]);
    expect(r.violations[2]).toEqual(expect.objectContaining({ zh: "客诉单号重复(与第 1 行相同)", en: "Duplicate case number (same as row 1)" }));
  });
});

describe("what mutation testing found untested (issue 30)", () => {
  const vs = (c: Case, policy = p) => validateCase(c, policy);

  test("a status that already claims the step is left to the status check: no second violation for its date", () => {
    const closed = { ...caseAt("CLOSED", p), repliedAt: undefined };
    expect(got(closed)).toEqual(["STATE_INCOMPLETE:repliedAt"]);
    const replied = { ...caseAt("REPLIED", p), executedAt: undefined };
    expect(got(replied)).toEqual(["STATE_INCOMPLETE:executedAt"]);
    // A close date on a case whose reply is done is supported, whatever its status.
    expect(got({ ...caseAt("REPLIED", p), closedAt: day + 9 })).toEqual([]);
  });

  test("an unsupported close date in Chinese lists what is missing", () => {
    const c = caseAt("EXECUTED", p, { closedAt: day + 9 });
    const [x] = vs(c);
    expect(x).toEqual({
      caseNo: "KS-2026-0001",
      code: "CLOSE_DATE_UNSUPPORTED",
      field: "closedAt",
      zh: "已填结案日期,但案件尚未完成:缺少回复日期;《处理措施审核》缺少部长签核",
      en: expect.stringMatching(/^Closed at is filled in, but the case is not finished: [^;]+; [^;]+$/),
    });
  });

  test("8D sent: not asked before it is sent; from 已签核 on the status check alone names the signatures", () => {
    const c = caseAt("RESPONSIBILITY", p, { severity: "SERIOUS" });
    expect(got(c)).toEqual([]);
    expect(got({ ...c, eightDStatus: "DRAFT" })).toEqual([]);
    const approved = { ...caseAt("APPROVED", p, { severity: "SERIOUS", eightDStatus: "SENT" }), signatures: {} };
    const codes = got(approved);
    expect(codes).toContain("APPROVAL_MISSING:sign_QUALITY_MANAGER");
    expect(codes.filter((x) => x.startsWith("EIGHT_D_SENT_UNSIGNED"))).toEqual([]);
  });

  test("8D sent, a slot any of two roles may sign: said with 或 / or", () => {
    const q = defaultPolicy();
    q.forms.find((f) => f.code === "EXTERNAL_8D")!.signers = [["QUALITY_MANAGER", "CQE"], ["DEPT_HEAD"]];
    const [x] = vs(caseAt("RESPONSIBILITY", q, { severity: "SERIOUS", eightDStatus: "SENT" }), q);
    expect([x.zh, x.en]).toEqual([
      '8D状态为"已发送",但《8D报告/回复书》缺少品质部经理或CQE、部长签核',
      'The 8D status is "Sent", but the External 8D / reply report lacks the sign-off of Quality manager or Customer quality engineer, Department head',
    ]);
  });

  test("no status reads as 已登记; an unknown status is no state to check (reading the row reports it)", () => {
    const c = { ...caseAt("RECEIVED", p), status: undefined, customer: undefined };
    expect(got(c)).toEqual(["STATE_INCOMPLETE:customer"]);
    expect(got({ ...c, status: "BOGUS" as never, closedAt: day + 9, repliedAt: day + 8 })).toEqual([]);
  });

  test("a marking that conflicts with the responsibility is said once, as a conflict, in both languages", () => {
    const c = caseAt("RESPONSIBILITY", p, { charge: "CHARGED" });
    expect(vs(c)).toEqual([
      {
        caseNo: "KS-2026-0001",
        code: "CHARGE_CONFLICT",
        field: "charge",
        zh: '责任为"质量原因"时不能标记收费(收费仅限:经销商/客户原因、物流、无质量问题/客户误判)',
        en: 'Cannot mark as charged with responsibility "Quality control" (charged needs one of: Dealer / customer, Logistics / carrier, No fault found)',
      },
    ]);
    expect(vs({ ...caseAt("JUDGED", p), charge: "FREE" })[0]).toEqual(
      expect.objectContaining({
        code: "CHARGE_WITHOUT_RESPONSIBILITY",
        zh: "已标记收费/免费但没有责任判定",
        en: "Free/charged is marked without a responsibility",
      }),
    );
  });

  test("unconfirmed: only a complaint marked not confirmed, against an internal, supplier or carrier responsibility", () => {
    const c = caseAt("RESPONSIBILITY", p);
    expect(got({ ...c, confirmed: undefined })).not.toContain("UNCONFIRMED_INTERNAL:responsibility");
    expect(got({ ...c, confirmed: true })).toEqual([]);
    expect(vs({ ...c, confirmed: false, responsibility: "LOGISTICS", charge: "CHARGED" })).toEqual([
      {
        caseNo: "KS-2026-0001",
        code: "UNCONFIRMED_INTERNAL",
        field: "responsibility",
        zh: "投诉不属实,责任却判给了公司内部或供应商",
        en: "Complaint not confirmed, yet responsibility is internal or the supplier's",
      },
    ]);
    expect(got({ ...c, confirmed: false, responsibility: "DEALER", charge: "CHARGED" })).toEqual([]);
  });

  test("a return judgement that contradicts the case", () => {
    expect(vs(caseAt("RESPONSIBILITY", p, { returnJudgement: "REPAIR_FOR_CUSTOMER" }))).toEqual([
      {
        caseNo: "KS-2026-0001",
        code: "RETURN_JUDGEMENT_CONFLICT",
        field: "returnJudgement",
        zh: "帮修品由客户付费返修,不能标记免费",
        en: "Goods repaired for the customer are repaired at the customer's cost; they cannot be free",
      },
    ]);
  });

  test("the cost is asked only of a marked case closed in the ledger, in both languages", () => {
    const closed = caseAt("CLOSED", p, { cost: undefined });
    expect(vs(closed)).toEqual([
      { caseNo: "KS-2026-0001", code: "COST_MISSING", field: "cost", zh: "已结案的收费/免费案件缺少费用", en: "A closed free/charged case has no cost" },
    ]);
    expect(got({ ...closed, charge: undefined })).not.toContain("COST_MISSING:cost");
    expect(got({ ...closed, status: "EXECUTED", closedAt: undefined })).toEqual([]);
    expect(validateCase(closed, withHistoryUntil(p, (closed.closedAt as number) + 1))).toEqual([]);
  });

  test("negative money amounts too, each named", () => {
    const c = caseAt("JUDGED", p, { supplierReturnedQty: -3 });
    expect(vs(c)).toContainEqual({
      caseNo: "KS-2026-0001",
      code: "NEGATIVE",
      field: "supplierReturnedQty",
      zh: expect.stringMatching(/不能为负数$/),
      en: expect.stringMatching(/cannot be negative$/),
    });
    expect(got(caseAt("JUDGED", p, { supplierReturnedQty: 0 }))).not.toContain("NEGATIVE:supplierReturnedQty");
  });

  test("date messages in both languages", () => {
    const c = caseAt("EXECUTED", p);
    const iso = (n: number) => serialToIso(n);
    expect(vs({ ...c, judgedAt: day - 1 })[0].en).toBe(`Judged at (${iso(day - 1)}) is before the case was received (${iso(day)})`);
    const ship = vs({ ...c, shipDate: day + 1.5 })[0];
    expect([ship.zh, ship.en]).toEqual([
      `出货日期(${iso(day + 1)})晚于接收时间,客诉的货物应已出货`,
      `Ship date (${iso(day + 1)}) is after the case was received; the goods must have shipped before`,
    ]);
    const order = vs({ ...c, executedAt: (c.judgedAt as number) - 1 })[0];
    expect([order.zh, order.en]).toEqual(["执行完成日期早于判定日期", "Executed at is before Judged at"]);
  });
});

describe("validateRead, branch by branch (issue 30)", () => {
  const row = (c: Case, problems: CellProblem[] = []) => ({ case: c, problems });

  test("a cell problem keeps its own code; a third copy of a number names the first row", () => {
    const a = caseAt("RECEIVED", p);
    const err: CellProblem = { field: "quantity", value: "#DIV/0!", zh: "单元格错误", en: "Cell error", code: "CELL_ERROR" };
    const r = validateRead([row(a), row({ ...a, caseNo: "ks2026-0001" }, [err]), row({ ...a, caseNo: "KS 2026 0001" })], p);
    expect(r.violations.map((v) => `${v.caseNo}:${v.code}:${v.field}`)).toEqual([
      "ks2026-0001:CELL_ERROR:quantity",
      "ks2026-0001:DUPLICATE_CASE_NO:caseNo",
      "KS 2026 0001:DUPLICATE_CASE_NO:caseNo",
    ]);
    expect(r.violations[2].en).toBe("Duplicate case number (same as row 1)");
  });

  test("an unreadable cost is said as unreadable, not again as missing; other fields' problems do not hide a missing cost", () => {
    const closed = caseAt("CLOSED", p, { cost: undefined });
    const bad = (field: string): CellProblem => ({ field, value: "1.234,50", zh: `${field}无法读取`, en: `${field} cannot be read` });
    expect(unreadableNotMissing({ code: "COST_MISSING", field: "cost", zh: "", en: "" }, [bad("cost")])).toBe(true);
    expect(unreadableNotMissing({ code: "COST_MISSING", field: "cost", zh: "", en: "" }, [bad("quantity")])).toBe(false);
    expect(unreadableNotMissing({ code: "STATE_INCOMPLETE", field: "cost", zh: "", en: "" }, [bad("cost")])).toBe(false);
    expect(validateRead([row(closed, [bad("cost")])], p).violations.map((v) => v.code)).toEqual(["BAD_VALUE"]);
    expect(validateRead([row(closed, [bad("quantity")])], p).violations.map((v) => v.code)).toEqual(["BAD_VALUE", "COST_MISSING"]);
  });

  test("an unreadable cost is not said missing, even when other cells of the row are unreadable too", () => {
    const closed = caseAt("CLOSED", p, { cost: undefined });
    const bad = (field: string): CellProblem => ({ field, value: "#VALUE!", zh: `${field}无法读取`, en: `${field} cannot be read` });
    const r = validateRead([row(closed, [bad("quantity"), bad("cost")])], p);
    expect(r.violations.map((v) => `${v.code}:${v.field}`)).toEqual(["BAD_VALUE:quantity", "BAD_VALUE:cost"]);
  });
});

describe("validateLedger", () => {
  test("a date without its year is read in the year given, else it is unreadable", () => {
    const rows = [{ caseNo: "KS-1", kind: "客退", receivedAt: "3月2日", customer: "甲", product: "外壳", defect: "开裂", status: "已登记" }];
    expect(validateLedger(rows, p, { defaultYear: 2026 })).toEqual({ cases: 1, violations: [] });
    expect(validateLedger(rows, p).violations.map((v) => `${v.caseNo}:${v.code}:${v.field}`)).toEqual(expect.arrayContaining(["KS-1:BAD_VALUE:receivedAt"]));
  });
});
