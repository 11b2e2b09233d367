/**
 * The body rows of a big sheet (the ledger, Audit, Problems) as
 * SpreadsheetML text, written by us rather than by exceljs (decision #40):
 * exceljs's writer holds every cell as an object with its style, which cost
 * gigabytes at 50,000 cases. The cells are the ones exceljs wrote for the
 * same rows (workbook.ts writeLedgerRows / writeRows): same values, number
 * formats, formulas with their cached results and text rule (text.ts).
 * Strings are inline (`t="inlineStr"`), so neither the writer nor a reader
 * keeps a table of every string — except two rare kinds that go to the
 * shared strings, where every reader reads them right: text stored escaped
 * (`_xHHHH_`: exceljs's in-memory reader decodes it in shared strings only)
 * and text with a `&` (the fast reader decodes inline strings' entities
 * twice, so a typed "&lt;" would read as "<"). No Node APIs: only strings.
 */
import type { CellValue } from "../../domain/case";
import { cellDateToSerial } from "../../domain/dates";
import { columnLetter, type LedgerColumn } from "../../ledger/workbook-layout";
import { serialToDateCell } from "./cells";
import { computedValues, fileFormula, isDateColumn, type ComputeContext } from "./columns";
import { CellTooLong, MAX_CELL_CHARS, needsEscape, toStoredText } from "./stored-text";

/**
 * Rows made when asked, by index (the writer asks 0, 1, 2… once each): a
 * generated ledger of 200,000 cases is never held whole (issue 26).
 */
export interface RowSource {
  readonly length: number;
  row(i: number): readonly CellValue[];
}

/** A body's rows: held in an array, or made one at a time. */
export type Rows = readonly (readonly CellValue[])[] | RowSource;

export const rowAt = (rows: Rows, i: number): readonly CellValue[] => ("row" in rows ? rows.row(i) : rows[i]);

/** The rows as an array (for exceljs's own writer, small books only). */
export const rowsArray = (rows: Rows): CellValue[][] =>
  Array.isArray(rows) ? (rows as CellValue[][]) : Array.from({ length: rows.length }, (_, i) => rowAt(rows, i) as CellValue[]);

/** A body the exceljs workbook leaves out: its rows, how to write them, and where. */
export interface DeferredBody {
  /** The sheet's name (for messages) and exceljs id (its part is xl/worksheets/sheet<id>.xml). */
  sheet: string;
  sheetId: number;
  width: number;
  rows: Rows;
  /** Ledger rows: cells as setLedgerCell writes them. */
  ledger?: { cols: LedgerColumn[]; ctx: ComputeContext };
  /** Plain rows: columns written with the text format, as writeRows does. */
  textCols?: boolean[];
  /** An adopted sheet's own rows (backup-rows.ts); `rows` is then empty. */
  backup?: BackupRows;
}

/** Rows taken out of an exceljs sheet, with the style objects its probe row registered (probe cell k+1 = styles[k]). */
export interface BackupRows {
  rows: readonly ExcelRowLike[];
  styles: readonly object[];
  probeRow: number;
  date1904: boolean;
  /** The used range exceljs would write as the sheet's dimension. */
  extent?: string;
  /** Merged ranges, which exceljs writes from the merged cells (taken out with the rows). */
  mergeCells: string[];
}

/** Where `<mergeCells>` goes: before the first of the elements the schema puts after it. */
const AFTER_MERGES =
  /<(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|<\/worksheet>/;

/** A sheet's XML after `</sheetData>` with the backup's merged ranges put back. */
function withMerges(tail: string, merges: readonly string[]): string {
  if (!merges.length) return tail;
  if (tail.includes("<mergeCells")) throw new Error("internal: the backup sheet already has its merges");
  const at = tail.search(AFTER_MERGES);
  const xml = `<mergeCells count="${merges.length}">${merges.map((r) => `<mergeCell ref="${r}"/>`).join("")}</mergeCells>`;
  return tail.slice(0, at) + xml + tail.slice(at);
}

/** What of an exceljs Row (and its cells' models) the backup writer reads. */
export interface ExcelRowLike {
  number: number;
  height?: number;
  hidden?: boolean;
  outlineLevel?: number;
  collapsed?: boolean;
  style?: object;
}

/** Style ids read from the probe row exceljs wrote: one per column, and the text ("@") style. */
export interface BodyStyles {
  cols: number[];
  text: number;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const NEEDS_XML_ESCAPE = /[&<>"]/;
const XML_ESCAPE = /[&<>"]/g;
export const xmlText = (s: string) => (NEEDS_XML_ESCAPE.test(s) ? s.replace(XML_ESCAPE, (ch) => ESCAPES[ch]) : s);

/** A serial as exceljs writes a Date cell (utils.dateToExcel of serialToDateCell): readers see the very same number. */
const dateNumber = (serial: number) => 25569 + serialToDateCell(serial).getTime() / 86400000;

const styleAttr = (id: number) => (id ? ` s="${id}"` : "");

/** Index in the shared strings of a text in its stored (escaped) form; the writer appends it there. */
export type SharedText = (stored: string) => number;

/** New shared strings numbered after `base` existing ones: `added` in their order, `refs()` the cells that use them (the part's count). */
export function sharedTextsAfter(base: number): { shared: SharedText; added: Map<string, number>; refs: () => number } {
  const added = new Map<string, number>();
  let refs = 0;
  const shared: SharedText = (stored) => {
    refs++;
    let i = added.get(stored);
    if (i === undefined) added.set(stored, (i = base + added.size));
    return i;
  };
  return { shared, added, refs: () => refs };
}

/** A `<t>` element of text already stored and XML-escaped; spaces kept where exceljs keeps them (edges, line breaks). */
export const tElement = (xml: string): string => `<t${/^\s|\n|\s$/.test(xml) ? ' xml:space="preserve"' : ""}>${xml}</t>`;

/** A text cell; refused over Excel's 32,767 characters (the writer then removes its temporary file). */
export function textCell(ref: string, s: number, text: string, sheet: string, shared: SharedText): string {
  if (text.length > MAX_CELL_CHARS) throw new CellTooLong(sheet, ref, text.length);
  if (needsEscape(text) || text.includes("&")) return `<c r="${ref}"${styleAttr(s)} t="s"><v>${shared(toStoredText(text))}</v></c>`;
  return `<c r="${ref}"${styleAttr(s)} t="inlineStr"><is>${tElement(xmlText(text))}</is></c>`;
}

/** A number; NaN and infinities, which no cell holds, become #NUM! rather than text a reader would choke on. */
export const numberCell = (ref: string, s: number, n: number) =>
  Number.isFinite(n) ? `<c r="${ref}"${styleAttr(s)}><v>${n}</v></c>` : `<c r="${ref}"${styleAttr(s)} t="e"><v>#NUM!</v></c>`;

/** A value cell as exceljs writes toCellValue's result: Dates and date-column numbers as date serials. */
function valueCell(ref: string, s: number, v: CellValue, asDate: boolean, sheet: string, shared: SharedText): string {
  if (v instanceof Date) return numberCell(ref, s, dateNumber(cellDateToSerial(v)));
  if (typeof v === "number") return numberCell(ref, s, asDate ? dateNumber(v) : v);
  if (typeof v === "boolean") return `<c r="${ref}"${styleAttr(s)} t="b"><v>${v ? 1 : 0}</v></c>`;
  return textCell(ref, s, String(v), sheet, shared);
}

/**
 * Refuses a body cell over Excel's 32,767 characters before anything is
 * written (CellTooLong names the first, bodies in order): a refusal then
 * names the ledger's own cell, as the in-memory writer did, not a backup's.
 */
export function checkBodyText(bodies: readonly DeferredBody[]): void {
  for (const b of bodies) {
    // A row source is not walked twice: its cells are checked as they stream (textCell), into a temporary file.
    if (!Array.isArray(b.rows)) continue;
    (b.rows as readonly (readonly CellValue[])[]).forEach((row, i) => {
      for (let j = 0; j < Math.min(row.length, b.width); j++) {
        const v = row[j];
        if (typeof v === "string" && v.length > MAX_CELL_CHARS && !b.ledger?.cols[j].computed)
          throw new CellTooLong(b.sheet, `${columnLetter(j)}${i + 2}`, v.length);
      }
    });
  }
}

/** Writes a body's rows, one at a time: `count` of them, the i-th as `<row>` XML. */
export interface BodyWriter {
  count: number;
  rowXml(i: number): string;
}

/** A writer for one ledger body: setLedgerCell's cells (computed columns as formula + cached result, blanks left out). */
export function ledgerBodyWriter(b: DeferredBody & { ledger: NonNullable<DeferredBody["ledger"]> }, styles: BodyStyles, shared: SharedText): BodyWriter {
  const { cols, ctx } = b.ledger;
  const letters = cols.map((_, j) => columnLetter(j));
  const dates = cols.map(isDateColumn);
  const formulas = cols.map((c) => (c.computed ? `<f>${xmlText(fileFormula(c.computed.formula))}</f>` : ""));
  const anyComputed = cols.some((c) => c.computed);
  return {
    count: b.rows.length,
    rowXml(i) {
      const r = i + 2,
        row = rowAt(b.rows, i);
      const computed = anyComputed ? computedValues(row, ctx) : {};
      let xml = `<row r="${r}">`;
      for (let j = 0; j < cols.length; j++) {
        const ref = letters[j] + r;
        const col = cols[j];
        if (col.computed) {
          const v = computed[col.key];
          const s = styleAttr(styles.cols[j]);
          if (v === null || v === undefined || v === "") xml += `<c r="${ref}"${s} t="str">${formulas[j]}<v></v></c>`;
          else if (typeof v === "number") xml += `<c r="${ref}"${s}>${formulas[j]}<v>${dates[j] ? dateNumber(v) : v}</v></c>`;
          else xml += `<c r="${ref}"${s} t="str">${formulas[j]}<v>${xmlText(String(v))}</v></c>`;
          continue;
        }
        const v = row[j];
        if (v === null || v === undefined || v === "") continue;
        // A date column holding typed text keeps the text format, so Excel does not reinterpret it.
        xml += valueCell(ref, typeof v === "string" && dates[j] ? styles.text : styles.cols[j], v, dates[j], b.sheet, shared);
      }
      return xml + "</row>";
    },
  };
}

/** A writer for one plain table body (Audit, Problems): writeRows's cells, Dates as ISO text, text columns formatted as text even when blank. */
export function plainBodyWriter(b: DeferredBody, styles: BodyStyles, shared: SharedText): BodyWriter {
  const letters = Array.from({ length: b.width }, (_, j) => columnLetter(j));
  const text = b.textCols ?? [];
  return {
    count: b.rows.length,
    rowXml(i) {
      const r = i + 2,
        row = rowAt(b.rows, i);
      let xml = `<row r="${r}">`;
      for (let j = 0; j < b.width; j++) {
        const ref = letters[j] + r;
        const v = row[j];
        const s = text[j] ? styles.text : 0;
        if (v === null || v === undefined || v === "") {
          if (text[j]) xml += `<c r="${ref}"${styleAttr(s)}/>`;
          continue;
        }
        xml += valueCell(ref, s, v instanceof Date ? v.toISOString() : v, false, b.sheet, shared);
      }
      return xml + "</row>";
    },
  };
}

export const bodyWriter = (b: DeferredBody, styles: BodyStyles, shared: SharedText): BodyWriter =>
  b.backup
    ? backupBodyWriter(b as DeferredBody & { backup: BackupRows }, styles, shared)
    : b.ledger
      ? ledgerBodyWriter(b as DeferredBody & { ledger: NonNullable<DeferredBody["ledger"]> }, styles, shared)
      : plainBodyWriter(b, styles, shared);

interface ExcelCellModel {
  address: string;
  type: number;
  value?: unknown;
  formula?: string;
  result?: unknown;
}
interface ExcelCellLike {
  style?: object;
  model: ExcelCellModel;
}

const EMPTY_STYLES = { number: {}, date: {}, other: {} };
/**
 * The object a backup's probe registered for a cell or row style: the style
 * itself (loaded styles are shared per style id), or for an empty style — a
 * fresh `{}` on every row — one stand-in per kind of value, since exceljs
 * gives an empty style a default number format on number and date cells.
 */
export function styleKey(style: object | undefined, type: number): object {
  if (style && Object.keys(style).some((k) => (style as Record<string, unknown>)[k] !== undefined)) return style;
  return type === 2 ? EMPTY_STYLES.number : type === 4 ? EMPTY_STYLES.date : EMPTY_STYLES.other;
}

/** The value type exceljs gives a formula's result (CellXform getEffectiveCellType); -1 for none it writes. */
export function resultType(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof Date) return 4;
  if (typeof v === "number") return 2;
  if (typeof v === "boolean") return 9;
  if (typeof v === "string") return 3;
  return typeof v === "object" && "error" in (v as object) ? 10 : -1;
}

/** exceljs's utils.dateToExcel. */
const excelDate = (d: Date, date1904: boolean) => 25569 + d.getTime() / 86400000 - (date1904 ? 1462 : 0);

/** `<v>` and type of a formula's cached result, as CellXform.renderFormula writes them. */
function formulaCell(ref: string, s: string, formula: string, result: unknown, date1904: boolean): string {
  const f = `<f>${xmlText(formula)}</f>`;
  if (result === null || result === undefined) return `<c r="${ref}"${s}>${f}</c>`;
  if (typeof result === "string") return `<c r="${ref}"${s} t="str">${f}<v>${xmlText(result)}</v></c>`;
  if (typeof result === "boolean") return `<c r="${ref}"${s} t="b">${f}<v>${result ? 1 : 0}</v></c>`;
  if (result instanceof Date) return `<c r="${ref}"${s}>${f}<v>${excelDate(result, date1904)}</v></c>`;
  if (typeof result === "object" && "error" in result) return `<c r="${ref}"${s} t="e">${f}<v>${xmlText(String((result as { error: unknown }).error))}</v></c>`;
  return `<c r="${ref}"${s}>${f}<v>${result}</v></c>`;
}

/**
 * A writer for an adopted sheet's own rows (backup-rows.ts): RowXform's row
 * attributes and CellXform's cells for the value types the sheet was found
 * to hold; text as everywhere here (inline, text.ts's rule).
 */
export function backupBodyWriter(b: DeferredBody & { backup: BackupRows }, styles: BodyStyles, shared: SharedText): BodyWriter {
  const { rows, date1904 } = b.backup;
  const ids = new Map(b.backup.styles.map((st, k) => [st, styles.cols[k]]));
  const sid = (st: object | undefined, type: number) => ids.get(styleKey(st, type)) ?? 0;
  return {
    count: rows.length,
    rowXml(i) {
      const row = rows[i];
      const cells = ((row as typeof row & { _cells?: (ExcelCellLike | undefined)[] })._cells ?? []).filter((c): c is ExcelCellLike => c !== undefined);
      if (!row.height && !cells.length) return "";
      let min = 0,
        max = 0;
      cells.forEach((c) => {
        const col = Number((c as typeof c & { col: number }).col);
        if (!min || min > col) min = col;
        if (max < col) max = col;
      });
      let xml = `<row r="${row.number}"`;
      if (row.height) xml += ` ht="${row.height}" customHeight="1"`;
      if (row.hidden) xml += ' hidden="1"';
      if (min > 0 && max > 0 && min <= max) xml += ` spans="${min}:${max}"`;
      const rs = sid(row.style, 2);
      if (rs) xml += ` s="${rs}" customFormat="1"`;
      xml += ' x14ac:dyDescent="0.25"';
      if (row.outlineLevel) xml += ` outlineLevel="${row.outlineLevel}"`;
      if (row.collapsed) xml += ' collapsed="1"';
      xml += ">";
      for (const c of cells) {
        const m = c.model;
        const id = sid(c.style, m.type === 6 ? resultType(m.result) : m.type);
        const s = styleAttr(id);
        switch (m.type) {
          case 0: // Null: only a styled one is written
            if (id) xml += `<c r="${m.address}"${s}/>`;
            break;
          case 1: // Merge: always written (the master holds the value)
            xml += `<c r="${m.address}"${s}/>`;
            break;
          case 2:
            xml += numberCell(m.address, id, m.value as number);
            break;
          case 4:
            xml += numberCell(m.address, id, excelDate(m.value as Date, date1904));
            break;
          case 9:
            xml += `<c r="${m.address}"${s} t="b"><v>${m.value ? 1 : 0}</v></c>`;
            break;
          case 10:
            xml += `<c r="${m.address}"${s} t="e"><v>${xmlText(String((m.value as { error: unknown }).error))}</v></c>`;
            break;
          case 6:
            xml += formulaCell(m.address, s, m.formula ?? "", m.result, date1904);
            break;
          default:
            xml += textCell(m.address, id, String(m.value), b.sheet, shared);
        }
      }
      return xml + "</row>";
    },
  };
}

/**
 * exceljs's sharedStrings.xml with texts appended (stored forms, in index
 * order from its uniqueCount) and its counts raised; `refs` cells point at them.
 */
/** Shared-string items (`<si>`) of texts in their stored form: what both writers of a shared strings part append. */
export const sharedItems = (added: readonly string[]): string => added.map((t) => `<si>${tElement(xmlText(t))}</si>`).join("");

export function appendSharedStrings(xml: string, added: readonly string[], refs: number): string {
  if (!added.length) return xml;
  const end = xml.lastIndexOf("</sst>");
  if (end < 0) throw new Error("internal: no </sst> in the shared strings");
  const head = xml
    .slice(0, end)
    .replace(/<sst\b[^>]*>/, (tag) =>
      tag
        .replace(/\bcount="(\d+)"/, (_m, n: string) => `count="${Number(n) + refs}"`)
        .replace(/\buniqueCount="(\d+)"/, (_m, n: string) => `uniqueCount="${Number(n) + added.length}"`),
    );
  return head + sharedItems(added) + xml.slice(end);
}

/** The number of distinct strings a sharedStrings.xml holds (new ones are numbered from here). */
export function sharedStringCount(xml: string): number {
  const tag = /<sst\b[^>]*>/.exec(xml)?.[0] ?? "";
  const unique = /\buniqueCount="(\d+)"/.exec(tag);
  return unique ? Number(unique[1]) : (xml.match(/<si>|<si\s/g) ?? []).length;
}

/** The sheet XML exceljs wrote for a deferred body, cut where the streamed rows go. */
export interface SheetFrame {
  /** Up to and including the header row (row 1), dimension set to the real extent. */
  head: string;
  /** From `</sheetData>` on. */
  tail: string;
  styles: BodyStyles;
}

/**
 * Cuts exceljs's sheet XML of a deferred body around its probe row (row 2,
 * see workbook.ts addProbeRow; a backup's own probe row), reading the style
 * ids of its cells: column j+1 carries column j's style, column width+1 the
 * text style.
 */
export function frameOf(xml: string, b: DeferredBody): SheetFrame {
  const probeRow = b.backup?.probeRow ?? 2;
  const start = xml.indexOf(`<row r="${probeRow}"`);
  const end = xml.indexOf("</sheetData>");
  if (start < 0 || end < start) throw new Error(`internal: no probe row in the sheet XML of ${b.sheet}`);
  const probe = xml.slice(start, end);
  const ids = new Map<string, number>();
  for (const m of probe.matchAll(/<c r="([A-Z]+)(\d+)"(?: s="(\d+)")?/g)) if (Number(m[2]) === probeRow) ids.set(m[1], Number(m[3] ?? 0));
  const styles = { cols: Array.from({ length: b.width }, (_, j) => ids.get(columnLetter(j)) ?? 0), text: ids.get(columnLetter(b.width)) ?? 0 };
  const extent = b.backup ? b.backup.extent : `A1:${columnLetter(b.width - 1)}${1 + b.rows.length}`;
  const head = extent ? xml.slice(0, start).replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${extent}"/>`) : xml.slice(0, start);
  const tail = b.backup ? withMerges(xml.slice(end), b.backup.mergeCells) : xml.slice(end);
  return { head, tail, styles };
}
