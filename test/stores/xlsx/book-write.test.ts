/**
 * The streaming writer (book-write.ts) writes the same ledger as exceljs's
 * in-memory writer: every sheet, cell value and number format, table,
 * validation, conditional format, view and column, read back by exceljs and
 * by our fast reader; hostile text, atomic saves and refusals included.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { Workbook, type Worksheet } from "exceljs";
import type { CellValue } from "../../../src/domain/case";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { handKeptSheet } from "../../../src/sample/handkept";
import { keysOfHeader } from "../../../src/ledger/records";
import { adoptWorkbook } from "../../../src/stores/xlsx/adopt";
import type { DeferredBody } from "../../../src/stores/xlsx/sheet-xml";
import type { LedgerData } from "../../../src/ledger/store";
import { ledgerBookBuffer } from "../../../src/stores/xlsx/book-write";
import { readLedgerStreaming, readWorkbookFile, saveLedgerBook, saveWorkbook, scanLedgerFile } from "../../../src/stores/xlsx/file";
import { findTable, internals } from "../../../src/stores/xlsx/tables";
import { createLedgerBook, createLedgerWorkbook, type LedgerBookContent } from "../../../src/stores/xlsx/workbook";
import { crc32, inflateRawSync } from "zlib";
import { zipParts } from "../../../src/stores/xlsx/zip/zip-write";
import { unzipParts, inflatePart } from "./zip-kit";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(120000);
const NOW = shanghai(2026, 5, 30, 10, 0, 0);
let dir: string;
let sample: LedgerData;

/** Text every writer must keep: controls, a literal escape, edge spaces, formula-like text, XML specials, a long cell. */
const HOSTILE = ["a\rb\x01c", "_x0041_ literal", "  edge spaces  ", "=SUM(A1:A2)", "+1", "@x", '<b>&amp;"q"</b>', "长".repeat(32767)];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-bookwrite-"));
  sample = await generateSample({ cases: 60, mistakes: 3 });
  const keys = keysOfHeader(sample.header, defaultPolicy());
  const col = (k: string) => keys.indexOf(k);
  // Hostile text in text columns, text in a date column, a Date object, a bare boolean and number.
  const rows = sample.rows;
  HOSTILE.forEach((t, i) => {
    rows[i][col("defect")] = t;
  });
  rows[10][col("shipDate")] = "去年三月";
  rows[11][col("shipDate")] = new Date(Date.UTC(2026, 2, 3)); // a cell Date: the wall clock in its UTC fields
  sample.auditRows[3][9] = "原因\r\n第二行 _x000D_";
  sample.auditRows[4][9] = new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) as unknown as CellValue;
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const content = (d: LedgerData, more: Partial<LedgerBookContent> = {}): LedgerBookContent => ({
  policy: defaultPolicy(),
  header: d.header,
  rows: d.rows,
  peopleRows: d.peopleRows,
  auditRows: d.auditRows,
  meta: d.meta,
  now: NOW,
  problemRows: [
    [3, "B", "日期", "昨天", "DATE", "无法识别", "unreadable"],
    [4, null, null, null, null, null, null],
  ],
  ...more,
});

async function load(buf: Buffer): Promise<Workbook> {
  const wb = new Workbook();
  await wb.xlsx.load(buf as Buffer & ArrayBuffer);
  return wb;
}

/** A sheet as exceljs reads it: every non-blank cell's value and number format, by address. */
function cellsOf(ws: Worksheet): Record<string, { v: unknown; f: string | undefined }> {
  const out: Record<string, { v: unknown; f: string | undefined }> = {};
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (c) => {
      if (c.value === null || c.value === undefined) return;
      out[c.address] = { v: c.value instanceof Date ? `date:${c.value.toISOString()}` : JSON.parse(JSON.stringify(c.value)), f: c.numFmt };
    });
  });
  return out;
}

/** What of a sheet is not cells: table geometry, validation, formats, views, columns, merges, state. */
function frameOf(ws: Worksheet) {
  const tables = Object.values((ws as Worksheet & { tables: Record<string, { model: Record<string, unknown> }> }).tables ?? {}).map((t) => {
    const m = t.model;
    return { name: m.name, ref: m.tableRef ?? m.ref, columns: (m.columns as { name: string }[]).map((c) => c.name), style: m.style };
  });
  return {
    name: ws.name,
    state: ws.state,
    tables,
    views: ws.views,
    merges: (ws.model as { merges?: string[] }).merges ?? [],
    validation: internals(ws).dataValidations.model,
    formats: internals(ws).conditionalFormattings,
    columns: (ws.columns ?? []).map((c) => ({ width: c.width, numFmt: c.numFmt })),
  };
}

describe("streamed ledger = in-memory ledger", () => {
  let memory: Buffer;
  let streamed: Buffer;
  beforeAll(async () => {
    const wb = createLedgerWorkbook(content(sample));
    const file = path.join(dir, "memory.xlsx");
    await saveWorkbook(wb, file);
    memory = await fs.readFile(file);
    streamed = await ledgerBookBuffer(createLedgerBook(content(sample)));
  });

  test("every sheet, cell value and number format is the same (exceljs reading both)", async () => {
    const [a, b] = [await load(memory), await load(streamed)];
    expect(b.worksheets.map((w) => w.name)).toEqual(a.worksheets.map((w) => w.name));
    expect(a.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining([SHEETS.ledger, SHEETS.audit, SHEETS.problems, SHEETS.policy, SHEETS.people, SHEETS.meta]),
    );
    for (const ws of a.worksheets) {
      const other = b.getWorksheet(ws.name)!;
      const [x, y] = [cellsOf(ws), cellsOf(other)];
      expect(Object.keys(y).length).toBe(Object.keys(x).length);
      expect(y).toEqual(x);
    }
    // The cells compared are real: the hostile texts, formulas and cached results are among them.
    const ledger = cellsOf(b.getWorksheet(SHEETS.ledger)!);
    const texts = Object.values(ledger).map((c) => c.v);
    for (const t of HOSTILE) expect(texts).toContain(t);
    expect(Object.values(ledger).filter((c) => typeof c.v === "object" && c.v !== null && "formula" in (c.v as object)).length).toBe(60 * 2);
    expect(Object.keys(ledger).length).toBeGreaterThan(60 * 20);
  });

  test("tables, validation, conditional formats, views, columns and sheet states are the same", async () => {
    const [a, b] = [await load(memory), await load(streamed)];
    for (const ws of a.worksheets) expect(frameOf(b.getWorksheet(ws.name)!)).toEqual(frameOf(ws));
    const spot = findTable(b, TABLES.ledger)!;
    expect(spot.bodyRows).toBe(60);
    expect(findTable(b, TABLES.audit)!.bodyRows).toBe(sample.auditRows.length);
    expect(b.getWorksheet(SHEETS.meta)!.state).toBe("veryHidden");
    expect(Object.keys(internals(spot.ws).dataValidations.model).length).toBeGreaterThan(5);
  });

  // exceljs's streaming reader (the fallback) is left out: it splits a character whose UTF-8 bytes straddle
  // two of its chunks (U+FFFD), wherever the chunks happen to fall, in either file.
  test("our fast reader reads both as the same ledger", async () => {
    const fa = path.join(dir, "a.xlsx"),
      fb = path.join(dir, "b.xlsx");
    await fs.writeFile(fa, memory);
    await fs.writeFile(fb, streamed);
    const [x, y] = [await readLedgerStreaming(fa, undefined, "fast"), await readLedgerStreaming(fb, undefined, "fast")];
    expect(y).toEqual(x);
    expect(y.rows).toHaveLength(60);
    expect(y.rows.flat()).toEqual(expect.arrayContaining(HOSTILE));
    // Formulas in the audit sheet are marked by the fast pass: none in either.
    const audit = async (f: string) =>
      (
        await scanLedgerFile(
          f,
          () => {
            const seen: unknown[][] = [];
            return {
              seen,
              begin() {},
              audit(_n: number, cells: unknown[]) {
                seen.push(cells);
              },
            };
          },
          { reader: "fast" },
        )
      ).seen;
    expect(await audit(fb)).toEqual(await audit(fa));
  });

  test("the big sheets hold inline strings and no probe row; small parts are exceljs's bytes", async () => {
    const parts = unzipParts(streamed);
    const sheet1 = inflatePart(parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!);
    expect(sheet1).toContain('t="inlineStr"');
    expect(sheet1).toMatch(/<dimension ref="A1:[A-Z]+61"\/>/);
    expect(sheet1.match(/<row r="2"/g)).toHaveLength(1);
    expect(sheet1.indexOf('<row r="61"')).toBeGreaterThan(0);
    expect(sheet1).not.toContain('<row r="62"');
    const names = parts.map((p) => p.name);
    expect(names).toEqual(unzipParts(memory).map((p) => p.name));
  });
});

describe("the zip", () => {
  test("every part's CRC-32 and sizes match what it inflates to; streamed parts carry a data descriptor", async () => {
    const buf = await ledgerBookBuffer(createLedgerBook(content(sample)));
    const parts = zipParts(buf);
    expect(parts.length).toBeGreaterThan(20);
    for (const p of parts) {
      const data = p.method === 8 ? inflateRawSync(p.raw) : p.raw;
      expect([p.name, data.length, crc32(data)]).toEqual([p.name, p.usize, p.crc]);
    }
    // The local header of a streamed part says "sizes follow" (bit 3) and the descriptor after its data says them.
    const at = buf.indexOf(Buffer.from("xl/worksheets/sheet1.xml")) - 30;
    expect(buf.readUInt32LE(at)).toBe(0x04034b50);
    expect(buf.readUInt16LE(at + 6) & 0x8).toBe(0x8);
    const sheet = parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!;
    const desc = buf.indexOf(sheet.raw) + sheet.raw.length;
    expect([buf.readUInt32LE(desc), buf.readUInt32LE(desc + 4), buf.readUInt32LE(desc + 8), buf.readUInt32LE(desc + 12)]).toEqual([
      0x08074b50,
      sheet.crc,
      sheet.csize,
      sheet.usize,
    ]);
  });
});

describe("saveLedgerBook", () => {
  test("a cell over 32,767 characters is a bilingual LIMIT error; nothing is left at the target or beside it", async () => {
    const d = await generateSample({ cases: 5 });
    d.rows[3][keysOfHeader(d.header, defaultPolicy()).indexOf("defect")] = "x".repeat(32768);
    const file = path.join(dir, "too-long.xlsx");
    await fs.writeFile(file, "old content");
    const err = await saveLedgerBook(createLedgerBook(content(d)), file).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("LIMIT");
    expect(err.zh).toContain("32");
    expect(err.en).toContain("32,767");
    expect(await fs.readFile(file, "utf8")).toBe("old content");
    expect((await fs.readdir(dir)).filter((n) => n.includes("too-long") && n !== "too-long.xlsx")).toEqual([]);
  });

  test("a save refused because the file changed keeps the other writer's file", async () => {
    const d = await generateSample({ cases: 5 });
    const file = path.join(dir, "changed.xlsx");
    await fs.writeFile(file, "someone else's save");
    const err = await saveLedgerBook(createLedgerBook(content(d)), file, { expect: null }).catch((e) => e);
    expect(err.code).toBe("FILE_CHANGED");
    expect(await fs.readFile(file, "utf8")).toBe("someone else's save");
  });

  test("an empty ledger streams to a file exceljs and our reader open", async () => {
    const d = await generateSample({ cases: 1, audit: false });
    const file = path.join(dir, "empty.xlsx");
    await saveLedgerBook(createLedgerBook(content({ ...d, rows: [], auditRows: [], meta: {} }, { problemRows: [] })), file);
    const wb = await readWorkbookFile(file);
    expect(findTable(wb, TABLES.ledger)!.bodyRows).toBe(1);
    expect((await readLedgerStreaming(file)).rows).toEqual([]);
  });
});

describe("adoption: the backup's rows streamed = exceljs writing them", () => {
  /** A hand-kept workbook with what a backup must keep: styles (shared and per cell), merges, row heights, hidden rows, dates, formulas, booleans, errors, a second sheet sharing styles. */
  async function handKept(extra?: (ws: Worksheet) => void): Promise<Buffer> {
    const sheet = handKeptSheet("counter", 120);
    const wb = new Workbook();
    const ws = wb.addWorksheet(sheet.name);
    const width = sheet.values[sheet.headerRow].length;
    const thin = { style: "thin" as const };
    sheet.values.forEach((values, r) => {
      const row = ws.addRow(values);
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        if (r === sheet.headerRow) {
          cell.font = { bold: true };
          cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
        }
        if (r >= sheet.headerRow) cell.border = { top: thin, left: thin, bottom: thin, right: thin };
      }
    });
    ws.mergeCells(1, 1, 1, width);
    ws.getRow(5).height = 30;
    ws.getRow(7).hidden = true;
    ws.getCell("L4").value = new Date(Date.UTC(2024, 1, 29, 12));
    ws.getCell("L5").value = new Date(Date.UTC(2024, 2, 1));
    ws.getCell("L5").numFmt = "yyyy/mm/dd";
    ws.getCell("M4").value = { formula: "1+1", result: 2 } as never;
    ws.getCell("M5").value = { formula: '"a"&"<b>"', result: "a<b>" } as never;
    ws.getCell("M6").value = { formula: "NA()", result: { error: "#N/A" } } as never;
    ws.getCell("N4").value = true;
    ws.getCell("N5").value = { error: "#DIV/0!" } as never;
    ws.getCell("N6").value = "  a & <b>\n";
    ws.getCell("O4").numFmt = "0.00";
    ws.getColumn(3).width = 25;
    const other = wb.addWorksheet("其他 Other");
    other.getCell("A1").value = "同样的边框";
    other.getCell("A1").border = ws.getCell("A4").border;
    extra?.(ws);
    return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  }

  async function bothWays(input: Buffer): Promise<{ legacy: Workbook; streamed: Workbook; bodies: DeferredBody[] }> {
    const opts = { now: NOW, user: "test" };
    const a = await load(input);
    await adoptWorkbook(a, opts);
    const legacy = await load(Buffer.from((await a.xlsx.writeBuffer()) as ArrayBuffer));
    const b = await load(input);
    const bodies: DeferredBody[] = [];
    await adoptWorkbook(b, opts, bodies);
    const streamed = await load(await ledgerBookBuffer({ workbook: b, bodies }));
    return { legacy, streamed, bodies };
  }

  /** Every cell's value and whole style, and every row's height, hidden flag and style. */
  function fullCells(ws: Worksheet) {
    const out: Record<string, unknown> = {};
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      out[`row ${n}`] = { height: row.height, hidden: row.hidden, style: JSON.parse(JSON.stringify((row as unknown as { style: object }).style ?? {})) };
      row.eachCell({ includeEmpty: false }, (c) => {
        out[c.address] = {
          v: c.value instanceof Date ? `date:${c.value.toISOString()}` : JSON.parse(JSON.stringify(c.value ?? null)),
          style: JSON.parse(JSON.stringify(c.style ?? {})),
          type: c.type,
        };
      });
    });
    return out;
  }

  test("every sheet's cells, styles, rows, merges and frame are the same; the backup was streamed", async () => {
    const { legacy, streamed, bodies } = await bothWays(await handKept());
    expect(bodies.some((b) => b.backup)).toBe(true);
    expect(streamed.worksheets.map((w) => w.name)).toEqual(legacy.worksheets.map((w) => w.name));
    for (const ws of legacy.worksheets) {
      const other = streamed.getWorksheet(ws.name)!;
      expect(fullCells(other)).toEqual(fullCells(ws));
      expect(frameOf(other)).toEqual(frameOf(ws));
    }
    const backup = legacy.worksheets.find((w) => w.name.startsWith(SHEETS.backupPrefix))!;
    const cells = fullCells(backup);
    // The comparison covered what it claims: styled, dated, formula, error and escaped cells, a tall and a hidden row.
    expect(cells.L5).toMatchObject({ v: "date:2024-03-01T00:00:00.000Z" });
    expect(cells.M5).toMatchObject({ v: { formula: '"a"&"<b>"', result: "a<b>" } });
    expect(cells.N6).toMatchObject({ v: "  a & <b>\n" });
    expect(cells["row 5"]).toMatchObject({ height: 30 });
    expect(cells["row 7"]).toMatchObject({ hidden: true });
    expect((cells.A4 as { style: { border?: unknown } }).style.border).toBeDefined();
    expect(frameOf(backup).merges.length).toBe(1);
  });

  test("a sheet with a hyperlink or a note is left whole to exceljs, and still the same", async () => {
    const input = await handKept((ws) => {
      ws.getCell("N7").value = { text: "链接", hyperlink: "https://example.com/" };
      ws.getCell("N8").note = "备注";
    });
    const { legacy, streamed, bodies } = await bothWays(input);
    expect(bodies.some((b) => b.backup)).toBe(false);
    const name = legacy.worksheets.find((w) => w.name.startsWith(SHEETS.backupPrefix))!.name;
    expect(fullCells(streamed.getWorksheet(name)!)).toEqual(fullCells(legacy.getWorksheet(name)!));
    expect(streamed.getWorksheet(name)!.getCell("N7").hyperlink).toBe("https://example.com/");
  });
});
