/**
 * Decision 148: `adopt` by parts (the input read by the fast reader, its parts copied, the new sheets added)
 * writes what the exceljs path writes. Every hand-kept sheet the adoption tests hold is adopted both ways
 * at the same instant, and the two files, read back with exceljs, are equal sheet by sheet, cell by cell
 * (value and style), with the same merges, column widths and formats, tables, validations and conditional
 * formats; the parts file passes verify-audit and check. Shapes the parts path leaves to exceljs fall back.
 */
import * as fs from "fs/promises";
import * as os from "os";
import * as path from "path";
import { Workbook, type Worksheet } from "exceljs";
import type { CellValue } from "../../../src/domain/case";
import { handKeptSheet, ledgerSheet2025, type HandKeptStyle } from "../../../src/sample/handkept";
import { adoptFile } from "../../../src/stores/xlsx/file";
import { cliAt } from "../../cli/run";
import { findProgram, needsProgram, testIf, officeConvert } from "../../programs";
import { writeHandKeptSheet } from "../../fixtures/hand-kept-sheet";

const office = findProgram(["libreoffice", "soffice"]);
const withOffice = testIf(needsProgram("LibreOffice (libreoffice/soffice) to open the adopted file", office !== undefined, "apt-get install libreoffice-calc"));

const convert = (file: string, to: string, outDir: string) => officeConvert(office!, path.join(dir, "profile"), file, to, outDir);

jest.setTimeout(300000);
const now = () => new Date(Date.UTC(2026, 10, 26, 2, 0, 0));
const cli = cliAt(now);
let dir: string;
const p = (f: string) => path.join(dir, f);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-adopt-parts-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

type Internal = Worksheet & { _merges?: Record<string, { model: unknown }>; dataValidations?: { model: unknown }; conditionalFormattings?: unknown };

/** What exceljs reads of a sheet, as plain data: every cell's value and style, the sheet's merges, columns, tables, validations, formats. */
function sheetModel(ws: Worksheet): Record<string, unknown> {
  const cells: [string, unknown, unknown, unknown][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cells.push([cell.address, cell.value instanceof Date ? cell.value.toISOString() : cell.value, cell.style, JSON.parse(JSON.stringify(cell.note ?? null))]);
    });
  });
  const rows: [number, unknown, unknown][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => rows.push([n, row.height, row.hidden]));
  const w = ws as Internal;
  return {
    name: ws.name,
    state: ws.state,
    cells,
    rows,
    merges: Object.keys(w._merges ?? {}).sort(),
    columns: (ws.columns ?? []).map((c) => [c.width, c.numFmt, c.hidden]),
    tables: Object.values((ws as unknown as { tables: Record<string, { table: unknown }> }).tables ?? {}).map((t) => JSON.parse(JSON.stringify(t.table))),
    validations: JSON.parse(JSON.stringify(w.dataValidations?.model ?? {})),
    formats: JSON.parse(JSON.stringify(w.conditionalFormattings ?? [])),
    views: JSON.parse(JSON.stringify(ws.views ?? [])),
    printArea: ws.pageSetup?.printArea,
    autoFilter: JSON.parse(JSON.stringify(ws.autoFilter ?? null)),
  };
}

async function models(file: string): Promise<Record<string, unknown>[]> {
  const wb = new Workbook();
  await wb.xlsx.readFile(file);
  return wb.worksheets.map(sheetModel);
}

/** Adopts `input` both ways; the paths taken, and the two outputs. */
async function both(input: string, opts: { sheet?: string; renumber?: boolean } = {}): Promise<{ took: string[]; parts: string; exceljs: string }> {
  const took: string[] = [];
  const base = path.basename(input, ".xlsx");
  const parts = p(`${base}-parts.xlsx`);
  const exceljs = p(`${base}-exceljs.xlsx`);
  await adoptFile(input, parts, { ...opts, now: now(), user: "complaint-ledger", took: (t) => took.push(t) });
  await adoptFile(input, exceljs, { ...opts, now: now(), user: "complaint-ledger", via: "exceljs" });
  return { took, parts, exceljs };
}

/**
 * The parts file equals exceljs's path's, sheet for sheet; its backup equals the input's sheet as exceljs reads it.
 * `lossy`: a file whose styles exceljs's path does not write back as read (LibreOffice's): the backup is compared with the input only.
 */
async function expectSame(input: string, opts: { sheet?: string; renumber?: boolean } = {}, lossy = false): Promise<void> {
  const r = await both(input, opts);
  expect(r.took).toEqual(["parts"]);
  const [a, b, original] = await Promise.all([models(r.parts), models(r.exceljs), models(input)]);
  expect(a.map((s) => s.name)).toEqual(b.map((s) => s.name));
  const adopted = opts.sheet ?? (original[0].name as string);
  for (let i = 0; i < a.length; i++) {
    const backup = a[i].name === `备份 ${adopted}`;
    if (backup) expect({ ...a[i], name: adopted }).toEqual(original.find((s) => s.name === adopted));
    if (!backup || !lossy) expect(a[i]).toEqual(b[i]);
  }
  const verify = await cli("verify-audit", r.parts);
  expect(verify.code).toBe(0);
  const check = [await cli("check", r.parts, "--json"), await cli("check", r.exceljs, "--json")];
  expect(check[0].code).toBe(check[1].code);
  expect(JSON.parse(check[0].out)).toEqual(JSON.parse(check[1].out));
}

async function writeValues(file: string, name: string, values: CellValue[][], style?: (ws: Worksheet) => void): Promise<void> {
  const wb = new Workbook();
  const ws = wb.addWorksheet(name);
  for (const row of values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
  style?.(ws);
  await wb.xlsx.writeFile(file);
}

describe("adopt by parts writes what exceljs's path writes", () => {
  test("the CLI test's sheet: a title merged across, rich text, a hyperlink, a formula, a date, another sheet before it", async () => {
    await writeHandKeptSheet(p("hand.xlsx"));
    await expectSame(p("hand.xlsx"), { sheet: "2026客诉" });
    await expectSame(p("hand.xlsx"), { sheet: "2026客诉", renumber: true });
  });

  test.each(["counter", "numbered", "erp"] as HandKeptStyle[])("the %s hand-kept sheet, bordered and filled as the bench writes it", async (style) => {
    const sheet = handKeptSheet(style, 300);
    const width = sheet.values[sheet.headerRow].length;
    await writeValues(p(`${style}.xlsx`), sheet.name, sheet.values, (ws) => {
      const thin = { style: "thin" as const };
      sheet.values.forEach((_v, r) => {
        for (let c = 1; c <= width; c++) {
          const cell = ws.getRow(r + 1).getCell(c);
          if (r === sheet.headerRow) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
          if (r >= sheet.headerRow) cell.border = { top: thin, left: thin, bottom: thin, right: thin };
        }
      });
      if (sheet.headerRow > 0) ws.mergeCells(1, 1, 1, width);
    });
    await expectSame(p(`${style}.xlsx`));
  });

  test("the 2025 ledger sheet of adopt-check (320 rows, a merged title)", async () => {
    const sheet = ledgerSheet2025(320);
    await writeValues(p("y2025.xlsx"), sheet.name, sheet.values, (ws) => ws.mergeCells(1, 1, 1, sheet.values[2].length));
    await expectSame(p("y2025.xlsx"));
  });

  test("merged areas, a stacked second table, formulas without results and error values (hostile-29's sheets)", async () => {
    await writeValues(
      p("merged.xlsx"),
      "客诉",
      [
        ["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"],
        ["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"],
        ["KS-2", null, null, "变形", "A2"],
        ["KS-3", null, null, "异响", "A3"],
        ["KS-4", "杭州华立", "2026-03-09", "漏油", "A4"],
      ],
      (ws) => {
        ws.mergeCells("B2:B4");
        ws.mergeCells("C2:C4");
      },
    );
    await expectSame(p("merged.xlsx"));
    await writeValues(p("stacked.xlsx"), "客诉", [
      ["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"],
      ["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"],
      ["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"],
      ["KS-2", "宁波海天", "2026-03-06", "变形", "A2"],
      [],
      ["退货单号", "客户名称", "退货数量", "接收日期"],
      ["TH-9", "杭州华立", 5, "2026-04-01"],
    ]);
    await expectSame(p("stacked.xlsx"));
    await writeValues(
      p("formulas.xlsx"),
      "客诉",
      [
        ["客诉单号", "客户名称", "接收日期", "问题描述", "数量", "费用", "备注"],
        ["KS-1", "宁波海天", "2026-03-05", "划伤", 4, 100, "ok"],
        ["KS-2", "宁波海天", "2026-03-06", "变形", 2, null, null],
        ["KS-3", null, "2026-03-07", "异响", 3, null, null],
      ],
      (ws) => {
        ws.getCell("F3").value = { formula: "E3*25" } as never;
        ws.getCell("B4").value = { error: "#N/A" } as never;
        ws.getCell("F4").value = { formula: "E4/0", result: { error: "#DIV/0!" } } as never;
        ws.getCell("G4").value = { error: "#REF!" } as never;
      },
    );
    await expectSame(p("formulas.xlsx"));
  });

  test("where the two differ on purpose: a formula whose cached result is 0 is no 'formula without a result' (exceljs drops the 0)", async () => {
    await writeValues(
      p("zero.xlsx"),
      "客诉",
      [
        ["客诉单号", "客户名称", "接收日期", "问题描述", "数量"],
        ["KS-1", "宁波海天", "2026-03-05", "划伤", 4],
      ],
      (ws) => {
        ws.getCell("E2").value = { formula: "2-2", result: 0 } as never;
      },
    );
    const r = await both(p("zero.xlsx"));
    expect(r.took).toEqual(["parts"]);
    const kinds = async (file: string) => {
      const wb = new Workbook();
      await wb.xlsx.readFile(file);
      const out: unknown[] = [];
      wb.getWorksheet("导入问题 Problems")!.eachRow((row, n) => {
        if (n > 1) out.push(row.getCell(5).value);
      });
      return out;
    };
    expect(await kinds(r.exceljs)).toContain("FORMULA_NO_VALUE");
    expect(await kinds(r.parts)).not.toContain("FORMULA_NO_VALUE");
  });

  test("print areas on the sheet and the one before it, a filter: they stay with their sheets (the backup's under its new name)", async () => {
    const sheet = handKeptSheet("numbered", 40);
    const wb = new Workbook();
    const notes = wb.addWorksheet("说明 Notes");
    notes.addRow(["本文件为 2026 年客诉记录"]);
    notes.pageSetup.printArea = "A1:C5";
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
    const last = `J${sheet.values.length}`;
    ws.pageSetup.printArea = `A1:${last}`;
    ws.autoFilter = `A${sheet.headerRow + 1}:${last}`;
    // A note and a shared formula (what decision 42 left to exceljs's whole-sheet writer): the backup's part keeps them as written.
    ws.getCell("A1").note = "2026 年的记录 / the 2026 records";
    ws.getCell("L3").value = { formula: "ROW()", result: 3 } as never;
    ws.getCell("L4").value = { sharedFormula: "L3", result: 4 } as never;
    await wb.xlsx.writeFile(p("printed.xlsx"));
    await expectSame(p("printed.xlsx"), { sheet: sheet.name });
  });

  test("a workbook with no shared strings part (exceljs's streaming writer, inline text): the parts path adds one", async () => {
    const sheet = handKeptSheet("erp", 30);
    const wb = new (await import("exceljs")).stream.xlsx.WorkbookWriter({ filename: p("inline.xlsx"), useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.values) ws.addRow(row.map((v) => (v === null ? undefined : v))).commit();
    ws.commit();
    await wb.commit();
    const names = (await fs.readFile(p("inline.xlsx"))).toString("latin1");
    expect(names).not.toContain("xl/sharedStrings.xml");
    await expectSame(p("inline.xlsx"));
  });

  test("a stray cell far from the ledger (hostile's sheet)", async () => {
    const sheet = handKeptSheet("counter", 20);
    await writeValues(p("stray.xlsx"), sheet.name, sheet.values, (ws) => {
      ws.getCell("XFD1048576").value = "stray";
    });
    await expectSame(p("stray.xlsx"));
  });
});

describe("LibreOffice", () => {
  withOffice("a sheet LibreOffice saved adopts by parts as through exceljs, and LibreOffice opens the adopted file with every case", async () => {
    const sheet = handKeptSheet("counter", 200);
    await writeValues(p("lo-in.xlsx"), sheet.name, sheet.values, (ws) => ws.mergeCells(1, 1, 1, sheet.values[sheet.headerRow].length));
    convert(p("lo-in.xlsx"), "xlsx", p("lo"));
    // exceljs's path writes LibreOffice's styles back without their default alignment and "General" formats: its backup differs from the input.
    await expectSame(path.join(dir, "lo", "lo-in.xlsx"), {}, true);
    convert(path.join(dir, "lo-in-parts.xlsx"), "csv:Text - txt - csv (StarCalc):44,34,76", p("csv"));
    const csv = (await fs.readFile(path.join(dir, "csv", "lo-in-parts.csv"), "utf8")).trim().split("\n");
    expect(csv[0]).toContain("客诉单号 Case No.");
    expect(csv).toHaveLength(201);
    expect(csv.slice(1).every((l) => /^KS-20\d\d-\d{4},/.test(l))).toBe(true);
  });
});

describe("what the parts path leaves to exceljs", () => {
  test("a refusal (no such sheet, a sheet name the ledger writes, no header): exceljs's path gives it word for word", async () => {
    const sheet = handKeptSheet("counter", 10);
    await writeValues(p("plain.xlsx"), sheet.name, sheet.values);
    const wb = new Workbook();
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
    wb.addWorksheet("审计 AUDIT").addRow(["x"]);
    await wb.xlsx.writeFile(p("taken.xlsx"));
    await writeValues(p("empty.xlsx"), "空", [["只有一句话"]]);
    for (const [file, sheetName, code] of [
      ["plain.xlsx", "Sheet9", "NO_SHEET"],
      ["taken.xlsx", undefined, "SHEET_EXISTS"],
    ] as const) {
      const took: string[] = [];
      const viaParts = await adoptFile(p(file), p("never.xlsx"), { sheet: sheetName, now: now(), took: (t) => took.push(t) }).catch((e: unknown) => e);
      const viaExceljs = await adoptFile(p(file), p("never.xlsx"), { sheet: sheetName, now: now(), via: "exceljs" }).catch((e: unknown) => e);
      expect(took).toEqual(["exceljs"]);
      expect((viaParts as { code?: string }).code).toBe(code);
      expect(viaParts).toEqual(viaExceljs);
    }
    const took: string[] = [];
    const none = await adoptFile(p("empty.xlsx"), p("never.xlsx"), { now: now(), took: (t) => took.push(t) }).catch((e: unknown) => e);
    expect(took).toEqual(["exceljs"]);
    expect(none).toEqual(await adoptFile(p("empty.xlsx"), p("never.xlsx"), { now: now(), via: "exceljs" }).catch((e: unknown) => e));
    await expect(fs.stat(p("never.xlsx"))).rejects.toThrow();
  });

  test("a 1904 workbook (its dates are converted), a workbook already a ledger: exceljs's path is taken, and answers as before", async () => {
    const sheet = handKeptSheet("counter", 10);
    const wb = new Workbook();
    (wb.properties as { date1904?: boolean }).date1904 = true;
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
    await wb.xlsx.writeFile(p("mac.xlsx"));
    const r = await both(p("mac.xlsx"));
    expect(r.took).toEqual(["exceljs"]);
    const took: string[] = [];
    const twice = await adoptFile(r.parts, p("twice.xlsx"), { now: now(), took: (t) => took.push(t) }).catch((e: unknown) => e);
    expect(took).toEqual(["exceljs"]);
    expect((twice as { code?: string }).code).toBe("ALREADY_LEDGER");
  });
});
