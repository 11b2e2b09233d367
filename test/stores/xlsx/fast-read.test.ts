/**
 * The fast read path (fast-read.ts) against exceljs's streaming reader, the
 * reference it replaces: ledgers written by this project's writers read as
 * the same LedgerData, and so do hand-made parts with the awkward corners of
 * the format (entities, inline and rich text, gaps, booleans, errors,
 * formulas, date styles, white space). What the fast path does not
 * understand goes to exceljs, which answers as it always did.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { Workbook, stream as xlsxStream } from "exceljs";
import JSZip from "jszip";
import { ymdToSerial } from "../../../src/domain/dates";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { AUDIT_COLUMNS, PEOPLE_COLUMNS, SHEETS, ledgerColumns } from "../../../src/ledger/workbook-layout";
import { generateSample } from "../../../src/sample/ledger-sample";
import { Ledger, type Actor } from "../../../src/ledger/service";
import type { LedgerData } from "../../../src/ledger/store";
import { adoptFile, openLedgerFile, readLedgerBuffer, readLedgerStreaming, saveWorkbook } from "../../../src/stores/xlsx/file";
import { FastReadUnsupported, isDateFormat } from "../../../src/stores/xlsx/reader/fast-read";
import { createLedgerWorkbook } from "../../../src/stores/xlsx/workbook";
import { deflatePart, zipParts } from "./zip-kit";
import { findProgram, needsProgram, testIf } from "../../programs";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(120000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const me: Actor = { name: "王建国", source: "cli" };
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-fast-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const write = async (buf: Buffer | Uint8Array, name = `f${++n}.xlsx`) => {
  const file = path.join(dir, name);
  await fs.writeFile(file, buf);
  return file;
};

/** Either the data or the error code, so two readers' outcomes compare with toStrictEqual. */
const outcome = (p: Promise<LedgerData>) =>
  p.then(
    (data) => ({ data }),
    (e) => ({ error: e instanceof DomainError ? e.code : String(e) }),
  );

/**
 * The same zip with the worksheets moved to the end. exceljs's streaming
 * reader parks sheets stored before the shared strings in temporary files
 * and, in such files, now and then loses the parts stored after them
 * (styles.xml, workbook.xml: dates then read as numbers, sheets as "SheetN").
 * With the sheets last it reads them at once, in the same order, reliably:
 * that is the reference here.
 */
async function partsFirst(buf: Buffer): Promise<Buffer> {
  const src = await JSZip.loadAsync(buf);
  const out = new JSZip();
  const names = Object.keys(src.files).filter((f) => !src.files[f].dir);
  const sheet = (f: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f);
  for (const f of [...names.filter((x) => !sheet(x)), ...names.filter(sheet)]) out.file(f, await src.file(f)!.async("nodebuffer"));
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * exceljs decodes each chunk of a part's stream on its own, so a Chinese
 * character split between chunks comes out as U+FFFD. Where the reference
 * has such a string and the fast path the whole text it stands for, the
 * reference takes the fast path's string; anything else must match as is.
 */
function ungarble(slow: unknown, fast: unknown, fixed: string[]): unknown {
  if (typeof slow === "string" && slow.includes("\uFFFD") && typeof fast === "string") {
    const re = new RegExp(
      `^${slow
        .split(/\uFFFD+/)
        .map(escapeRe)
        .join("[^]{1,2}")}$`,
    );
    if (!re.test(fast)) return slow;
    fixed.push(fast);
    return fast;
  }
  if (Array.isArray(slow) && Array.isArray(fast)) {
    const out = slow.slice();
    for (const k of Object.keys(slow)) out[Number(k)] = ungarble(slow[Number(k)], fast[Number(k)], fixed);
    return out;
  }
  if (slow && fast && typeof slow === "object" && Object.getPrototypeOf(slow) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(slow)) out[k] = ungarble(v, (fast as Record<string, unknown>)[k], fixed);
    return out;
  }
  return slow;
}

/**
 * Where the fast reader reads what Excel shows and exceljs does not (issue 29): a phonetic reading
 * (exceljs reads it instead of the text), a rich inline string (exceljs keeps its last run), a
 * string decoded twice. `excelShows` maps exceljs's value to the one Excel shows.
 */
function shows(x: unknown, excelShows: Record<string, string>): unknown {
  if (typeof x === "string") return Object.prototype.hasOwnProperty.call(excelShows, x) ? excelShows[x] : x;
  if (Array.isArray(x)) return x.map((v) => shows(v, excelShows));
  if (x && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shows(v, excelShows)]));
  return x;
}

/** The edge book's cells exceljs misreads (see `shows`). */
const EDGE_SHOWS = { "a & b <c>": "a &amp; b <c>", second: "firstsecond", トウキョウ: "东京" };
/** And the one it reads as blank: a formula's cached error (D9, the fourth case row), which Excel shows. */
const EDGE_FIX = (d: LedgerData) => {
  d.rows[3][3] = "#DIV/0!";
};

const hasGarble = (x: unknown): boolean =>
  typeof x === "string"
    ? x.includes("\uFFFD")
    : Array.isArray(x)
      ? x.some(hasGarble)
      : !!x && typeof x === "object" && !(x instanceof Date) && Object.values(x).some(hasGarble);

/**
 * The fast path (which must not fall back) against exceljs's streaming
 * reader; also in tiny scanning pieces and through the default path.
 */
async function expectSame(file: string, excelShows: Record<string, string> = {}, excelFix?: (d: LedgerData) => void): Promise<LedgerData> {
  const fast = await readLedgerStreaming(file, undefined, "fast");
  const ref = await write(await partsFirst(await fs.readFile(file)));
  const slow = await readLedgerStreaming(ref, undefined, "exceljs");
  excelFix?.(slow);
  const fixed: string[] = [];
  expect(fast).toStrictEqual(ungarble(shows(slow, excelShows), fast, fixed));
  expect(hasGarble(fast)).toBe(false);
  // Scanning the sheets in tiny pieces (each ends after a </row>) changes nothing.
  expect(readLedgerBuffer(await fs.readFile(file), { chunkBytes: 1 })).toStrictEqual(fast);
  // The default path takes the fast road and gives the same.
  expect(await readLedgerStreaming(file)).toStrictEqual(fast);
  return fast;
}

// ---------------------------------------------------------------- a hand-made .xlsx

/** A zip of the given parts, in this order; `stored` skips compression, `flags` marks entries (1 = encrypted). */
const zip = (parts: [string, string][], opts: { stored?: boolean; flags?: number } = {}): Buffer =>
  zipParts(parts.map(([name, text]) => deflatePart(name, text, opts)));

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/**
 * Cell styles (cellXfs index → number format): 0 General, 1 builtin 14 (date),
 * 2 custom yyyy\-mm\-dd (date), 3 custom "Q"0 (quoted letters: a number),
 * 4 builtin 22 (date-time), 5 "@" (text).
 */
const STYLES =
  `${DECL}<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="&quot;Q&quot;0"/></numFmts>` +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  "</styleSheet>";

interface BookSpec {
  sheets: { name: string; xml: string }[];
  /** <si> elements, as XML. */
  sst?: string[];
  styles?: string;
  date1904?: boolean;
  /** Zip order: "parts-first" (rels, workbook, strings, styles, then sheets) or "sheets-first" (exceljs's streaming writer). */
  order?: "parts-first" | "sheets-first";
  stored?: boolean;
  flags?: number;
}

const sheetXml = (rows: string, root = "worksheet") =>
  `${DECL}<${root} ${NS}><dimension ref="A1"/><sheetData>${rows}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></${root}>`;

function book(spec: BookSpec): Buffer {
  const sheets: [string, string][] = spec.sheets.map((s, i) => [`xl/worksheets/sheet${i + 1}.xml`, s.xml]);
  const rels =
    `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    spec.sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join("") +
    '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
    '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';
  const wb =
    `${DECL}<workbook ${NS}><workbookPr${spec.date1904 ? ' date1904="1"' : ""}/><sheets>` +
    spec.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
    "</sheets></workbook>";
  const sst = `${DECL}<sst ${NS} count="${spec.sst?.length ?? 0}" uniqueCount="${spec.sst?.length ?? 0}">${(spec.sst ?? []).join("")}</sst>`;
  const parts: [string, string][] = [
    ["xl/_rels/workbook.xml.rels", rels],
    ["xl/workbook.xml", wb],
    ["xl/sharedStrings.xml", sst],
    ["xl/styles.xml", spec.styles ?? STYLES],
  ];
  const types: [string, string] = [
    "[Content_Types].xml",
    `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
  ];
  const all: [string, string][] = spec.order === "sheets-first" ? [types, ...sheets, ...parts] : [types, ...parts, ...sheets];
  return zip(all, { stored: spec.stored, flags: spec.flags });
}

const policy = defaultPolicy();
/** The first eight ledger headers: case no., kind, received, logged, customer, class, market, product. */
const HEADERS = ledgerColumns(policy)
  .slice(0, 8)
  .map((c) => c.header);
const COLS = "ABCDEFGH";
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
const headerRow = `<row r="1">${HEADERS.map((h, i) => inline(`${COLS[i]}1`, h)).join("")}</row>`;

/** Shared strings with entities, rich runs, phonetic readings, white space and line ends. */
const SST = [
  "<si><t>KS-1 &amp; &lt;x&gt; &quot;q&quot; &apos;a&apos; &#x4E2D;&#25991;</t></si>", // 0
  '<si><r><t>外观</t></r><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t xml:space="preserve"> 划伤</t></r></si>', // 1
  '<si><t>东京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>', // 2
  '<si><t xml:space="preserve">   </t></si>', // 3
  "<si><t>line1\r\nline2\rline3</t></si>", // 4
  "<si><t/></si>", // 5
  "<si><r><t></t></r></si>", // 6
  "<si><t>客户 A</t></si>", // 7
];

/** Rows 2–9 of the ledger sheet: one awkward cell after another. */
const EDGE_ROWS = [
  '<row r="2" spans="1:8">',
  '<c r="A2" t="s"><v>0</v></c>',
  '<c r="B2" t="s"><v>1</v></c>',
  '<c r="C2" s="1"><v>46000.5</v></c>',
  '<c r="D2" s="2"><v>46001.25</v></c>',
  '<c r="E2" t="str"><f>A2&amp;"x"</f><v>a &amp;amp; b &lt;c&gt;</v></c>',
  '<c r="F2" t="b"><v>1</v></c>',
  '<c r="G2" t="e"><v>#N/A</v></c>',
  '<c r="H2" t="inlineStr"><is><r><t>first</t></r><r><t>second</t></r></is></c>',
  "</row>",
  '<row r="5">',
  '<c r="A5" t="s"><v>2</v></c>',
  '<c r="B5" s="3"><v>12</v></c>',
  '<c r="C5"><f>0*1</f><v>0</v></c>',
  '<c r="D5"><f t="shared" si="0"/><v>0</v></c>',
  '<c r="E5" s="4"><v>45000.75</v></c>',
  '<c r="F5" s="1"/>',
  '<c r="G5" t="str"><v></v></c>',
  '<c r="H5"><v>1E3</v></c>',
  "</row>",
  '<row r="6" s="1" customFormat="1">',
  '<c r="A6"><v>46010</v></c>',
  '<c r="B6" s="0"><v>46011</v></c>',
  '<c r="C6" s="5"><v>46012</v></c>',
  '<c r="D6" t="inlineStr"><is><t xml:space="preserve">  two  spaces </t></is></c>',
  '<c r="E6" t="s"><v>3</v></c>',
  '<c r="F6"><v>&#49;&#50;</v></c>',
  '<c r="G6" t="s"><v>4</v></c>',
  '<c r="H6" t="b"><f>TRUE()</f><v>1</v></c>',
  "</row>",
  '<row r="7"/>',
  '<row r="8"><c r="A8" t="s"><v>5</v></c><c r="B8" t="s"><v>6</v></c><c r="D8" t="str"><f>""</f><v></v></c></row>',
  '<row r="9"><c r="A9" t="s"><v>99</v></c><c r="B9" t="n"><v>-0.5</v></c><c r="C9" t="s"><v>7</v></c><c r="D9" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E9" t="b"><v>0</v></c><c r="H9"><v>3.14159</v></c><c r="K9"><v>7</v></c></row>',
  '<row r="12"><c r="A12" t="inlineStr"><is><t>KS-last</t></is></c></row>',
  '<row r="13"><c r="B13" s="1"/></row>',
].join("");

const policySheet = sheetXml(
  '<row r="1"><c r="A1" t="inlineStr"><is><t>设置</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>假日</t></is></c><c r="B2" s="1"><v>46023</v></c><c r="C2" s="4"><v>46023.5</v></c><c r="D2"><v>3</v></c></row>',
);
const metaSheet = sheetXml(
  `<row r="1">${inline("A1", "schema.version")}<c r="B1"><v>1</v></c></row><row r="2">${inline("A2", "audit.hash")}${inline("B2", "abc&def")}</row>`,
);
const peopleSheet = sheetXml(
  `<row r="1">${PEOPLE_COLUMNS.map((c, i) => inline(`${"ABCD"[i]}1`, c.header)).join("")}</row><row r="2">${inline("A2", "王建国")}${inline("B2", "QM")}</row>`,
);
const auditSheet = sheetXml(
  `<row r="1">${AUDIT_COLUMNS.map((c, i) => inline(`${"ABCDEFGHIJKL"[i]}1`, c.header)).join("")}</row><row r="2"><c r="A2"><v>1</v></c><c r="B2" s="4"><v>46000.375</v></c>${inline("C2", "王建国")}</row>`,
);

const edgeBook = (over: Partial<BookSpec> = {}, ledgerXml = sheetXml(headerRow + EDGE_ROWS)) =>
  book({
    sheets: [
      { name: "客诉台账 Ledger", xml: ledgerXml },
      { name: SHEETS.policy, xml: policySheet },
      { name: SHEETS.people, xml: peopleSheet },
      { name: SHEETS.audit, xml: auditSheet },
      { name: SHEETS.meta, xml: metaSheet },
    ],
    sst: SST,
    ...over,
  });

const utc = (serial: number) => new Date(Math.round((serial - 25569) * 86400000));

describe("hand-made parts read exactly as exceljs reads them", () => {
  test("entities, rich and inline text, gaps, booleans, errors, formulas, date styles, row styles", async () => {
    const file = await write(edgeBook());
    const d = await expectSame(file, EDGE_SHOWS, EDGE_FIX);
    expect(d.header).toEqual(HEADERS);
    // Blank rows are not cases and are never padded in: the gap between rows 2 and 5, row 7, row 8 (an empty text), rows 10–11.
    const [r2, r5, r6, r9, r12] = d.rows;
    // A string formula's cached text is decoded once (Excel shows "&amp;"); an inline string's runs make one text.
    expect(r2).toEqual(["KS-1 & <x> \"q\" 'a' 中文", "外观 划伤", 46000.5, 46001.25, "a &amp; b <c>", true, "#N/A", "firstsecond"]);
    // The text, not its phonetic reading (exceljs reads the reading); a formula's cached 0 reads as empty, a shared one's does not.
    expect(r5).toEqual(["东京", 12, null, 0, 45000.75, null, null, 1000]);
    // Row 6 is date-styled: its unstyled cells (and s="0") are dates; "@" is not.
    expect(r6).toEqual([46010, 46011, 46012, "  two  spaces ", "   ", 12, "line1\nline2\nline3", 1]);
    // A formula's cached error is what Excel shows (exceljs reads it as blank).
    expect(r9).toEqual([null, -0.5, "客户 A", "#DIV/0!", false, null, null, 3.14159]);
    expect(r12).toEqual(["KS-last", null, null, null, null, null, null, null]);
    expect(d.rows).toHaveLength(5);
    // The Policy sheet keeps dates as Dates (UTC midnight of the serial, as exceljs makes them).
    expect(d.policyRows).toEqual([["设置"], ["假日", utc(46023), utc(46023.5), 3]]);
    expect(d.policyRows[1][1]).toBeInstanceOf(Date);
    expect(d.meta).toEqual({ "schema.version": "1", "audit.hash": "abc&def" });
    expect(d.peopleRows).toEqual([["王建国", "QM", null, null]]);
    expect(d.auditRows[0].slice(0, 3)).toEqual([1, 46000.375, "王建国"]);
  });

  test("pretty-printed XML: white space between a string's tags is no text (Excel's reading); after </v> it is the value's", async () => {
    const pretty = (xml: string) => xml.replace(/></g, ">\n  <");
    const file = await write(edgeBook({ sst: SST.map(pretty) }, pretty(sheetXml(headerRow + EDGE_ROWS))));
    const d = await readLedgerStreaming(file, undefined, "fast");
    const plain = await readLedgerStreaming(await write(edgeBook()), undefined, "fast");
    // Shared and inline strings read as without the white space (exceljs keeps it where it falls).
    const want = plain.rows.map((r) => r.slice());
    // Text after </v> belongs to the value, as exceljs has it: a string formula's result and an error keep the line end.
    want[0][4] = "a &amp; b <c>\n  ";
    want[0][6] = "#N/A\n  ";
    want[3][3] = "#DIV/0!\n  ";
    // A shared formula's cached 0 after white space reads as empty, and an empty <v> keeps its white space (as in exceljs).
    want[1][3] = null;
    want[1][6] = "\n  \n  ";
    expect(d.rows).toEqual(want);
    expect(d.rows[0][2]).toBe(46000.5);
    expect(readLedgerBuffer(await fs.readFile(file), { chunkBytes: 1 })).toStrictEqual(d);
  });

  test("stored (uncompressed) entries, the 1904 date system, sheets stored before the shared strings", async () => {
    await expectSame(await write(edgeBook({ stored: true })), EDGE_SHOWS, EDGE_FIX);
    const d1904 = await expectSame(await write(edgeBook({ date1904: true })), EDGE_SHOWS, EDGE_FIX);
    expect(d1904.rows[0][2]).toBe(46000.5 + 1462);
    expect(d1904.policyRows[1][1]).toEqual(utc(46023 + 1462));
    await expectSame(await write(edgeBook({ order: "sheets-first" })), EDGE_SHOWS, EDGE_FIX);
  });

  test("two equally good ledger sheets: the one exceljs meets first wins, as it did", async () => {
    const ledger = (caseNo: string) => sheetXml(`${headerRow}<row r="2">${inline("A2", caseNo)}</row>`);
    // Sheet 1 is stored before the shared strings (exceljs parks it until the end), sheet 2 after them.
    const buf = zip([
      [
        "xl/_rels/workbook.xml.rels",
        `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t" Target="worksheets/sheet2.xml"/></Relationships>`,
      ],
      [
        "xl/workbook.xml",
        `${DECL}<workbook ${NS}><sheets><sheet name="一" sheetId="1" r:id="rId1"/><sheet name="二" sheetId="2" r:id="rId2"/></sheets></workbook>`,
      ],
      ["xl/worksheets/sheet1.xml", ledger("KS-from-sheet1")],
      ["xl/sharedStrings.xml", `${DECL}<sst ${NS}/>`],
      ["xl/worksheets/sheet2.xml", ledger("KS-from-sheet2")],
    ]);
    // (exceljs itself races here: about one read in fifteen it meets sheet 1 first. The fast path keeps to its design.)
    const d = await readLedgerStreaming(await write(buf), undefined, "fast");
    expect(d.rows).toEqual([["KS-from-sheet2", null, null, null, null, null, null, null]]);
    expect(d.header).toEqual(HEADERS);
  });

  test("rows and cells without an r attribute follow one another (exceljs cannot number them)", async () => {
    const rows =
      `<row>${HEADERS.map((h) => `<c t="inlineStr"><is><t>${esc(h)}</t></is></c>`).join("")}</row>` +
      '<row><c t="inlineStr"><is><t>KS-1</t></is></c><c/><c r="C2" s="1"><v>46000</v></c><c><v>5</v></c></row><row r="4"><c><v>1</v></c></row><row><c><v>2</v></c></row>';
    const d = readLedgerBuffer(edgeBook({}, sheetXml(rows)));
    expect(d.header).toEqual(HEADERS);
    expect(d.rows).toEqual([
      ["KS-1", null, 46000, 5, null, null, null, null],
      [1, null, null, null, null, null, null, null],
      [2, null, null, null, null, null, null, null],
    ]);
  });

  test("Chinese text in a large shared-strings part reads whole (exceljs can split a character between stream chunks)", async () => {
    const texts = Array.from({ length: 6000 }, (_, i) => `客户投诉第${i}号:外观划伤,需要补发并提交8D报告`);
    const rows = texts.map((_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>${i}</v></c></row>`).join("");
    const buf = edgeBook({ sst: texts.map((t) => `<si><t>${t}</t></si>`) }, sheetXml(headerRow + rows));
    const d = readLedgerBuffer(buf);
    expect(d.rows.map((r) => r[0])).toEqual(texts);
    const fixed: string[] = [];
    expect(d).toStrictEqual(ungarble(await readLedgerStreaming(await write(buf), undefined, "exceljs"), d, fixed));
  });

  test("plain shared strings (one <t> each, the usual shape, read on a shorter path) read as exceljs reads them", async () => {
    const plain = [SST[0], SST[3], SST[4], SST[5], SST[7], "<si><t></t></si>", "<si><t>a_x000D_b_x0041_</t></si>", '<si><t xml:space="preserve">x </t></si>'];
    const rows = `<row r="2">${plain.map((_, i) => `<c r="${"ABCDEFGH"[i]}2" t="s"><v>${i}</v></c>`).join("")}</row>`;
    const d = await expectSame(await write(edgeBook({ sst: plain }, sheetXml(headerRow + rows))));
    expect(d.rows).toEqual([["KS-1 & <x> \"q\" 'a' 中文", "   ", "line1\nline2\nline3", null, "客户 A", null, "a\rbA", "x "]]);
    // White space between the items changes nothing; between an item's tags it is no text (exceljs keeps it), inside <t> it is.
    const between = await expectSame(await write(edgeBook({ sst: plain.map((x) => `\n  ${x}`) }, sheetXml(headerRow + rows))));
    expect(between.rows).toEqual(d.rows);
    await expectSame(await write(edgeBook({ sst: [...plain.slice(0, 3), "<si>\n<t>late</t>\n</si>"] }, sheetXml(headerRow + rows))), { "late\n": "late" });
  });

  test("inline strings repeated, distinct, long and escaped read whole (texts a sheet repeats are decoded once)", async () => {
    // More distinct texts than the table of recent ones has slots, so texts meet in a slot and replace each other.
    const texts = Array.from({ length: 6000 }, (_, i) => [
      `KS-${i}`,
      `客户${i % 37}`,
      i % 3 ? "否" : "是",
      `很长的不良现象描述第${i % 5}条:外观划伤,需要补发并提交8D报告`,
      i % 7 ? "a &amp; b" : "a_x000D_b",
    ]);
    const cells = (r: string[], row: number) => r.map((t, j) => `<c r="${"ABCDE"[j]}${row}" t="inlineStr"><is><t>${t}</t></is></c>`).join("");
    const rows = texts.map((r, i) => `<row r="${i + 2}">${cells(r, i + 2)}</row>`).join("");
    const d = await expectSame(await write(edgeBook({}, sheetXml(headerRow + rows))));
    const want = (t: string) => t.replace("&amp;", "&").replace("_x000D_", "\r");
    expect(d.rows.map((r) => r.slice(0, 5))).toEqual(texts.map((r) => r.map(want)));
  });

  test("date formats are recognised exactly as exceljs's isDateFmt does", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isDateFmt } = require("exceljs/lib/utils/utils") as { isDateFmt: (f: string) => boolean };
    const formats = [
      "General",
      "0",
      "0.00",
      "@",
      "yyyy-mm-dd",
      "yyyy-mm-dd hh:mm",
      'm/d/yy "h":mm',
      "[h]:mm:ss",
      '"Q"0',
      "[Red]0.00",
      '[$-804]yyyy"年"m"月"d"日"',
      '#,##0 "pcs"',
      "0.00E+00",
      "mm:ss",
      "[DBNum1]General",
      "AM/PM h",
      "# ?/?",
      "$#,##0_);($#,##0)",
      "",
    ];
    for (const f of formats) expect([f, isDateFormat(f)]).toEqual([f, isDateFmt(f)]);
  });
});

describe("what the fast path does not read goes to exceljs, with the same answer or error as before", () => {
  // exceljs reads a phonetic reading for the text: a file holding one is refused rather than given to it (below).
  const noPh = (over: Partial<BookSpec> = {}, xml?: string) => edgeBook({ sst: SST.map((x, i) => (i === 2 ? "<si><t>东京</t></si>" : x)), ...over }, xml);
  const cases: [string, () => Buffer][] = [
    ["an undefined entity in a cell", () => noPh({}, sheetXml(`${headerRow}<row r="2">${inline("A2", "x").replace("x", "a&nbsp;b")}</row>`))],
    ["a comment in a sheet", () => noPh({}, sheetXml(`${headerRow}<!-- note --><row r="2">${inline("A2", "KS-9")}</row>`))],
    ["an encrypted entry", () => noPh({ flags: 1 })],
    [
      "a namespace prefix on the sheet's elements",
      () =>
        noPh(
          {},
          sheetXml(headerRow.replace(/<(\/?)(row|c|is|t)\b/g, "<$1x:$2"), "x:worksheet").replace(
            "<x:worksheet ",
            '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
          ),
        ),
    ],
    ["cells out of column order", () => noPh({}, sheetXml(`${headerRow}<row r="2"><c r="C2"><v>1</v></c><c r="A2"><v>2</v></c></row>`))],
  ];
  test.each(cases)("%s", async (_what, make) => {
    const buf = make();
    expect(() => readLedgerBuffer(buf)).toThrow(FastReadUnsupported);
    const file = await write(buf);
    await expect(readLedgerStreaming(file, undefined, "fast")).rejects.toBeInstanceOf(FastReadUnsupported);
    const auto = await outcome(readLedgerStreaming(file));
    expect(auto).toStrictEqual(await outcome(readLedgerStreaming(file, undefined, "exceljs")));
  });

  test("a file the fast path cannot read that holds a phonetic reading: refused (exceljs would read the reading), never misread", async () => {
    const file = await write(edgeBook({}, sheetXml(`${headerRow}<!-- note --><row r="2">${inline("A2", "KS-9")}</row>`)));
    await expect(readLedgerStreaming(file)).rejects.toMatchObject({ code: "UNSUPPORTED", zh: expect.stringMatching(/拼音指南/) });
  });

  test.each([
    ["a zip without a workbook", () => zip([["hello.txt", "hi"]])],
    ["bytes that are not a zip", () => Buffer.from("PK\u0003\u0004 this is not really a zip")],
    ["plain text", () => Buffer.from("not a zip at all")],
  ])("%s: not a workbook, said before either reader tries (NOT_XLSX)", async (_what, make) => {
    const file = await write(make());
    for (const reader of ["fast", "exceljs", "auto"] as const) {
      await expect(readLedgerStreaming(file, undefined, reader)).rejects.toMatchObject({ code: "NOT_XLSX", zh: expect.stringMatching(/无法读取/) });
    }
  });

  test("a missing file and a workbook without a ledger give the bilingual errors", async () => {
    await expect(readLedgerStreaming(path.join(dir, "missing.xlsx"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    const wb = new Workbook();
    wb.addWorksheet("Sheet1").addRow(["随便", "什么"]);
    const foreign = await write((await wb.xlsx.writeBuffer()) as ArrayBuffer as never);
    await expect(readLedgerStreaming(foreign, undefined, "fast")).rejects.toMatchObject({ code: "NOT_A_LEDGER" });
    await expect(readLedgerStreaming(foreign)).rejects.toMatchObject({ code: "NOT_A_LEDGER", zh: expect.stringMatching(/不是客诉台账/) });
  });
});

describe("ledgers written by this project read the same on both paths", () => {
  let sample: LedgerData;
  beforeAll(async () => {
    sample = await generateSample({ cases: 40 });
  });
  const bookOf = (d: LedgerData) =>
    createLedgerWorkbook({
      policy,
      header: d.header,
      rows: d.rows,
      peopleRows: d.peopleRows,
      auditRows: d.auditRows,
      meta: d.meta,
      now: now(),
    });

  test("a new workbook (createLedgerWorkbook) with people, audit and meta", async () => {
    const file = path.join(dir, "new.xlsx");
    await saveWorkbook(bookOf(sample), file);
    const d = await expectSame(file);
    expect(d.rows).toHaveLength(40);
    expect(d.auditRows.length).toBe(sample.auditRows.length);
    expect(d.policyRows.length).toBeGreaterThan(0);
  });

  test("after the service adds, updates and signs through the store", async () => {
    const file = path.join(dir, "svc.xlsx");
    await saveWorkbook(bookOf(sample), file);
    const { workbook, store } = await openLedgerFile(file, { now });
    const ledger = new Ledger(store, { now });
    await ledger.load();
    const add = await ledger.addCase(
      { kind: "RETURN", receivedAt: ymdToSerial(2026, 6, 29), customer: "测试客户 & <Co>", product: "注塑外壳", defect: "开裂\n两处" },
      me,
    );
    expect(add.ok).toBe(true);
    await ledger.updateCase((add as { caseNo: string }).caseNo, { goodsBackAt: ymdToSerial(2026, 6, 30) }, me);
    await saveWorkbook(workbook, file);
    const d = await expectSame(file);
    expect(d.rows).toHaveLength(41);
    expect(d.auditRows.length).toBeGreaterThan(sample.auditRows.length);
  });

  test("an adopted hand-kept sheet", async () => {
    const wb = new Workbook();
    wb.addWorksheet("说明").addRow(["本文件为 2026 年客诉记录"]);
    const ws = wb.addWorksheet("2026客诉");
    ws.addRow(["2026年客诉处置台账"]);
    ws.mergeCells("A1:H1");
    ws.addRow(["单号", "投诉日期", "客户名称", "品名", "问题描述", "责任单位", "金额", "跟单备注"]);
    ws.addRow([
      "KS-2026-0001",
      new Date(Date.UTC(2026, 2, 3)),
      "华南电器",
      "注塑外壳",
      { richText: [{ text: "外观", font: { bold: true } }, { text: "划伤" }] },
      "供应商来料不良",
      120,
      { text: "见邮件", hyperlink: "mailto:a@b.c" },
    ]);
    ws.addRow(["KS-2026-0002", "3月5日", "宁波海天", "门铰链", "=1+1 看起来像公式", "物流", { formula: "100+20", result: 120 }, "+86 138"]);
    ws.addRow([null, "2026/3/7", "苏州精工", "散热器", "开裂", "???", "abc", "-5"]);
    ws.getCell("B3").numFmt = "yyyy-mm-dd";
    const input = path.join(dir, "hand.xlsx");
    await wb.xlsx.writeFile(input);
    const out = path.join(dir, "adopted.xlsx");
    await adoptFile(input, out, { sheet: "2026客诉", now: now() });
    const d = await expectSame(out);
    expect(d.rows.map((r) => r[0])).toEqual(["KS-2026-0001", "KS-2026-0002", null]);
  });

  test("a ledger from exceljs's streaming writer (bench/check.js writes the 50,000-case file so)", async () => {
    const d = await generateSample({ cases: 60, audit: false, mistakes: 5 });
    const file = path.join(dir, "streamed.xlsx");
    const wb = new xlsxStream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet(SHEETS.ledger);
    ws.addRow(d.header).commit();
    for (const r of d.rows) {
      const row = ws.addRow(r.map((v) => (typeof v === "number" && v > 40000 && v < 50000 ? utc(v) : v)));
      row.eachCell((c) => {
        if (c.value instanceof Date) c.numFmt = "yyyy-mm-dd hh:mm";
      });
      row.commit();
    }
    ws.commit();
    const pol = wb.addWorksheet(SHEETS.policy);
    for (const r of d.policyRows) pol.addRow(r.map((v) => (v === "" ? null : v))).commit();
    pol.commit();
    const meta = wb.addWorksheet(SHEETS.meta, { state: "veryHidden" });
    meta.addRow(["schema.version", "1"]).commit();
    meta.commit();
    await wb.commit();
    const got = await expectSame(file);
    expect(got.rows).toHaveLength(60);
  });

  const office = findProgram(["libreoffice", "soffice"]);
  testIf(needsProgram("LibreOffice (libreoffice/soffice) for the re-saved ledger", office !== undefined, "apt-get install libreoffice-calc"))(
    "a ledger LibreOffice saved again (another writer: its own styles, strings and sheet layout)",
    async () => {
      const file = path.join(dir, "lo-src.xlsx");
      await saveWorkbook(bookOf(sample), file);
      const outDir = path.join(dir, "lo");
      const r = spawnSync(
        office!,
        [`-env:UserInstallation=file://${path.join(dir, "lo-profile")}`, "--headless", "--convert-to", "xlsx", "--outdir", outDir, file],
        { encoding: "utf8", timeout: 120000 },
      );
      expect(r.status).toBe(0);
      const d = await expectSame(path.join(outDir, "lo-src.xlsx"));
      expect(d.rows.map((x) => x[0])).toEqual(sample.rows.map((x) => x[0]));
    },
  );
});
