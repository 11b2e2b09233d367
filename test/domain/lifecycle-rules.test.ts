/**
 * The lifecycle's branches one by one (issue 30: several rested on a single example): steps that do not
 * apply, unknown states, the close checklist's cost, the follow-up.
 */
import type { Case } from "../../src/domain/case";
import { autoAdvance, canMove, closeChecklist, missingFor, reachedState, requirementsOf, stateApplies } from "../../src/domain/lifecycle";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { caseAt, RECEIVED_AT } from "../ledger/cases";

const p = defaultPolicy();
const fields = (r: { field: string }[]) => r.map((x) => x.field);

describe("lifecycle branches", () => {
  test("an unconfirmed complaint with nothing back has no disposition or execution step; confirmed, it has", () => {
    const c: Case = {
      ...caseAt("RESPONSIBILITY", p, { kind: "COMPLAINT", goodsBackAt: undefined }),
      confirmed: false,
      responsibility: "NO_FAULT",
      charge: "CHARGED",
    };
    expect([stateApplies("DISPOSITION", c, p), stateApplies("EXECUTED", c, p), stateApplies("GOODS_BACK", c, p)]).toEqual([false, false, false]);
    const unsignedReply = { ...c, repliedAt: (c.judgedAt as number) + 2 };
    // Every reply needs the review of the measures signed first (管理办法 5.3.4; issue 21): that, and only that, is missing.
    const refused = canMove(unsignedReply, "RESPONSIBILITY", "REPLIED", p);
    expect(refused.ok ? [] : refused.reasons.map((x) => [x.field, x.skipped ?? false])).toEqual([
      ["sign_QUALITY_MANAGER", false],
      ["sign_DEPT_HEAD", false],
    ]);
    const review = { name: "签核人", at: c.judgedAt as number, forms: ["REPLY_REVIEW"] };
    const replied = { ...unsignedReply, signatures: { ...c.signatures, QUALITY_MANAGER: review, DEPT_HEAD: review } };
    expect(canMove(replied, "RESPONSIBILITY", "REPLIED", p)).toEqual({ ok: true });
    expect(reachedState(replied, p)).toBe("REPLIED");
    const confirmed = { ...replied, confirmed: true };
    expect(stateApplies("DISPOSITION", confirmed, p)).toBe(true);
    const r = canMove(confirmed, "RESPONSIBILITY", "REPLIED", p);
    expect(r.ok ? [] : r.reasons.map((x) => [x.field, x.skipped ?? false])).toEqual([
      ["disposition", true],
      ["executedAt", true],
    ]);
    // Goods back make the steps apply even when not confirmed.
    expect(stateApplies("EXECUTED", { ...c, kind: "RETURN" }, p)).toBe(true);
  });

  test("the approval step applies when the case needs any signature, signed or not", () => {
    const rework = caseAt("APPROVED", p);
    expect(stateApplies("APPROVED", rework, p)).toBe(true);
    expect(requirementsOf("APPROVED", rework, p)).toEqual([]);
    const none = caseAt("DISPOSITION", p, { disposition: "REFUND" });
    expect(stateApplies("APPROVED", none, p)).toBe(false);
    const unsigned = caseAt("DISPOSITION", p, { disposition: "SCRAP" });
    expect(requirementsOf("APPROVED", unsigned, p).map((m) => [m.field, m.zh])).toEqual([
      ["sign_QUALITY_MANAGER", "《报废申请单》缺少品质部经理签核"],
      ["sign_VP", "《报废申请单》缺少副总裁或总经理签核"],
    ]);
  });

  test("an unknown previous state counts as 已登记; an unknown target is refused in both languages", () => {
    const judged = caseAt("JUDGED", p);
    expect(canMove(judged, "乱写", "JUDGED", p)).toEqual({ ok: true });
    expect(canMove({ ...judged, judgedAt: undefined }, "乱写", "JUDGED", p).ok).toBe(false);
    expect(canMove(judged, "JUDGED", "ARCHIVED", p)).toEqual({
      ok: false,
      reasons: [{ field: "status", zh: '未知的状态"ARCHIVED"', en: 'Unknown status "ARCHIVED"' }],
    });
    // A state's own requirement is not a skipped one; those of the states before it are.
    const r = canMove({ ...judged, judgedAt: undefined, goodsBackAt: undefined }, "RECEIVED", "JUDGED", p);
    expect(r.ok ? [] : r.reasons.map((x) => [x.field, x.skipped ?? false, x.en])).toEqual([
      ["goodsBackAt", true, 'Cannot skip "Goods back": Goods back at is missing'],
      ["judgedAt", false, "Judged at is missing"],
    ]);
  });

  test("the follow-up needs its date and the satisfaction; a blank text counts as missing", () => {
    const closed = caseAt("CLOSED", p);
    expect(fields(requirementsOf("FOLLOWED_UP", closed, p))).toEqual(["followUpAt", "satisfaction"]);
    expect(fields(missingFor("FOLLOWED_UP", { ...caseAt("FOLLOWED_UP", p), customer: "" }, p))).toEqual(["customer"]);
    expect(missingFor("FOLLOWED_UP", caseAt("FOLLOWED_UP", p), p)).toEqual([]);
    expect(reachedState(caseAt("FOLLOWED_UP", p), p)).toBe("FOLLOWED_UP");
    expect(autoAdvance(caseAt("FOLLOWED_UP", p), "FOLLOWED_UP", p)).toBeUndefined();
    expect(autoAdvance(caseAt("JUDGED", p), "JUDGED", p)).toBeUndefined();
    expect(autoAdvance(caseAt("JUDGED", p), "RECEIVED", p)).toBe("JUDGED");
  });

  test("a reply to a case that needs an 8D needs the 8D sent, said in both languages", () => {
    const c = caseAt("REPLIED", p, { severity: "SERIOUS", eightDStatus: "DRAFT" });
    expect(requirementsOf("REPLIED", c, p)).toEqual([
      { field: "eightDStatus", zh: "需要8D报告,但8D尚未审核发送", en: "An 8D report is required but has not been reviewed and sent" },
    ]);
    expect(requirementsOf("REPLIED", { ...c, eightDStatus: "SENT" }, p)).toEqual([]);
    expect(requirementsOf("REPLIED", { ...c, severity: "MINOR" }, p)).toEqual([]);
  });

  test("the close checklist: every step up to the reply, and the cost of a free or charged case (0 is a cost)", () => {
    const replied = caseAt("REPLIED", p);
    expect(replied.charge).toBe("FREE");
    expect(closeChecklist(replied, p)).toEqual([
      { state: "CLOSED", field: "cost", zh: "缺少费用(收费/免费的案件结案前需填写)", en: "Cost is missing (a free/charged case needs it before closing)" },
    ]);
    expect(closeChecklist({ ...replied, cost: 0 }, p)).toEqual([]);
    expect(closeChecklist({ ...replied, charge: undefined, cost: undefined }, p).map((i) => i.field)).toEqual(["charge"]);
    const items = closeChecklist({ ...replied, cost: 5, executedAt: undefined, repliedAt: undefined }, p);
    expect(items.map((i) => [i.state, i.field])).toEqual([
      ["EXECUTED", "executedAt"],
      ["REPLIED", "repliedAt"],
    ]);
  });
});

describe("lifecycle: what the reply and the close need, in words", () => {
  test("a reply without the review of the measures names the form and the signer in both languages", () => {
    const c = caseAt("EXECUTED", p, { repliedAt: caseAt("EXECUTED", p).executedAt });
    // The quality manager signed the rework order without naming documents (so every one); the head has not.
    const form = p.forms.find((f) => f.code === "REPLY_REVIEW")!;
    expect(requirementsOf("REPLIED", c, p).map((r) => [r.field, r.zh, r.en])).toEqual([
      ["sign_DEPT_HEAD", `《${form.zh}》缺少部长签核`, `${form.en} lacks the sign-off of Department head`],
    ]);
    expect(form.zh).toBe("处理措施审核");
  });

  test("先补发: closing needs the first response, the promise, the shipment, and the part back unless abroad without a part to return", () => {
    const cs = { CS_MANAGER: { name: "吴芳", at: RECEIVED_AT } };
    const replied = caseAt("REPLIED", p, { cost: 0, signatures: cs });
    const flagged = { ...replied, replacementFirst: true as const };
    const steps = ["firstResponseAt", "replacementPromisedAt", "replacementShippedAt"];
    expect(fields(requirementsOf("CLOSED", flagged, p))).toEqual([...steps, "closedAt"]);
    const noGoods = { ...flagged, goodsBackAt: undefined, kind: "COMPLAINT" };
    expect(fields(requirementsOf("CLOSED", noGoods, p))).toEqual([...steps, "goodsBackAt", "closedAt"]);
    expect(fields(requirementsOf("CLOSED", { ...noGoods, market: "INTERNATIONAL" }, p))).toEqual([...steps, "closedAt"]);
    expect(fields(requirementsOf("CLOSED", { ...noGoods, market: "INTERNATIONAL", partBackRequired: true }, p))).toEqual([...steps, "goodsBackAt", "closedAt"]);
    expect(fields(requirementsOf("CLOSED", { ...noGoods, replacementFirst: false }, p))).toEqual(["closedAt"]);
    // The close checklist lists them under 结案, and a step already listed (goods back of a return) once.
    const items = closeChecklist({ ...flagged, goodsBackAt: undefined }, p);
    expect(items.map((i) => [i.state, i.field])).toEqual([
      ["GOODS_BACK", "goodsBackAt"],
      ["CLOSED", "firstResponseAt"],
      ["CLOSED", "replacementPromisedAt"],
      ["CLOSED", "replacementShippedAt"],
    ]);
  });

  test("canMove, missingFor and reachedState agree on a case with a flag step missing", () => {
    const flagged = { ...caseAt("CLOSED", p, { signatures: { CS_MANAGER: { name: "吴芳", at: RECEIVED_AT } } }), replacementFirst: true as const };
    expect(reachedState(flagged, p)).toBe("REPLIED");
    expect(fields(missingFor("CLOSED", flagged, p))).toEqual(["firstResponseAt", "replacementPromisedAt", "replacementShippedAt"]);
    const r = canMove(flagged, "REPLIED", "CLOSED", p);
    expect(r.ok ? [] : r.reasons.map((x) => [x.field, x.skipped ?? false])).toEqual([
      ["firstResponseAt", false],
      ["replacementPromisedAt", false],
      ["replacementShippedAt", false],
    ]);
    // An unknown state asks for nothing.
    expect(missingFor("ARCHIVED" as never, flagged, p)).toEqual([]);
  });
});
