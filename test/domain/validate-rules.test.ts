/**
 * validateCase, one violation at a time (issue 30): each code on the case that has it and not on the one
 * next to it that does not, with the field it names.
 */
import type { Case } from "../../src/domain/case";
import { serialToIso } from "../../src/domain/dates";
import { withHistoryUntil } from "../../src/domain/history";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { validateCase, validateRead } from "../../src/domain/validate";
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
