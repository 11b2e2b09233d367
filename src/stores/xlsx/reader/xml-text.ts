/**
 * XML text as a parser reports it, from bytes: BOM, entities and character references, attribute and
 * character-data decoding, and a small tag scanner for the workbook's small parts. Part of the fast reader.
 */
import { Buffer } from "buffer";
import { unsupported } from "./zip-read";

/** Byte offset where the XML text starts (after a UTF-8 BOM); non-UTF-8 parts are not ours. */
export function xmlStart(data: Buffer): number {
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
export const xmlString = (data: Buffer) => data.toString("utf8", xmlStart(data));

/** A part's XML bytes after any BOM. */
export const xmlBytes = (data: Buffer) => data.subarray(xmlStart(data));

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
export function decodeText(raw: string): string {
  if (!SPECIAL_TEXT.test(raw)) return raw;
  if (FORBIDDEN.test(raw)) unsupported("forbidden character in XML text");
  if (raw.includes("]]>")) unsupported("]]> in XML text");
  let s = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
  if (s.includes("&")) s = decodeEntities(s);
  return s;
}

/** An attribute value as an XML parser reports it (whitespace normalised, entities decoded). */
export function decodeAttr(raw: string): string {
  if (raw.includes("<")) unsupported("< in an attribute value");
  if (FORBIDDEN.test(raw)) unsupported("forbidden character in an attribute value");
  let s = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n?/g, "\n").replace(/[\t\n]/g, " ") : raw;
  if (s.includes("&")) s = decodeEntities(s);
  return s;
}

/** exceljs's utils.xmlDecode, which it applies on top of the parser's decoding for some values. */
export function xmlDecode(text: string): string {
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

export const isSpace = (ch: number) => ch === 32 || ch === 9 || ch === 10 || ch === 13;

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

export const startsWithAt = (b: Buffer, lit: string, at: number) => b.toString("latin1", at, at + lit.length) === lit;

/** An open tag read from `<`: its name, attributes (decoded), whether it closes itself, and where it ends. */
export function readTag(b: Buffer, lt: number): { name: string; attrs: Record<string, string>; selfClosing: boolean; end: number } {
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
export function scanXml(b: Buffer, h: XmlHandlers, root: string): void {
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

/** Whether the bytes at `at` are `lit` (a loop: cheaper than Buffer.compare's call for short literals, and the workbench's Buffer has none). */
export function matchAt(b: Buffer, lit: Buffer, at: number): boolean {
  if (at + lit.length > b.length) return false;
  for (let i = 0; i < lit.length; i++) if (b[at + i] !== lit[i]) return false;
  return true;
}
export const skipSpace = (b: Buffer, p: number) => {
  while (p < b.length && isSpace(b[p])) p++;
  return p;
};

/** Bytes that make a worksheet text need decoding: & \r ] control characters, non-ASCII. */
function textNeedsDecoding(b: Buffer, x0: number, x1: number): boolean {
  for (let i = x0; i < x1; i++) {
    const ch = b[i];
    if (ch >= 0x80 || ch === 38 || ch === 93 || (ch < 0x20 && ch !== 9 && ch !== 10)) return true;
  }
  return false;
}

/** Worksheet text as an XML parser reports it: ASCII as is, the rest UTF-8 decoded, line ends and entities resolved. */
export function sheetText(b: Buffer, x0: number, x1: number): string {
  return textNeedsDecoding(b, x0, x1) ? decodeText(b.toString("utf8", x0, x1)) : b.toString("latin1", x0, x1);
}
