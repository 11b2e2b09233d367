/**
 * Where the ledger is on a hand-kept sheet: the block of cells around its
 * header row, not the sheet's used range. One stray cell far away (a typo at
 * XFD1048576, common in sheets kept for years) makes the used range 17
 * billion cells; it is not data. The block is grown from the densest row
 * (the header, or a full data row) through rows and columns that lie close
 * to it; cells beyond are "outside the ledger": listed as problems, kept in
 * the backup sheet, never read as cases.
 *
 * Work is O(n log n) in the cells present, whatever the used range.
 */

/** A non-blank cell present on the sheet, 0-based. */
export interface PresentCell {
  row: number;
  col: number;
}

export interface SheetBlock {
  /** 0-based, inclusive. */
  top: number;
  left: number;
  bottom: number;
  right: number;
  /** Cells present outside the block, in sheet order (row, then column). */
  outside: PresentCell[];
}

/** Blank rows a ledger may hold inside it (rows left free between months, a pasted gap). */
export const ROW_GAP = 50;
/** Blank columns between columns of one table. */
export const COL_GAP = 5;

/** The block around the densest row; undefined for a sheet without cells. */
export function ledgerBlock(cells: readonly PresentCell[]): SheetBlock | undefined {
  const byRow = new Map<number, number[]>();
  for (const c of cells) {
    const cols = byRow.get(c.row);
    if (cols) cols.push(c.col);
    else byRow.set(c.row, [c.col]);
  }
  return ledgerBlockByRow(byRow);
}

/** ledgerBlock of the cells given as columns by row (a reader that streams rows keeps no object per cell); sorts the columns in place. */
export function ledgerBlockByRow(byRow: ReadonlyMap<number, number[]>): SheetBlock | undefined {
  if (byRow.size === 0) return undefined;
  const rows = [...byRow.keys()].sort((a, b) => a - b);
  for (const r of rows) byRow.get(r)!.sort((a, b) => a - b);
  // The densest row, the first of equals (the header is at the top of its table).
  let anchor = rows[0];
  for (const r of rows) if (byRow.get(r)!.length > byRow.get(anchor)!.length) anchor = r;

  const span = { left: Infinity, right: -Infinity };
  /** Whether the row has a cell within COL_GAP of the span, growing the span through such cells. */
  const take = (r: number, first: boolean): boolean => {
    const cols = byRow.get(r)!;
    if (first) {
      // The anchor's own cells: its contiguous run around its densest part, gaps up to COL_GAP.
      let best = { from: 0, to: 0 };
      let from = 0;
      for (let i = 1; i <= cols.length; i++) {
        if (i === cols.length || cols[i] - cols[i - 1] > COL_GAP + 1) {
          if (i - from > best.to - best.from + 1) best = { from, to: i - 1 };
          from = i;
        }
      }
      span.left = cols[best.from];
      span.right = cols[best.to];
    } else {
      if (!cols.some((c) => c >= span.left - COL_GAP - 1 && c <= span.right + COL_GAP + 1)) return false;
      // Grow rightwards and leftwards from the span through cells within the gap.
      for (const c of cols) if (c > span.right && c - span.right <= COL_GAP + 1) span.right = c;
      for (let i = cols.length - 1; i >= 0; i--) if (cols[i] < span.left && span.left - cols[i] <= COL_GAP + 1) span.left = cols[i];
    }
    return true;
  };
  take(anchor, true);
  const at = rows.indexOf(anchor);
  let bottom = anchor;
  for (let i = at + 1; i < rows.length && rows[i] - bottom <= ROW_GAP + 1; i++) if (take(rows[i], false)) bottom = rows[i];
  let top = anchor;
  for (let i = at - 1; i >= 0 && top - rows[i] <= ROW_GAP + 1; i--) if (take(rows[i], false)) top = rows[i];

  // Everything in the rectangle is read (blanks and all); what lies beyond it is outside.
  const outside: PresentCell[] = [];
  for (const r of rows) for (const c of byRow.get(r)!) if (r < top || r > bottom || c < span.left || c > span.right) outside.push({ row: r, col: c });
  return { top, left: span.left, bottom, right: span.right, outside };
}
