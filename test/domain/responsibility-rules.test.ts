/**
 * Reading a responsibility from free text, branch by branch (issue 30): exact names, scores, negation, two
 * causes, ties, and the word index following edits of the policy.
 */
import { defaultPolicy } from "../../src/domain/policy/policy";
import { matchResponsibility, responsibilitiesCharged, responsibilityOf } from "../../src/domain/responsibility";

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
