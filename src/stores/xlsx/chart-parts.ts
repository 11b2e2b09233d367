/**
 * Native charts in an .xlsx file (decision on issue 23): exceljs writes no charts, so after it has written the
 * workbook the chart parts are added to its zip — per chart `xl/charts/chartN.xml` (DrawingML: a bar, line or pie
 * chart over the sheet's own cells, with cached values so a viewer that does not recalculate still draws it), per
 * sheet one `xl/drawings/drawingN.xml` anchoring them with its `_rels`, the sheet's `<drawing r:id>` and
 * relationship, and the content types. The charts are a layout's (`ledger/generated-sheet.ts` LayoutChart: a block's
 * first `cols` columns, labels first; `secondaryLine` columns as a line on a secondary axis), the same spec the Excel
 * store hands to `worksheet.charts.add`.
 */
import { blockRows, chartSource, type LayoutChart, type SheetLayout } from "../../ledger/generated-sheet";
import { columnLetter } from "../../ledger/workbook-layout";
import { partText, ZipWriter, zipParts, type RawPart } from "./zip/zip-write";

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_CHART = `${NS_R}/chart`;
const REL_DRAWING = `${NS_R}/drawing`;
const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const esc = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // Characters XML 1.0 cannot hold at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");

/** `'Sheet name'!$A$2:$A$9` */
const ref = (sheet: string, col: number, first: number, last: number) =>
  `'${sheet.replace(/'/g, "''")}'!$${columnLetter(col)}$${first + 1}:$${columnLetter(col)}$${last + 1}`;

interface Series {
  name: string;
  nameRef: string;
  catRef: string;
  valRef: string;
  cats: string[];
  vals: (number | null)[];
}

/** The series of a chart from its layout: the block's header names them, its rows give the cached values. */
export function chartSeries(layout: SheetLayout, chart: LayoutChart): { series: Series[]; line: Series[] } | undefined {
  const src = chartSource(layout, chart);
  if (!src) return undefined;
  const b = layout.blocks[chart.block];
  const at = blockRows(b);
  const cats = b.rows.map((r) => (r[0] === null || r[0] === undefined ? "" : String(r[0])));
  const all: Series[] = [];
  const line: Series[] = [];
  for (let j = 1; j < chart.cols; j++) {
    const s: Series = {
      name: b.header?.[j] ?? "",
      nameRef: `'${layout.name.replace(/'/g, "''")}'!$${columnLetter(b.col + j)}$${at.header! + 1}`,
      catRef: ref(layout.name, b.col, at.first, at.last),
      valRef: ref(layout.name, b.col + j, at.first, at.last),
      cats,
      vals: b.rows.map((r) => (typeof r[j] === "number" && Number.isFinite(r[j]) ? (r[j] as number) : null)),
    };
    (chart.secondaryLine?.includes(j) ? line : all).push(s);
  }
  return { series: all, line };
}

const strCache = (xs: readonly string[]) =>
  `<c:strCache><c:ptCount val="${xs.length}"/>${xs.map((x, i) => `<c:pt idx="${i}"><c:v>${esc(x)}</c:v></c:pt>`).join("")}</c:strCache>`;
const numCache = (xs: readonly (number | null)[], fmt: string) =>
  `<c:numCache><c:formatCode>${esc(fmt)}</c:formatCode><c:ptCount val="${xs.length}"/>${xs
    .map((x, i) => (x === null ? "" : `<c:pt idx="${i}"><c:v>${x}</c:v></c:pt>`))
    .join("")}</c:numCache>`;

/** Colours of the series, in order (Office's default palette). */
const COLORS = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E"];

function serXml(s: Series, idx: number, kind: "bar" | "line" | "pie", fmt: string): string {
  const color = COLORS[idx % COLORS.length];
  const look =
    kind === "bar"
      ? `<c:spPr><a:solidFill><a:srgbClr val="${color}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>`
      : kind === "line"
        ? `<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="${color}"/></a:solidFill><a:round/></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>`
        : "";
  return (
    `<c:ser><c:idx val="${idx}"/><c:order val="${idx}"/><c:tx><c:strRef><c:f>${esc(s.nameRef)}</c:f>${strCache([s.name])}</c:strRef></c:tx>${look}` +
    `<c:cat><c:strRef><c:f>${esc(s.catRef)}</c:f>${strCache(s.cats)}</c:strRef></c:cat>` +
    `<c:val><c:numRef><c:f>${esc(s.valRef)}</c:f>${numCache(s.vals, fmt)}</c:numRef></c:val>` +
    (kind === "line" ? '<c:smooth val="0"/>' : "") +
    `</c:ser>`
  );
}

const catAx = (id: number, cross: number, pos: string, hidden: boolean) =>
  `<c:catAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="${hidden ? 1 : 0}"/>` +
  `<c:axPos val="${pos}"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
  `<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
const valAx = (id: number, cross: number, pos: string, fmt: string, opts: { grid?: boolean; crosses?: string; max?: number } = {}) =>
  `<c:valAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/>${opts.max !== undefined ? `<c:max val="${opts.max}"/><c:min val="0"/>` : ""}</c:scaling>` +
  `<c:delete val="0"/><c:axPos val="${pos}"/>${opts.grid ? "<c:majorGridlines/>" : ""}<c:numFmt formatCode="${esc(fmt)}" sourceLinked="0"/>` +
  `<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="${cross}"/><c:crosses val="${opts.crosses ?? "autoZero"}"/>` +
  `<c:crossBetween val="between"/></c:valAx>`;

/** The number format of a block column, for the cache and the axis. */
const formatOf = (layout: SheetLayout, chart: LayoutChart, j: number) => layout.blocks[chart.block].formats?.[j] || "General";

/** One chart part (xl/charts/chartN.xml); undefined when the block has no rows to draw. */
export function chartXml(layout: SheetLayout, chart: LayoutChart): string | undefined {
  const ss = chartSeries(layout, chart);
  if (!ss || ss.series.length + ss.line.length === 0) return undefined;
  const colOf = (s: Series) => {
    const b = layout.blocks[chart.block];
    return (b.header ?? []).indexOf(s.name);
  };
  const fmt = (s: Series) => formatOf(layout, chart, Math.max(1, colOf(s)));
  let plot: string;
  let idx = 0;
  if (chart.type === "Pie") {
    const s = ss.series[0] ?? ss.line[0];
    plot = `<c:pieChart><c:varyColors val="1"/>${serXml(s, 0, "pie", fmt(s))}<c:firstSliceAng val="0"/></c:pieChart>`;
  } else {
    const bars = chart.type !== "Line";
    const horizontal = chart.type === "BarClustered";
    const stacked = chart.type === "ColumnStacked";
    const primaryFmt = ss.series[0] ? fmt(ss.series[0]) : "General";
    const main = ss.series.map((s) => serXml(s, idx++, bars ? "bar" : "line", fmt(s))).join("");
    plot = bars
      ? `<c:barChart><c:barDir val="${horizontal ? "bar" : "col"}"/><c:grouping val="${stacked ? "stacked" : "clustered"}"/><c:varyColors val="0"/>${main}` +
        `<c:gapWidth val="${stacked ? 80 : 150}"/>${stacked ? '<c:overlap val="100"/>' : ""}<c:axId val="1"/><c:axId val="2"/></c:barChart>`
      : `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${main}<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>`;
    if (ss.line.length) {
      const lineFmt = fmt(ss.line[0]);
      plot +=
        `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${ss.line.map((s) => serXml(s, idx++, "line", fmt(s))).join("")}` +
        `<c:marker val="1"/><c:axId val="3"/><c:axId val="4"/></c:lineChart>`;
      plot += catAx(1, 2, horizontal ? "l" : "b", false) + valAx(2, 1, horizontal ? "b" : "l", primaryFmt, { grid: true });
      // A share or rate runs 0–100 %: its axis is fixed so the cumulative line ends at the top.
      plot +=
        catAx(3, 4, horizontal ? "l" : "b", true) +
        valAx(4, 3, horizontal ? "t" : "r", lineFmt, { crosses: "max", max: lineFmt.includes("%") ? 1 : undefined });
    } else plot += catAx(1, 2, horizontal ? "l" : "b", false) + valAx(2, 1, horizontal ? "b" : "l", primaryFmt, { grid: true });
  }
  const title = `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="zh-CN" sz="1200" b="1"/><a:t>${esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
  const legend = chart.type === "Pie" || ss.series.length + ss.line.length > 1 ? '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' : "";
  return (
    XML_HEAD +
    `<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>${plot}</c:plotArea>${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    `</c:chartSpace>`
  );
}

/** One sheet's drawing part: a two-cell anchor per chart at its `at`, each pointing at relationship rId<k>. */
export function drawingXml(charts: readonly { chart: LayoutChart; rel: string; id: number }[]): string {
  const anchor = (c: LayoutChart, rel: string, id: number) =>
    `<xdr:twoCellAnchor editAs="oneCell">` +
    `<xdr:from><xdr:col>${c.at.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${c.at.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
    `<xdr:to><xdr:col>${c.at.col + c.at.cols}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${c.at.row + c.at.rows}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id + 1}" name="Chart ${id}" descr="${esc(c.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS_C}">` +
    `<c:chart xmlns:c="${NS_C}" xmlns:r="${NS_R}" r:id="${rel}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`;
  return XML_HEAD + `<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">${charts.map((c) => anchor(c.chart, c.rel, c.id)).join("")}</xdr:wsDr>`;
}

const rels = (items: readonly { id: string; type: string; target: string }[]) =>
  XML_HEAD +
  `<Relationships xmlns="${NS_PKG_REL}">${items.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${esc(r.target)}"/>`).join("")}</Relationships>`;

const unesc = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unesc(m[1]) : undefined;
};

/** Sheet name → its part ("xl/worksheets/sheet2.xml"), from workbook.xml and its relationships. */
function sheetParts(text: (name: string) => string | undefined): Map<string, string> {
  const wb = text("xl/workbook.xml") ?? "";
  const wbRels = text("xl/_rels/workbook.xml.rels") ?? "";
  const targets = new Map<string, string>();
  for (const m of wbRels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], "Id");
    const target = attr(m[0], "Target");
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const out = new Map<string, string>();
  for (const m of wb.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], "name");
    const id = attr(m[0], "r:id");
    if (name !== undefined && id && targets.has(id)) out.set(name, targets.get(id)!);
  }
  return out;
}

/** Where CT_Worksheet allows <drawing>: before the first of these, else before </worksheet>. */
const AFTER_DRAWING = [
  "<legacyDrawing",
  "<legacyDrawingHF",
  "<drawingHF",
  "<picture",
  "<oleObjects",
  "<controls",
  "<webPublishItems",
  "<tableParts",
  "<extLst",
];

function withDrawing(sheetXml: string, rel: string): string {
  if (/<drawing\b/.test(sheetXml)) throw new Error("internal: the sheet already has a drawing");
  const at = Math.min(...AFTER_DRAWING.map((t) => sheetXml.indexOf(t)).filter((i) => i >= 0), sheetXml.lastIndexOf("</worksheet>"));
  const root = /<worksheet\b[^>]*>/.exec(sheetXml)!;
  // The r: prefix must be declared on the root (exceljs does; another writer may not).
  const head = root[0].includes(`xmlns:r="${NS_R}"`) ? root[0] : root[0].replace(/>$/, ` xmlns:r="${NS_R}">`);
  const body = sheetXml.slice(0, at) + `<drawing r:id="${rel}"/>` + sheetXml.slice(at);
  return body.replace(root[0], head);
}

/**
 * The workbook `xlsx` (an .xlsx written a moment ago, by exceljs) with the charts of `layouts` added to their sheets
 * (found by name). Layouts without charts, and charts over empty blocks, add nothing.
 */
export async function addChartParts(xlsx: Buffer, layouts: readonly SheetLayout[]): Promise<Buffer> {
  const parts = zipParts(xlsx);
  const byName = new Map(parts.map((p) => [p.name, p]));
  const text = (name: string) => (byName.has(name) ? partText(byName.get(name)!) : undefined);
  const sheets = sheetParts(text);
  const replaced = new Map<string, string>();
  const added: [string, string][] = [];
  const overrides: string[] = [];
  let chartNo = 0;
  let drawingNo = 0;
  for (const layout of layouts) {
    const sheetPart = sheets.get(layout.name);
    if (!sheetPart) continue;
    const drawn = layout.charts.flatMap((chart) => {
      const xml = chartXml(layout, chart);
      return xml ? [{ chart, xml }] : [];
    });
    if (!drawn.length) continue;
    const d = ++drawingNo;
    const anchors = drawn.map(({ chart, xml }, k) => {
      const n = ++chartNo;
      added.push([`xl/charts/chart${n}.xml`, xml]);
      overrides.push(`<Override PartName="/xl/charts/chart${n}.xml" ContentType="${CT_CHART}"/>`);
      return { chart, rel: `rId${k + 1}`, id: k + 1, target: `../charts/chart${n}.xml` };
    });
    added.push([`xl/drawings/drawing${d}.xml`, drawingXml(anchors)]);
    added.push([`xl/drawings/_rels/drawing${d}.xml.rels`, rels(anchors.map((a) => ({ id: a.rel, type: REL_CHART, target: a.target })))]);
    overrides.push(`<Override PartName="/xl/drawings/drawing${d}.xml" ContentType="${CT_DRAWING}"/>`);
    // The sheet's relationships: exceljs's own (tables, hyperlinks) kept, the drawing's added under a fresh id.
    const slash = sheetPart.lastIndexOf("/");
    const relsPart = `${sheetPart.slice(0, slash)}/_rels/${sheetPart.slice(slash + 1)}.rels`;
    const old = text(relsPart);
    const rel = `rIdDrawing${d}`;
    const relsXml = old
      ? old.replace("</Relationships>", `<Relationship Id="${rel}" Type="${REL_DRAWING}" Target="../drawings/drawing${d}.xml"/></Relationships>`)
      : rels([{ id: rel, type: REL_DRAWING, target: `../drawings/drawing${d}.xml` }]);
    replaced.set(relsPart, relsXml);
    replaced.set(sheetPart, withDrawing(text(sheetPart)!, rel));
  }
  if (!added.length) return xlsx;
  const types = text("[Content_Types].xml") ?? "";
  replaced.set("[Content_Types].xml", types.replace("</Types>", `${overrides.join("")}</Types>`));

  const out: Buffer[] = [];
  const zip = new ZipWriter(async (b) => void out.push(b));
  const written = new Set<string>();
  for (const p of parts) {
    written.add(p.name);
    const t = replaced.get(p.name);
    if (t === undefined) await zip.copy(p as RawPart);
    else await zip.stream(p.name, [Buffer.from(t, "utf8")]);
  }
  for (const [name, t] of replaced) if (!written.has(name)) await zip.stream(name, [Buffer.from(t, "utf8")]);
  for (const [name, t] of added) await zip.stream(name, [Buffer.from(t, "utf8")]);
  await zip.finish();
  return Buffer.concat(out);
}

/** Layouts with charts written into a workbook since it was read: `saveWorkbook` adds their chart parts. */
const pending = new WeakMap<object, Map<string, SheetLayout>>();

/** Remembers a layout's charts for the workbook's next save (a sheet written again replaces its charts; one without charts drops them). */
export function noteCharts(workbook: object, layout: SheetLayout): void {
  const m = pending.get(workbook) ?? new Map<string, SheetLayout>();
  if (layout.charts.length) m.set(layout.name, layout);
  else m.delete(layout.name);
  pending.set(workbook, m);
}

/** The layouts whose charts the workbook's save must add. */
export const chartLayouts = (workbook: object): SheetLayout[] => [...(pending.get(workbook)?.values() ?? [])];
