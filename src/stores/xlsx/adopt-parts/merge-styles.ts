/**
 * The adopted workbook's styles.xml: the input's own, untouched in place (so every style index of the input's
 * sheets stays valid, the backup's included), with the styles exceljs wrote for the new sheets appended after
 * it — number formats renumbered past the input's, fonts, fills, borders, cell formats and differential formats
 * offset. The new sheets' XML is then remapped (`remapSheet`): `s`/`style` by `xf`, `dxfId` by `dxf`, shared
 * string indices by the input's count. Decision 148.
 */

/** A shape of the input the parts writer does not patch: the caller adopts through exceljs instead. */
export class PartsUnsupported extends Error {}

/** The items of a list element (`<fonts>` → each `<font>`), the element's bounds; undefined when the element is absent. */
interface List {
  /** Where the whole element starts and ends in the text. */
  start: number;
  end: number;
  items: string[];
}

function listOf(xml: string, list: string, item: string): List | undefined {
  const open = new RegExp(`<${list}\\b[^>]*?(/?)>`).exec(xml);
  if (!open) return undefined;
  const start = open.index;
  if (open[1] === "/") return { start, end: start + open[0].length, items: [] };
  const close = xml.indexOf(`</${list}>`, start);
  if (close < 0) throw new PartsUnsupported(`no </${list}>`);
  const inner = xml.slice(start + open[0].length, close);
  // Items do not nest in themselves (a <font> holds no <font>); a self-closing item is one item too.
  const items = [...inner.matchAll(new RegExp(`<${item}\\b(?:[^>]*?/>|[\\s\\S]*?</${item}>)`, "g"))].map((m) => m[0]);
  return { start, end: close + list.length + 3, items };
}

const listXml = (list: string, items: readonly string[]) => `<${list} count="${items.length}">${items.join("")}</${list}>`;

/** Rewrites the attributes `names` of every tag in `xml` (values are integers) through `map`. */
const mapAttrs = (xml: string, names: string, map: (name: string, n: number) => number) =>
  xml.replace(new RegExp(`\\b(${names})="(\\d+)"`, "g"), (_m, a: string, n: string) => `${a}="${map(a, Number(n))}"`);

export interface StyleMap {
  /** exceljs's cell format index → the merged one (0, no style, stays 0: a cell without a style reads the same). */
  xf: (n: number) => number;
  dxf: (n: number) => number;
}

/** Schema order of styleSheet's children: a missing list is put before the first of those after it. */
const ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"];

function putList(xml: string, list: string, items: readonly string[], item: string): string {
  const there = listOf(xml, list, item);
  if (there) return xml.slice(0, there.start) + listXml(list, items) + xml.slice(there.end);
  for (const next of ORDER.slice(ORDER.indexOf(list) + 1)) {
    const at = xml.search(new RegExp(`<${next}\\b`));
    if (at >= 0) return xml.slice(0, at) + listXml(list, items) + xml.slice(at);
  }
  const end = xml.lastIndexOf("</styleSheet>");
  if (end < 0) throw new PartsUnsupported("no </styleSheet>");
  return xml.slice(0, end) + listXml(list, items) + xml.slice(end);
}

/** The input's styles with exceljs's appended, and how exceljs's indices map into them. */
export function mergeStyles(input: string, ours: string): { xml: string; map: StyleMap } {
  if (!/<styleSheet\b/.test(input)) throw new PartsUnsupported("styles.xml's root is not <styleSheet>");
  const get = (xml: string, list: string, item: string) => listOf(xml, list, item)?.items ?? [];
  const inFonts = get(input, "fonts", "font"),
    inFills = get(input, "fills", "fill"),
    inBorders = get(input, "borders", "border"),
    inXfs = get(input, "cellXfs", "xf"),
    inDxfs = get(input, "dxfs", "dxf"),
    inFmts = get(input, "numFmts", "numFmt");
  if (!inFonts.length || !inFills.length || !inBorders.length || !inXfs.length)
    throw new PartsUnsupported("styles.xml lacks fonts, fills, borders or cell formats");
  // Custom number formats (164 on) get ids past the input's; built-in ones keep theirs.
  let next = Math.max(163, ...inFmts.map((f) => Number(/\bnumFmtId="(\d+)"/.exec(f)?.[1] ?? 0))) + 1;
  const fmtIds = new Map<number, number>();
  const fmts = get(ours, "numFmts", "numFmt").map((f) =>
    mapAttrs(f, "numFmtId", (_a, n) => {
      if (n < 164) return n;
      if (!fmtIds.has(n)) fmtIds.set(n, next++);
      return fmtIds.get(n)!;
    }),
  );
  const fmt = (n: number) => (n < 164 ? n : (fmtIds.get(n) ?? n));
  const off = { fontId: inFonts.length, fillId: inFills.length, borderId: inBorders.length };
  const xfs = get(ours, "cellXfs", "xf").map((x) =>
    mapAttrs(x, "fontId|fillId|borderId|numFmtId|xfId", (a, n) => (a === "numFmtId" ? fmt(n) : a === "xfId" ? 0 : n + off[a as keyof typeof off])),
  );
  const dxfs = get(ours, "dxfs", "dxf").map((d) => mapAttrs(d, "numFmtId", (_a, n) => fmt(n)));
  let xml = input;
  if (fmts.length) xml = putList(xml, "numFmts", [...inFmts, ...fmts], "numFmt");
  xml = putList(xml, "fonts", [...inFonts, ...get(ours, "fonts", "font")], "font");
  xml = putList(xml, "fills", [...inFills, ...get(ours, "fills", "fill")], "fill");
  xml = putList(xml, "borders", [...inBorders, ...get(ours, "borders", "border")], "border");
  xml = putList(xml, "cellXfs", [...inXfs, ...xfs], "xf");
  if (dxfs.length) xml = putList(xml, "dxfs", [...inDxfs, ...dxfs], "dxf");
  const base = inXfs.length,
    dxfBase = inDxfs.length;
  return { xml, map: { xf: (n) => (n ? base + n : 0), dxf: (n) => dxfBase + n } };
}

/**
 * A sheet exceljs wrote, its indices moved into the merged tables: cell, row and column styles, conditional
 * formats' dxfIds, shared-string cells' indices (+ `strings`, the input's count of shared strings).
 */
export function remapSheet(xml: string, map: StyleMap, strings: number): string {
  return xml
    .replace(/<(c|row)\b([^>]*?)(\/?)>/g, (_m, tag: string, attrs: string, self: string) => `<${tag}${mapAttrs(attrs, "s", (_a, n) => map.xf(n))}${self}>`)
    .replace(/<col\b[^>]*>/g, (t) => mapAttrs(t, "style", (_a, n) => map.xf(n)))
    .replace(/<(?:x14:)?cfRule\b[^>]*>/g, (t) => mapAttrs(t, "dxfId", (_a, n) => map.dxf(n)))
    .replace(/(<c\b[^>]*\bt="s"[^>]*>)<v>(\d+)<\/v>/g, (_m, open: string, n: string) => `${open}<v>${Number(n) + strings}</v>`);
}
