/**
 * A save in the workbench without exceljs (issue 26): the write's cells become XML in the parts that hold
 * them — the ledger's and the audit's rows in their sheets, new texts in the shared strings, the meta
 * sheet's rows, the tables' ranges — and every other byte of those parts stays as it was. The cells are
 * the ones XlsxStore writes for the same write (sheet-xml.ts's cell rules: same values, formulas with
 * cached results, text inline or shared as text.ts says); styles are the row's own, else its column's.
 *
 * What it does not do — a new Policy, columns, People, Evidence, generated sheets, formats for rows past
 * the formatted ones — throws PatchUnsupported before anything changes; the store then parses the file
 * as it is now with exceljs and writes there (stores/workbench/fast.ts). A save's parts are changed
 * together or not at all: texts are worked out first and committed last.
 */
import type { CellValue } from "../../domain/case";
import { cellDateToSerial } from "../../domain/dates";
import { DomainError } from "../../domain/errors";
import type { Policy } from "../../domain/policy/policy";
import type { LedgerData, LedgerWrite } from "../../ledger/store";
import { AUDIT_COLUMNS, columnLetter, columnNumber, SHEETS, TABLES, type LedgerColumn } from "../../ledger/workbook-layout";
import { serialToDateCell } from "../xlsx/cells";
import { computedValues, computeContext, columnsOfHeader, fileFormula, FORMAT_ROWS_KEY, isDateColumn } from "../xlsx/columns";
import { appendSharedStrings, numberCell, textCell, xmlText, type SharedText } from "../xlsx/sheet-xml";
import { CellTooLong } from "../xlsx/stored-text";
import { cellTooLong, checkRowsFit } from "../xlsx/limits";
import { relsPathOf, tableOfXml, tablePartsOfRels, type TablePlace } from "../xlsx/reader/table-parts";
import type { ZipParts } from "./zip-parts";
import { aroundStyle, SheetEdits, STYLE_MARK, type CellEdit } from "./sheet-splice";

/** This write needs exceljs: nothing was changed. */
export class PatchUnsupported extends Error {
  constructor(why: string) {
    super(`workbench save without exceljs unsupported: ${why}`);
    this.name = "PatchUnsupported";
  }
}
const no = (why: string): never => {
  throw new PatchUnsupported(why);
};

/** Where the ledger's parts are, found when the file was opened. */
export interface PatchPlaces {
  ledger: TablePlace;
  /** The ledger sheet's name as the workbook names it (an adopted ledger keeps its own): what a refusal names. */
  ledgerSheet: string;
  audit?: TablePlace;
  /** The meta sheet's part and its rows' keys by sheet row (as store.ts's setMeta finds them). */
  meta?: { path: string; rows: Map<string, number>; last: number };
}

const ROW_NO = /^<row r="(\d+)"/;

/** One cell of a row's XML: its column and its text. */
interface CellXml {
  col: number;
  style?: number;
  xml: string;
}

function cellsOf(rowXml: string): CellXml[] {
  const out: CellXml[] = [];
  for (const m of rowXml.matchAll(/<c\b[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)) {
    const r = /\br="([A-Z]+)\d+"/.exec(m[0]) ?? no("a cell without its reference");
    const s = /^<c\b[^>]*?\bs="(\d+)"/.exec(m[0]);
    out.push({ col: columnNumber(r[1]), style: s ? Number(s[1]) : undefined, xml: m[0] });
  }
  return out;
}

/** A worksheet's XML with rows replaced or added by number, the rest kept as it is. */
export class SheetXml {
  private lastRow = -1;
  constructor(public xml: string) {
    const data = xml.indexOf("<sheetData");
    if (data < 0) no("no <sheetData> (a prefixed worksheet)");
    const first = xml.indexOf("<row", data);
    if (first >= 0 && !xml.startsWith('<row r="', first)) no("a row without its number first");
  }

  /** [start, end) of row n, or where it would go (start === end). */
  private find(n: number): { start: number; end: number; found: boolean } {
    const at = this.xml.indexOf(`<row r="${n}"`);
    if (at >= 0) {
      const close = this.xml.indexOf(">", at);
      const end = this.xml[close - 1] === "/" ? close + 1 : this.xml.indexOf("</row>", close) + 6;
      return { start: at, end, found: true };
    }
    const stop = this.xml.indexOf("</sheetData>");
    if (stop < 0) {
      // <sheetData/>: no rows yet.
      const empty = this.xml.indexOf("<sheetData/>");
      return { start: empty, end: empty, found: false };
    }
    if (this.lastRow < 0 || n <= this.lastRow) {
      const last = this.xml.lastIndexOf("<row ", stop);
      this.lastRow = last < 0 ? 0 : Number(ROW_NO.exec(this.xml.slice(last, last + 24))?.[1] ?? 0);
    }
    if (n > this.lastRow) return { start: stop, end: stop, found: false };
    // Between rows (a blank row inside a table has no element): the first row numbered after n.
    const re = /<row r="(\d+)"/g;
    re.lastIndex = this.xml.indexOf("<sheetData");
    for (let m = re.exec(this.xml); m; m = re.exec(this.xml)) if (Number(m[1]) > n) return { start: m.index, end: m.index, found: false };
    return { start: stop, end: stop, found: false };
  }

  /** Row n's XML ("" when it has none). */
  row(n: number): string {
    const f = this.find(n);
    return f.found ? this.xml.slice(f.start, f.end) : "";
  }

  /** Sets row n's XML, replacing the row or adding it in its place. */
  setRow(n: number, rowXml: string): void {
    const f = this.find(n);
    if (!f.found && f.start === this.xml.indexOf("<sheetData/>")) {
      this.xml = this.xml.slice(0, f.start) + `<sheetData>${rowXml}</sheetData>` + this.xml.slice(f.start + 12);
    } else this.xml = this.xml.slice(0, f.start) + rowXml + this.xml.slice(f.end);
    if (!f.found && n > this.lastRow) this.lastRow = n;
  }
}

/** `<row r="n" …>` of an existing row (its attributes kept) around new cells; a new row gets a plain one. */
function rowWith(n: number, old: string, cells: CellXml[]): string {
  const open = old ? old.slice(0, old.indexOf(">") + 1).replace(/\/>$/, ">") : `<row r="${n}">`;
  cells.sort((a, b) => a.col - b.col);
  return open + cells.map((c) => c.xml).join("") + "</row>";
}

const styleAttr = (id: number | undefined) => (id ? ` s="${id}"` : "");

interface CellRules {
  date1904: boolean;
  shared: SharedText;
  /** The text ("@") style, when styles.xml has one. */
  textStyle?: number;
  sheet: string;
}

/** A serial as the file's date system stores it (exceljs's dateToExcel of serialToDateCell). */
const dateNumber = (serial: number, date1904: boolean) => 25569 + serialToDateCell(serial).getTime() / 86400000 - (date1904 ? 1462 : 0);

/** One value cell as XlsxStore (setLedgerCell / writeRows) writes it; undefined for a blank without a style. */
function valueCell(ref: string, s: number | undefined, v: CellValue, asDate: boolean, r: CellRules): string | undefined {
  if (v === null || v === undefined || v === "") return s ? `<c r="${ref}"${styleAttr(s)}/>` : undefined;
  if (v instanceof Date) return numberCell(ref, s ?? 0, dateNumber(cellDateToSerial(v), r.date1904));
  if (typeof v === "number") return numberCell(ref, s ?? 0, asDate ? dateNumber(v, r.date1904) : v);
  if (typeof v === "boolean") return `<c r="${ref}"${styleAttr(s)} t="b"><v>${v ? 1 : 0}</v></c>`;
  // A date column holding typed text keeps the text format, so Excel does not reinterpret it.
  return textCell(ref, (asDate ? r.textStyle : s) ?? s ?? 0, String(v), r.sheet, r.shared);
}

/** A computed column's cell: the formula and its cached result (sheet-xml.ts ledgerBodyWriter's form). */
function computedCell(ref: string, s: number | undefined, col: LedgerColumn, v: CellValue, r: CellRules): string {
  const f = `<f>${xmlText(fileFormula(col.computed!.formula))}</f>`;
  if (v === null || v === undefined || v === "") return `<c r="${ref}"${styleAttr(s)} t="str">${f}<v></v></c>`;
  if (typeof v === "number") return `<c r="${ref}"${styleAttr(s)}>${f}<v>${isDateColumn(col) ? dateNumber(v, r.date1904) : v}</v></c>`;
  return `<c r="${ref}"${styleAttr(s)} t="str">${f}<v>${xmlText(String(v))}</v></c>`;
}

/** What a save needs of the file and the ledger as read. */
export interface PatchContext {
  parts: ZipParts;
  places: PatchPlaces;
  data: LedgerData;
  policy: Policy;
  now: Date;
}

/** The new texts of one save, by part; nothing is committed until every part is worked out. */
class Staged {
  readonly texts = new Map<string, string>();
  readonly edits = new Map<string, SheetEdits>();
  private readonly sheets = new Map<string, SheetXml>();
  private strings?: { xml: string; base: number; added: Map<string, number>; refs: number };
  date1904 = false;
  textStyle?: number;

  constructor(private readonly parts: ZipParts) {}

  async sheet(path: string): Promise<SheetXml> {
    let s = this.sheets.get(path);
    if (!s) {
      const xml = (await this.parts.text(path)) ?? no(`no part ${path}`);
      this.sheets.set(path, (s = new SheetXml(xml)));
    }
    return s;
  }

  /** The cells this save sets in a big sheet (the ledger's, the audit's): spliced in as the sheet streams by. */
  cells(path: string): SheetEdits {
    let e = this.edits.get(path);
    if (!e) this.edits.set(path, (e = new SheetEdits()));
    return e;
  }

  async prepareStrings(): Promise<void> {
    const xml = await this.parts.text(SHARED_STRINGS);
    if (xml !== undefined) this.strings = { xml, base: (xml.match(/<si>|<si\s/g) ?? []).length, added: new Map(), refs: 0 };
  }

  /** A text's index in the shared strings, added at their end (a file without them: exceljs writes this save). */
  readonly shared: SharedText = (stored) => {
    const s = this.strings ?? no("text that must be shared, and no shared strings part");
    s.refs++;
    let i = s.added.get(stored);
    if (i === undefined) s.added.set(stored, (i = s.base + s.added.size));
    return i;
  };

  finish(): { texts: Map<string, string>; edits: Map<string, SheetEdits> } {
    for (const [path, s] of this.sheets) this.texts.set(path, s.xml);
    const s = this.strings;
    if (s?.added.size) this.texts.set(SHARED_STRINGS, appendStrings(s.xml, [...s.added.keys()], s.refs));
    return { texts: this.texts, edits: this.edits };
  }
}

const SHARED_STRINGS = "xl/sharedStrings.xml";

function appendStrings(xml: string, added: string[], refs: number): string {
  // A part the writer cannot extend is no error of the file: the save takes the exceljs way instead.
  if (xml.lastIndexOf("</sst>") < 0) no("shared strings without </sst>");
  return appendSharedStrings(xml, added, refs);
}

/** The first cellXfs entry whose number format is text (built-in 49, "@"). */
function textStyleOf(styles: string | undefined): number | undefined {
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles ?? "");
  if (!xfs) return undefined;
  let i = 0;
  for (const m of xfs[1].matchAll(/<xf\b[^>]*>/g)) {
    if (/\bnumFmtId="49"/.test(m[0])) return i;
    i++;
  }
  return undefined;
}

/** Which parts a write touches; anything else needs exceljs. */
export function patchable(w: LedgerWrite, data: LedgerData, places: PatchPlaces): boolean {
  if (w.policy || w.policyAppend?.length || w.columns?.length || w.people?.length || w.peopleUpdates?.length || w.evidence?.length) return false;
  if (w.audit?.length && !places.audit) return false;
  if (w.meta && Object.keys(w.meta).length && !places.meta) return false;
  if (w.appends?.length) {
    // Rows past the ones the ledger's validation and formats cover: XlsxStore formats more (exceljs).
    const covered = Number(data.meta[FORMAT_ROWS_KEY]) || 1;
    if (places.ledger.top + data.rows.length + w.appends.length > covered) return false;
  }
  return true;
}

/** A cell a save sets, as XlsxStore writes the value (setLedgerCell / writeRows); the style is found when the sheet streams by. */
function cellEdit(ref: string, v: CellValue, asDate: boolean, r: CellRules): CellEdit {
  if (v === null || v === undefined || v === "") return { ref };
  if (v instanceof Date) return { ref, xml: aroundStyle(numberCell(ref, STYLE_MARK, dateNumber(cellDateToSerial(v), r.date1904))) };
  if (typeof v === "number") return { ref, xml: aroundStyle(numberCell(ref, STYLE_MARK, asDate ? dateNumber(v, r.date1904) : v)) };
  if (typeof v === "boolean") return { ref, xml: aroundStyle(`<c r="${ref}" s="${STYLE_MARK}" t="b"><v>${v ? 1 : 0}</v></c>`) };
  // A date column holding typed text keeps the text format, so Excel does not reinterpret it.
  return {
    ref,
    xml: aroundStyle(textCell(ref, STYLE_MARK, String(v), r.sheet, r.shared)),
    ...(asDate && r.textStyle !== undefined ? { style: r.textStyle } : {}),
  };
}

/** A ledger row's cells: `cols` of them (the changed ones and the computed ones), as writeLedgerRows writes them. */
function ledgerCells(
  edits: SheetEdits,
  n: number,
  t: TablePlace,
  cols: LedgerColumn[],
  which: (j: number) => boolean,
  row: CellValue[],
  computed: Record<string, CellValue>,
  r: CellRules,
): void {
  cols.forEach((col, j) => {
    if (!col.computed && !which(j)) return;
    const ref = columnLetter(t.left + j - 1) + n;
    edits.set(
      n,
      t.left + j,
      col.computed ? { ref, xml: aroundStyle(computedCell(ref, STYLE_MARK, col, computed[col.key], r)) } : cellEdit(ref, row[j], isDateColumn(col), r),
    );
  });
}

/** A plain table row (Audit): writeRows's cells, Dates as ISO text, text columns formatted as text even when blank (sheet-xml.ts plainBodyWriter). */
function plainCells(edits: SheetEdits, n: number, t: TablePlace, row: CellValue[], textCols: boolean[], r: CellRules): void {
  for (let j = 0; j < t.width; j++) {
    const style = textCols[j] ? (r.textStyle ?? no("no text style for a text column")) : 0;
    const v = row[j];
    edits.set(n, t.left + j, { ...cellEdit(columnLetter(t.left + j - 1) + n, v instanceof Date ? v.toISOString() : v, false, r), style });
  }
}

/** Grows a table's range (and its filter's) to `bodyRows` body rows. */
async function growTable(st: Staged, parts: ZipParts, t: TablePlace, bodyRows: number): Promise<void> {
  const rels = (await parts.text(relsPathOf(t.sheet))) ?? "";
  for (const path of tablePartsOfRels(t.sheet, rels)) {
    const xml = st.texts.get(path) ?? (await parts.text(path));
    if (!xml || tableOfXml(xml)?.name.toLowerCase() !== t.name.toLowerCase()) continue;
    if (/\btotalsRowCount="[1-9]/.test(xml)) no("a table with a totals row");
    const ref = `${columnLetter(t.left - 1)}${t.top}:${columnLetter(t.left + t.width - 2)}${t.top + Math.max(1, bodyRows)}`;
    st.texts.set(
      path,
      xml.replace(/(<(?:[\w.-]+:)?(?:table|autoFilter)\b[^>]*?\bref=")[^"]*"/g, (_m, pre: string) => `${pre}${ref}"`),
    );
    return;
  }
  no(`no table part for ${t.name}`);
}

/** The meta sheet's rows for the keys set (setMeta: the key's row, else a new one at the end; values as text). */
function metaRows(
  sheet: SheetXml,
  places: NonNullable<PatchPlaces["meta"]>,
  values: Record<string, string>,
  r: CellRules,
): { rows: Map<string, number>; last: number } {
  const rows = new Map(places.rows);
  let last = places.last;
  for (const [k, v] of Object.entries(values)) {
    const n = rows.get(k) ?? ++last;
    rows.set(k, n);
    const old = sheet.row(n);
    const kept = cellsOf(old).filter((c) => c.col > 2);
    const styles = new Map(cellsOf(old).map((c) => [c.col, c.style]));
    const a = valueCell(`A${n}`, styles.get(1), k, false, r);
    const b = textCell(`B${n}`, styles.get(2) ?? r.textStyle ?? 0, v, r.sheet, r.shared);
    sheet.setRow(n, rowWith(n, old, [...kept, ...(a ? [{ col: 1, xml: a }] : []), { col: 2, xml: b }]));
  }
  return { rows, last };
}

/** What a patched save changed in the ledger data (applied by the store after the commit). */
export interface Patched {
  /** Ledger rows as XlsxStore reads them back (computed columns hold their new results), by body index. */
  rows: Map<number, CellValue[]>;
  appended: CellValue[][];
  audit: CellValue[][];
  meta: Record<string, string>;
  metaRows?: { rows: Map<string, number>; last: number };
}

/** Updates in place, as XlsxStore.write checks them (the same bilingual refusal). */
function checkUpdates(w: LedgerWrite, rows: number, width: number): void {
  for (const u of w.updates ?? []) {
    if (u.row < 0 || u.row >= rows || u.col < 0 || u.col >= width) {
      throw new DomainError(
        "BAD_WRITE",
        `第 ${u.row + 1} 行第 ${u.col + 1} 列不在台账表内`,
        `Row ${u.row + 1}, column ${u.col + 1} is outside the ledger table`,
      );
    }
  }
}

/** As the store reads a cell back: a ledger's Date as its serial, an audit row's as ISO text (writeRows). */
const readBack = (v: CellValue, ledger: boolean): CellValue =>
  v === undefined || v === "" ? null : v instanceof Date ? (ledger ? cellDateToSerial(v) : v.toISOString()) : v;

/**
 * Works the write out into new part texts and commits them: every part or none. `fail` (tests) runs
 * after the texts are worked out and before the commit, to prove a failure there changes nothing.
 */
export async function patchWrite(w: LedgerWrite, c: PatchContext, fail?: () => void): Promise<Patched> {
  const { parts, places, data } = c;
  if (!patchable(w, data, places)) no("the write changes more than cells, rows and meta");
  const st = new Staged(parts);
  await st.prepareStrings();
  st.date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test((await parts.text("xl/workbook.xml")) ?? "");
  st.textStyle = textStyleOf(await parts.text("xl/styles.xml"));
  const t = places.ledger;
  const cols = columnsOfHeader(data.header, c.policy);
  checkUpdates(w, data.rows.length, cols.length);
  // Rows past Excel's grid: refused before anything changes, as XlsxStore refuses them (limits.ts, decision 170).
  checkRowsFit(places.ledgerSheet, t.top + data.rows.length, w.appends?.length ?? 0);
  if (places.audit) checkRowsFit(SHEETS.audit, places.audit.top + data.auditRows.length, w.audit?.length ?? 0);
  const ctx = computeContext(data.header, c.policy, c.now);
  const out: Patched = { rows: new Map(), appended: [], audit: [], meta: {} };
  try {
    const rules = (sheet: string): CellRules => ({ date1904: st.date1904, shared: st.shared, textStyle: st.textStyle, sheet });
    const touched = new Map<number, CellValue[]>();
    for (const u of w.updates ?? []) {
      if (cols[u.col].computed) continue;
      const row = touched.get(u.row) ?? data.rows[u.row].slice();
      row[u.col] = u.value;
      touched.set(u.row, row);
    }
    const fill = (row: CellValue[]) => {
      const computed = cols.some((k) => k.computed) ? computedValues(row, ctx) : {};
      return { computed, back: cols.map((col, j) => readBack(col.computed ? (computed[col.key] ?? null) : row[j], true)) };
    };
    const appends = w.appends ?? [];
    if (touched.size || appends.length) {
      const sheet = st.cells(t.sheet);
      const r = rules(TABLES.ledger);
      for (const [i, row] of touched) {
        const n = t.top + 1 + i;
        const { computed, back } = fill(row);
        const changed = new Set((w.updates ?? []).filter((u) => u.row === i).map((u) => u.col));
        ledgerCells(sheet, n, t, cols, (j) => changed.has(j), row, computed, r);
        out.rows.set(i, back);
      }
      appends.forEach((row, k) => {
        const n = t.top + 1 + data.rows.length + k;
        const full = cols.map((_, j) => row[j] ?? null);
        const { computed, back } = fill(full);
        ledgerCells(sheet, n, t, cols, () => true, full, computed, r);
        out.appended.push(back);
      });
      if (appends.length) {
        const bottom = data.rows.length + appends.length;
        sheet.bottom = t.top + bottom;
        if (bottom > t.bodyRows) await growTable(st, parts, t, bottom);
      }
    }
    if (w.audit?.length) {
      const a = places.audit!;
      const sheet = st.cells(a.sheet);
      const textCols = AUDIT_COLUMNS.map((k) => k.key !== "seq");
      const from = data.auditRows.length;
      w.audit.forEach((row, k) => {
        plainCells(sheet, a.top + 1 + from + k, a, row, textCols, rules(SHEETS.audit));
        out.audit.push(Array.from({ length: a.width }, (_, j) => readBack(row[j], false)));
      });
      const bottom = from + w.audit.length;
      sheet.bottom = a.top + bottom;
      if (bottom > a.bodyRows) await growTable(st, parts, a, bottom);
    }
    if (w.meta && Object.keys(w.meta).length) {
      const m = places.meta!;
      out.metaRows = metaRows(await st.sheet(m.path), m, w.meta, rules(SHEETS.meta));
      Object.assign(out.meta, w.meta);
    }
  } catch (e) {
    if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
    throw e;
  }
  const { texts, edits } = st.finish();
  fail?.();
  parts.commit(texts, edits);
  return out;
}
