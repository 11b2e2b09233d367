import { COL_GAP, ledgerBlock, ROW_GAP, type PresentCell } from "../../src/adoption/block";

/** A 5-column table: header at `top`, `n` data rows. */
const table = (top: number, n: number, left = 0): PresentCell[] =>
  Array.from({ length: n + 1 }, (_, r) => Array.from({ length: 5 }, (_, c) => ({ row: top + r, col: left + c }))).flat();

describe("the ledger's block on a hand-kept sheet", () => {
  test("the table and its title are the block; one stray cell far away is outside", () => {
    const cells = [{ row: 0, col: 0 }, ...table(2, 300), { row: 1048575, col: 16383 }];
    const b = ledgerBlock(cells)!;
    expect([b.top, b.left, b.bottom, b.right]).toEqual([0, 0, 302, 4]);
    expect(b.outside).toEqual([{ row: 1048575, col: 16383 }]);
  });

  test("blank rows and columns inside the table are kept up to the gaps; beyond them is outside", () => {
    const cells = [...table(0, 10), ...table(11 + ROW_GAP, 5), { row: 3, col: 4 + COL_GAP + 1 }, { row: 3, col: 4 + COL_GAP + 1 + COL_GAP + 2 }];
    const b = ledgerBlock(cells)!;
    expect(b.bottom).toBe(16 + ROW_GAP);
    expect(b.right).toBe(4 + COL_GAP + 1);
    expect(b.outside).toEqual([{ row: 3, col: 4 + COL_GAP + 1 + COL_GAP + 2 }]);
    // A second table past the row gap is outside.
    const far = ledgerBlock([...table(0, 10), ...table(12 + ROW_GAP, 2)])!;
    expect(far.bottom).toBe(10);
    expect(far.outside).toHaveLength(15);
  });

  test("a stray cell in the header's row far to the right does not widen the block; the work is in the cells present", () => {
    const cells = [...table(0, 50_000), { row: 0, col: 16383 }, { row: 25_000, col: 9000 }];
    const t0 = performance.now();
    const b = ledgerBlock(cells)!;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect([b.left, b.right, b.bottom]).toEqual([0, 4, 50_000]);
    expect(b.outside).toEqual([
      { row: 0, col: 16383 },
      { row: 25_000, col: 9000 },
    ]);
  });

  test("no cells, no block", () => {
    expect(ledgerBlock([])).toBeUndefined();
  });
});
