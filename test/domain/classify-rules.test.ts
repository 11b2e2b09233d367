/**
 * classify.ts branch by branch (issue 30): the severity suggested from a defect's words and counts, the
 * return judgement's conflicts, the fine tally and the retention period.
 */
import type { Case } from "../../src/domain/case";
import { fineTally, pastRetention, returnJudgementConflicts, suggestSeverity } from "../../src/domain/classify";
import { defaultPolicy } from "../../src/domain/policy/policy";

const p = defaultPolicy();
const sev = (defect: string | undefined, quantity?: number) => suggestSeverity(defect, quantity, p)?.severity;

describe("suggestSeverity", () => {
  test("the count written just before the words, in digits or Chinese, with or without a unit", () => {
    for (const text of [
      "3个模具刻字错误",
      "3模具刻字错误",
      "12处模具刻字错误",
      "3 PCS 模具刻字错误",
      "3套以上的模具刻字错误",
      "三粒模具刻字错误",
      "十件刻字错误",
      "5只 模具刻字错误",
    ])
      expect([text, sev(text)]).toEqual([text, "SERIOUS"]);
    for (const text of ["2个模具刻字错误", "两件模具刻字错误", "二处刻字错误", "1pcs模具刻字错误"]) expect([text, sev(text)]).toEqual([text, "MINOR"]);
  });

  test("a number not next to the words is not their count; no count and no quantity is not serious", () => {
    expect(sev("3片外壳模具刻字错误")).toBe("MINOR");
    expect(sev("模具刻字错误,批次2026")).toBe("MINOR");
    expect(sev("模具刻字错误")).toBe("MINOR");
  });

  test("a written count outweighs the case's quantity; without one the quantity counts", () => {
    // Bug found here: the criterion's shorter word 刻字错误 has no count right before it, so the case's quantity counted
    // and two written errors were suggested serious.
    expect(sev("2个模具刻字错误", 5)).toBe("MINOR");
    expect(sev("两处尺寸超差", 9)).toBe("MINOR");
    expect(sev("模具刻字错误", 3)).toBe("SERIOUS");
    expect(sev("模具刻字错误", 2)).toBe("MINOR");
  });

  test("the written count holds whatever order the Policy sheet lists a criterion's words in", () => {
    // A clerk may list the shorter word first: 刻字错误 is then found first, with 模具 (no count) right before it.
    const q = defaultPolicy();
    for (const c of q.severityCriteria) c.words = [...c.words].reverse();
    expect(q.severityCriteria.find((c) => c.minCount === 3)?.words).toEqual(["刻字错误", "模具刻字错误"]);
    const sevQ = (defect: string, quantity?: number) => suggestSeverity(defect, quantity, q)?.severity;
    expect(sevQ("2个模具刻字错误", 5)).toBe("MINOR");
    expect(sevQ("3个模具刻字错误")).toBe("SERIOUS");
    expect(sevQ("模具刻字错误", 3)).toBe("SERIOUS");
  });

  test("nothing said, or nothing the criteria know: no suggestion", () => {
    expect(suggestSeverity(undefined, 5, p)).toBeUndefined();
    expect(suggestSeverity("", 5, p)).toBeUndefined();
    expect(suggestSeverity("客户说包装太大", 5, p)).toBeUndefined();
  });

  test("the reason names the word, the count asked and the source, in both languages", () => {
    expect(suggestSeverity("3个模具刻字错误", undefined, p)).toEqual({
      severity: "SERIOUS",
      reason: {
        zh: '"模具刻字错误"(3个及以上) → 严重:附件1 严重 1: 三个及以上的模具刻字错误',
        en: '"模具刻字错误" (3 or more) → Serious (severity criteria, Policy sheet)',
      },
    });
    expect(suggestSeverity("外壳开裂", undefined, p)).toEqual({
      severity: "SERIOUS",
      reason: { zh: '"开裂" → 严重:附件1 严重 1: 开裂', en: '"开裂" → Serious (severity criteria, Policy sheet)' },
    });
  });

  test("a criterion naming a severity the Policy lacks suggests that code as written", () => {
    const q = defaultPolicy();
    q.severityCriteria.unshift({ severity: "BLOCKER", words: ["起火"], source: "安全" });
    expect(suggestSeverity("通电起火", undefined, q)).toEqual({
      severity: "BLOCKER",
      reason: { zh: '"起火" → BLOCKER:安全', en: '"起火" → BLOCKER (severity criteria, Policy sheet)' },
    });
  });
});

describe("returnJudgementConflicts", () => {
  const c = (x: Partial<Case>): Case => ({ caseNo: "KS-2026-0001", signatures: {}, ...x });

  test("each judgement has its own conflict, in both languages; both at once are both said", () => {
    expect(returnJudgementConflicts(c({ returnJudgement: "REPAIR_FOR_CUSTOMER", charge: "FREE", replacementFirst: true }))).toEqual([
      { zh: "帮修品由客户付费返修,不能标记免费", en: "Goods repaired for the customer are repaired at the customer's cost; they cannot be free" },
    ]);
    expect(returnJudgementConflicts(c({ returnJudgement: "RETURN_NO_REPLACEMENT", charge: "FREE", disposition: "REMAKE" }))).toEqual([
      { zh: "只退不补品不补货(不能先补发或重做补货)", en: "A return with no replacement gets none (no replacement first, no remake)" },
    ]);
    expect(returnJudgementConflicts(c({ returnJudgement: "RETURN_NO_REPLACEMENT", replacementFirst: false, disposition: "SCRAP" }))).toEqual([]);
    expect(returnJudgementConflicts(c({ returnJudgement: "SALES_RETURN", charge: "FREE", replacementFirst: true, disposition: "REMAKE" }))).toEqual([]);
    expect(returnJudgementConflicts(c({ charge: "FREE", replacementFirst: true }))).toEqual([]);
  });
});

describe("fineTally", () => {
  const at = (user: string, action: string, time: string) => ({ user, action, time });

  test("per person and month, the Policy's fine each time, sorted by month then person; no user, no fine", () => {
    const q = defaultPolicy();
    q.settings.finePerViolation = 50;
    const lines = fineTally(
      [
        at("wang", "CLOSE_REFUSED", "2026-04-02 09:00:00"),
        at("wang", "EDIT_REVERTED", "2026-03-30 09:00:00"),
        at("li", "STEP_REFUSED", "2026-03-05 09:00:00"),
        at("wang", "EDIT_REVERTED", "2026-03-31 09:00:00"),
        at("", "EDIT_REVERTED", "2026-03-31 09:00:00"),
        at("li", "SIGNED", "2026-03-06 09:00:00"),
      ],
      q,
    );
    expect(lines).toEqual([
      { user: "li", month: "2026-03", count: 1, amount: 50 },
      { user: "wang", month: "2026-03", count: 2, amount: 100 },
      { user: "wang", month: "2026-04", count: 1, amount: 50 },
    ]);
    expect(fineTally([], q)).toEqual([]);
  });
});

describe("pastRetention", () => {
  const closedAt = 46000.9;
  const c: Case = { signatures: {}, closedAt };

  test("past the years on the Policy sheet, counted in whole days; never with no retention set or no close date", () => {
    const q = defaultPolicy();
    q.settings.retentionYears = 4; // 4 × 365.25 = 1461 days exactly
    expect(pastRetention(c, q, 46000 + 1461 + 0.99)).toBe(false);
    expect(pastRetention(c, q, 46000 + 1462 + 0.01)).toBe(true);
    q.settings.retentionYears = 0;
    expect(pastRetention(c, q, 46000 + 100 * 366)).toBe(false);
    expect(pastRetention({ signatures: {} }, p, 46000 + 100 * 366)).toBe(false);
    expect(pastRetention(c, p, 46000 + 1096)).toBe(true);
    expect(pastRetention(c, p, 46000 + 1095)).toBe(false);
  });
});
