/**
 * Issue 26: `planAdoptionRows` (the CLI's adopt by parts) holds each case packed in the columns the sheet fills
 * and makes its ledger row when the writer asks; `planAdoption` (the pane's preview) gives the rows as arrays.
 * On every hand-kept sheet the adoption tests use, the two plans are equal row for row and in everything else,
 * and the rows made when asked read back as the cases the sheet meant (its truth, not the planner's own word).
 */
import { readCase, type CellValue } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { planAdoption, planAdoptionRows, type AdoptOptions, type SheetGrid } from "../../src/adoption/planner";
import { handKeptSheet, ledgerSheet2025 } from "../../src/sample/handkept";
import { keysOfHeader, rowToRecord } from "../../src/ledger/records";

const policy = defaultPolicy();
const today = ymdToSerial(2026, 11, 26);

/** A sheet with what issue 29 met: merged areas below the header, formulas without results, error values, progress words, a second table below. */
function hostile(): SheetGrid {
  const values: CellValue[][] = [
    ["2025年客诉台账", null, null, null, null, null, null],
    ["客诉单号", "投诉日期", "客户名称", "品名", "不良描述", "处理进度", "金额"],
    ["KS-2025-0001", "2025/3/5", "华为", "支架", "划伤", "待回复", 120],
    ["KS-2025-0002", "2025/3/6", "华为", "支架", "开裂", "已结案", null],
    ["KS-2025-0003", "2025/3/7", "美的", "外壳", "异响", "处理中", "#DIV/0!"],
    ["KS-2025-0003", "3月8日", "格力", "门铰链", "变形", "", 15],
    [null, "2025/3/9", "格力", "散热器", "变色", "等客户确认", null],
    ["合计", null, null, null, null, null, 135],
    [null, null, null, null, null, null, null],
    ["物料编号", "物料名称", "数量", null, null, null, null],
    ["M-1", "螺丝", 100, null, null, null, null],
  ];
  return {
    name: "客诉台账",
    values,
    merges: [
      { top: 0, left: 0, bottom: 0, right: 6 },
      { top: 2, left: 2, bottom: 3, right: 2 },
    ],
    formulas: [{ row: 3, col: 6, formula: "E4*25" }],
  };
}

const sheets: [string, SheetGrid, Partial<AdoptOptions>][] = [
  ...(["counter", "numbered", "erp"] as const).map((style): [string, SheetGrid, Partial<AdoptOptions>] => {
    const s = handKeptSheet(style, 300);
    return [`the ${style} hand-kept sheet`, { name: s.name, values: s.values }, {}];
  }),
  ["the 2025 sheet", { name: "2025", values: ledgerSheet2025(320).values }, {}],
  ["the 2025 sheet renumbered, asked for returns", { name: "2025", values: ledgerSheet2025(320).values }, { renumber: true, kind: "RETURN", user: "李工" }],
  ["issue 29's hostile sheet", hostile(), {}],
  ["issue 29's hostile sheet, a column mapped by hand", hostile(), { mapping: { 6: null, 4: "defect" }, renumber: true }],
];

describe("planAdoptionRows equals planAdoption row for row (issue 26)", () => {
  test.each(sheets)("%s", (_name, grid, more) => {
    const opts: AdoptOptions = { policy, today, ...more };
    const held = planAdoption(grid, opts);
    const made = planAdoptionRows(grid, opts);
    expect(made.table.rows.length).toBe(held.table.rows.length);
    expect(held.table.rows.length).toBeGreaterThan(0);
    for (let i = 0; i < held.table.rows.length; i++) {
      const row = made.table.rows.row(i);
      // Strictly: undefined (a computed column) stays undefined, a blank stays null, the width is the ledger's.
      expect(row).toStrictEqual(held.table.rows[i]);
      expect(row).toHaveLength(held.table.header.length);
    }
    const { table: t1, ...rest1 } = held;
    const { table: t2, ...rest2 } = made;
    expect(rest2).toEqual(rest1);
    expect({ ...t2, rows: null }).toEqual({ ...t1, rows: null });
  });

  test("each row asked for is a new array: the reader or the writer may change it without changing the plan", () => {
    const s = handKeptSheet("counter", 20);
    const made = planAdoptionRows({ name: s.name, values: s.values }, { policy, today });
    const first = made.table.rows.row(3);
    const again = made.table.rows.row(3);
    expect(again).not.toBe(first);
    first.fill("changed");
    expect(made.table.rows.row(3)).toStrictEqual(again);
  });

  test.each(["counter", "numbered", "erp"] as const)("the %s sheet's rows made when asked read back as the cases the sheet meant", (style) => {
    const s = handKeptSheet(style, 300);
    const made = planAdoptionRows({ name: s.name, values: s.values }, { policy, today });
    const keys = keysOfHeader(made.table.header, policy);
    expect(made.table.rows.length).toBe(300);
    s.truth.forEach((t, i) => {
      const c = readCase(rowToRecord(keys, made.table.rows.row(i)), policy).case;
      expect([c.product, c.responsibility, c.charge, c.owner]).toEqual([t.product, t.responsibility, t.charge, t.owner]);
      expect(c.receivedAt).toBe(ymdToSerial(...(t.receivedAt.split("-").map(Number) as [number, number, number])));
      expect(c.status === "CLOSED").toBe(t.finished);
    });
  });
});
