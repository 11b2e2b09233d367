/**
 * The sheet to adopt read by the fast reader (decision 148): the same SheetGrid `readGrid` builds from
 * exceljs's model, without that model — values as exceljs's in-memory reader + plainValue give them
 * (falsy formula results kept), merged areas from the sheet's `<mergeCells>` (a covered cell has no value),
 * formulas without a result with their source. Anything this cannot read as readGrid would is `undefined`,
 * and the caller adopts through exceljs instead.
 */
import type { CellValue } from "../../../domain/case";
import { ledgerBlockByRow } from "../../../adoption/block";
import { OUTSIDE_LISTED, type SheetGrid } from "../../../adoption/planner";
import { columnNumber } from "../../../ledger/workbook-layout";
import { isBlank } from "../cells";
import { LIMITS } from "../limits";
import type { FastWorkbook } from "../reader/fast-read";

interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Collects the `<mergeCell ref>`s of a sheet's XML as it streams by: only what follows `</sheetData>` is kept. */
class MergeWatcher {
  private tail: Buffer[] = [];
  private carry = Buffer.alloc(0);
  private past = false;

  piece = (piece: Buffer): void => {
    if (this.past) {
      this.tail.push(piece);
      return;
    }
    const b = this.carry.length ? Buffer.concat([this.carry, piece]) : piece;
    const at = b.indexOf("</sheetData>", 0, "latin1");
    if (at >= 0) {
      this.past = true;
      this.tail.push(Buffer.from(b.subarray(at)));
    } else this.carry = Buffer.from(b.subarray(Math.max(0, b.length - 16)));
  };

  /** 0-based areas in the file's order (exceljs's `_merges` order); undefined for a ref it cannot read. */
  areas(): Area[] | undefined {
    const xml = Buffer.concat(this.tail).toString("utf8");
    const out: Area[] = [];
    for (const m of xml.matchAll(/<mergeCell\b[^>]*\bref="([^"]*)"/g)) {
      const ref = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/.exec(m[1]);
      if (!ref) return undefined;
      const a = { row: Number(ref[2]) - 1, col: columnNumber(ref[1]) - 1 };
      const b = ref[3] ? { row: Number(ref[4]) - 1, col: columnNumber(ref[3]) - 1 } : a;
      out.push({ top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) });
    }
    return out;
  }
}

/** A covered cell of a merged area (not its top-left): exceljs's merged slave, whose own value is dropped. */
function coveredBy(areas: readonly Area[]): (row: number, col: number) => boolean {
  if (!areas.length) return () => false;
  const byRow = new Map<number, Area[]>();
  for (const a of areas) for (let r = a.top; r <= a.bottom; r++) byRow.set(r, [...(byRow.get(r) ?? []), a]);
  return (row, col) => (byRow.get(row) ?? []).some((a) => col >= a.left && col <= a.right && (row !== a.top || col !== a.left));
}

/**
 * The grid `readGrid` makes of sheet `index` of `book`, or undefined where it would differ or fail (limits,
 * a formula without a result whose source the file does not write out): exceljs's path then decides.
 */
export async function gridOfSheet(book: FastWorkbook, index: number, name: string): Promise<SheetGrid | undefined> {
  const rows: CellValue[][] = [];
  const unresolved: { row: number; col: number }[] = [];
  const merges = new MergeWatcher();
  let cells = 0;
  await book.streamRows(
    index,
    false,
    (rowNo, values, open) => {
      // A copy the size of the row: the reader's array grew as its cells came (room for 17 where a sheet has 10; issue 26).
      rows[rowNo - 1] = values.slice();
      for (const v of values) if (v !== undefined) cells++;
      for (const c of open ?? []) unresolved.push({ row: rowNo - 1, col: c });
    },
    { onPiece: merges.piece },
  );
  const areas = merges.areas();
  if (!areas || cells > LIMITS.gridCells) return undefined;
  const covered = coveredBy(areas);
  // The present cells as columns by row (no object per cell), as readGrid's presentCells counts them.
  const byRow = new Map<number, number[]>();
  let present = 0;
  // Rows with the same columns filled share one list (ledgerBlockByRow only sorts them, and they come sorted):
  // a ledger's rows mostly fill the same columns, and 200,000 lists of their own were 20 MB (issue 26).
  const same = new Map<string, number[]>();
  rows.forEach((values, r) => {
    const cols: number[] = [];
    values.forEach((v, c) => {
      if (!isBlank(v) && !covered(r, c)) cols.push(c);
    });
    if (!cols.length) return;
    present += cols.length;
    const key = cols.join();
    let shared = same.get(key);
    if (!shared) same.set(key, (shared = cols));
    byRow.set(r, shared);
  });
  same.clear();
  if (present > LIMITS.gridCells) return undefined;
  const block = ledgerBlockByRow(byRow) ?? { top: 0, left: 0, bottom: -1, right: -1, outside: [] };
  byRow.clear();
  const width = block.right + 1;
  if ((block.bottom + 1) * width > LIMITS.gridCells) return undefined;
  const beyond = block.outside.filter((c) => c.row > block.bottom || c.col > block.right);
  const outside = beyond.slice(0, OUTSIDE_LISTED).map((c) => ({ ...c, value: rows[c.row][c.col] ?? null }));
  // The rows read become the grid's rows: cut to the block's width, holes and covered cells made blank.
  const values = rows.slice(0, block.bottom + 1);
  rows.length = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r] ?? [];
    const row = v.length === width ? v : new Array<CellValue>(width);
    for (let c = 0; c < width; c++) row[c] = v[c] === undefined || covered(r, c) ? null : v[c];
    values[r] = row;
  }
  while (values.length && values[values.length - 1].every(isBlank)) values.pop();
  const formulas = await formulaSources(
    book,
    index,
    unresolved.filter((f) => f.row <= block.bottom && f.col < width),
  );
  if (!formulas) return undefined;
  const kept = areas.filter((m) => m.top < values.length && m.left < width);
  return { name, values, origin: { row: 0, col: 0 }, outside, outsideCount: beyond.length, merges: kept, formulas };
}

/** The source of each formula without a result (a second read, only when there are some); undefined when one has none written. */
async function formulaSources(book: FastWorkbook, index: number, cells: { row: number; col: number }[]): Promise<SheetGrid["formulas"] | undefined> {
  if (!cells.length) return [];
  const want = new Map<number, number[]>();
  for (const c of cells) want.set(c.row, [...(want.get(c.row) ?? []), c.col]);
  const out: NonNullable<SheetGrid["formulas"]> = [];
  let ok = true;
  await book.streamRows(
    index,
    false,
    (rowNo, values) => {
      for (const col of want.get(rowNo - 1) ?? []) {
        const f = values[col];
        // A shared formula's other cells carry no source (exceljs translates the first cell's): exceljs's path reads those.
        if (typeof f !== "string" || f.length < 2) ok = false;
        else out.push({ row: rowNo - 1, col, formula: f.slice(1) });
      }
    },
    { markFormulas: true },
  );
  return ok ? out.sort((a, b) => a.row - b.row || a.col - b.col) : undefined;
}
