import { computeDue, describeError } from "../../src/taskpane/calculator";

describe("task pane working-day calculator", () => {
  test("skips National Day and lands on the make-up Saturday", () => {
    const r = computeDue("2026-09-30", "3");
    expect(r).toMatchObject({ ok: true, dueIso: "2026-10-10", makeUpDay: true, workingDaysInclusive: 4 });
    if (r.ok) expect(r.weekday).toEqual({ zh: "星期六", en: "Saturday" });
  });

  test("empty fields and bad input give bilingual errors, never a date", () => {
    expect(computeDue("", "3")).toEqual({ ok: false, error: { zh: "请选择开始日期", en: "Choose a start date" } });
    expect(computeDue("2026-09-30", " ")).toMatchObject({ ok: false });
    const r = computeDue("2101-10-01", "1");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.zh).toMatch(/2101/);
      expect(r.error.en).toMatch(/2101/);
    }
    expect(computeDue("2026-09-30", "abc").ok).toBe(false);
  });

  test("an error message 'zh / en' is split back into its languages", () => {
    expect(describeError(new Error("缺少日期 / Date is missing"))).toEqual({ zh: "缺少日期", en: "Date is missing" });
  });
});
