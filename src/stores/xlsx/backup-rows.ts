/**
 * An adopted sheet's backup, its rows streamed like the ledger's (decision
 * #42): the original sheet stays in the exceljs workbook with everything
 * that is not a cell (columns, merges, validation, formats, views, tables,
 * images), but its Row objects are taken out of it before exceljs writes,
 * and book-write.ts renders them as exceljs's RowXform/CellXform would — the
 * same values, row heights and flags, and style ids read from a probe row
 * that registers each style object once, in the order exceljs would meet it.
 * Sheets holding what exceljs gathers from cells while writing (hyperlinks,
 * notes, shared or array formulas, rich text) are left to exceljs whole.
 */
import type { Cell, Row, Worksheet } from "exceljs";
import { columnLetter, columnNumber } from "../../ledger/workbook-layout";
import { resultType, styleKey, type BackupRows, type DeferredBody } from "./sheet-xml";

// exceljs's ValueType numbers (doc/enums.js); only these are streamed.
const NULL = 0,
  MERGE = 1,
  NUMBER = 2,
  STRING = 3,
  DATE = 4,
  FORMULA = 6,
  BOOLEAN = 9,
  ERROR = 10;
const STREAMED = new Set([NULL, MERGE, NUMBER, STRING, DATE, FORMULA, BOOLEAN, ERROR]);

interface CellModel {
  address: string;
  master?: string;
  type: number;
  value?: unknown;
  formula?: string;
  result?: unknown;
  shareType?: string;
  sharedFormula?: string;
  ref?: string;
  comment?: unknown;
}
interface SheetInternals {
  _rows: (Row | undefined)[];
}
/** A row's cells as exceljs keeps them (holes for cells never made); eachCell({includeEmpty}) would make them. */
const cellsOf = (row: Row): (Cell | undefined)[] => (row as Row & { _cells: (Cell | undefined)[] })._cells;

/** "AB12" → { row: 12, col: 28 }. */
function decodeAddress(address: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address.replace(/\$/g, ""));
  if (!m) return { row: 0, col: 0 };
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

/** Number and Date cells get a default number format when their style has none; other types share one registration. */
const probeValue = (type: number): number | Date | null => (type === NUMBER ? 0 : type === DATE ? new Date(0) : null);

/**
 * Takes the rows out of `ws` for the streaming writer and pushes a body for
 * them; false (nothing changed) when the sheet holds a cell exceljs must
 * write itself, or more distinct styles than a probe row can carry.
 */
export function deferBackupRows(ws: Worksheet, defer: DeferredBody[], date1904: boolean): boolean {
  const rows = (ws as typeof ws & SheetInternals)._rows.filter((r): r is Row => r !== undefined);
  // Style objects in the order exceljs's writer first meets them (row style, then the row's cells), with the value type of that first use.
  const order = new Map<object, number>();
  const meet = (style: object | undefined, type: number) => {
    const key = styleKey(style, type);
    if (!order.has(key)) order.set(key, type);
  };
  // The used range as exceljs computes it (Worksheet.dimensions: cells that are not Null).
  let top = 0,
    left = 0,
    bottom = 0,
    right = 0;
  // Merged ranges, which exceljs's writer gathers from the merged cells themselves (sheet/merges.js), by master.
  const merges = new Map<string, { top: number; left: number; bottom: number; right: number }>();
  for (const row of rows) {
    meet((row as Row & { style?: object }).style, NUMBER);
    for (const cell of cellsOf(row)) {
      if (!cell) continue;
      // At run time a cell model's address is the "A1" string exceljs writes (its declaration says Address).
      const m = cell.model as typeof cell.model & CellModel;
      const type = m.type === FORMULA ? resultType(m.result) : m.type;
      if (!STREAMED.has(m.type) || m.comment !== undefined || type < 0) return false;
      if (m.type === FORMULA && (m.shareType || m.sharedFormula || m.ref || typeof m.formula !== "string")) return false;
      meet(cell.style, type);
      if (m.type === MERGE && m.master) {
        const [a, b] = [decodeAddress(m.master), decodeAddress(m.address)];
        const r = merges.get(m.master) ?? { top: a.row, left: a.col, bottom: a.row, right: a.col };
        merges.set(m.master, {
          top: Math.min(r.top, b.row),
          left: Math.min(r.left, b.col),
          bottom: Math.max(r.bottom, b.row),
          right: Math.max(r.right, b.col),
        });
      }
      if (m.type !== NULL) {
        const col = Number(cell.col);
        top = top || row.number;
        bottom = row.number;
        left = left ? Math.min(left, col) : col;
        right = Math.max(right, col);
      }
    }
  }
  const styles = [...order.keys()];
  if (styles.length >= 16384 || rows.length === 0) return false;
  const probeRow = rows[rows.length - 1].number + 1;
  if (probeRow > 1048576) return false;
  (ws as typeof ws & SheetInternals)._rows = [];
  const probe = ws.getRow(probeRow);
  styles.forEach((style, k) => {
    const cell = probe.getCell(k + 1);
    cell.value = probeValue(order.get(style)!);
    // A stand-in for empty styles is probed with a fresh {}: exceljs remembers a style object's first id.
    cell.style = (Object.keys(style).length ? style : {}) as Cell["style"];
  });
  const extent = top ? `${columnLetter(left - 1)}${top}:${columnLetter(right - 1)}${bottom}` : undefined;
  const at = (row: number, col: number) => `${columnLetter(col - 1)}${row}`;
  const mergeCells = [...merges.values()].map((r) => `${at(r.top, r.left)}:${at(r.bottom, r.right)}`);
  const backup: BackupRows = { rows, styles, probeRow, date1904, extent, mergeCells };
  defer.push({ sheet: ws.name, sheetId: ws.id, width: styles.length, rows: [], backup });
  return true;
}
