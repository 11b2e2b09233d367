/**
 * Issue 26: `planAdoptionRows` (the CLI's adopt by parts) holds each case packed in the columns the sheet fills
 * and makes its ledger row when the writer asks; `planAdoption` (the pane's preview) gives the rows as arrays.
 * On every hand-kept sheet the adoption tests use, the two plans are equal row for row and in everything else,
 * and the rows made when asked read back as the cases the sheet meant (its truth, not the planner's own word).
 */
import { isBlank, parseSignature, readCase, type CellValue } from "../../src/domain/case";
import { findNamed } from "../../src/domain/policy/policy";
import { ledgerSchema } from "../../src/domain/schema";
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { planAdoption, planAdoptionRows, type AdoptOptions, type AnyAdoptPlan, type PersonProposal, type SheetGrid } from "../../src/adoption/planner";
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
    // The CLI's way: the planner lets each case row of the grid go once read; nothing it gives changes.
    const own: SheetGrid = { ...grid, values: grid.values.map((r) => [...r]) };
    const consumed = planAdoptionRows(own, opts, { consume: true });
    expect(Array.from({ length: consumed.table.rows.length }, (_, i) => consumed.table.rows.row(i))).toStrictEqual(held.table.rows);
    expect({ ...consumed, table: null }).toEqual({ ...held, table: null });
    if (held.table.rows.length > 60) expect(own.values.filter((r) => r.length === 0).length).toBeGreaterThan(0);
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

/** The people as the planner proposed them before they were counted row by row: a walk of each people column in turn (the oracle). */
function peopleColumnByColumn(plan: AnyAdoptPlan, values: readonly (readonly CellValue[])[]): PersonProposal[] {
  const PEOPLE_HEADER = /处理人|负责人|跟进人|经办人|责任人|签核|签字|签名|审核|批准|确认人|handler|owner|approv|sign/i;
  const NAME = /^(?:[\u4e00-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40})$/;
  const text = (v: CellValue) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());
  const cols = plan.columns.filter((c) => c.key === "owner" || c.key?.startsWith("sign_") || (c.key === null && !c.counter && PEOPLE_HEADER.test(c.header)));
  const found = new Map<string, PersonProposal>();
  for (const c of cols) {
    const role =
      ledgerSchema(policy).find((f) => f.key === c.key)?.role ?? findNamed(policy.roles, c.header.replace(/签核|签字|签名|审核|批准|确认/g, ""))?.code;
    for (const sheetRow of plan.table.sourceRows) {
      const v = values[sheetRow - 1]?.[c.index];
      if (isBlank(v ?? null)) continue;
      const t = text(v ?? null);
      for (const name of (parseSignature(t)?.name ?? t).split(/[、,，;；/\s]+/).filter((x) => NAME.test(x) && !/^\d/.test(x))) {
        const p = found.get(name) ?? { name, columns: [], roles: [], cases: 0 };
        if (!p.columns.includes(c.header)) p.columns.push(c.header);
        if (role && !p.roles.includes(role)) p.roles.push(role);
        p.cases++;
        found.set(name, p);
      }
    }
  }
  return [...found.values()].sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name));
}

describe("people counted row by row are the people a walk of each column gave", () => {
  const signed: SheetGrid = {
    name: "客诉",
    values: [
      ["客诉单号", "投诉日期", "客户名称", "不良描述", "处理人", "跟进人", "品质审核签核", "经办人"],
      ["KS-1", "2025/3/5", "华为", "划伤", "王芳", "李雷", "张伟 2025-03-06", "李雷"],
      ["KS-2", "2025/3/6", "美的", "开裂", "李雷、王芳", "王芳", null, "Tom Lee"],
      ["KS-3", "2025/3/7", "格力", "异响", null, "张伟", "王芳", "tom lee"],
      ["KS-4", "2025/3/8", "格力", "变形", "Tom Lee", null, "李雷", "12345"],
    ],
  };
  test.each([...sheets, ["a sheet with names in four people columns, ties and mixed case", signed, {}] as [string, SheetGrid, Partial<AdoptOptions>]])(
    "%s",
    (_name, grid, more) => {
      const plan = planAdoptionRows(grid, { policy, today, ...more });
      expect(plan.people).toEqual(peopleColumnByColumn(plan, grid.values));
    },
  );

  test("the signed sheet's proposals, in full", () => {
    const plan = planAdoptionRows(signed, { policy, today });
    // Names split at spaces and 、; a signature's date dropped; columns in the sheet's order; most cases first, then by name.
    expect(plan.people).toEqual([
      { name: "李雷", columns: ["处理人", "跟进人", "品质审核签核", "经办人"], roles: [], cases: 4 },
      { name: "王芳", columns: ["处理人", "跟进人", "品质审核签核"], roles: [], cases: 4 },
      { name: "Lee", columns: ["处理人", "经办人"], roles: [], cases: 2 },
      { name: "Tom", columns: ["处理人", "经办人"], roles: [], cases: 2 },
      { name: "张伟", columns: ["跟进人", "品质审核签核"], roles: [], cases: 2 },
      { name: "lee", columns: ["经办人"], roles: [], cases: 1 },
      { name: "tom", columns: ["经办人"], roles: [], cases: 1 },
    ]);
  });
});
