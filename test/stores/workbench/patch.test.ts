/**
 * Saves in the workbench without exceljs (issue 26, stores/workbench/patch.ts): an edit, a new case and
 * audit entries change only their rows, the tables' ranges, the shared strings and the meta sheet; exceljs,
 * the fast reader and LibreOffice read the saved file as the store says it now is; every other row of
 * the sheets and every other part (its compressed bytes) is as it was; a failure during a save leaves the
 * previous bytes; a write the patch does not do goes to exceljs over the file as it now is.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import JSZip from "jszip";
import { ymdToSerial } from "../../../src/domain/dates";
import { instantToSerial } from "../../../src/domain/zone";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { Ledger, type Actor } from "../../../src/ledger/service";
import type { LedgerWrite } from "../../../src/ledger/store";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { createLedgerBook, createLedgerWorkbook, workbookBuffer } from "../../../src/stores/xlsx/workbook";
import { columnsOfHeader } from "../../../src/stores/xlsx/columns";
import { columnLetter } from "../../../src/ledger/workbook-layout";
import { SheetEdits, spliceStream } from "../../../src/stores/workbench/sheet-splice";
import { ledgerBookBuffer } from "../../../src/stores/xlsx/book-write";
import { zipParts } from "../../../src/stores/xlsx/zip/zip-write";
import * as workbench from "../../../src/stores/workbench/open";
import { FastStore, openLedgerFast, readLedgerFast } from "../../../src/stores/workbench/fast";
import { platformInflater } from "../../../src/stores/workbench/inflate";
import { patchWrite } from "../../../src/stores/workbench/patch";
import { platformDeflater, ZipParts } from "../../../src/stores/workbench/zip-parts";
import { findProgram, needsProgram, testIf } from "../../programs";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(120_000);
const NOW = shanghai(2026, 10, 26, 9, 0, 0);
const now = () => NOW;
const inflate = platformInflater()!;
const deflate = platformDeflater()!;

/** A 200-case ledger as the pane's sample writes it (exceljs: shared strings) and as `complaint-ledger sample` does (inline strings). */
let viaExceljs: Uint8Array;
let viaStream: Uint8Array;
beforeAll(async () => {
  const d = await generateSample({ cases: 200, today: ymdToSerial(2026, 11, 20) });
  const content = { policy: defaultPolicy(), header: d.header, rows: d.rows, peopleRows: d.peopleRows, auditRows: d.auditRows, meta: d.meta, now: NOW };
  viaExceljs = new Uint8Array(await workbookBuffer(createLedgerWorkbook(content)));
  viaStream = new Uint8Array(await ledgerBookBuffer(createLedgerBook(content)));
});
afterEach(() => jest.restoreAllMocks());

/** A FastStore saving by patch over `bytes`, with the parts it saves into. */
async function opened(bytes: Uint8Array) {
  const read = (await openLedgerFast(bytes.slice(), inflate))!;
  const parts = new ZipParts(Buffer.from(bytes), inflate, deflate);
  const store = new FastStore(
    read.data,
    async () => new XlsxStore(await workbench.loadWorkbook(new Uint8Array(await parts.bytes()).buffer as ArrayBuffer), { now }),
    {
      parts,
      places: read.places,
      now,
    },
  );
  return { store, parts, places: read.places };
}

const exceljsRead = async (bytes: Uint8Array) => new XlsxStore(await workbench.loadWorkbook(bytes.slice().buffer as ArrayBuffer), { now }).read();

async function partsText(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files)) if (!zip.files[name].dir) out.set(name, await zip.file(name)!.async("string"));
  return out;
}

/** A sheet's XML cut into its rows by number, and what is around them. */
function rowsOf(xml: string): { rows: Map<number, string>; head: string; tail: string } {
  const rows = new Map<number, string>();
  for (const m of xml.matchAll(/<row r="(\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/row>)/g)) rows.set(Number(m[1]), m[0]);
  return { rows, head: xml.slice(0, xml.indexOf("<sheetData")), tail: xml.slice(xml.indexOf("</sheetData>")) };
}

async function actorOf(ledger: Ledger): Promise<Actor> {
  const owner = ledger.people.find((p) => p.roles.includes("CS")) ?? ledger.people[0];
  return { name: owner.name, source: "chosen" };
}

const newCase = (owner: string) => ({
  kind: "COMPLAINT",
  customer: "华东 & 机电 <总部>",
  customerClass: "A",
  market: "DOMESTIC",
  product: "支架",
  defect: "划伤",
  quantity: 3,
  receivedAt: instantToSerial(NOW),
  severity: "MINOR",
  owner,
});

describe("a save without exceljs", () => {
  test.each([
    ["exceljs's file (shared strings)", () => viaExceljs],
    ["the CLI's file (inline strings)", () => viaStream],
  ])("%s: an edit and a new case; exceljs, the fast reader and the store agree; every other row and part as it was", async (_k, file) => {
    const before = file();
    const parse = jest.spyOn(workbench, "loadWorkbook");
    const { store, parts, places } = await opened(before);
    const ledger = new Ledger(store, { now });
    await ledger.load();
    const by = await actorOf(ledger);
    const target = ledger.rows[17].case.caseNo!;
    expect((await ledger.updateCase(target, { customer: "改名 & 客户" }, by)).ok).toBe(true);
    const added = await ledger.addCase(newCase(by.name), by);
    expect(added.ok).toBe(true);
    expect(parse).not.toHaveBeenCalled();

    const after = await parts.bytes();
    const held = await store.read();
    // exceljs and the fast reader read the saved file as the store holds it.
    expect(await exceljsRead(after)).toEqual(held);
    expect(await readLedgerFast(after.slice().buffer as ArrayBuffer, inflate)).toEqual(held);
    const again = new Ledger(new XlsxStore(await workbench.loadWorkbook(after.slice().buffer as ArrayBuffer), { now }), { now });
    await again.load();
    expect(again.find(target)?.case.customer).toBe("改名 & 客户");
    expect(again.find((added as { caseNo: string }).caseNo)?.case.customer).toBe("华东 & 机电 <总部>");
    expect((await again.verifyAudit()).ok).toBe(true);

    // The ledger sheet: only the edited row and the new one differ; around the rows only the dimension.
    const [a, b] = [await partsText(before), await partsText(after)];
    const sheet = places.ledger.sheet;
    const [ra, rb] = [rowsOf(a.get(sheet)!), rowsOf(b.get(sheet)!)];
    const edited = places.ledger.top + 1 + 17;
    const appended = places.ledger.top + 1 + 200;
    const changed = [...rb.rows.keys()].filter((n) => ra.rows.get(n) !== rb.rows.get(n));
    expect(changed.sort((x, y) => x - y)).toEqual([edited, appended]);
    expect([...ra.rows.keys()].every((n) => rb.rows.has(n))).toBe(true);
    expect(rb.head.replace(/<dimension[^>]*>/, "")).toBe(ra.head.replace(/<dimension[^>]*>/, ""));
    expect(rb.tail).toBe(ra.tail);
    // In the edited row, every cell but the edited one and the computed ones is byte for byte as it was.
    const cellsIn = (row: string) => new Map([...row.matchAll(/<c r="([A-Z]+)\d+"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)].map((m) => [m[1], m[0]]));
    const computedCols = new Set(columnsOfHeader(held.header, defaultPolicy()).flatMap((c, j) => (c.computed ? [j] : [])));
    const [oldCells, newCells] = [cellsIn(ra.rows.get(edited)!), cellsIn(rb.rows.get(edited)!)];
    const letters = [...new Set([...oldCells.keys(), ...newCells.keys()])];
    const differing = letters.filter((l) => oldCells.get(l) !== newCells.get(l));
    const customerCol = held.header.findIndex((h) => /客户名称|Customer/.test(h));
    const letterOf = (j: number) => String.fromCharCode(65 + j);
    expect(differing.every((l) => l === letterOf(customerCol) || [...computedCols].some((j) => columnLetter(j) === l))).toBe(true);
    expect(differing).toContain(letterOf(customerCol));
    // The new row's cells carry the styles its column's rows carry.
    const styles = (row: string) => new Map([...row.matchAll(/<c r="([A-Z]+)\d+"(?: s="(\d+)")?/g)].map((m) => [m[1], m[2] ?? "0"]));
    const above = styles(ra.rows.get(appended - 1)!);
    const mine = styles(rb.rows.get(appended)!);
    for (const [col, s] of mine) if (above.has(col)) expect([col, s]).toEqual([col, above.get(col)]);
    // The audit sheet: new rows appended after the last, every old row the same.
    const audit = places.audit!;
    const [aa, ab] = [rowsOf(a.get(audit.sheet)!), rowsOf(b.get(audit.sheet)!)];
    for (const [n, row] of aa.rows) expect(ab.rows.get(n)).toBe(row);
    const auditBottom = audit.top + held.auditRows.length;
    expect(Math.max(...ab.rows.keys())).toBe(auditBottom);
    // Tables grow to their new bottoms.
    const tableRef = (name: string) => [...b.entries()].find(([p, x]) => p.startsWith("xl/tables/") && x.includes(`name="${name}"`))![1];
    expect(tableRef("CaseLedger")).toMatch(new RegExp(`ref="A1:[A-Z]+${places.ledger.top + 201}"`));
    expect(tableRef("CaseLedger")).toMatch(new RegExp(`<autoFilter ref="A1:[A-Z]+${places.ledger.top + 201}"`));
    expect(tableRef("AuditLog")).toMatch(new RegExp(`ref="A1:[A-Z]+${auditBottom}"`));
    // Parts no save touched: the same compressed bytes.
    const untouched = zipParts(Buffer.from(before)).filter((p) => a.get(p.name) === b.get(p.name));
    const now2 = new Map(zipParts(Buffer.from(after)).map((p) => [p.name, p]));
    expect(untouched.length).toBeGreaterThan(5);
    for (const p of untouched) expect(Buffer.compare(now2.get(p.name)!.raw, p.raw)).toBe(0);
  });

  test("shared strings stay consistent: texts that must be shared are appended once and counted", async () => {
    const { store, parts } = await opened(viaExceljs);
    const before = await parts.text("xl/sharedStrings.xml");
    const count = (xml: string) => (xml.match(/<si>/g) ?? []).length;
    const unique = (xml: string) => Number(/uniqueCount="(\d+)"/.exec(xml)![1]);
    const texts = ["A & B", "_x0041_ 原样", "A & B"];
    await store.write({ updates: texts.map((value, k) => ({ row: k, col: 1, value })) });
    const xml = (await parts.text("xl/sharedStrings.xml"))!;
    expect(count(xml) - count(before!)).toBe(2);
    expect(unique(xml)).toBe(count(xml));
    const read = await exceljsRead(await parts.bytes());
    expect(read.rows.slice(0, 3).map((r) => r[1])).toEqual(texts);
    expect(read).toEqual(await store.read());
  });

  test.each([
    ["absolute relationship targets (openpyxl's)", true, false],
    ["the 1904 date system", false, true],
  ])("%s: the saved date reads back as written", async (_k, absolute, d1904) => {
    const zip = await JSZip.loadAsync(viaExceljs);
    if (absolute) {
      for (const name of Object.keys(zip.files).filter((n) => /^xl\/(worksheets\/)?_rels\/.*\.rels$/.test(n))) {
        const dir = name.startsWith("xl/worksheets/") ? "xl/worksheets/" : "xl/";
        const xml = await zip.file(name)!.async("string");
        zip.file(
          name,
          xml.replace(/Target="(?!\/)([^"]+)"/g, (_m, t: string) => `Target="/${path.posix.normalize(dir + t)}"`),
        );
      }
      expect(await zip.file("xl/_rels/workbook.xml.rels")!.async("string")).toMatch(/Target="\/xl\/worksheets\/sheet1.xml"/);
    }
    if (d1904) {
      const xml = await zip.file("xl/workbook.xml")!.async("string");
      zip.file(
        "xl/workbook.xml",
        xml.includes("<workbookPr") ? xml.replace("<workbookPr", '<workbookPr date1904="1"') : xml.replace("<sheets>", '<workbookPr date1904="1"/><sheets>'),
      );
    }
    const odd = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    const { store, parts } = await opened(odd);
    const d = await store.read();
    const col = d.header.findIndex((h) => /受理|Received/.test(h));
    expect(col).toBeGreaterThanOrEqual(0);
    const day = ymdToSerial(2026, 11, 3) + 0.5;
    await store.write({
      updates: [
        { row: 4, col, value: day },
        { row: 5, col: 1, value: "新客户 & 分公司" },
      ],
    });
    const saved = await parts.bytes();
    const held = await store.read();
    expect(held.rows[4][col]).toBe(day);
    // exceljs does not follow absolute targets from a sheet to its tables: the fast reader reads those files.
    const read = absolute ? (await readLedgerFast(saved.slice().buffer as ArrayBuffer, inflate))! : await exceljsRead(saved);
    expect(read.rows[4][col]).toBe(day);
    expect(read.rows[5][1]).toBe("新客户 & 分公司");
    if (!d1904) expect(read).toEqual(held);
    else {
      // The fast reader leaves a formula's cached date in 1904 files unshifted (exceljs shifts it): compare the entered columns.
      const entered = columnsOfHeader(held.header, defaultPolicy()).map((c) => !c.computed);
      const cut = (rows: unknown[][]) => rows.map((r) => r.filter((_, j) => entered[j]));
      expect(cut(read.rows)).toEqual(cut(held.rows));
      expect({ ...read, rows: [] }).toEqual({ ...held, rows: [] });
    }
  });

  test("a failure during a save leaves the previous bytes and data: a too-long audit cell, a failure before the commit", async () => {
    const { store, parts, places } = await opened(viaExceljs);
    await store.write({ updates: [{ row: 0, col: 1, value: "第一次保存" }] });
    const bytes = await parts.bytes();
    const data = await store.read();
    const width = data.auditRows[0].length;
    const long = Array.from({ length: width }, (_, j) => (j === 3 ? "长".repeat(40_000) : "x"));
    const err = await store.write({ updates: [{ row: 1, col: 1, value: "不应保存" }], audit: [long] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "LIMIT", zh: expect.stringContaining("32"), en: expect.stringContaining("32") });
    expect(Buffer.compare(Buffer.from(await parts.bytes()), Buffer.from(bytes))).toBe(0);
    expect(await store.read()).toEqual(data);
    // Any failure after the texts are worked out and before the commit.
    const w: LedgerWrite = { updates: [{ row: 2, col: 1, value: "也不应保存" }], meta: { "x.test": "1" } };
    const boom = await patchWrite(w, { parts, places, data, policy: defaultPolicy(), now: NOW }, () => {
      throw new Error("disk gone");
    }).catch((e: unknown) => e);
    expect(boom).toMatchObject({ message: "disk gone" });
    expect(Buffer.compare(Buffer.from(await parts.bytes()), Buffer.from(bytes))).toBe(0);
    // The store still saves afterwards.
    await store.write({ updates: [{ row: 1, col: 1, value: "第二次保存" }] });
    expect((await exceljsRead(await parts.bytes())).rows.slice(0, 2).map((r) => r[1])).toEqual(["第一次保存", "第二次保存"]);
  });

  test("a write the patch does not do (a new person) parses the file as it now is with exceljs: earlier saves kept", async () => {
    const parse = jest.spyOn(workbench, "loadWorkbook");
    const { store, parts } = await opened(viaExceljs);
    await store.write({ updates: [{ row: 0, col: 1, value: "先改这里" }] });
    expect(parse).not.toHaveBeenCalled();
    const d = await store.read();
    await store.write({ people: [d.peopleRows[0].map((v, j) => (j === 0 ? "新同事" : v))] });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(store.parsed).toBe(true);
    const wb = (await store.xlsxStore()).workbook;
    const read = await new XlsxStore(wb, { now }).read();
    expect(read.rows[0][1]).toBe("先改这里");
    expect(read.peopleRows.at(-1)![0]).toBe("新同事");
    expect(parts.changed).toBe(true);
  });
});

describe("splicing cells into a sheet as it streams", () => {
  const xml =
    '<worksheet><dimension ref="A1:C4"/><cols><col min="1" max="3" style="4"/></cols><sheetData>' +
    '<row r="1"><c r="A1" s="1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2" s="7" t="inlineStr"><is><t>旧值</t></is></c><c r="C2" s="9"/></row>' +
    '<row r="4"><c r="A4"><v>4</v></c></row></sheetData></worksheet>';
  async function run(src: string, e: SheetEdits, size: number): Promise<string> {
    const bytes = new TextEncoder().encode(src);
    let at = 0;
    const rs = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(at, (at += size)));
      },
    });
    const out: Uint8Array[] = [];
    const r = rs.pipeThrough(spliceStream(e)).getReader();
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      out.push(value);
    }
    return Buffer.concat(out).toString("utf8");
  }

  test.each([1, 3, 7, 4096])("pieces of %i bytes: a cell replaced keeping its style, a blank cleared, rows added in place and at the end", async (size) => {
    const e = new SheetEdits();
    e.set(2, 2, { ref: "B2", xml: ['<c r="B2"', ' t="inlineStr"><is><t>新值</t></is></c>'] });
    e.set(2, 3, { ref: "C2" });
    e.set(3, 1, { ref: "A3", xml: ['<c r="A3"', "><v>3</v></c>"] });
    e.set(6, 2, { ref: "B6", xml: ['<c r="B6"', "><v>6</v></c>"], style: 5 });
    e.bottom = 6;
    expect(await run(xml, e, size)).toBe(
      '<worksheet><dimension ref="A1:C6"/><cols><col min="1" max="3" style="4"/></cols><sheetData>' +
        '<row r="1"><c r="A1" s="1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2" s="7" t="inlineStr"><is><t>新值</t></is></c><c r="C2" s="9"/></row>' +
        '<row r="3"><c r="A3" s="4"><v>3</v></c></row><row r="4"><c r="A4"><v>4</v></c></row><row r="6"><c r="B6" s="5"><v>6</v></c></row></sheetData></worksheet>',
    );
  });

  test("a sheet without rows gets its sheet data", async () => {
    const e = new SheetEdits();
    e.set(2, 1, { ref: "A2", xml: ['<c r="A2"', "><v>1</v></c>"] });
    expect(await run('<worksheet><sheetData/><tableParts count="1"/></worksheet>', e, 5)).toBe(
      '<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></row></sheetData><tableParts count="1"/></worksheet>',
    );
  });
});

const office = findProgram(["libreoffice", "soffice"]);
const maybe = testIf(needsProgram("LibreOffice (libreoffice/soffice) for the workbench save test", office !== undefined, "apt-get install libreoffice-calc"));

maybe("LibreOffice reads an edit saved without exceljs", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-patch-lo-"));
  try {
    const { store, parts } = await opened(viaStream);
    await store.write({ updates: [{ row: 5, col: 1, value: "利伯办公 LibreOffice 读到" }] });
    const file = path.join(dir, "saved.xlsx");
    await fs.writeFile(file, await parts.bytes());
    const profile = `file://${path.join(dir, "profile")}`;
    const r = spawnSync(
      office!,
      [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, file],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const csv = await fs.readFile(path.join(dir, "saved.csv"), "utf8");
    const lines = csv.split(/\r?\n/);
    expect(lines[6]).toContain("利伯办公 LibreOffice 读到");
    expect(lines.filter((l) => l.includes("利伯办公"))).toHaveLength(1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
