import { matchProgress } from "../../src/domain/progress-words";

describe("a progress column read as states (issue 28)", () => {
  test("the texts of hand-kept ledgers: 待X is the step before X", () => {
    const state = (t: string) => {
      const m = matchProgress(t);
      return m.ok ? m.state : undefined;
    };
    expect(state("处理中")).toBe("EXECUTED");
    expect(state("待品质确认")).toBe("RECEIVED");
    expect(state("待回复")).toBe("EXECUTED");
    expect(state("已回复")).toBe("REPLIED");
    expect(state("已结案")).toBe("CLOSED");
    expect(state("已签核")).toBe("APPROVED");
    expect(state("Closed")).toBe("CLOSED");
    expect(state(" 已结案 (2025/3/1) ")).toBe("CLOSED");
  });

  test("未结案 is open at no named step; nothing or two states of the same weight is no answer, said in both languages", () => {
    expect(matchProgress("未结案")).toMatchObject({ ok: true, state: "OPEN" });
    expect(matchProgress("进行中")).toMatchObject({ ok: true, state: "OPEN" });
    for (const t of ["", "看情况", "已回厂,已结案"]) {
      const m = matchProgress(t);
      if (t === "已回厂,已结案") {
        // The close outweighs a step: the text says where the case ended.
        expect(m).toMatchObject({ ok: true, state: "CLOSED" });
        continue;
      }
      expect(m.ok).toBe(false);
      if (!m.ok) {
        expect(m.zh).toMatch(/进度/);
        expect(m.en).toMatch(/Progress/);
      }
    }
    expect(matchProgress("已判定,已回厂").ok).toBe(false);
  });
});
