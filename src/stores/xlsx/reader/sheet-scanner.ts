/**
 * Worksheet XML scanned on its bytes, row by row, into the values exceljs's streaming reader gives
 * (SheetScanner, one small method per tag; SheetFeeder hands it windows that end after a </row>).
 * Part of the fast reader.
 */
import { Buffer } from "buffer";
import type { CellValue } from "../../../domain/case";
import { cellTooLong, LIMITS, outsideGrid } from "../limits";
import { fromStoredText } from "../stored-text";
import { unsupported } from "./zip-read";
import { xmlStart, decodeText, decodeAttr, isSpace, matchAt, sheetText } from "./xml-text";
import { type Styles } from "./book-parts";

/** A row as exceljs's `row.values.slice(1)` after plainValue: index = column - 1, holes where there is no value. */
/** `unresolved`: 0-based columns of the row's formula cells that carry no cached result (a script wrote them; nothing calculated them). */
export type RowSink = (rowNumber: number, values: CellValue[], unresolved?: readonly number[]) => boolean | void;

export interface SheetContext {
  strings: (string | null)[] | undefined;
  styles: Styles;
  date1904: boolean;
  keepDates: boolean;
  /** For messages. */
  sheet: string;
  /** A formula cell reads as "=" + its source instead of its cached result. */
  markFormulas?: boolean;
}

const ABSENT = Symbol("absent");
const CUR_NONE = 0;
const CUR_F = 1;
const CUR_V = 2;
const EXCEL_EPOCH = 25569;
const MS_PER_DAY = 86400000;
/** A Date holds at most ±8.64e15 ms; beyond, it is invalid. */
const MAX_DATE_MS = 8.64e15;
/** dateCellToSerial(new Date(ms)), to the second. */
const serialOfMs = (ms: number) => Math.round((ms / MS_PER_DAY + EXCEL_EPOCH) * 86400) / 86400;

/** The value exceljs's streaming reader gives a cell, through plainValue; ABSENT when it has none. */
function cellValue(hasF: boolean, fText: boolean, v: string | null, t: string | undefined, isDate: boolean, ctx: SheetContext): CellValue | typeof ABSENT {
  if (hasF) {
    if (v === null) return null;
    // A formula's cached error (#DIV/0!) is what Excel shows, not a blank (exceljs gives it as { error }).
    if (t === "e") return v;
    const result = t === "str" ? v : parseFloat(v);
    // A written-out formula is a FormulaValue, whose value drops a falsy result; a shared one (empty <f/>) keeps it.
    if (fText) return result || null;
    return result === "" ? null : result;
  }
  if (v === null) return ABSENT;
  switch (t) {
    case "s": {
      const strings = ctx.strings;
      if (!strings) return unsupported("shared string cell without a shared strings part");
      const str = strings[parseInt(v, 10)];
      return str === undefined || str === null ? ABSENT : str;
    }
    case "inlineStr":
    case "str": {
      // A formula's string result (str) is not in the stored form; an inline string is.
      // Decoded once, as Excel reads them: the XML parser's decoding is all (`&amp;lt;` shows as `&lt;`).
      const str = t === "inlineStr" ? fromStoredText(v) : v;
      if (str.length > LIMITS.cellChars) throw cellTooLong(ctx.sheet, str.length);
      return str === "" ? null : str;
    }
    case "e":
      return v;
    case "b":
      return parseInt(v, 10) !== 0;
    default: {
      const num = parseFloat(v);
      if (!isDate) return num;
      // exceljs's Date, and plainValue's serial of it, worked out without a Date object per cell.
      const ms = Math.round((num - EXCEL_EPOCH + (ctx.date1904 ? 1462 : 0)) * MS_PER_DAY);
      if (!(Math.abs(ms) <= MAX_DATE_MS)) return null;
      return ctx.keepDates ? new Date(ms) : serialOfMs(ms);
    }
  }
}

/** exceljs styles a cell when its s is a non-zero number naming an existing xf; otherwise the row's style stands. */
function cellStyleDate(styles: Styles, id: number, fallback: boolean): boolean {
  if (!id) return fallback;
  if (styles.broken) unsupported("styled cell without cellXfs");
  const d = styles.isDate[id];
  return d === undefined ? fallback : d;
}

/** A row takes any non-empty s (s="0" included) that names an existing xf. */
function rowStyleDate(styles: Styles, raw: string): boolean {
  if (raw === "") return false;
  if (styles.broken) unsupported("styled row without cellXfs");
  const d = styles.isDate[parseInt(raw, 10)];
  if (d !== undefined && styles.preset) unsupported("styled row read before styles.xml");
  return d === true;
}

/** The number a run of 1–15 ASCII digits spells (exactly what parseInt and parseFloat give), or -1. */
function digitsAt(b: Buffer, x0: number, x1: number): number {
  if (x1 <= x0 || x1 - x0 > 15) return -1;
  let num = 0;
  for (let i = x0; i < x1; i++) {
    const ch = b[i];
    if (ch < 48 || ch > 57) return -1;
    num = num * 10 + (ch - 48);
  }
  return num;
}

/** Column number of a cell reference like "AB12"; 0 when it is not one. */
function columnOf(b: Buffer, x0: number, x1: number): number {
  let col = 0;
  let i = x0;
  for (; i < x1; i++) {
    const ch = b[i];
    if (ch < 65 || ch > 90) break;
    col = col * 26 + ch - 64;
  }
  if (i === x0 || i - x0 > 3 || i === x1) return 0;
  for (let j = i; j < x1; j++) {
    const ch = b[j];
    if (ch < 48 || ch > 57) return 0;
  }
  return col;
}
/** An attribute value from its byte range, decoded only when it needs it. */
function attrAt(b: Buffer, x0: number, x1: number): string {
  for (let i = x0; i < x1; i++) {
    const ch = b[i];
    if (ch >= 0x80 || ch === 38 || ch === 60 || ch < 0x20) return decodeAttr(b.toString("utf8", x0, x1));
  }
  return b.toString("latin1", x0, x1);
}

/** parseInt of an attribute, read from its bytes when it is a plain run of digits. */
const intAttr = (b: Buffer, x0: number, x1: number): number => {
  const num = digitsAt(b, x0, x1);
  return num >= 0 ? num : parseInt(attrAt(b, x0, x1), 10);
};

/** Whether the & at i starts one of the five named entities. */
function isNamedEntity(b: Buffer, i: number, x1: number): boolean {
  let end = i + 1;
  while (end < x1 && end - i <= 5 && b[end] !== 59) end++;
  if (end >= x1 || b[end] !== 59) return false;
  const name = b.toString("latin1", i + 1, end);
  return name === "amp" || name === "lt" || name === "gt" || name === "quot" || name === "apos";
}

/**
 * Text whose value is not needed (a formula, white space between tags): only
 * checked for what would stop an XML parser — forbidden characters (U+FFFE/
 * U+FFFF as UTF-8 bytes), "]]>", entities other than the five named ones.
 */
function checkText(b: Buffer, x0: number, x1: number): void {
  for (let i = x0; i < x1; i++) {
    const ch = b[i];
    const trouble =
      (ch < 0x20 && ch !== 9 && ch !== 10 && ch !== 13) ||
      (ch === 0xef && b[i + 1] === 0xbf && (b[i + 2] === 0xbe || b[i + 2] === 0xbf) && i + 2 < x1) ||
      (ch === 93 && b[i + 1] === 93 && b[i + 2] === 62 && i + 2 < x1) ||
      (ch === 38 && !isNamedEntity(b, i, x1));
    if (trouble) {
      decodeText(b.toString("utf8", x0, x1));
      return;
    }
  }
}

const INLINE_STR = Buffer.from("inlineStr");

/**
 * Short texts a sheet repeats (labels, names, yes/no typed as text in
 * inline strings) decoded once: a table of recent texts by a hash of their
 * bytes, each slot holding one text's bytes and its string. A text that is
 * not in its slot is decoded and takes the slot; memory is fixed.
 */
class RecentTexts {
  private static readonly SLOTS = 4096;
  private static readonly WIDTH = 32;
  private readonly bytes = new Uint8Array(RecentTexts.SLOTS * RecentTexts.WIDTH);
  private readonly lens = new Int32Array(RecentTexts.SLOTS).fill(-1);
  private readonly strs: string[] = new Array<string>(RecentTexts.SLOTS).fill("");

  text(b: Buffer, x0: number, x1: number): string {
    const len = x1 - x0;
    if (len > RecentTexts.WIDTH) return sheetText(b, x0, x1);
    let h = 0x811c9dc5;
    for (let i = x0; i < x1; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const slot = (h >>> 0) & (RecentTexts.SLOTS - 1);
    const at = slot * RecentTexts.WIDTH;
    const bytes = this.bytes;
    if (this.lens[slot] === len) {
      let i = 0;
      while (i < len && bytes[at + i] === b[x0 + i]) i++;
      if (i === len) return this.strs[slot];
    }
    const str = sheetText(b, x0, x1);
    for (let i = 0; i < len; i++) bytes[at + i] = b[x0 + i];
    this.lens[slot] = len;
    this.strs[slot] = str;
    return str;
  }
}

/** The `t` attribute of a cell: the usual types without a string cut out of the chunk. */
function cellType(b: Buffer, x0: number, x1: number): string {
  const len = x1 - x0;
  const c = b[x0];
  if (len === 1) {
    if (c === 115) return "s";
    if (c === 110) return "n";
    if (c === 98) return "b";
    if (c === 101) return "e";
  } else if (len === 3 && c === 115 && b[x0 + 1] === 116 && b[x0 + 2] === 114) return "str";
  else if (len === 9 && matchAt(b, INLINE_STR, x0)) return "inlineStr";
  return attrAt(b, x0, x1);
}

const V_CLOSE = Buffer.from("</v></c>");
const IS_OPEN = Buffer.from("<is><t>");
const IS_OPEN_SPACE = Buffer.from('<is><t xml:space="preserve">');
const IS_CLOSE = Buffer.from("</t></is></c>");

/**
 * A worksheet part scanned from its bytes, window by window (each ends right
 * after a `</row>`, or at the end of the part): cells inside rows inside
 * sheetData, with exceljs's rules for which text lands in a cell's value.
 * Nothing is decoded but the values the rows carry; the state of the open
 * row and cell lives in fields, so each step is its own small method.
 */
class SheetScanner {
  /** Per column, the last formula text found well-formed (a column's formula is usually the same on every row). */
  private readonly okFormula: (Buffer | undefined)[] = [];
  sawRoot = false;
  private inRows = false;
  private lastRow = 0;
  /** Rows met so far. */
  private rows = 0;
  /** False once the sink has stopped. */
  going = true;
  private b: Buffer = Buffer.from([]);
  // the open row
  private rowOpen = false;
  private rowNo = 0;
  private rowDate = false;
  private vals: CellValue[] = [];
  private lastCol = 0;
  // the open cell
  private inCell = false;
  private col = 0;
  private cellT: string | undefined;
  private cellDate = false;
  private hasF = false;
  private fText = false;
  private fSource: string | undefined;
  private vText: string | null = null;
  private unresolved: number[] = [];
  /** The value's first text, kept as a byte range until it is needed (most values are one short run of digits). */
  private vA = -1;
  private vB = -1;
  /** Inside a phonetic reading (`<rPh>`) of the current cell. */
  private inPh = false;
  private cur = CUR_NONE;
  // the attributes of the tag being read that matter (r, s, t), as byte ranges
  private r0 = -1;
  private r1 = -1;
  private s0 = -1;
  private s1 = -1;
  private t0 = -1;
  private t1 = -1;
  private selfClosing = false;
  /** End of the open tag's name. */
  private nameEnd = 0;
  private readonly texts = new RecentTexts();

  constructor(
    private readonly ctx: SheetContext,
    private readonly sink: RowSink,
  ) {}

  /** Scans one window (a Buffer of exactly the window's bytes). */
  scan(b: Buffer): void {
    this.b = b;
    const n = b.length;
    let p = 0;
    while (p < n && this.going) {
      // Tags mostly follow one another directly; a short loop beats indexOf's call for the usual few bytes.
      let lt = p;
      if (b[lt] !== 60) {
        lt++;
        while (lt < n && lt - p < 16 && b[lt] !== 60) lt++;
        if (lt >= n || b[lt] !== 60) lt = b.indexOf(60, lt);
      }
      const textEnd = lt < 0 ? n : lt;
      if (textEnd > p) this.text(p, textEnd);
      if (lt < 0) break;
      const c1 = b[lt + 1];
      if (c1 === 47) p = this.closeTag(lt);
      else if (c1 === 63) {
        // processing instruction
        const e = b.indexOf("?>", lt + 2, "latin1");
        if (e < 0) unsupported("truncated worksheet");
        p = e + 2;
      } else if (c1 === 33) unsupported("comment, CDATA or DTD in a worksheet");
      else p = this.openTag(lt);
    }
    if (this.going && (this.inCell || this.rowOpen)) unsupported("worksheet chunk ends inside a row");
  }

  /** Character data between tags: a value's text, a formula's, or white space that only has to be well-formed. */
  private text(p: number, end: number): void {
    const b = this.b;
    if (this.cur === CUR_V) {
      if (this.vText === "" && this.vA < 0) {
        this.vA = p;
        this.vB = end;
      } else {
        this.takeValueRange();
        this.vText = (this.vText ?? "") + sheetText(b, p, end);
      }
    } else if (this.cur === CUR_F) {
      this.fText = true;
      if (this.ctx.markFormulas) this.fSource = (this.fSource ?? "") + sheetText(b, p, end);
      const ok = this.okFormula[this.col];
      if (!ok || ok.length !== end - p || !matchAt(b, ok, p)) {
        checkText(b, p, end);
        this.okFormula[this.col] = Buffer.from(b.subarray(p, end));
      }
    } else checkText(b, p, end);
  }

  /** A kept value range becomes text (a second text run follows, or the value is not a plain number). */
  private takeValueRange(): void {
    if (this.vA < 0) return;
    this.vText = sheetText(this.b, this.vA, this.vB);
    this.vA = -1;
  }

  /** `</…>`: only the ends of a cell, a row and sheetData matter. Returns where scanning goes on. */
  private closeTag(lt: number): number {
    const b = this.b;
    const n = b.length;
    let gt = lt + 2;
    while (gt < n && b[gt] !== 62) gt++;
    if (gt >= n) unsupported("truncated worksheet");
    const len = gt - lt - 2;
    const a = b[lt + 2];
    if (len === 1 && a === 99) this.cellClosed();
    else if (len === 1 && a === 116) {
      // </t>: the white space between rich text runs is no text.
      if (this.inCell && this.cur === CUR_V) this.cur = CUR_NONE;
    } else if (len === 3 && a === 114 && b[lt + 3] === 80 && b[lt + 4] === 104) this.inPh = false;
    else if (len === 3 && a === 114 && b[lt + 3] === 111 && b[lt + 4] === 119) {
      if (!this.rowOpen) unsupported("</row> without a row");
      if (this.inCell) unsupported("unclosed cell");
      this.emitRow();
    } else if (len === 9 && a === 115 && b.toString("latin1", lt + 2, gt) === "sheetData") {
      if (this.rowOpen) unsupported("unclosed row");
      this.inRows = false;
    } else if (len > 0 && b[gt - 1] <= 32) unsupported("space in a close tag");
    return gt + 1;
  }

  /** `</c>`: the cell's value into the row (a hole when it has none). */
  private cellClosed(): void {
    if (!this.inCell) return;
    const ctx = this.ctx;
    let value: CellValue | typeof ABSENT | undefined;
    if (this.vA >= 0) {
      // A plain run of digits: a shared-string index or a whole number, read without cutting a string out.
      const num = this.hasF ? -1 : digitsAt(this.b, this.vA, this.vB);
      if (num >= 0 && this.cellT === "s") {
        if (!ctx.strings) return unsupported("shared string cell without a shared strings part");
        const str = ctx.strings[num];
        value = str === undefined || str === null ? ABSENT : str;
        this.vA = -1;
      } else if (num >= 0 && !this.cellDate && (this.cellT === undefined || this.cellT === "n")) {
        value = num;
        this.vA = -1;
      } else if (this.cellT === "inlineStr") {
        this.vText = this.texts.text(this.b, this.vA, this.vB);
        this.vA = -1;
      } else this.takeValueRange();
    }
    // Where a value must be typed, not computed (the audit sheet), a formula shows as its source: it can never match a hash.
    if (this.hasF && ctx.markFormulas) value = `=${this.fSource ?? ""}`;
    // A formula with no <v> reads as blank, as exceljs reads it; the row also says which cells those were.
    if (value === undefined && this.hasF && this.vText === null) this.unresolved.push(this.col - 1);
    if (value === undefined) value = cellValue(this.hasF, this.fText, this.vText, this.cellT, this.cellDate, ctx);
    if (value !== ABSENT) this.vals[this.col - 1] = value;
    this.inCell = false;
    this.cur = CUR_NONE;
  }

  private emitRow(): void {
    this.rowOpen = false;
    const row = this.vals;
    this.vals = [];
    const unresolved = this.unresolved.length ? this.unresolved : undefined;
    if (unresolved) this.unresolved = [];
    if (this.sink(this.rowNo, row, unresolved) === false) this.going = false;
  }

  /** `<name attrs>` or `<name attrs/>`: the root, sheetData, a row, a cell or what a cell holds. Returns where scanning goes on. */
  private openTag(lt: number): number {
    const b = this.b;
    const p = this.readAttributes(lt);
    const nameLen = this.nameEnd - lt - 1;
    const a = b[lt + 1];
    if (!this.sawRoot) {
      if (nameLen !== 9 || b.toString("latin1", lt + 1, lt + 10) !== "worksheet") unsupported("root element is not <worksheet>");
      this.sawRoot = true;
    } else if (nameLen === 1) {
      if (a === 99) {
        this.cellOpened();
        if (this.inCell) return this.plainCellBody(p);
      } else if (this.inCell) this.cellPartOpened(a);
    } else if (nameLen === 2 && a === 105 && b[lt + 2] === 115) {
      // <is>: the value is its <t> runs; white space between its tags is not text.
      if (this.inCell) {
        this.valueOpened();
        this.cur = CUR_NONE;
      }
    } else if (nameLen === 3 && a === 114 && b[lt + 2] === 80 && b[lt + 3] === 104) {
      // <rPh>: a phonetic reading (拼音指南), which Excel does not show in the cell: its text is not the value.
      if (this.inCell && !this.selfClosing) {
        this.inPh = true;
        this.cur = CUR_NONE;
      }
    } else if (nameLen === 3 && a === 114 && b[lt + 2] === 111 && b[lt + 3] === 119) this.rowOpened();
    else if (nameLen === 9 && a === 115 && b.toString("latin1", lt + 1, lt + 10) === "sheetData") this.inRows = !this.selfClosing;
    return p;
  }

  /** Reads a tag's name and attributes (quote-aware), keeping the ranges of r, s and t; returns the position after > or />. */
  private readAttributes(lt: number): number {
    const b = this.b;
    const n = b.length;
    let i = lt + 1;
    let ch = b[i];
    while (i < n && !isSpace(ch) && ch !== 62 && ch !== 47) ch = b[++i];
    if (i === lt + 1) unsupported("malformed worksheet tag");
    this.nameEnd = i;
    this.r0 = this.s0 = this.t0 = -1;
    this.selfClosing = false;
    for (;;) {
      while (isSpace(ch)) ch = b[++i];
      if (ch === 62) return i + 1;
      if (ch === 47) {
        if (b[i + 1] !== 62) unsupported("malformed worksheet tag");
        this.selfClosing = true;
        return i + 2;
      }
      if (i >= n) unsupported("truncated worksheet");
      const an = i;
      while (i < n && ch !== 61 && !isSpace(ch) && ch !== 62 && ch !== 47) ch = b[++i];
      const anLen = i - an;
      while (isSpace(ch)) ch = b[++i];
      if (ch !== 61) unsupported("malformed worksheet attribute");
      ch = b[++i];
      while (isSpace(ch)) ch = b[++i];
      if (ch !== 34 && ch !== 39) unsupported("malformed worksheet attribute");
      let e = i + 1;
      while (e < n && b[e] !== ch) e++;
      if (e >= n) unsupported("truncated worksheet");
      if (anLen === 1) this.keepAttribute(b[an], i + 1, e);
      i = e + 1;
      ch = b[i];
    }
  }

  private keepAttribute(k: number, x0: number, x1: number): void {
    if (k === 114) {
      this.r0 = x0;
      this.r1 = x1;
    } else if (k === 115) {
      this.s0 = x0;
      this.s1 = x1;
    } else if (k === 116) {
      this.t0 = x0;
      this.t1 = x1;
    }
  }

  /** `<row>`: its number (r, else the next), its style, a fresh array of values. */
  private rowOpened(): void {
    const b = this.b;
    if (!this.inRows) unsupported("row outside sheetData");
    if (this.rowOpen) unsupported("nested row");
    // exceljs reads r with parseInt (a row without one is numbered NaN there; here it is the next row).
    const rowNo = this.r0 >= 0 ? intAttr(b, this.r0, this.r1) : this.lastRow + 1;
    // Rows only go down: past Excel's last row, or more rows than it has, is not a workbook Excel wrote.
    if (rowNo > LIMITS.rows || ++this.rows > LIMITS.rows) throw outsideGrid(this.ctx.sheet, { row: rowNo });
    this.rowNo = rowNo;
    this.lastRow = rowNo;
    this.rowDate = this.s0 >= 0 ? rowStyleDate(this.ctx.styles, attrAt(b, this.s0, this.s1)) : false;
    this.lastCol = 0;
    this.rowOpen = true;
    this.vals = [];
    if (this.selfClosing) this.emitRow();
  }

  /** `<c>`: its column (r, else the next), type and whether its style is a date. */
  private cellOpened(): void {
    const b = this.b;
    if (!this.rowOpen) unsupported("cell outside a row");
    if (this.inCell) unsupported("nested cell");
    let col: number;
    if (this.r0 >= 0) {
      col = columnOf(b, this.r0, this.r1);
      if (col === 0) {
        const ref = attrAt(b, this.r0, this.r1);
        col = /^[\x00-\x7f]*$/.test(ref) ? columnOf(Buffer.from(ref, "latin1"), 0, ref.length) : 0;
        if (col === 0) unsupported(`cell reference "${ref}"`);
      }
    } else col = this.lastCol + 1;
    if (col <= this.lastCol) unsupported("cells out of column order");
    if (col > LIMITS.columns) throw outsideGrid(this.ctx.sheet, this.r0 >= 0 ? attrAt(b, this.r0, this.r1) : { column: col });
    this.lastCol = col;
    this.col = col;
    this.cellT = this.t0 >= 0 ? cellType(b, this.t0, this.t1) : undefined;
    this.cellDate = this.s0 >= 0 ? cellStyleDate(this.ctx.styles, intAttr(b, this.s0, this.s1), this.rowDate) : this.rowDate;
    this.hasF = false;
    this.fText = false;
    this.vText = null;
    this.vA = -1;
    this.cur = CUR_NONE;
    this.inPh = false;
    this.inCell = !this.selfClosing;
  }

  /**
   * The bodies most cells have, `<v>text</v></c>` and an inline string's
   * `<is><t>text</t></is></c>` (`<t xml:space="preserve">` too), taken in one
   * step: the same steps as the tag by tag path (value opened, its text kept
   * as a range, cell closed). Anything else is left to that path. Returns
   * where scanning goes on.
   */
  private plainCellBody(p: number): number {
    const b = this.b;
    let close: Buffer;
    let start: number;
    if (b[p] === 60 && b[p + 1] === 118 && b[p + 2] === 62) {
      close = V_CLOSE;
      start = p + 3;
    } else if (matchAt(b, IS_OPEN, p)) {
      close = IS_CLOSE;
      start = p + IS_OPEN.length;
    } else if (matchAt(b, IS_OPEN_SPACE, p)) {
      close = IS_CLOSE;
      start = p + IS_OPEN_SPACE.length;
    } else return p;
    const n = b.length;
    let lt = start;
    while (lt < n && lt - start < 32 && b[lt] !== 60) lt++;
    if (lt < n && b[lt] !== 60) lt = b.indexOf(60, lt);
    if (lt < 0 || !matchAt(b, close, lt)) return p;
    this.valueOpened();
    if (lt > start) {
      this.vA = start;
      this.vB = lt;
    }
    this.cellClosed();
    return lt + close.length;
  }

  /** `<v>`, `<t>` or `<f>` inside a cell (other one-letter tags, such as a rich text run's `<r>`, change nothing). */
  private cellPartOpened(a: number): void {
    if (a === 118) this.valueOpened();
    else if (a === 116) {
      // <t>: an inline string's runs are one text (every <t> outside a phonetic reading, concatenated).
      if (this.inPh || this.selfClosing) return;
      if (this.vText === null) this.valueOpened();
      else this.cur = CUR_V;
    } else if (a === 102) {
      this.hasF = true;
      this.fText = false;
      this.fSource = undefined;
      this.cur = CUR_F;
    }
  }

  /** `<v>`, `<t>`, `<is>`: the value's text starts again. */
  private valueOpened(): void {
    this.vText = "";
    this.vA = -1;
    this.cur = CUR_V;
  }
}

/** Worksheet XML is scanned in windows of about this many bytes, each ending after a </row>. */
export const CHUNK = 1 << 22;

/**
 * Feeds inflated pieces of a worksheet to the scanner in windows of about
 * `chunk` bytes, each ending after a `</row>`: the scanner reads bytes (tags
 * and attributes are ASCII; text is decoded from UTF-8 where it is used), and
 * no UTF-8 sequence is cut.
 */
export class SheetFeeder {
  private readonly scanner: SheetScanner;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private first = true;
  stopped = false;

  constructor(
    ctx: SheetContext,
    sink: RowSink,
    private readonly chunk: number,
  ) {
    this.scanner = new SheetScanner(ctx, sink);
  }

  private scan(xml: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.scanner.scan(xml.subarray(from, to));
    if (!this.scanner.going) this.stopped = true;
  }

  /** One inflated piece; false once the sink has stopped. */
  push(piece: Buffer): boolean {
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes >= this.chunk) this.flush(false);
    return !this.stopped;
  }

  private flush(final: boolean): void {
    let xml = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let pos = 0;
    if (this.first) {
      pos = xmlStart(xml);
      this.first = false;
    }
    if (final) {
      this.scan(xml, pos, xml.length);
      return;
    }
    const cut = xml.lastIndexOf("</row>", xml.length, "latin1");
    if (cut < pos) {
      // No row ends in this much XML: keep it and wait (a row is far smaller than a window, unless hostile).
      this.pending = [xml.subarray(pos)];
      this.pendingBytes = this.pending[0].length;
      if (this.pendingBytes > 64 * Math.max(this.chunk, 1 << 16)) unsupported("a worksheet row longer than the scan window");
      return;
    }
    this.scan(xml, pos, cut + 6);
    if (!this.stopped && cut + 6 < xml.length) {
      // Copy the tail: a view would pin the whole window.
      xml = Buffer.from(xml.subarray(cut + 6));
      this.pending = [xml];
      this.pendingBytes = xml.length;
    }
  }

  end(): void {
    if (this.stopped) return;
    if (this.first && this.pendingBytes === 0) unsupported("empty worksheet part");
    this.flush(true);
    if (!this.stopped && !this.scanner.sawRoot) unsupported("empty worksheet part");
  }
}
