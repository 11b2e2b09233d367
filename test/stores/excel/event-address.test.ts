/**
 * Event addresses as Excel may send them (WorksheetChangedEventArgs.address):
 * cells, whole columns, whole rows, several areas, with or without the
 * sheet; and what cannot be read is reported, not dropped.
 */
import { parseArea, parseAreas, readAreas, SHEET_COLS, SHEET_ROWS } from "../../../src/stores/excel/excel-run";

describe("parseArea", () => {
  test.each([
    ["D5", { row: 4, col: 3, rows: 1, cols: 1 }],
    ["A2:C9", { row: 1, col: 0, rows: 8, cols: 3 }],
    ["$A$2:$C$9", { row: 1, col: 0, rows: 8, cols: 3 }],
    ["C9:A2", { row: 1, col: 0, rows: 8, cols: 3 }],
    ["c:c", { row: 0, col: 2, rows: SHEET_ROWS, cols: 1 }],
    ["C:C", { row: 0, col: 2, rows: SHEET_ROWS, cols: 1 }],
    ["$C:$E", { row: 0, col: 2, rows: SHEET_ROWS, cols: 3 }],
    ["E:C", { row: 0, col: 2, rows: SHEET_ROWS, cols: 3 }],
    ["5:5", { row: 4, col: 0, rows: 1, cols: SHEET_COLS }],
    ["$3:$7", { row: 2, col: 0, rows: 5, cols: SHEET_COLS }],
    ["1:1048576", { row: 0, col: 0, rows: SHEET_ROWS, cols: SHEET_COLS }],
    ["XFD1048576", { row: SHEET_ROWS - 1, col: SHEET_COLS - 1, rows: 1, cols: 1 }],
    ["'客诉台账 Ledger'!C:C", { row: 0, col: 2, rows: SHEET_ROWS, cols: 1 }],
    ["Sheet1!3:7", { row: 2, col: 0, rows: 5, cols: SHEET_COLS }],
    [" B2 ", { row: 1, col: 1, rows: 1, cols: 1 }],
  ])("%s", (ref, want) => {
    expect(parseArea(ref)).toEqual(want);
  });

  test.each(["", "C", "5", "A0", "0:3", "XFE1", "XFE:XFE", "A1048577", "1:1048577", "Ledger", "#REF!", "A1:B", "R1C1", "C:5"])("%j is no area", (ref) => {
    expect(parseArea(ref)).toBeUndefined();
  });
});

describe("readAreas", () => {
  test("several areas, each with its sheet, all kept (the sheet is not stripped from the whole list at once)", () => {
    const r = readAreas("Sheet1!A3:A5,Sheet1!C3:D3");
    expect(r.unread).toEqual([]);
    expect(r.areas).toEqual([
      { row: 2, col: 0, rows: 3, cols: 1 },
      { row: 2, col: 2, rows: 1, cols: 2 },
    ]);
  });

  test("a comma or a quote inside a quoted sheet name does not split the address", () => {
    const r = readAreas("'Cases, 2026'!C:C, 'It''s'!5:5");
    expect(r.unread).toEqual([]);
    expect(r.areas.map((a) => [a.row, a.col, a.rows, a.cols])).toEqual([
      [0, 2, SHEET_ROWS, 1],
      [4, 0, 1, SHEET_COLS],
    ]);
  });

  test("what cannot be read is returned, beside what can", () => {
    expect(readAreas("A1, Table1[客户], C:C")).toEqual({
      areas: [
        { row: 0, col: 0, rows: 1, cols: 1 },
        { row: 0, col: 2, rows: SHEET_ROWS, cols: 1 },
      ],
      unread: [" Table1[客户]"],
    });
    expect(readAreas("")).toEqual({ areas: [], unread: [""] });
    expect(parseAreas("A1;B2")).toHaveLength(2);
  });
});
