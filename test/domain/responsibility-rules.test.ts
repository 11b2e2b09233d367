/**
 * Reading a responsibility from free text, branch by branch (issue 30): exact names, scores, negation, two
 * causes, ties, and the word index following edits of the policy.
 */
import { defaultPolicy } from "../../src/domain/policy/policy";
import {
  chargeConflict,
  chargeFor,
  chargeRule,
  markedCharge,
  matchResponsibility,
  responsibilitiesCharged,
  responsibilityOf,
} from "../../src/domain/responsibility";
import * as wordmatch from "../../src/domain/wordmatch";

const p = defaultPolicy();
const m = (text: unknown) => matchResponsibility(text, p);

describe("matchResponsibility", () => {
  test("empty, or nothing known: no code, with the reason", () => {
    expect(m(null)).toEqual({ ok: false, why: "EMPTY", candidates: [], zh: "责任说明为空", en: "Responsibility text is empty" });
    expect(m("  \n ")).toEqual(expect.objectContaining({ ok: false, why: "EMPTY" }));
    expect(m("天气不好")).toEqual({
      ok: false,
      why: "UNKNOWN",
      candidates: [],
      zh: '无法从"天气不好"判断责任类别',
      en: 'Cannot tell the responsibility from "天气不好"',
    });
  });

  test("an exact code, name or synonym wins at once, spaces and punctuation aside", () => {
    expect(m("QC")).toEqual({ ok: true, code: "QC", score: Infinity, matched: ["QC"] });
    expect(m("生产原因")).toEqual(expect.objectContaining({ ok: true, code: "PRODUCTION", score: Infinity }));
    expect(m("No fault found")).toEqual(expect.objectContaining({ ok: true, code: "NO_FAULT", score: Infinity }));
    expect(m("供应商 责任")).toEqual(expect.objectContaining({ ok: true, code: "SUPPLIER", score: Infinity }));
    expect(m(12)).toEqual(expect.objectContaining({ ok: false, why: "UNKNOWN" }));
  });

  test("keywords outweigh hints; the words that decided are returned", () => {
    const one = m("来料有问题");
    expect(one).toEqual({ ok: true, code: "SUPPLIER", score: 3, matched: ["来料"] });
    const two = m("原材料批量开裂");
    expect(two).toEqual({ ok: true, code: "SUPPLIER", score: 4, matched: ["原材料", "批量"] });
    // A keyword against a hint of another code: the keyword decides.
    expect(m("装配时员工操作失误,材料")).toEqual(expect.objectContaining({ ok: true, code: "PRODUCTION" }));
  });

  test("a negated cause says what it is not", () => {
    const r = m("不是客户原因");
    expect(r).toEqual(expect.objectContaining({ ok: false, why: "NEGATED", candidates: ["DEALER"] }));
    expect(r.ok ? "" : r.en).toBe('"不是客户原因" is negated ("客户原因"): it says the cause is not DEALER, not what it is');
    expect(r.ok ? "" : r.zh).toBe('"不是客户原因"含否定("客户原因"):只说明不是经销商/客户原因,无法判断责任');
  });

  test("keywords of two causes conflict; equal scores tie; neither is decided by list order", () => {
    const c = m("客户使用不当,供应商来料不良");
    expect(c).toEqual(expect.objectContaining({ ok: false, why: "CONFLICT" }));
    expect(c.ok ? [] : [...c.candidates].sort()).toEqual(["DEALER", "SUPPLIER"]);
    expect(c.ok ? "" : c.en).toMatch(/names conflicting causes: .* and .*; decide one$/);
    const t = m("材料 运输");
    expect(t).toEqual(expect.objectContaining({ ok: false, why: "TIE" }));
    expect(t.ok ? [] : [...t.candidates].sort()).toEqual(["LOGISTICS", "SUPPLIER"]);
    expect(t.ok ? "" : t.zh).toMatch(/^"材料 运输"的责任不明确:可能是/);
  });

  test("the index follows the policy: a keyword added in place, a renamed responsibility", () => {
    const q = defaultPolicy();
    expect(matchResponsibility("模具磨损", q).ok).toBe(false);
    q.responsibilities.find((r) => r.code === "PROCESS")!.keywords.push("模具");
    expect(matchResponsibility("模具磨损", q)).toEqual(expect.objectContaining({ ok: true, code: "PROCESS" }));
    q.responsibilities.find((r) => r.code === "PROCESS")!.zh = "工艺及模具";
    expect(matchResponsibility("工艺及模具", q)).toEqual(expect.objectContaining({ ok: true, code: "PROCESS", score: Infinity }));
    q.responsibilities.find((r) => r.code === "PROCESS")!.synonyms.push("治具");
    expect(matchResponsibility("治具", q)).toEqual(expect.objectContaining({ ok: true, code: "PROCESS", score: Infinity }));
  });

  test("lookups by any name; the charged side in policy order", () => {
    expect(responsibilityOf("物流", p)?.code).toBe("LOGISTICS");
    expect(responsibilityOf("NOPE", p)).toBeUndefined();
    expect(responsibilitiesCharged("CHARGED", p).map((r) => r.code)).toEqual(["DEALER", "LOGISTICS", "NO_FAULT"]);
  });
});

describe("the word index follows every kind of policy edit (a Policy sheet read again, or edited in place)", () => {
  const proc = (q: ReturnType<typeof defaultPolicy>) => q.responsibilities.find((r) => r.code === "PROCESS")!;

  test("keywords or hints replaced by a list of the same length, a hint added", () => {
    const q = defaultPolicy();
    expect(matchResponsibility("模具磨损", q).ok).toBe(false);
    const kw = proc(q).keywords;
    proc(q).keywords = ["模具", ...kw.slice(1)];
    expect(matchResponsibility("模具磨损", q)).toEqual({ ok: true, code: "PROCESS", score: 3, matched: ["模具"] });
    expect(matchResponsibility("夹具松动", q).ok).toBe(false);
    proc(q).hints = ["夹具", ...proc(q).hints.slice(1)];
    expect(matchResponsibility("夹具松动", q)).toEqual({ ok: true, code: "PROCESS", score: 1, matched: ["夹具"] });
    proc(q).hints.push("刀具");
    expect(matchResponsibility("刀具崩口", q)).toEqual({ ok: true, code: "PROCESS", score: 1, matched: ["刀具"] });
  });

  test("a code, an English name or the synonym list changed; a responsibility added to the list", () => {
    const q = defaultPolicy();
    const d = proc(q);
    d.code = "ENGINEERING";
    expect(matchResponsibility("工艺原因", q)).toEqual(expect.objectContaining({ ok: true, code: "ENGINEERING" }));
    d.en = "Method";
    expect(matchResponsibility("Method", q)).toEqual(expect.objectContaining({ ok: true, code: "ENGINEERING", score: Infinity }));
    d.synonyms = ["方法部"];
    expect(matchResponsibility("方法部", q)).toEqual(expect.objectContaining({ ok: true, code: "ENGINEERING", score: Infinity }));
    q.responsibilities.push({ ...d, code: "DESIGN", zh: "设计原因", en: "Design", keywords: ["设计缺陷"], hints: [], synonyms: [] });
    expect(matchResponsibility("设计缺陷", q)).toEqual(expect.objectContaining({ ok: true, code: "DESIGN" }));
  });

  test("an entry swapped for a copy with other words is read again", () => {
    const q = defaultPolicy();
    const i = q.responsibilities.findIndex((r) => r.code === "PROCESS");
    q.responsibilities[i] = { ...q.responsibilities[i], keywords: [...q.responsibilities[i].keywords] };
    q.responsibilities[i].keywords.splice(0, 1, "模具");
    expect(matchResponsibility("模具磨损", q)).toEqual(expect.objectContaining({ ok: true, code: "PROCESS" }));
  });
});

describe("what mutation testing found untested (issue 30)", () => {
  test("undefined reads as empty, like null, not as the word 'undefined'", () => {
    expect(m(undefined)).toEqual({ ok: false, why: "EMPTY", candidates: [], zh: "责任说明为空", en: "Responsibility text is empty" });
  });

  test("the longest name matches exactly however it is spaced or punctuated", () => {
    // "Supplier / raw material" folds to 21 characters, 19 without spaces and clause breaks: the longest name.
    for (const text of ["Supplier / raw material", "Supplier / raw  material", "S u p p l i e r / r a w m a t e r i a l", "supplier，raw material"])
      expect(m(text)).toEqual({ ok: true, code: "SUPPLIER", score: Infinity, matched: [text] });
    // A clause break with no space: the name "原材料/供应商" folds to 原材料|供应商.
    expect(m("原材料/供应商")).toEqual({ ok: true, code: "SUPPLIER", score: Infinity, matched: ["原材料/供应商"] });
    expect(m("经销商，客户原因")).toEqual(expect.objectContaining({ ok: true, code: "DEALER", score: Infinity }));
    // One character more is no name: read by keywords instead.
    expect(m("Supplier / raw materials")).toEqual({ ok: true, code: "SUPPLIER", score: 3, matched: ["supplier"] });
  });

  test("names before synonyms, the first entry before later ones: a clash never takes a name from its owner", () => {
    const q = defaultPolicy();
    q.responsibilities.find((r) => r.code === "PROCESS")!.synonyms.push("QC");
    expect(matchResponsibility("QC", q)).toEqual({ ok: true, code: "QC", score: Infinity, matched: ["QC"] });
    q.responsibilities.push({ ...q.responsibilities[0], code: "QC2", zh: "质量原因", en: "Quality 2", synonyms: ["生产原因"], keywords: [], hints: [] });
    expect(matchResponsibility("质量原因", q)).toEqual(expect.objectContaining({ ok: true, code: "QC" }));
    expect(matchResponsibility("生产原因", q)).toEqual(expect.objectContaining({ ok: true, code: "PRODUCTION" }));
    expect(matchResponsibility("Quality 2", q)).toEqual(expect.objectContaining({ ok: true, code: "QC2" }));
  });

  test("a blank name or synonym on the Policy sheet matches nothing: punctuation alone is no name", () => {
    const q = defaultPolicy();
    q.responsibilities.find((r) => r.code === "PROCESS")!.en = "";
    q.responsibilities.find((r) => r.code === "LOGISTICS")!.synonyms.push(" ， ");
    for (const text of [",", "，、", " / "]) expect(matchResponsibility(text, q)).toEqual(expect.objectContaining({ ok: false, why: "UNKNOWN" }));
  });

  test("two keywords of one code add up; they are one cause, not a conflict", () => {
    expect(m("来料 原材料")).toEqual({ ok: true, code: "SUPPLIER", score: 6, matched: ["来料", "原材料"] });
  });

  test("a negation names every negated cause once, and only the negated ones", () => {
    const two = m("不是客户原因,也不是供应商来料");
    expect(two).toEqual({
      ok: false,
      why: "NEGATED",
      candidates: ["DEALER", "SUPPLIER"],
      zh: '"不是客户原因,也不是供应商来料"含否定("客户原因、供应商、来料"):只说明不是经销商/客户原因或原材料/供应商,无法判断责任',
      en: '"不是客户原因,也不是供应商来料" is negated ("客户原因, 供应商, 来料"): it says the cause is not DEALER or SUPPLIER, not what it is',
    });
    expect(m("不是客户原因,不是客户原因")).toEqual(expect.objectContaining({ candidates: ["DEALER"], en: expect.stringContaining('("客户原因")') }));
    // A cause said plainly beside a negated one: still ambiguous, and the plain one is no candidate.
    expect(m("不是客户原因,是供应商来料")).toEqual(
      expect.objectContaining({ why: "NEGATED", candidates: ["DEALER"], en: expect.stringContaining('("客户原因")') }),
    );
  });

  test("a conflict names the keywords' codes only, in both languages; a tie names the tied codes", () => {
    expect(m("客户使用不当,供应商来料不良,操作")).toEqual({
      ok: false,
      why: "CONFLICT",
      candidates: ["DEALER", "SUPPLIER"],
      zh: '"客户使用不当,供应商来料不良,操作"同时指向多个责任:经销商/客户原因与原材料/供应商,请判定其一',
      en: '"客户使用不当,供应商来料不良,操作" names conflicting causes: DEALER and SUPPLIER; decide one',
    });
    expect(m("材料 运输")).toEqual({
      ok: false,
      why: "TIE",
      candidates: ["SUPPLIER", "LOGISTICS"],
      zh: '"材料 运输"的责任不明确:可能是原材料/供应商或物流',
      en: '"材料 运输" is ambiguous: could be SUPPLIER or LOGISTICS',
    });
  });

  test("a code renamed in place is its exact name at once; the old code is only a word again", () => {
    const q = defaultPolicy();
    expect(matchResponsibility("process", q)).toEqual(expect.objectContaining({ ok: true, code: "PROCESS", score: Infinity }));
    q.responsibilities.find((r) => r.code === "PROCESS")!.code = "ENGINEERING";
    expect(matchResponsibility("ENGINEERING", q)).toEqual({ ok: true, code: "ENGINEERING", score: Infinity, matched: ["ENGINEERING"] });
    // "process" stays a keyword of the entry (weight 3), no longer its code.
    expect(matchResponsibility("process", q)).toEqual({ ok: true, code: "ENGINEERING", score: 3, matched: ["process"] });
  });

  test("the synonym list replaced by one of the same length is read again", () => {
    const q = defaultPolicy();
    const d = q.responsibilities.find((r) => r.code === "PROCESS")!;
    expect(matchResponsibility("方法部", q).ok).toBe(false);
    d.synonyms = ["方法部", ...d.synonyms.slice(1)];
    expect(matchResponsibility("方法部", q)).toEqual({ ok: true, code: "PROCESS", score: Infinity, matched: ["方法部"] });
  });

  test("a policy's word index is built once, not at every match (a ledger of thousands of rows reads it per row)", () => {
    const spy = jest.spyOn(wordmatch, "buildWordIndex");
    try {
      const q = defaultPolicy();
      for (const text of ["来料有问题", "材料 运输", "不是客户原因", "QC"]) matchResponsibility(text, q);
      expect(spy).toHaveBeenCalledTimes(1);
      // An edit is seen; then the new index is kept too.
      q.responsibilities[0].hints.push("外观");
      for (const text of ["外观", "来料有问题"]) matchResponsibility(text, q);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("charge rules branch by branch", () => {
  test("markedCharge: only FREE or CHARGED is a marking", () => {
    expect(markedCharge({ charge: "FREE" })).toBe("FREE");
    expect(markedCharge({ charge: "CHARGED" })).toBe("CHARGED");
    for (const charge of [undefined, "", "free", "NONE"]) expect(markedCharge({ charge })).toBeUndefined();
  });

  test("chargeFor by any name; an unknown code has none", () => {
    expect(chargeFor("物流", p)).toBe("CHARGED");
    expect(chargeFor("质量原因", p)).toBe("FREE");
    expect(chargeFor("NOPE", p)).toBeUndefined();
    expect(chargeFor(undefined, p)).toBeUndefined();
  });

  test("chargeRule in full, and a side no responsibility is marked with", () => {
    expect(chargeRule(p)).toEqual({
      zh: "免费须为以下责任之一:质量原因、工艺原因、生产原因、设计/沟通、原材料/供应商;收费须为以下责任之一:经销商/客户原因、物流、无质量问题/客户误判。",
      en: "Free needs one of: Quality control, Process / engineering, Production, Design / communication, Supplier / raw material. Charged needs one of: Dealer / customer, Logistics / carrier, No fault found.",
    });
    const allCharged = defaultPolicy();
    for (const r of allCharged.responsibilities) r.charge = "CHARGED";
    expect(chargeRule(allCharged).zh).toMatch(/^免费须为以下责任之一:\(无\);收费须为以下责任之一:经销商\/客户原因、质量原因、/);
    expect(chargeRule(allCharged).en).toMatch(/^Free needs one of: \(none\)\. Charged needs one of: Dealer \/ customer, Quality control, /);
  });

  test("chargeConflict: nothing to compare without both a marking and a known code", () => {
    for (const [charge, code] of [
      [undefined, "QC"],
      ["", "DEALER"],
      ["FREE", undefined],
      ["FREE", ""],
      ["CHARGED", "NOPE"],
    ] as const)
      expect(chargeConflict(charge, code, p)).toBeUndefined();
    expect(chargeConflict("CHARGED", "物流", p)).toBeUndefined();
  });

  test("chargeConflict's messages in full, each naming the side the marking needs", () => {
    expect(chargeConflict("FREE", "LOGISTICS", p)).toEqual({
      zh: '责任为"物流"时不能标记免费(免费仅限:质量原因、工艺原因、生产原因、设计/沟通、原材料/供应商)',
      en: 'Cannot mark as free with responsibility "Logistics / carrier" (free needs one of: Quality control, Process / engineering, Production, Design / communication, Supplier / raw material)',
    });
    expect(chargeConflict("CHARGED", "PROCESS", p)).toEqual({
      zh: '责任为"工艺原因"时不能标记收费(收费仅限:经销商/客户原因、物流、无质量问题/客户误判)',
      en: 'Cannot mark as charged with responsibility "Process / engineering" (charged needs one of: Dealer / customer, Logistics / carrier, No fault found)',
    });
  });
});
