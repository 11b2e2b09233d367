/**
 * Merged cells in a hand-kept sheet adopted in Excel (issue 29): a merged customer or date shows its value only
 * in its top-left cell, so the pane's reader loads the merged areas (Range.getMergedAreasOrNullObject, ExcelApi
 * 1.13) in the same sync as the values, and the planner gives the value to every row the area covers, listing
 * it, as the .xlsx path does. Below 1.13 the read is as before; past Excel's 512 areas per call, row bands.
 */
import { Workbook } from "exceljs";
import { ymdToSerial } from "../../../src/domain/dates";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { planAdoption, type SheetGrid } from "../../../src/adoption/planner";
import { mergedAreas, readSheetGrid } from "../../../src/stores/excel/adopt";
import { readGrid } from "../../../src/stores/xlsx/adopt";
import { FakeExcel, MERGED_AREAS_LIMIT, type Prim } from "../../fakes/excel-fake";
import { readChunks, USER } from "./setup";

const SHEET = "手工台账";
const HEADER = ["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"];
const policy = defaultPolicy();
const plan = (grid: SheetGrid) => planAdoption(grid, { policy, today: ymdToSerial(2026, 3, 20), user: USER });
const day = (d: number) => ymdToSerial(2026, 3, d);

/** Title (merged across), header, four cases: 宁波海天 and its date merged over the first three. */
const ROWS: Prim[][] = [
  ["2026年客诉台账", "", "", "", ""],
  HEADER,
  ["KS-1", "宁波海天", day(5), "划伤", "A1"],
  ["KS-2", "", "", "变形", "A2"],
  ["KS-3", "", "", "异响", "A3"],
  ["KS-4", "杭州华立", day(9), "漏油", "A4"],
];
// 0-based sheet rectangles, as the fake keeps them.
const MERGES = [
  { r: 0, c: 0, h: 1, w: 5 },
  { r: 2, c: 1, h: 3, w: 1 },
  { r: 2, c: 2, h: 3, w: 1 },
];

function fakeSheet(apiVersion: string, at = { r: 0, c: 0 }): FakeExcel {
  const fake = new FakeExcel([SHEET], { apiVersion });
  fake.seed(SHEET, at.r, at.c, ROWS);
  for (const m of MERGES) fake.sheet(SHEET)!.merges.push({ ...m, r: m.r + at.r, c: m.c + at.c });
  return fake;
}

async function read(fake: FakeExcel): Promise<{ grid: SheetGrid; syncs: number }> {
  fake.resetMeter();
  const grid = await fake.run((ctx) => readSheetGrid(ctx, SHEET, fake.isSetSupported));
  return { grid, syncs: fake.syncs };
}

/** Each case's number, customer and date of receipt, by the ledger's headers. */
const customers = (g: SheetGrid) => {
  const { header, rows } = plan(g).table;
  const at = (re: RegExp) => header.findIndex((h) => re.test(h));
  const cols = [at(/^客诉单号/), at(/^客户/), at(/^接收/)];
  expect(cols.every((c) => c >= 0)).toBe(true);
  return rows.map((r) => cols.map((c) => r[c] ?? null));
};
const listed = (g: SheetGrid) =>
  plan(g)
    .problems.filter((p) => p.kind === "MERGED_CELLS")
    .map((p) => [p.row, p.column, p.value, p.en.slice(0, 24)]);

describe("merged cells in the Excel pane's adoption", () => {
  test("the areas come with the values in the same single sync, and every covered row gets the value, listed as the .xlsx path lists it", async () => {
    const { grid, syncs } = await read(fakeSheet("1.14"));
    expect(syncs).toBe(1);
    expect(grid.merges).toEqual([
      { top: 0, left: 0, bottom: 0, right: 4 },
      { top: 2, left: 1, bottom: 4, right: 1 },
      { top: 2, left: 2, bottom: 4, right: 2 },
    ]);
    const rows = customers(grid);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ["宁波海天", day(5)],
      ["宁波海天", day(5)],
      ["宁波海天", day(5)],
      ["杭州华立", day(9)],
    ]);
    expect(listed(grid)).toEqual([
      [3, "B", "宁波海天", "Merged cells B3:B5: the "],
      [3, "C", day(5), "Merged cells C3:C5: the "],
    ]);

    // The same sheet written by exceljs and read by the .xlsx path: the same plan, the same lines.
    const book = new Workbook();
    const ws = book.addWorksheet(SHEET);
    ROWS.forEach((r, i) => r.forEach((v, j) => v !== "" && (ws.getCell(i + 1, j + 1).value = v)));
    for (const m of MERGES) ws.mergeCells(m.r + 1, m.c + 1, m.r + m.h, m.c + m.w);
    const file = readGrid(ws);
    expect(customers(file)).toEqual(rows);
    expect(listed(file)).toEqual(listed(grid));
  });

  test("a used range that does not start at A1: the areas' sheet addresses are placed in the grid, and the lines name the sheet's cells", async () => {
    const { grid, syncs } = await read(fakeSheet("1.14", { r: 3, c: 2 }));
    expect(syncs).toBe(1);
    expect(grid.origin).toEqual({ row: 3, col: 2 });
    expect(grid.merges).toContainEqual({ top: 2, left: 1, bottom: 4, right: 1 });
    expect(customers(grid).map((r) => r[1])).toEqual(["宁波海天", "宁波海天", "宁波海天", "杭州华立"]);
    expect(listed(grid).map((l) => l.slice(0, 2))).toEqual([
      [6, "D"],
      [6, "E"],
    ]);
  });

  test("below ExcelApi 1.13 the call is not made (it would fail the batch): one sync, no areas, the read as before", async () => {
    const fake = fakeSheet("1.12");
    expect(fake.isSetSupported("ExcelApi", "1.13")).toBe(false);
    const { grid, syncs } = await read(fake);
    expect(syncs).toBe(1);
    expect(grid.merges).toBeUndefined();
    expect(customers(grid).map((r) => r[1])).toEqual(["宁波海天", "", "", "杭州华立"].map((c) => c || null));
  });

  test("a sheet without merged areas: the null object, no areas, still one sync", async () => {
    const fake = fakeSheet("1.14");
    fake.sheet(SHEET)!.merges = [];
    const { grid, syncs } = await read(fake);
    expect(syncs).toBe(1);
    expect(grid.merges).toBeUndefined();
  });

  test(`more than ${MERGED_AREAS_LIMIT} areas (Excel fails the call): read again without them, then the areas in row bands; all found`, async () => {
    const n = 1200;
    const fake = new FakeExcel([SHEET], { apiVersion: "1.14" });
    const rows: Prim[][] = [HEADER];
    for (let i = 0; i < n; i++) rows.push([`KS-${i + 1}`, i % 2 ? "" : `客户${i}`, i % 2 ? "" : day(5), "划伤", "A1"]);
    fake.seed(SHEET, 0, 0, rows);
    for (let i = 0; i < n; i += 2) fake.sheet(SHEET)!.merges.push({ r: i + 1, c: 1, h: 2, w: 1 });
    const { grid, syncs } = await read(fake);
    // The failed batch, the read again, its chunks, one sync of two bands of about 300 areas each.
    expect(syncs).toBe(1 + 1 + readChunks(n + 1, HEADER.length) + 1);
    expect(grid.merges).toHaveLength(n / 2);
    const got = customers(grid).map((r) => r[1]);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => `客户${i - (i % 2)}`));
  });
});

describe("mergedAreas: a RangeAreas address as grid areas", () => {
  const origin = { row: 1, col: 1 };
  const size = { rows: 10, cols: 4 };
  test("sheet prefixes (quoted with commas too), cut to the grid, whole rows", () => {
    expect(mergedAreas("'客诉, 2026'!C3:C5,'客诉, 2026'!$B$4:$D$4", origin, size)).toEqual([
      { top: 1, left: 1, bottom: 3, right: 1 },
      { top: 2, left: 0, bottom: 2, right: 2 },
    ]);
    expect(mergedAreas("Sheet1!B2:Z40", origin, size)).toEqual([{ top: 0, left: 0, bottom: 9, right: 3 }]);
    expect(mergedAreas("Sheet1!3:4", origin, size)).toEqual([]);
    expect(mergedAreas("Sheet1!3:4", { row: 0, col: 0 }, size)).toEqual([{ top: 2, left: 0, bottom: 3, right: 3 }]);
    expect(mergedAreas("Sheet1!A1:A3", origin, size)).toEqual([]);
  });
});
