import { buildWordIndex, foldClauses, scanWords } from "../../src/domain/wordmatch";

describe("foldClauses", () => {
  test("lower case and half width; clause breaks as |, other punctuation as one space", () => {
    expect(foldClauses("Customer-Misuse，供应商")).toBe("customer misuse|供应商");
    expect(foldClauses("ＤＥＡＬＥＲ　（经销商）")).toBe("dealer 经销商");
    expect(foldClauses("  ,Ä-Σ;\n")).toBe("ä σ");
    expect(foldClauses("")).toBe("");
  });
});

describe("scanWords", () => {
  const idx = buildWordIndex([
    { target: "A", word: "包装设计", weight: 3 },
    { target: "B", word: "设计", weight: 3 },
    { target: "C", word: "ok", weight: 1 },
  ]);
  const words = (t: string) => scanWords(foldClauses(t), idx).map((h) => `${h.target}${h.negated ? "!" : ""}`);
  test("longest word claims its characters; English words whole only", () => {
    expect(words("包装设计不合理")).toEqual(["A"]);
    expect(words("book ok")).toEqual(["C"]);
  });
  test("a negation governs the rest of its clause; a denial after a word negates the words before it in the clause", () => {
    expect(words("不是设计问题,设计")).toEqual(["B!", "B"]);
    expect(words("与设计无关")).toEqual(["B!"]);
    expect(words("无法设计")).toEqual(["B"]);
  });
});
