/**
 * The package parts an adoption by parts patches (decision 148): workbook.xml's sheet list (the ledger
 * at the adopted sheet's place under its name, the sheet itself renamed as the backup right after it,
 * the support sheets at the end; sheet-scoped names moved with their sheets), the workbook's rels,
 * [Content_Types].xml, and the shared strings with exceljs's appended.
 */
import { decodeAttr } from "../reader/xml-text";
import { sharedItems, xmlText } from "../sheet-xml";

export interface BookSheet {
  /** The `<sheet …/>` element as written, and its attributes (names as written, values decoded). */
  element: string;
  attrs: [string, string][];
  name: string;
  sheetId: number;
  rid: string;
  state?: string;
}

const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const attrsOf = (tag: string): [string, string][] => [...tag.matchAll(ATTR)].map((m) => [m[1], decodeAttr(m[2] ?? m[3])]);

/** The `<sheet>` elements of workbook.xml in order; undefined when one lacks a name, sheetId or r:id. */
export function bookSheets(xml: string): BookSheet[] | undefined {
  const list = /<sheets\b[^>]*>([\s\S]*?)<\/sheets>/.exec(xml);
  if (!list) return undefined;
  const out: BookSheet[] = [];
  for (const m of list[1].matchAll(/<sheet\b[^>]*?\/?>/g)) {
    const attrs = attrsOf(m[0].slice(6));
    const get = (k: string) => attrs.find(([a]) => a === k || a.endsWith(`:${k}`))?.[1];
    const name = get("name"),
      id = get("sheetId"),
      rid = attrs.find(([a]) => /^[\w.-]+:id$/.test(a))?.[1];
    if (name === undefined || id === undefined || rid === undefined) return undefined;
    out.push({ element: m[0], attrs, name, sheetId: Number(id), rid, ...(get("state") ? { state: get("state") } : {}) });
  }
  return out;
}

const element = (attrs: readonly [string, string][]) => `<sheet ${attrs.map(([a, v]) => `${a}="${xmlText(v)}"`).join(" ")}/>`;

export interface NewSheet {
  name: string;
  sheetId: number;
  rid: string;
  state?: string;
}

/**
 * workbook.xml with the ledger (`ledger`) put where `at` was, `at` renamed `backupName` after it, and
 * `support` appended; local defined names (print areas…) follow their sheets' new positions.
 */
export function patchWorkbook(
  xml: string,
  sheets: readonly BookSheet[],
  at: BookSheet,
  backupName: string,
  ledger: NewSheet,
  support: readonly NewSheet[],
): string {
  const prefix = at.attrs.find(([a]) => /^[\w.-]+:id$/.test(a))![0];
  const make = (s: NewSheet) =>
    element([["name", s.name], ["sheetId", String(s.sheetId)], ...(s.state ? [["state", s.state] as [string, string]] : []), [prefix, s.rid]]);
  const backup = element(at.attrs.map(([a, v]) => [a, a === "name" ? backupName : v]));
  const p = sheets.indexOf(at);
  let out = xml.replace(at.element, () => make(ledger) + backup);
  out = out.replace(/<\/sheets>/, () => support.map(make).join("") + "</sheets>");
  out = out.replace(/(<definedName\b[^>]*\blocalSheetId=")(\d+)"/g, (_m, head: string, n: string) => `${head}${Number(n) >= p ? Number(n) + 1 : n}"`);
  return renameInNames(out, at.name, backupName);
}

/** A sheet name as a formula writes it before `!`: quoted, a quote doubled (always quoted: it is never wrong). */
const quotedSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/**
 * Defined names (print areas, filters, named ranges) that name the adopted sheet name its backup instead, as
 * Excel renames them with the sheet (and as exceljs's path writes a print area: under the sheet's new name).
 */
function renameInNames(xml: string, name: string, backup: string): string {
  const to = xmlText(quotedSheet(backup)) + "!";
  const quoted = xmlText(quotedSheet(name)) + "!";
  const bare = /^[A-Za-z_\u0080-\uffff][\w.\u0080-\uffff]*$/.test(name) ? xmlText(name) + "!" : undefined;
  return xml.replace(/(<definedName\b[^>]*>)([^<]*)(<\/definedName>)/g, (_m, open: string, text: string, close: string) => {
    let t = text.split(quoted).join(to);
    if (bare) t = t.replace(new RegExp(`(^|[^\\w.\\u0080-\\uffff'])${bare.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "g"), (_x, pre: string) => pre + to);
    return open + t + close;
  });
}

const WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
export const SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings";

/** The workbook's rels with `added` relationships (Id, Type, Target relative to xl/). */
export function patchRels(xml: string, added: readonly { id: string; type?: string; target: string }[]): string {
  const rels = added.map((r) => `<Relationship Id="${r.id}" Type="${r.type ?? WORKSHEET}" Target="${xmlText(r.target)}"/>`).join("");
  const end = xml.lastIndexOf("</Relationships>");
  if (end < 0) throw new Error("internal: no </Relationships> in the workbook's rels");
  return xml.slice(0, end) + rels + xml.slice(end);
}

export const CONTENT = {
  sheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
  table: "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
  strings: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
};

/** [Content_Types].xml with an Override per added part (zip path without the leading slash). */
export function patchTypes(xml: string, added: readonly { part: string; type: string }[]): string {
  const end = xml.lastIndexOf("</Types>");
  if (end < 0) throw new Error("internal: no </Types> in [Content_Types].xml");
  return xml.slice(0, end) + added.map((o) => `<Override PartName="/${xmlText(o.part)}" ContentType="${o.type}"/>`).join("") + xml.slice(end);
}

/** How many `<si>` items a shared-strings part holds (its uniqueCount is not always written, nor always right). */
export function countItems(xml: Buffer): number {
  let n = 0;
  for (let at = xml.indexOf("<si", 0, "latin1"); at >= 0; at = xml.indexOf("<si", at + 3, "latin1")) {
    const next = xml[at + 3];
    if (next === 62 || next === 32 || next === 47 || next === 9 || next === 10 || next === 13) n++;
  }
  return n;
}

/** Items in exceljs's shared strings (text; none when the part is an empty `<sst/>`). */
export const countOurItems = (ours: string): number => (/<sst\b[^>]*\/>/.test(ours) ? 0 : (ours.match(/<si[\s>/]/g) ?? []).length);

/**
 * The shared strings written: the input's items (its part as bytes, or none) with exceljs's items and the
 * streamed texts' items after them, counts raised. Returns the new part's bytes.
 */
export function mergeStrings(input: Buffer | undefined, inputCount: number, ours: string, added: readonly string[], refs: number): Buffer {
  const items = /<sst\b[^>]*>([\s\S]*)<\/sst>/.exec(ours)?.[1] ?? "";
  const oursCount = countOurItems(ours);
  const oursRefs = Number(/\bcount="(\d+)"/.exec(ours)?.[1] ?? oursCount);
  const tail = Buffer.from(items + sharedItems(added) + "</sst>", "utf8");
  const unique = inputCount + oursCount + added.length;
  if (!input) {
    const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${oursRefs + refs}" uniqueCount="${unique}">`;
    return Buffer.concat([Buffer.from(head, "utf8"), tail]);
  }
  const open = input.indexOf("<sst", 0, "latin1");
  const openEnd = input.indexOf(">", open, "latin1");
  const close = input.lastIndexOf("</sst>", input.length, "latin1");
  if (open < 0 || openEnd < 0) throw new Error("internal: no <sst> in the shared strings");
  let tag = input.toString("utf8", open, openEnd + 1);
  const self = tag.endsWith("/>");
  if (!self && close < 0) throw new Error("internal: no </sst> in the shared strings");
  tag = tag.replace(/\/?>$/, ">").replace(/\s(count|uniqueCount)="\d*"/g, "");
  tag = tag.replace(/^<sst\b/, `<sst count="${inputCount + oursRefs + refs}" uniqueCount="${unique}"`);
  return Buffer.concat([input.subarray(0, open), Buffer.from(tag, "utf8"), self ? Buffer.alloc(0) : input.subarray(openEnd + 1, close), tail]);
}
