/**
 * Dispositions and their approvals, branch by branch (issue 30): reading 处理结果 text, the signer slots of
 * a disposition, the forms a situation adds, a slot in words.
 */
import { approvalsForDisposition, dispositionConflict, matchDisposition, requiredForms, slotLabel } from "../../src/domain/disposition";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { caseAt } from "../ledger/cases";

const p = defaultPolicy();

describe("matchDisposition: 处理结果 text to a disposition, never a guess", () => {
  test.each([
    ["", { ok: false, why: "EMPTY" }],
    ["   ", { ok: false, why: "EMPTY" }],
    ["报废", { ok: true, code: "SCRAP" }],
    ["SCRAP", { ok: true, code: "SCRAP" }],
    ["已返修,已结案", { ok: true, code: "REWORK", progress: "FINISHED" }],
    ["返工处理中", { ok: true, code: "REWORK", progress: "PENDING" }],
    ["处理中", { ok: false, why: "STATE_ONLY", progress: "PENDING" }],
    ["已结案", { ok: false, why: "STATE_ONLY", progress: "FINISHED" }],
    ["无需报废", { ok: false, why: "NEGATED", candidates: ["SCRAP"] }],
    ["报废后退款", { ok: false, why: "CONFLICT", candidates: ["SCRAP", "REFUND"] }],
    ["客户说再看看", { ok: false, why: "UNKNOWN", candidates: [] }],
  ])("%j", (text, want) => {
    expect(matchDisposition(text, p)).toEqual(expect.objectContaining(want));
  });

  test("messages name the text in both languages; null reads as empty", () => {
    expect(matchDisposition(null, p)).toEqual({ ok: false, why: "EMPTY", candidates: [], zh: "处理结果为空", en: "The result is empty" });
    const c = matchDisposition("报废后退款", p);
    expect(c.ok ? "" : `${c.zh} / ${c.en}`).toBe('"报废后退款"同时写了多种处理方式:报废与退款 / "报废后退款" names several dispositions: SCRAP and REFUND');
    const n = matchDisposition("无需报废", p);
    expect(n.ok ? "" : n.en).toBe('"无需报废" is negated; cannot tell the disposition');
    const s = matchDisposition("处理中", p);
    expect(s.ok ? "" : s.zh).toBe('"处理中"只说明进度,未写处理方式');
    const u = matchDisposition("再看看", p);
    expect(u.ok ? "" : u.en).toBe('Cannot tell the disposition from "再看看"');
    const ok = matchDisposition("已报废", p);
    expect(ok.ok && ok.matched).toEqual(["报废"]);
  });

  test("a synonym added to the policy is read at once (the word index follows the policy)", () => {
    const q = defaultPolicy();
    expect(matchDisposition("打折处理", q).ok).toBe(false);
    q.dispositions.find((d) => d.code === "CONCESSION")!.synonyms.push("打折");
    expect(matchDisposition("打折处理", q)).toEqual(expect.objectContaining({ ok: true, code: "CONCESSION" }));
  });
});

describe("approvals of a disposition and of a situation", () => {
  test("slots of several forms merge: one quality manager signs for both; unknown disposition has none", () => {
    const a = approvalsForDisposition("拆解", p)!;
    expect(a.forms.map((f) => f.code)).toEqual(["RESTOCK_REQUEST", "SCRAP_APPLICATION"]);
    const keys = a.slots.map((s) => [...s].sort().join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(a.slots.filter((s) => s.includes("QUALITY_MANAGER"))).toHaveLength(1);
    expect(approvalsForDisposition("NOPE", p)).toBeUndefined();
    expect(approvalsForDisposition("REFUND", p)).toEqual({ forms: [], slots: [] });
  });

  test("the forms a situation adds, each once, the GM's return form only for a customer-caused non-repairable or no-fault return", () => {
    const c = caseAt("DISPOSITION", p, { disposition: "SCRAP", severity: "SERIOUS", customerRequests8D: true, urgent: true, replacementFirst: true });
    expect(requiredForms(c, p).map((f) => f.code)).toEqual(["SCRAP_APPLICATION", "EXTERNAL_8D", "URGENT", "REPLACEMENT_FIRST"]);
    // 客退品处理流程: the GM consents before goods come back only for these return reasons (decision 95-97).
    const gmReturn = caseAt("DISPOSITION", p, { kind: "RETURN", returnReason: "CUSTOMER_NOT_REPAIRABLE", disposition: "REFUND" });
    expect(requiredForms(gmReturn, p).map((f) => f.code)).toEqual(["ACCEPT_CUSTOMER_FAULT"]);
    expect(requiredForms({ ...gmReturn, returnReason: "NO_FAULT" }, p).map((f) => f.code)).toEqual(["ACCEPT_CUSTOMER_FAULT"]);
    expect(requiredForms({ ...gmReturn, returnReason: "CUSTOMER_REPAIRABLE" }, p)).toEqual([]);
    expect(requiredForms({ ...gmReturn, returnReason: "OUR_DEFECT" }, p)).toEqual([]);
    expect(requiredForms({ ...gmReturn, returnReason: undefined }, p)).toEqual([]);
    // A customer-fault judgement alone no longer asks for it after the fact.
    const dealerReturn = caseAt("DISPOSITION", p, { kind: "RETURN", responsibility: "DEALER", charge: "CHARGED", disposition: "REFUND" });
    expect(requiredForms(dealerReturn, p)).toEqual([]);
  });

  test("a slot in words, with a role the policy does not know shown as its code", () => {
    expect(slotLabel(["VP", "GM"], p)).toEqual({ zh: "副总裁或总经理", en: "Vice president or General manager" });
    expect(slotLabel(["VP", "BOARD"], p)).toEqual({ zh: "副总裁或BOARD", en: "Vice president or BOARD" });
  });

  test("a disposition's conflicts: unknown, goods needed, group named in both languages", () => {
    const complaint = caseAt("JUDGED", p, { kind: "COMPLAINT", goodsBackAt: undefined, responsibility: "QC" });
    expect(dispositionConflict(complaint, "XYZ", p)).toEqual({ zh: '未知的处理方式"XYZ"', en: 'Unknown disposition "XYZ"' });
    expect(dispositionConflict(complaint, "SCRAP", p)).toEqual({
      zh: '"报废"需要退货回厂,本案没有退货',
      en: '"Scrap" needs the goods back; this case has no returned goods',
    });
    expect(dispositionConflict({ ...complaint, kind: "RETURN" }, "RETURN_TO_SUPPLIER", p)).toEqual({
      zh: '"退供应商"只适用于责任类别:供应商',
      en: '"Return to supplier" only fits a responsibility that is the supplier\'s',
    });
    expect(dispositionConflict(complaint, "REFUND", p)).toBeUndefined();
  });
});
