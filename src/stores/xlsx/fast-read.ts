/**
 * A fast, read-only path through an .xlsx file for the commands that only
 * look (check, report, verify-audit): Node's zlib inflates the zip entries
 * and hand-written indexOf scanners read the XML parts. It reproduces what
 * exceljs's streaming WorkbookReader + `plainValue` give (file.ts keeps that
 * reader as the fallback and as the reference the tests compare against):
 *
 * - sheets in the order exceljs emits them (zip order; sheets stored before
 *   the shared strings or the workbook rels come last), named through
 *   xl/workbook.xml + its rels as exceljs matches them;
 * - shared strings as exceljs's cache builds them (rich text runs joined;
 *   a `<t>` restarts the text, so a phonetic `<rPh>` reading wins, as there);
 * - cell values as exceljs's streaming worksheet reader makes them, then
 *   `plainValue`: date-formatted numbers (styles.xml cellXfs → numFmt,
 *   exceljs's isDateFmt, the row's style for unstyled cells, date1904) become
 *   serials, or Dates when `keepDates`; formula cells give their cached
 *   result (exceljs drops a falsy result of a written-out formula); booleans,
 *   errors, inline and formula strings (decoded once more, like exceljs);
 *   cells with no value are holes, as in exceljs's `row.values`.
 *
 * Where the two differ on purpose: text is decoded as one UTF-8 stream
 * (exceljs decodes each stream chunk on its own, which garbles a Chinese
 * character split between chunks of a large part: 83 signature cells of the
 * 50,000-case bench ledger), parts stored after the sheets are always read
 * (exceljs's reader now and then loses them when it parks sheets in
 * temporary files), and rows or cells without an `r` attribute take the next
 * number (exceljs numbers such a row NaN and fails on such a cell).
 *
 * Anything it does not understand — zip64, encryption, unusual compression,
 * non-UTF-8 XML, DTDs, comments or CDATA in a sheet, a prefixed
 * (namespaced) root element, cells out of column order, malformed or
 * truncated XML, undefined entities — throws FastReadUnsupported; the caller then reads
 * the file with exceljs, which gives its answer or its error as before.
 */
import { Buffer } from "buffer";
import * as zlib from "zlib";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { cellTooLong, LIMITS, outsideGrid, partTooBig, sizeLie, tooManyEntries, totalTooBig } from "./limits";
import { fromStoredText } from "./text";

/**
 * Inflates a zip entry's raw deflate bytes, piece by piece, into `onPiece`
 * (false stops). Injected where Node's zlib is absent: the browser
 * workbench passes one over `DecompressionStream("deflate-raw")`. Bounds
 * (never more than the entry declares) stay with the caller.
 */
export type Inflater = (raw: Uint8Array, onPiece: (piece: Uint8Array) => boolean | void) => Promise<void>;

/** The fast path cannot read this file faithfully: read it with exceljs instead. */
export class FastReadUnsupported extends Error {
  constructor(why: string) {
    super(`fast .xlsx read unsupported: ${why}`);
    this.name = "FastReadUnsupported";
  }
}

const unsupported = (why: string): never => {
  throw new FastReadUnsupported(why);
};

// ---------------------------------------------------------------- zip

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  csize: number;
  usize: number;
  offset: number;
}

/** Entries from the central directory, in the order they are stored (as a streaming unzip meets them). */
function zipEntries(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) unsupported("too short for a zip");
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) unsupported("no zip central directory");
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) unsupported("zip64");
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0) unsupported("multi-disk zip");
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) unsupported("zip64");
  if (cdOffset + cdSize > eocd) unsupported("central directory out of bounds");
  if (count > LIMITS.entries) throw tooManyEntries(count);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) unsupported("bad central directory entry");
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags,
      method: buf.readUInt16LE(p + 10),
      csize: buf.readUInt32LE(p + 20),
      usize: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLen),
    };
    if (entry.csize === 0xffffffff || entry.usize === 0xffffffff || entry.offset === 0xffffffff) unsupported("zip64");
    if (entry.usize > LIMITS.partBytes) throw partTooBig(entry.name, entry.usize, LIMITS.partBytes, true);
    out.push(entry);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  const total = out.reduce((n, e) => n + e.usize, 0);
  if (total > LIMITS.totalBytes) throw totalTooBig(total, LIMITS.totalBytes);
  return out.sort((a, b) => a.offset - b.offset);
}

/** The stored (compressed) bytes of an entry. */
function rawOf(buf: Buffer, e: ZipEntry): Buffer {
  if (e.flags & 0x41) unsupported(`encrypted entry ${e.name}`);
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) unsupported(`bad local header for ${e.name}`);
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  if (start + e.csize > buf.length) unsupported(`entry ${e.name} out of bounds`);
  if (e.method !== 0 && e.method !== 8) unsupported(`compression method ${e.method} of ${e.name}`);
  return buf.subarray(start, start + e.csize);
}

const isTooLarge = (err: unknown) => (err as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";

/** A part read whole (workbook, rels, styles, shared strings): never more than it declares, nor over the limit. */
function entryData(buf: Buffer, e: ZipEntry, limit: number = LIMITS.wholePartBytes): Buffer {
  if (e.usize > limit) throw partTooBig(e.name, e.usize, limit, true);
  const raw = rawOf(buf, e);
  let data: Buffer;
  if (e.method === 0) data = raw;
  else {
    try {
      // One output chunk of the announced size spares zlib collecting pieces; a zip that lies stops at its word.
      data = zlib.inflateRawSync(raw, { chunkSize: Math.max(64 * 1024, Math.min(e.usize, 1 << 30)), maxOutputLength: Math.max(1, e.usize) });
    } catch (err) {
      if (isTooLarge(err)) throw sizeLie(e.name);
      return unsupported(`cannot inflate ${e.name}: ${(err as Error).message}`);
    }
  }
  if (data.length !== e.usize) throw sizeLie(e.name);
  return data;
}

/**
 * Inflates an entry into `onPiece`, holding one piece (≤ 1 MB) at a time:
 * memory stays flat in the part's size. Never more than the entry declares.
 * `onPiece` returning false stops early.
 */
export async function inflatePieces(buf: Buffer, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void, inflate?: Inflater): Promise<void> {
  const raw = rawOf(buf, e);
  if (e.method === 0) {
    if (raw.length !== e.usize) throw sizeLie(e.name);
    onPiece(raw);
    return;
  }
  if (inflate) return injectedPieces(raw, e, onPiece, inflate);
  const z = zlib.createInflateRaw({ chunkSize: 1 << 20 });
  let total = 0;
  try {
    // The whole input is written at once; zlib inflates only as pieces are taken (backpressure), one at a time.
    z.end(raw);
    for await (const piece of z as AsyncIterable<Buffer>) {
      total += piece.length;
      if (total > e.usize) throw sizeLie(e.name);
      if (onPiece(piece) === false) return;
    }
  } catch (err) {
    if (err instanceof FastReadUnsupported || err instanceof DomainError) throw err;
    return unsupported(`cannot inflate ${e.name}: ${(err as Error).message}`);
  } finally {
    z.destroy();
  }
  if (total !== e.usize) throw sizeLie(e.name);
}

/** inflatePieces through an injected inflater, with the same bounds and errors as zlib's path. */
async function injectedPieces(raw: Buffer, e: ZipEntry, onPiece: (piece: Buffer) => boolean | void, inflate: Inflater): Promise<void> {
  let total = 0;
  let stopped = false;
  try {
    await inflate(raw, (p) => {
      total += p.length;
      if (total > e.usize) throw sizeLie(e.name);
      stopped = onPiece(Buffer.from(p.buffer, p.byteOffset, p.byteLength)) === false;
      return !stopped;
    });
  } catch (err) {
    if (err instanceof FastReadUnsupported || err instanceof DomainError) throw err;
    return unsupported(`cannot inflate ${e.name}: ${(err as Error)?.message ?? String(err)}`);
  }
  if (!stopped && total !== e.usize) throw sizeLie(e.name);
}

/** A part read whole through an injected inflater (entryData's asynchronous twin). */
async function entryDataWith(buf: Buffer, e: ZipEntry, inflate: Inflater, limit: number = LIMITS.wholePartBytes): Promise<Buffer> {
  if (e.usize > limit) throw partTooBig(e.name, e.usize, limit, true);
  const pieces: Buffer[] = [];
  await inflatePieces(buf, e, (p) => void pieces.push(p), inflate);
  const data = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
  if (data.length !== e.usize) throw sizeLie(e.name);
  return data;
}

/**
 * Inflates every entry only to count its bytes, holding one piece at a time:
 * run before a file goes to exceljs, which inflates without any bound.
 * Throws the limit error when the file would inflate to more than `limit`.
 */
export async function checkInflatedSize(buf: Buffer, limit: number): Promise<number> {
  const entries = zipEntries(buf);
  const declared = entries.reduce((n, e) => n + e.usize, 0);
  if (declared > limit) throw totalTooBig(declared, limit);
  let total = 0;
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    await inflatePieces(buf, e, (piece) => {
      total += piece.length;
    });
  }
  return total;
}

// ---------------------------------------------------------------- XML text

/** Byte offset where the XML text starts (after a UTF-8 BOM); non-UTF-8 parts are not ours. */
function xmlStart(data: Buffer): number {
  if (data.length >= 2 && ((data[0] === 0xfe && data[1] === 0xff) || (data[0] === 0xff && data[1] === 0xfe))) unsupported("UTF-16 XML");
  const start = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  const head = data.toString("latin1", start, Math.min(data.length, start + 200));
  if (head.startsWith("<?xml")) {
    const m = /encoding\s*=\s*["']([^"']*)["']/.exec(head.slice(0, head.indexOf("?>") + 1 || undefined));
    if (m && !/^utf-?8$/i.test(m[1])) unsupported(`XML encoding ${m[1]}`);
  }
  return start;
}

/** A part's XML text (after any BOM), for callers that want the text itself. */
const xmlString = (data: Buffer) => data.toString("utf8", xmlStart(data));

/** A part's XML bytes after any BOM. */
const xmlBytes = (data: Buffer) => data.subarray(xmlStart(data));

/** Characters XML 1.0 forbids (saxes, hence exceljs, stops on them), and what needs decoding. */
const SPECIAL_TEXT = /[&\r\]\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

function charRef(code: number): string {
  const ok =
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  if (!ok) unsupported(`character reference ${code}`);
  return String.fromCodePoint(code);
}

/** The XML predefined entities and character references; anything else is not ours. */
function decodeEntities(s: string): string {
  return s.replace(/&([^;&]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) unsupported("bare & in XML");
    switch (name) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    if (/^#[0-9]+$/.test(name)) return charRef(parseInt(name.slice(1), 10));
    if (/^#x[0-9a-fA-F]+$/.test(name)) return charRef(parseInt(name.slice(2), 16));
    return unsupported(`entity &${name};`);
  });
}

/** Character data as an XML parser reports it: line ends normalised, entities decoded. */
function decodeText(raw: string): string {
  if (!SPECIAL_TEXT.test(raw)) return raw;
  if (FORBIDDEN.test(raw)) unsupported("forbidden character in XML text");
  if (raw.includes("]]>")) unsupported("]]> in XML text");
  let s = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
  if (s.includes("&")) s = decodeEntities(s);
  return s;
}

/** An attribute value as an XML parser reports it (whitespace normalised, entities decoded). */
function decodeAttr(raw: string): string {
  if (raw.includes("<")) unsupported("< in an attribute value");
  if (FORBIDDEN.test(raw)) unsupported("forbidden character in an attribute value");
  let s = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n?/g, "\n").replace(/[\t\n]/g, " ") : raw;
  if (s.includes("&")) s = decodeEntities(s);
  return s;
}

/** exceljs's utils.xmlDecode, which it applies on top of the parser's decoding for some values. */
function xmlDecode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([a-z]*);/g, (c) => {
    switch (c) {
      case "&lt;":
        return "<";
      case "&gt;":
        return ">";
      case "&amp;":
        return "&";
      case "&apos;":
        return "'";
      case "&quot;":
        return '"';
      default:
        return c;
    }
  });
}

const isSpace = (ch: number) => ch === 32 || ch === 9 || ch === 10 || ch === 13;

interface XmlHandlers {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  text?(text: string): void;
  close?(name: string): void;
}

/** A name or raw value from its bytes: latin1 when ASCII (the usual case, no UTF-8 decoder), else UTF-8. */
function bytesText(b: Buffer, x0: number, x1: number): string {
  for (let i = x0; i < x1; i++) if (b[i] >= 0x80) return b.toString("utf8", x0, x1);
  return b.toString("latin1", x0, x1);
}

const startsWithAt = (b: Buffer, lit: string, at: number) => b.toString("latin1", at, at + lit.length) === lit;

/** An open tag read from `<`: its name, attributes (decoded), whether it closes itself, and where it ends. */
function readTag(b: Buffer, lt: number): { name: string; attrs: Record<string, string>; selfClosing: boolean; end: number } {
  const n = b.length;
  let i = lt + 1;
  let ch = b[i];
  while (i < n && !isSpace(ch) && ch !== 62 && ch !== 47) ch = b[++i];
  const name = bytesText(b, lt + 1, i);
  if (name === "") unsupported("malformed XML tag");
  const attrs: Record<string, string> = {};
  for (;;) {
    while (isSpace(ch)) ch = b[++i];
    if (ch === 62) return { name, attrs, selfClosing: false, end: i + 1 };
    if (ch === 47) {
      if (b[i + 1] !== 62) unsupported("malformed XML tag");
      return { name, attrs, selfClosing: true, end: i + 2 };
    }
    if (i >= n) unsupported("truncated XML");
    const a0 = i;
    while (i < n && ch !== 61 && !isSpace(ch) && ch !== 62 && ch !== 47) ch = b[++i];
    const an = bytesText(b, a0, i);
    while (isSpace(ch)) ch = b[++i];
    if (ch !== 61) unsupported("malformed XML attribute");
    ch = b[++i];
    while (isSpace(ch)) ch = b[++i];
    if (ch !== 34 && ch !== 39) unsupported("malformed XML attribute");
    const e = b.indexOf(ch, i + 1);
    if (e < 0) unsupported("truncated XML");
    attrs[an] = decodeAttr(bytesText(b, i + 1, e));
    i = e + 1;
    ch = b[i];
  }
}

/**
 * A small SAX-like scanner for the little parts (workbook, rels, styles,
 * shared strings), on their bytes: each text is decoded on its own, so no
 * string of the whole part is made (nor kept alive by the slices of it that
 * a strings table would hold). Events follow saxes: a self-closing tag is an
 * open and a close; comments, CDATA and processing instructions report no text.
 */
function scanXml(b: Buffer, h: XmlHandlers, root: string): void {
  let p = 0;
  let depth = 0;
  let sawRoot = false;
  const n = b.length;
  while (p < n) {
    const lt = b.indexOf(60, p);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > p) {
      const t = decodeText(bytesText(b, p, textEnd));
      if (h.text) h.text(t);
    }
    if (lt < 0) break;
    const c1 = b[lt + 1];
    if (c1 === 47) {
      // </name>
      const gt = b.indexOf(62, lt + 2);
      if (gt < 0) unsupported("truncated XML");
      const name = bytesText(b, lt + 2, gt).trimEnd();
      if (--depth < 0) unsupported("unbalanced XML");
      if (h.close) h.close(name);
      p = gt + 1;
    } else if (c1 === 63) {
      // <?pi?>
      const e = b.indexOf("?>", lt + 2, "latin1");
      if (e < 0) unsupported("truncated XML");
      p = e + 2;
    } else if (c1 === 33) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE
      if (startsWithAt(b, "<!--", lt)) {
        const e = b.indexOf("-->", lt + 4, "latin1");
        if (e < 0) unsupported("truncated XML comment");
        p = e + 3;
      } else if (startsWithAt(b, "<![CDATA[", lt)) {
        const e = b.indexOf("]]>", lt + 9, "latin1");
        if (e < 0) unsupported("truncated CDATA");
        p = e + 3;
      } else return unsupported("DTD in XML");
    } else {
      const tag = readTag(b, lt);
      if (!sawRoot) {
        if (tag.name !== root) unsupported(`root element <${tag.name}>, not <${root}>`);
        sawRoot = true;
      }
      depth++;
      h.open(tag.name, tag.attrs, tag.selfClosing);
      if (tag.selfClosing) {
        depth--;
        if (h.close) h.close(tag.name);
      }
      p = tag.end;
    }
  }
  if (!sawRoot) unsupported(`no <${root}>`);
  if (depth !== 0) unsupported("unclosed XML elements");
}

// ---------------------------------------------------------------- workbook parts

interface Rel {
  Id?: string;
  Target?: string;
}

function parseRels(b: Buffer): Rel[] {
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

interface BookModel {
  sheets: { name: string; rId?: string }[];
  date1904: boolean;
}

function parseWorkbook(b: Buffer): BookModel {
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
          model.sheets.push({ name: xmlDecode(attrs.name), rId: attrs["r:id"] });
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
interface Styles {
  isDate: boolean[];
  broken: boolean;
  /** exceljs's StyleManager before any styles.xml: asked for its one style, it fails. */
  preset?: boolean;
}

/** exceljs's StyleManager before any styles.xml: one default style, no number format. */
const DEFAULT_STYLES: Styles = { isDate: [false], broken: false, preset: true };

function parseStyles(b: Buffer): Styles {
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

/** Whether the bytes at `at` are `lit` (a loop: cheaper than Buffer.compare's call for short literals, and the workbench's Buffer has none). */
function matchAt(b: Buffer, lit: Buffer, at: number): boolean {
  if (at + lit.length > b.length) return false;
  for (let i = 0; i < lit.length; i++) if (b[at + i] !== lit[i]) return false;
  return true;
}
const skipSpace = (b: Buffer, p: number) => {
  while (p < b.length && isSpace(b[p])) p++;
  return p;
};
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
function parseSharedStrings(b: Buffer): (string | null)[] {
  const plain = plainSharedStrings(b);
  if (plain) return plain;
  const out: (string | null)[] = [];
  let text: string | null = null;
  let runs: (string | null)[] = [];
  scanXml(
    b,
    {
      open(name) {
        if (name === "si") {
          runs = [];
          text = null;
        } else if (name === "t") text = null;
      },
      text(t) {
        text = text ? text + t : t;
      },
      close(name) {
        if (name === "r") {
          runs.push(text);
          text = null;
        } else if (name === "si") {
          out.push(sharedString(runs.length ? runs.map((r) => r ?? "").join("") : text, out.length));
          runs = [];
          text = null;
        }
      },
    },
    "sst",
  );
  return out;
}

// ---------------------------------------------------------------- worksheets

/** A row as exceljs's `row.values.slice(1)` after plainValue: index = column - 1, holes where there is no value. */
export type RowSink = (rowNumber: number, values: CellValue[]) => boolean | void;

interface SheetContext {
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
    const result = t === "str" ? xmlDecode(v) : parseFloat(v);
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
      const str = t === "inlineStr" ? fromStoredText(xmlDecode(v)) : xmlDecode(v);
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

/** Bytes that make a worksheet text need decoding: & \r ] control characters, non-ASCII. */
function textNeedsDecoding(b: Buffer, x0: number, x1: number): boolean {
  for (let i = x0; i < x1; i++) {
    const ch = b[i];
    if (ch >= 0x80 || ch === 38 || ch === 93 || (ch < 0x20 && ch !== 9 && ch !== 10)) return true;
  }
  return false;
}

/** Worksheet text as an XML parser reports it: ASCII as is, the rest UTF-8 decoded, line ends and entities resolved. */
function sheetText(b: Buffer, x0: number, x1: number): string {
  return textNeedsDecoding(b, x0, x1) ? decodeText(b.toString("utf8", x0, x1)) : b.toString("latin1", x0, x1);
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
  /** The value's first text, kept as a byte range until it is needed (most values are one short run of digits). */
  private vA = -1;
  private vB = -1;
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
    if (value === undefined) value = cellValue(this.hasF, this.fText, this.vText, this.cellT, this.cellDate, ctx);
    if (value !== ABSENT) this.vals[this.col - 1] = value;
    this.inCell = false;
    this.cur = CUR_NONE;
  }

  private emitRow(): void {
    this.rowOpen = false;
    const row = this.vals;
    this.vals = [];
    if (this.sink(this.rowNo, row) === false) this.going = false;
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
      // <is>
      if (this.inCell) this.valueOpened();
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
    if (rowNo > LIMITS.rows || ++this.rows > LIMITS.rows) throw outsideGrid(this.ctx.sheet, `row ${rowNo}`);
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
    if (col > LIMITS.columns) throw outsideGrid(this.ctx.sheet, `${this.r0 >= 0 ? attrAt(b, this.r0, this.r1) : `column ${col}`}`);
    this.lastCol = col;
    this.col = col;
    this.cellT = this.t0 >= 0 ? cellType(b, this.t0, this.t1) : undefined;
    this.cellDate = this.s0 >= 0 ? cellStyleDate(this.ctx.styles, intAttr(b, this.s0, this.s1), this.rowDate) : this.rowDate;
    this.hasF = false;
    this.fText = false;
    this.vText = null;
    this.vA = -1;
    this.cur = CUR_NONE;
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
    if (a === 118 || a === 116) this.valueOpened();
    else if (a === 102) {
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
const CHUNK = 1 << 22;

/**
 * Feeds inflated pieces of a worksheet to the scanner in windows of about
 * `chunk` bytes, each ending after a `</row>`: the scanner reads bytes (tags
 * and attributes are ASCII; text is decoded from UTF-8 where it is used), and
 * no UTF-8 sequence is cut.
 */
class SheetFeeder {
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

// ---------------------------------------------------------------- the workbook

export interface FastSheet {
  /** Sheet name as exceljs's streaming reader reports it. */
  name: string;
  /** Zip path of the sheet part. */
  path: string;
}

interface SheetPlan extends FastSheet {
  entry: ZipEntry;
  styles: Styles;
  strings: (string | null)[] | undefined;
  date1904: boolean;
}

export interface FastReadOptions {
  /** Size of the pieces worksheet XML is scanned in (tests make it small to cross many piece ends). */
  chunkBytes?: number;
  /** Inflates instead of Node's zlib (the browser): open with `openAsync`, read with `streamRows`. */
  inflate?: Inflater;
}

/** The parts FastWorkbook.open reads whole before any sheet. */
const BOOK_PARTS = new Set(["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]);

const SHEET_PATH = /xl\/worksheets\/sheet(\d+)[.]xml/;

/** An .xlsx file opened for the fast read: its sheets, in the order exceljs's streaming reader gives them. */
export class FastWorkbook {
  private constructor(
    private readonly buf: Buffer,
    private readonly plans: SheetPlan[],
    private readonly chunk: number,
    private readonly entries: ZipEntry[],
    private readonly inflate?: Inflater,
  ) {}

  get sheets(): FastSheet[] {
    return this.plans.map(({ name, path }) => ({ name, path }));
  }

  /** Throws FastReadUnsupported for anything the fast path does not read like exceljs. */
  static open(buf: Buffer, opts: FastReadOptions = {}): FastWorkbook {
    if (opts.inflate) unsupported("an injected inflater needs openAsync");
    return FastWorkbook.plan(buf, zipEntries(buf), (e) => entryData(buf, e), opts);
  }

  /** `open` for an asynchronous injected inflater (`opts.inflate`): the workbook's own parts are inflated first. */
  static async openAsync(buf: Buffer, opts: FastReadOptions = {}): Promise<FastWorkbook> {
    if (!opts.inflate) return FastWorkbook.open(buf, opts);
    const entries = zipEntries(buf);
    const parts = new Map<string, Buffer>();
    for (const e of entries) if (BOOK_PARTS.has(e.name) && !parts.has(e.name)) parts.set(e.name, await entryDataWith(buf, e, opts.inflate));
    return FastWorkbook.plan(buf, entries, (e) => parts.get(e.name)!, opts);
  }

  private static plan(buf: Buffer, entries: ZipEntry[], part: (e: ZipEntry) => Buffer, opts: FastReadOptions): FastWorkbook {
    const names = new Set<string>();
    for (const e of entries) {
      if (names.has(e.name)) unsupported(`duplicate zip entry ${e.name}`);
      names.add(e.name);
    }
    if (!names.has("xl/workbook.xml") || !names.has("xl/_rels/workbook.xml.rels")) unsupported("no xl/workbook.xml or its rels");
    let rels: Rel[] | undefined;
    let book: BookModel | undefined;
    let strings: (string | null)[] | undefined;
    let styles = DEFAULT_STYLES;
    const now: SheetPlan[] = [];
    const later: { entry: ZipEntry; no: string }[] = [];
    const nameOf = (no: string): string => {
      const rel = (rels ?? []).find((r) => r.Target === `worksheets/sheet${no}.xml`);
      if (!rel) return `Sheet${no}`;
      if (!book) return unsupported("sheet before xl/workbook.xml");
      return book.sheets.find((sh) => sh.rId === rel.Id)?.name ?? `Sheet${no}`;
    };
    // The streaming reader's order: a sheet met once shared strings and rels are known is read at once,
    // with the styles known by then; the others wait in temporary files until the end of the zip.
    for (const entry of entries) {
      switch (entry.name) {
        case "xl/_rels/workbook.xml.rels":
          rels = parseRels(xmlBytes(part(entry)));
          break;
        case "xl/workbook.xml":
          book = parseWorkbook(xmlBytes(part(entry)));
          break;
        case "xl/sharedStrings.xml":
          strings = parseSharedStrings(xmlBytes(part(entry)));
          break;
        case "xl/styles.xml":
          styles = parseStyles(xmlBytes(part(entry)));
          break;
        default: {
          const m = SHEET_PATH.exec(entry.name);
          if (!m) break;
          if (strings && rels) {
            if (!book) unsupported("sheet read before xl/workbook.xml");
            now.push({ entry, path: entry.name, name: nameOf(m[1]), styles, strings, date1904: book!.date1904 });
          } else later.push({ entry, no: m[1] });
        }
      }
    }
    if (!book) return unsupported("no workbook model");
    const plans = [...now, ...later.map(({ entry, no }) => ({ entry, path: entry.name, name: nameOf(no), styles, strings, date1904: book!.date1904 }))];
    return new FastWorkbook(buf, plans, Math.max(1, opts.chunkBytes ?? CHUNK), entries, opts.inflate);
  }

  /** Names of the zip's entries (the workbench looks for table parts). */
  get partNames(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** A small part (a table, a sheet's rels) as XML text; undefined when the zip has no such entry. */
  async partText(name: string): Promise<string | undefined> {
    const e = this.entries.find((x) => x.name === name);
    if (!e) return undefined;
    return xmlString(this.inflate ? await entryDataWith(this.buf, e, this.inflate) : entryData(this.buf, e));
  }

  /**
   * Reads the rows of sheet `index` (an index into `sheets`) into `sink`,
   * which may return false to stop. Dates become serials unless `keepDates`.
   */
  readRows(index: number, keepDates: boolean, sink: RowSink, opts: { markFormulas?: boolean } = {}): void {
    const plan = this.plans[index];
    if (this.inflate) unsupported("an injected inflater reads with streamRows");
    const feed = new SheetFeeder(this.context(plan, keepDates, opts), sink, this.chunk);
    // Read whole (within the part limit): for the small sheets and the synchronous callers.
    feed.push(entryData(this.buf, plan.entry, LIMITS.partBytes));
    feed.end();
  }

  /** readRows, inflating as it scans: memory flat in the sheet's size (the ledger and audit sheets of a large file). */
  async streamRows(index: number, keepDates: boolean, sink: RowSink, opts: { markFormulas?: boolean } = {}): Promise<void> {
    const plan = this.plans[index];
    const feed = new SheetFeeder(this.context(plan, keepDates, opts), sink, this.chunk);
    await inflatePieces(this.buf, plan.entry, (piece) => feed.push(piece), this.inflate);
    feed.end();
  }

  private context(plan: SheetPlan, keepDates: boolean, opts: { markFormulas?: boolean }): SheetContext {
    return { strings: plan.strings, styles: plan.styles, date1904: plan.date1904, keepDates, sheet: plan.name, markFormulas: opts.markFormulas ?? false };
  }
}
