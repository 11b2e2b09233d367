/**
 * Issue 28: a 2025 ledger kept by hand the common way (序号 beside 客诉单号, no 类别, a progress column,
 * 是否需8D, dates without a year near the year's edge), adopted row by row against what each row meant.
 */
import { caseNoKey, readCase, type CellValue } from "../../src/domain/case";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { findNamed } from "../../src/domain/policy/policy";
import { KINDS, STATES } from "../../src/domain/schema";
import { adoptedViolations } from "../../src/adoption/preview";
import { planAdoption, type AdoptPlan, type SheetGrid } from "../../src/adoption/planner";
import { ledgerSheet2025 } from "../../src/sample/handkept";
import { keysOfHeader, rowToRecord } from "../../src/ledger/records";

const policy = defaultPolicy();
const today = ymdToSerial(2026, 11, 26);
const sheet = ledgerSheet2025(320);
const grid: SheetGrid = { name: sheet.name, values: sheet.values };
const plan = planAdoption(grid, { policy, today });
const records = (pl: AdoptPlan) => {
  const keys = keysOfHeader(pl.table.header, policy);
  return pl.table.rows.map((r) => rowToRecord(keys, r));
};
const table = records(plan);
const cases = table.map((r) => readCase(r, policy, { defaultYear: 2025 }).case);

describe("a 2025 ledger with 序号 and 客诉单号 (issue 28)", () => {
  test("the shape of the sheet: 320 rows, 24 without a number, one number repeated", () => {
    expect(sheet.truth).toHaveLength(320);
    expect(sheet.truth.filter((t) => !t.caseNo)).toHaveLength(24);
    expect(sheet.truth.filter((t) => t.duplicateOf)).toHaveLength(1);
    expect(plan.counts.cases).toBe(320);
  });

  test("客诉单号 holds the case numbers, 序号 is a row counter kept beside", () => {
    const byLetter = Object.fromEntries(plan.columns.map((c) => [c.header, c]));
    expect(byLetter["客诉单号"].key).toBe("caseNo");
    expect(byLetter["序号"].key).toBeNull();
    expect(byLetter["序号"].counter).toBe(true);
    expect(plan.counts.generated).toBe(0);
  });

  test("whatever the order, and when 序号 has gaps (not a clean counter), the case-number column wins", () => {
    const swapped = sheet.values.map((r) => [r[1], r[0], ...r.slice(2)]);
    const gappy = sheet.values.map((r, i) => (i > sheet.headerRow && i % 7 === 0 ? [Number(r[0]) + 1000, ...r.slice(1)] : [...r]));
    for (const values of [swapped, gappy]) {
      const pl = planAdoption({ name: sheet.name, values }, { policy, today });
      expect(pl.columns.find((c) => c.key === "caseNo")?.header).toBe("客诉单号");
      expect(pl.columns.find((c) => c.header === "序号")?.key).toBeNull();
      expect(records(pl).map((r) => r.caseNo ?? null)).toEqual(sheet.truth.map((t) => t.caseNo ?? null));
      expect([pl.counts.duplicates, pl.counts.missingCaseNo, pl.counts.generated]).toEqual([1, 24, 0]);
    }
  });

  test("row by row: the sheet's own number as typed, duplicates and missing numbers reported exactly", () => {
    sheet.truth.forEach((t, i) => expect([i, table[i].caseNo ?? null]).toEqual([i, t.caseNo ?? null]));
    const sheetRow = (i: number) => sheet.headerRow + 2 + i;
    const missingRows = sheet.truth.flatMap((t, i) => (t.caseNo ? [] : [sheetRow(i)]));
    const dupRows = sheet.truth.flatMap((t, i) => (t.duplicateOf ? [sheetRow(i)] : []));
    expect(plan.counts.missingCaseNo).toBe(24);
    expect(plan.counts.duplicates).toBe(1);
    expect(plan.problems.filter((p) => p.kind === "MISSING_CASE_NO").map((p) => p.row)).toEqual(missingRows);
    expect(plan.problems.filter((p) => p.kind === "DUPLICATE_CASE_NO").map((p) => p.row)).toEqual(dupRows);
  });

  test("renumbering never makes a number equal to an existing one up to separators and case", () => {
    const renumbered = planAdoption(grid, { policy, today, renumber: true });
    expect(renumbered.renumbered).toHaveLength(25);
    const existing = new Set(sheet.truth.flatMap((t) => (t.caseNo ? [caseNoKey(t.caseNo)] : [])));
    for (const r of renumbered.renumbered) {
      expect(existing.has(caseNoKey(r.to))).toBe(false);
      expect(r.to).toMatch(/^KS-2025-\d{4}$/);
    }
    const all = records(renumbered).map((r) => caseNoKey(String(r.caseNo)));
    expect(new Set(all).size).toBe(320);
    // Old cases keep the sheet's format.
    expect(records(renumbered)[0].caseNo).toBe(sheet.truth[0].caseNo);
  });

  test("row by row: every case has the kind its evidence names (return dispositions, the KS prefix, the title)", () => {
    sheet.truth.forEach((t, i) => expect([i, cases[i].kind]).toEqual([i, t.kind]));
    expect(plan.kinds.from.asked).toBe(0);
    expect(plan.kinds.title).toBe("COMPLAINT");
  });

  test("row by row: dates without a year take the year that keeps the row in order, else they are listed", () => {
    sheet.truth.forEach((t, i) => {
      const c = cases[i];
      if (t.receivedAt) expect([i, serialToIso(Math.floor(c.receivedAt!))]).toEqual([i, t.receivedAt]);
      else expect([i, table[i].receivedAt]).toEqual([i, sheet.values[sheet.headerRow + 1 + i][2]]);
      expect([i, serialToIso(c.shipDate!)]).toEqual([i, t.shipDate]);
      if (t.closedAt) expect([i, serialToIso(c.closedAt!)]).toEqual([i, t.closedAt]);
      if (t.receivedAt && t.closedAt) expect(c.closedAt!).toBeGreaterThanOrEqual(Math.floor(c.receivedAt!));
      if (t.receivedAt) expect(c.shipDate!).toBeLessThanOrEqual(c.receivedAt!);
    });
    const unplaced = sheet.truth.flatMap((t, i) => (t.receivedAt ? [] : [sheet.headerRow + 2 + i]));
    expect(unplaced).toHaveLength(1);
    expect(plan.problems.filter((p) => p.kind === "BAD_VALUE" && /没有年份/.test(p.zh)).map((p) => p.row)).toEqual(unplaced);
    // January receipts of December shipments stay in the sheet's year.
    const jan = sheet.truth.findIndex((t) => t.receivedAt?.startsWith("2025-01") && t.shipDate.startsWith("2024-12"));
    expect(jan).toBeGreaterThanOrEqual(0);
    expect(serialToIso(cases[jan].receivedAt!)).toMatch(/^2025-01/);
  });

  test("row by row: progress and 是否需8D are read; closed rows are closed history, open ones at most where their progress says", () => {
    const order = STATES.map((s) => s.code);
    const said: Record<string, string> = { 处理中: "EXECUTED", 待品质确认: "RECEIVED", 待回复: "EXECUTED", 已结案: "CLOSED" };
    sheet.truth.forEach((t, i) => {
      const c = cases[i];
      expect([i, c.customerRequests8D]).toEqual([i, t.needs8D]);
      if (t.progress === "已结案") expect([i, c.status]).toEqual([i, "CLOSED"]);
      else expect(order.indexOf(c.status!)).toBeLessThanOrEqual(order.indexOf(said[t.progress]));
    });
    expect(Object.fromEntries(plan.progress.map((p) => [p.text, p.state]))).toEqual(said);
    for (const p of plan.progress) expect(Object.values(p.written).reduce((a, b) => a + b, 0)).toBe(p.rows);
    // The words stay beside the status.
    expect(plan.table.header).toContain("处理进度(原文)");
  });

  test("closed history is asked for nothing its sheet never had: no cost, step or signature violation", () => {
    const { violations } = adoptedViolations({ table: plan.table, policy, historyUntil: plan.historyUntil, today });
    const closedNos = new Set(table.filter((r) => findNamed(STATES, r.status)?.code === "CLOSED").map((r) => String(r.caseNo ?? "")));
    expect(closedNos.size).toBeGreaterThan(150);
    const asked = violations.filter((v) => closedNos.has(v.caseNo ?? "") && ["COST_MISSING", "STATE_INCOMPLETE", "APPROVAL_MISSING"].includes(v.code));
    expect(asked).toEqual([]);
    expect(violations.filter((v) => v.code === "DISPOSITION_MISFIT")).toEqual([]);
    expect(plan.check.violations).toBe(violations.length);
  });

  test("without a title, prefix or return disposition, the kind is asked once for the whole sheet, default shown", () => {
    const bare: CellValue[][] = sheet.values.map((r, i) =>
      i === 0
        ? ["台账", ...r.slice(1)]
        : i <= sheet.headerRow
          ? [...r]
          : [r[0], r[1] ? String(r[1]).replace(/^(ks|KS)/, "") : null, ...r.slice(2, 10), "补发", ...r.slice(11)],
    );
    const asked = planAdoption({ name: "Sheet1", values: bare }, { policy, today });
    expect(asked.kinds.asked).toEqual({ rows: 320, default: "COMPLAINT", chosen: undefined });
    for (const r of records(asked)) expect(findNamed(KINDS, r.kind)?.code).toBe("COMPLAINT");
    const chosen = planAdoption({ name: "Sheet1", values: bare }, { policy, today, kind: "RETURN" });
    for (const r of records(chosen)) expect(findNamed(KINDS, r.kind)?.code).toBe("RETURN");
    expect(chosen.kinds.asked?.chosen).toBe("RETURN");
  });

  test("open cases without a number: the fix renumbers, and the plan after it has no such violation", () => {
    const g = plan.check.groups.find((x) => x.field === "caseNo" && x.code === "STATE_INCOMPLETE")!;
    const open = sheet.truth.filter((t) => !t.caseNo && t.progress !== "已结案").length;
    expect(g.count).toBe(open);
    expect(g.fix).toMatchObject({ renumber: true });
    const fixed = planAdoption(grid, { policy, today, renumber: g.fix!.renumber });
    expect(fixed.check.groups.filter((x) => x.field === "caseNo")).toEqual([]);
    expect(fixed.check.violations).toBe(plan.check.violations - open - 1);
  });

  test("the violations are grouped by cause, with counts that add up and messages in words", () => {
    const sum = plan.check.groups.reduce((a, g) => a + g.count, 0);
    expect(sum).toBe(plan.check.violations);
    for (const g of plan.check.groups) expect(g.zh).not.toMatch(/[A-Z]{3,}_[A-Z]+/);
  });
});

describe("the plan's one-click fixes (issue 28)", () => {
  test("a required field in a column the adoption did not recognise: 'map this column' removes its violations", () => {
    const values: CellValue[][] = [
      ["客诉单号", "客诉日期", "客户名称", "产品型号", "不良情况说明", "处理进度"],
      ["KS2025-0001", "2025/3/5", "华为", "XH-200A", "外壳划伤", "待品质确认"],
      ["KS2025-0002", "2025/3/6", "中兴通讯", "JT-80", "尺寸超差", "处理中"],
    ];
    const first = planAdoption({ name: "客诉", values }, { policy, today });
    const group = first.check.groups.find((g) => g.field === "defect");
    expect(group).toMatchObject({ code: "STATE_INCOMPLETE", count: 2, fix: { mapping: { 4: "defect" } } });
    expect(group!.fix!.label.zh).toMatch(/E 列"不良情况说明"对应为"不良现象"/);
    const fixed = planAdoption({ name: "客诉", values }, { policy, today, mapping: group!.fix!.mapping });
    expect(fixed.check.groups.find((g) => g.field === "defect")).toBeUndefined();
    expect(fixed.check.violations).toBe(first.check.violations - 2);
    expect(records(fixed).map((r) => r.defect)).toEqual(["外壳划伤", "尺寸超差"]);
  });
});
