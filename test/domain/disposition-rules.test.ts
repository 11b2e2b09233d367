/**
 * Dispositions and their approvals, branch by branch (issue 30): reading 处理结果 text, the signer slots of
 * a disposition, the forms a situation adds, a slot in words.
 */
import type { Case, Signature } from "../../src/domain/case";
import {
  allowedDispositions,
  approvalsForDisposition,
  dispositionConflict,
  documentsOf,
  eightDReviewMissing,
  matchDisposition,
  missingApprovals,
  missingContent,
  missingReplyApprovals,
  needs8D,
  replyForms,
  requiredForms,
  signatureCovers,
  slotLabel,
  urgentApproved,
} from "../../src/domain/disposition";
import * as wordmatch from "../../src/domain/wordmatch";
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

describe("what mutation testing found untested (issue 30)", () => {
  const sig = (forms?: string[], more?: Signature[]): Signature => ({ name: "签核人", at: 46000, ...(forms ? { forms } : {}), ...(more ? { more } : {}) });

  test("needs8D: a serious severity by any name, or the customer's request; nothing else", () => {
    expect(needs8D("SERIOUS", undefined, p)).toBe(true);
    expect(needs8D("严重", false, p)).toBe(true);
    expect(needs8D("MINOR", true, p)).toBe(true);
    expect(needs8D("MINOR", false, p)).toBe(false);
    expect(needs8D(undefined, undefined, p)).toBe(false);
    expect(needs8D("NOPE", undefined, p)).toBe(false);
  });

  test("a disposition for any group fits a blank responsibility; a restricted one names its groups, an unknown group by its code", () => {
    const blank = caseAt("GOODS_BACK", p, { responsibility: undefined });
    expect(dispositionConflict(blank, "SCRAP", p)).toBeUndefined();
    const q = defaultPolicy();
    q.dispositions.find((d) => d.code === "REFUND")!.groups = ["INTERNAL", "CARRIER", "BOARD" as never];
    const refund = (responsibility: string | undefined) => dispositionConflict({ ...blank, responsibility }, "REFUND", q);
    expect(refund("DEALER")).toEqual({
      zh: '"退款"只适用于责任类别:公司内部、承运商、BOARD',
      en: '"Refund" only fits a responsibility that is internal or the carrier\'s or BOARD',
    });
    expect(refund(undefined)).toBeDefined();
    expect(refund("QC")).toBeUndefined();
    expect(refund("LOGISTICS")).toBeUndefined();
  });

  test("allowedDispositions: the fitting ones in policy order", () => {
    const complaint = caseAt("RESPONSIBILITY", p, { kind: "COMPLAINT", goodsBackAt: undefined, responsibility: "QC" });
    expect(allowedDispositions(complaint, p).map((d) => d.code)).toEqual(["REMAKE", "CONCESSION", "REFUND"]);
    const supplierReturn = { ...complaint, kind: "RETURN", responsibility: "SUPPLIER" };
    expect(allowedDispositions(supplierReturn, p).map((d) => d.code)).toEqual(p.dispositions.map((d) => d.code));
  });

  test("a disposition's forms: one the policy lacks is left out; the same roles in another order are one slot", () => {
    const q = defaultPolicy();
    q.forms.push({ code: "SCRAP_REVIEW", zh: "报废复核", en: "Scrap review", synonyms: [], signers: [["GM", "VP"], ["WAREHOUSE"]], requires: [] });
    q.dispositions.find((d) => d.code === "SCRAP")!.forms = ["SCRAP_APPLICATION", "NO_SUCH_FORM", "SCRAP_REVIEW"];
    expect(approvalsForDisposition("SCRAP", q)).toEqual({
      forms: [q.forms.find((f) => f.code === "SCRAP_APPLICATION"), q.forms.find((f) => f.code === "SCRAP_REVIEW")],
      slots: [["QUALITY_MANAGER"], ["VP", "GM"], ["WAREHOUSE"]],
    });
  });

  test("role sets that differ stay two slots, however their codes run together", () => {
    const q = defaultPolicy();
    q.forms.push({ code: "ODD", zh: "单", en: "Odd", synonyms: [], signers: [["QUALITY_MANAGER", "VP"], ["QUALITY_MANAGERVP"]], requires: [] });
    q.dispositions.find((d) => d.code === "REFUND")!.forms = ["SCRAP_APPLICATION", "ODD"];
    expect(approvalsForDisposition("REFUND", q)?.slots).toEqual([["QUALITY_MANAGER"], ["VP", "GM"], ["QUALITY_MANAGER", "VP"], ["QUALITY_MANAGERVP"]]);
  });

  test("a form named twice (by code and by name) is needed once; one the policy lacks is none", () => {
    const q = defaultPolicy();
    q.dispositions.find((d) => d.code === "SCRAP")!.forms = ["SCRAP_APPLICATION", "NO_SUCH_FORM", "报废申请单", "EXTERNAL_8D"];
    const c = caseAt("DISPOSITION", q, { disposition: "SCRAP", severity: "SERIOUS" });
    expect(requiredForms(c, q).map((f) => f.code)).toEqual(["SCRAP_APPLICATION", "EXTERNAL_8D"]);
  });

  test("the reply's documents: the measures review always, the VP's 8D review only when marked and an 8D is due", () => {
    const c = caseAt("DISPOSITION", p, { disposition: "SCRAP", severity: "SERIOUS" });
    const codes = (x: Case) => replyForms(x, p).map((f) => f.code);
    expect(codes(c)).toEqual(["REPLY_REVIEW"]);
    expect(codes({ ...c, eightDVpReview: true })).toEqual(["REPLY_REVIEW", "EIGHT_D_VP"]);
    expect(codes({ ...c, eightDVpReview: true, severity: "MINOR" })).toEqual(["REPLY_REVIEW"]);
    expect(codes({ ...c, eightDVpReview: false })).toEqual(["REPLY_REVIEW"]);
    expect(missingReplyApprovals({ ...c, signatures: {} }, p).map((m) => m.roles)).toEqual([["QUALITY_MANAGER"], ["DEPT_HEAD"]]);
    expect(missingReplyApprovals({ ...c, signatures: { QUALITY_MANAGER: sig(), DEPT_HEAD: sig(["REPLY_REVIEW"]) } }, p)).toEqual([]);
  });

  test("documentsOf: the execution's forms, then the reply's, then the money's, each once", () => {
    const c = caseAt("DISPOSITION", p, { disposition: "SCRAP", severity: "SERIOUS", eightDVpReview: true, dealerDebitAmount: 300 });
    expect(documentsOf(c, p).map((f) => f.code)).toEqual(["SCRAP_APPLICATION", "EXTERNAL_8D", "REPLY_REVIEW", "EIGHT_D_VP", "DEALER_DEBIT"]);
    expect(documentsOf({ ...c, dealerDebitAmount: undefined, eightDVpReview: undefined }, p).map((f) => f.code)).toEqual([
      "SCRAP_APPLICATION",
      "EXTERNAL_8D",
      "REPLY_REVIEW",
    ]);
  });

  test("urgentApproved: only an urgent case whose special approval is signed for that document", () => {
    const c = caseAt("DISPOSITION", p, { urgent: true, signatures: {} });
    expect(urgentApproved(c, p)).toBe(false);
    expect(urgentApproved({ ...c, signatures: { GM: sig() } }, p)).toBe(true);
    expect(urgentApproved({ ...c, signatures: { LEADER: sig(["URGENT"]) } }, p)).toBe(true);
    expect(urgentApproved({ ...c, signatures: { GM: sig(["SCRAP_APPLICATION"]) } }, p)).toBe(false);
    expect(urgentApproved({ ...c, urgent: false, signatures: { GM: sig() } }, p)).toBe(false);
    expect(urgentApproved({ ...c, urgent: undefined, signatures: { GM: sig() } }, p)).toBe(false);
    const noForm = defaultPolicy();
    noForm.forms = noForm.forms.filter((f) => f.code !== "URGENT");
    expect(urgentApproved({ ...c, signatures: { GM: sig() } }, noForm)).toBe(false);
  });

  test("signatureCovers: an undivided signature covers every document; one by document only its own, or a later line's", () => {
    expect(signatureCovers(undefined, "URGENT")).toBeUndefined();
    const all = sig();
    expect(signatureCovers(all, "URGENT")).toBe(all);
    const scrap = sig(["SCRAP_APPLICATION"]);
    expect(signatureCovers(scrap, "URGENT")).toBeUndefined();
    expect(signatureCovers(scrap, "SCRAP_APPLICATION")).toBe(scrap);
    const later = sig(["URGENT", "EXTERNAL_8D"]);
    const two = sig(["SCRAP_APPLICATION"], [later]);
    expect(signatureCovers(two, "EXTERNAL_8D")).toBe(later);
    expect(signatureCovers(two, "REPLY_REVIEW")).toBeUndefined();
  });

  test("missingApprovals: a slot is met by any one of its roles, for that document", () => {
    const c = caseAt("DISPOSITION", p, { disposition: "SCRAP", signatures: {} });
    const roles = (x: Case) => missingApprovals(x, p).map((m) => `${m.form.code}:${m.roles.join("/")}`);
    expect(roles(c)).toEqual(["SCRAP_APPLICATION:QUALITY_MANAGER", "SCRAP_APPLICATION:VP/GM"]);
    expect(roles({ ...c, signatures: { GM: sig() } })).toEqual(["SCRAP_APPLICATION:QUALITY_MANAGER"]);
    expect(roles({ ...c, signatures: { GM: sig(["URGENT"]), QUALITY_MANAGER: sig(["SCRAP_APPLICATION"]) } })).toEqual(["SCRAP_APPLICATION:VP/GM"]);
  });

  test("missingContent: a field blank or empty text is missing; zero is a value; a form requiring nothing lacks nothing", () => {
    const scrap = p.forms.find((f) => f.code === "SCRAP_APPLICATION")!;
    const c = caseAt("DISPOSITION", p);
    expect(missingContent({ ...c, quantity: undefined }, scrap)).toEqual(["quantity"]);
    expect(missingContent({ ...c, quantity: "" as never }, scrap)).toEqual(["quantity"]);
    expect(missingContent({ ...c, quantity: 0 }, scrap)).toEqual([]);
    expect(missingContent({ ...c, quantity: undefined }, { ...scrap, requires: undefined })).toEqual([]);
  });

  test("eightDReviewMissing: the unsigned slots of the 8D form as roles, a role the policy lacks by its code", () => {
    const c = caseAt("DISPOSITION", p, { severity: "SERIOUS", signatures: {} });
    const named = (code: string) => p.roles.find((r) => r.code === code);
    expect(eightDReviewMissing(c, p)).toEqual({
      form: p.forms.find((f) => f.code === "EXTERNAL_8D"),
      slots: [[named("QUALITY_MANAGER")], [named("DEPT_HEAD")]],
    });
    expect(eightDReviewMissing({ ...c, signatures: { QUALITY_MANAGER: sig(["EXTERNAL_8D"]) } }, p)?.slots).toEqual([[named("DEPT_HEAD")]]);
    expect(eightDReviewMissing({ ...c, signatures: { QUALITY_MANAGER: sig(), DEPT_HEAD: sig() } }, p)).toBeUndefined();
    const q = defaultPolicy();
    q.forms.find((f) => f.code === "EXTERNAL_8D")!.signers = [["BOARD", "DEPT_HEAD"]];
    expect(eightDReviewMissing(c, q)?.slots).toEqual([[{ zh: "BOARD", en: "BOARD" }, named("DEPT_HEAD")]]);
    const none = defaultPolicy();
    none.forms = none.forms.filter((f) => f.code !== "EXTERNAL_8D");
    expect(eightDReviewMissing(c, none)).toBeUndefined();
  });
});

describe("matchDisposition branch by branch (issue 30)", () => {
  const m = (text: unknown) => matchDisposition(text, p);

  test("a state word: still running outweighs finished; a negated one says nothing", () => {
    expect(m("已完成,处理中")).toEqual(expect.objectContaining({ ok: false, why: "STATE_ONLY", progress: "PENDING" }));
    expect(m("处理中,已完成")).toEqual(expect.objectContaining({ ok: false, why: "STATE_ONLY", progress: "PENDING" }));
    expect(m("closed")).toEqual({
      ok: false,
      why: "STATE_ONLY",
      progress: "FINISHED",
      candidates: [],
      zh: '"closed"只说明进度,未写处理方式',
      en: '"closed" states progress only, not a disposition',
    });
    expect(m("不是进行中")).toEqual(expect.objectContaining({ ok: false, why: "UNKNOWN" }));
    expect(m("维修,不是进行中")).toEqual({ ok: true, code: "REWORK", matched: ["维修"], progress: undefined });
    expect(m("没有结案")).toEqual({
      ok: false,
      why: "UNKNOWN",
      candidates: [],
      zh: '无法从"没有结案"判断处理方式',
      en: 'Cannot tell the disposition from "没有结案"',
    });
    expect(m("维修 已完成")).toEqual({ ok: true, code: "REWORK", matched: ["维修"], progress: "FINISHED" });
    expect(m("维修")).toEqual({ ok: true, code: "REWORK", matched: ["维修"], progress: undefined });
  });

  test("words of one disposition are one disposition; its English name counts too", () => {
    expect(m("维修后返工")).toEqual({ ok: true, code: "REWORK", matched: ["维修", "返工"], progress: undefined });
    expect(m("Scrap the lot")).toEqual(expect.objectContaining({ ok: true, code: "SCRAP" }));
    expect(m("goods: slow-moving stock")).toEqual(expect.objectContaining({ ok: true, code: "SLOW_STOCK" }));
  });

  test("a negation or a conflict keeps the progress and names each code once", () => {
    expect(m("无需报废,处理中")).toEqual({
      ok: false,
      why: "NEGATED",
      progress: "PENDING",
      candidates: ["SCRAP"],
      zh: '"无需报废,处理中"含否定,无法判断处理方式',
      en: '"无需报废,处理中" is negated; cannot tell the disposition',
    });
    expect(m("不报废,无需报废")).toEqual(expect.objectContaining({ why: "NEGATED", candidates: ["SCRAP"] }));
    expect(m("报废后退款,已结案")).toEqual(expect.objectContaining({ why: "CONFLICT", progress: "FINISHED", candidates: ["SCRAP", "REFUND"] }));
  });

  test("the word index follows the policy: each half of a name with a slash, a renamed or swapped entry, one added", () => {
    const q = defaultPolicy();
    const refund = q.dispositions.find((d) => d.code === "REFUND")!;
    expect(matchDisposition("已折让", q).ok).toBe(false);
    refund.zh = "折让/退款";
    expect(matchDisposition("已折让", q)).toEqual(expect.objectContaining({ ok: true, code: "REFUND", matched: ["折让"] }));
    const i = q.dispositions.indexOf(refund);
    q.dispositions[i] = { ...refund, synonyms: ["返现", ...refund.synonyms.slice(1)] };
    expect(matchDisposition("已返现", q)).toEqual(expect.objectContaining({ ok: true, code: "REFUND" }));
    q.dispositions.push({ code: "DONATE", zh: "捐赠", en: "Donate", synonyms: [], forms: [], needsGoods: false, groups: [] });
    expect(matchDisposition("已捐赠处理", q)).toEqual(expect.objectContaining({ ok: true, code: "DONATE" }));
  });

  test("a policy's word index is built once, not at every row", () => {
    const spy = jest.spyOn(wordmatch, "buildWordIndex");
    try {
      const q = defaultPolicy();
      for (const text of ["返工处理中", "无需报废", "报废后退款", "处理中"]) matchDisposition(text, q);
      expect(spy).toHaveBeenCalledTimes(1);
      q.dispositions[0].synonyms.push("检验入库");
      for (const text of ["检验入库", "返工处理中"]) matchDisposition(text, q);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
