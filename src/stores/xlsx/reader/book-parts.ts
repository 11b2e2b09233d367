/**
 * The workbook's small parts read whole: relationships, workbook (sheet names, date1904), styles (which
 * cells are dates) and shared strings. Part of the fast reader.
 */
import { Buffer } from "buffer";
import { cellTooLong, LIMITS } from "../limits";
import { fromStoredText } from "../stored-text";
import { unsupported } from "./zip-read";
import { xmlDecode, isSpace, startsWithAt, readTag, scanXml, matchAt, skipSpace, sheetText } from "./xml-text";

export interface Rel {
  Id?: string;
  Target?: string;
}

/**
 * A relationship's target as a zip path: relative to the part's folder (what Excel writes,
 * "worksheets/sheet1.xml") or absolute from the package root (what openpyxl writes, "/xl/worksheets/sheet1.xml").
 */
export function resolveTarget(from: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = from.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/");
}

export function parseRels(b: Buffer): Rel[] {
  const rels: Rel[] = [];
  scanXml(
    b,
    {
      open(name, attrs) {
        if (name === "Relationship") rels.push(attrs);
        else if (name !== "Relationships") unsupported(`<${name}> in workbook rels`);
      },
    },
    "Relationships",
  );
  return rels;
}

export interface BookModel {
  /** `state`: "hidden" or "veryHidden" when Excel does not show the sheet. */
  sheets: { name: string; rId?: string; state?: string }[];
  date1904: boolean;
}

export function parseWorkbook(b: Buffer): BookModel {
  const model: BookModel = { sheets: [], date1904: false };
  let depth = 0;
  let inSheets = false;
  scanXml(
    b,
    {
      open(name, attrs) {
        depth++;
        if (depth === 2 && name === "workbookPr") model.date1904 = attrs.date1904 === "1";
        else if (depth === 2 && name === "sheets") inSheets = true;
        else if (depth === 3 && inSheets && name === "sheet") {
          if (attrs.name === undefined) unsupported("sheet without a name");
          const state = attrs.state === "hidden" || attrs.state === "veryHidden" ? attrs.state : undefined;
          model.sheets.push({ name: xmlDecode(attrs.name), rId: attrs["r:id"], ...(state ? { state } : {}) });
        }
      },
      close(name) {
        if (depth === 2 && name === "sheets") inSheets = false;
        depth--;
      },
    },
    "workbook",
  );
  return model;
}

/** exceljs's built-in number formats (defaultnumformats.js, the ids that have a format code). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: 'm/d/yy "h":mm',
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00 ;(#,##0.00)",
  40: "#,##0.00 ;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};

/** exceljs's utils.isDateFmt. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "");
  return /[ymdhMsb]+/.test(f);
}

/**
 * Per cellXfs index, whether its number format is a date format; `broken`
 * when a styles part has no cellXfs (exceljs then fails on any styled cell).
 */
export interface Styles {
  isDate: boolean[];
  broken: boolean;
  /** exceljs's StyleManager before any styles.xml: asked for its one style, it fails. */
  preset?: boolean;
}

/** exceljs's StyleManager before any styles.xml: one default style, no number format. */
export const DEFAULT_STYLES: Styles = { isDate: [false], broken: false, preset: true };

export function parseStyles(b: Buffer): Styles {
  const formats: Record<number, string> = {};
  const xfFormats: number[] = [];
  let depth = 0;
  let section = "";
  scanXml(
    b,
    {
      open(name, attrs) {
        depth++;
        if (depth === 2) section = name;
        else if (depth === 3 && section === "numFmts" && name === "numFmt") {
          if (attrs.formatCode === undefined) unsupported("numFmt without a formatCode");
          formats[parseInt(attrs.numFmtId, 10)] = attrs.formatCode.replace(/[\\](.)/g, "$1");
        } else if (depth === 3 && section === "cellXfs" && name === "xf") xfFormats.push(parseInt(attrs.numFmtId, 10));
      },
      close() {
        if (depth === 2) section = "";
        depth--;
      },
    },
    "styleSheet",
  );
  if (xfFormats.length === 0) return { isDate: [], broken: true };
  return {
    isDate: xfFormats.map((id) => (id ? isDateFormat(formats[id] || BUILTIN_FORMATS[id]) : false)),
    broken: false,
  };
}

/** Stored form → text, as exceljs's TextXform does (text.ts): one rule for every reader; within a cell's limit. */
function sharedString(t: string | null, index: number): string | null {
  const str = t === null ? null : fromStoredText(t);
  if (str !== null && str.length > LIMITS.cellChars) throw cellTooLong(`sharedStrings #${index}`, str.length);
  return str;
}
const SI_OPEN = Buffer.from("<si><t>");
const SI_OPEN_SPACE = Buffer.from('<si><t xml:space="preserve">');
const SI_EMPTY = Buffer.from("<si><t/></si>");
const SI_CLOSE = Buffer.from("</t></si>");

/**
 * The shared strings of a part where every item is one plain `<t>` (what
 * Excel, exceljs and LibreOffice write for unformatted text), read without
 * the general scanner's tag objects; undefined at the first thing of any
 * other shape, and the general scanner reads the part.
 */
function plainSharedStrings(b: Buffer): (string | null)[] | undefined {
  let p = skipSpace(b, 0);
  if (startsWithAt(b, "<?xml", p)) {
    const e = b.indexOf("?>", p, "latin1");
    if (e < 0) return undefined;
    p = skipSpace(b, e + 2);
  }
  if (!startsWithAt(b, "<sst", p) || !(isSpace(b[p + 4]) || b[p + 4] === 62)) return undefined;
  // The root's attributes are read (and refused when malformed) as the general scanner reads them.
  const root = readTag(b, p);
  if (root.selfClosing) return undefined;
  p = root.end;
  const out: (string | null)[] = [];
  for (;;) {
    p = skipSpace(b, p);
    if (matchAt(b, SI_OPEN, p)) p += SI_OPEN.length;
    else if (matchAt(b, SI_OPEN_SPACE, p)) p += SI_OPEN_SPACE.length;
    else if (matchAt(b, SI_EMPTY, p)) {
      out.push(null);
      p += SI_EMPTY.length;
      continue;
    } else break;
    const lt = b.indexOf(60, p);
    if (lt < 0 || !matchAt(b, SI_CLOSE, lt)) return undefined;
    out.push(sharedString(lt > p ? sheetText(b, p, lt) : null, out.length));
    p = lt + SI_CLOSE.length;
  }
  if (!startsWithAt(b, "</sst>", p) || skipSpace(b, p + 6) !== b.length) return undefined;
  return out;
}

/** Shared strings as plain values: null where exceljs caches null (the cell reads as empty). */
export function parseSharedStrings(b: Buffer): (string | null)[] {
  const plain = plainSharedStrings(b);
  if (plain) return plain;
  const out: (string | null)[] = [];
  let text: string | null = null;
  let runs: (string | null)[] = [];
  // What Excel shows: every <t> outside a phonetic reading (<rPh>, 拼音指南), runs concatenated.
  let inT = false;
  let inPh = false;
  scanXml(
    b,
    {
      open(name, _attrs, selfClosing) {
        if (name === "si") {
          runs = [];
          text = null;
        } else if (name === "t") inT = !selfClosing && !inPh;
        else if (name === "rPh") inPh = !selfClosing;
      },
      text(t) {
        if (inT) text = text ? text + t : t;
      },
      close(name) {
        if (name === "t") inT = false;
        else if (name === "rPh") inPh = false;
        else if (name === "r") {
          runs.push(text);
          text = null;
        } else if (name === "si") {
          out.push(sharedString(runs.length ? runs.map((r) => r ?? "").join("") + (text ?? "") : text, out.length));
          runs = [];
          text = null;
        }
      },
    },
    "sst",
  );
  return out;
}
