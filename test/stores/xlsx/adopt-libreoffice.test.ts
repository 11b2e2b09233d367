/**
 * The hand-kept sheets of issue 13 (row counter, numbered, ERP export) as
 * LibreOffice writes them: generated here, re-saved by LibreOffice headless,
 * then adopted from LibreOffice's file and read back with our reader. The
 * adopted ledger goes through LibreOffice again (to CSV) and still shows every
 * case. Skipped, with a message, where LibreOffice is not installed.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { Workbook } from "exceljs";
import { readCase } from "../../../src/domain/case";
import { ymdToSerial } from "../../../src/domain/dates";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { policyFromRows } from "../../../src/domain/policy/policy-table";
import { handKeptSheet, type HandKeptStyle } from "../../../src/sample/handkept";
import { PEOPLE_COLUMNS } from "../../../src/ledger/workbook-layout";
import { keysOfHeader, rowToRecord } from "../../../src/ledger/records";
import { adoptWorkbook } from "../../../src/stores/xlsx/adopt";
import { readLedgerStreaming, readWorkbookFile, saveLedgerBook } from "../../../src/stores/xlsx/file";
import type { DeferredBody } from "../../../src/stores/xlsx/sheet-xml";
import { findProgram, needsProgram, testIf, officeConvert } from "../../programs";

const office = findProgram(["libreoffice", "soffice"]);
const maybe = testIf(needsProgram("LibreOffice (libreoffice/soffice) for the adoption round trip", office !== undefined, "apt-get install libreoffice-calc"));

const policy = defaultPolicy();
const NOW = new Date(Date.UTC(2026, 10, 26, 2, 0));
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-lo-adopt-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const convert = (file: string, to: string, outDir: string) => officeConvert(office!, path.join(dir, "profile"), file, to, outDir);

maybe.each(["counter", "numbered", "erp"] as HandKeptStyle[])(
  "a %s sheet saved by LibreOffice adopts as meant",
  async (style) => {
    const sheet = handKeptSheet(style, 400);
    const wb = new Workbook();
    const ws = wb.addWorksheet(sheet.name);
    sheet.values.forEach((r) => ws.addRow(r));
    if (sheet.headerRow > 0) ws.mergeCells(1, 1, 1, sheet.values[sheet.headerRow].length);
    const original = path.join(dir, `${style}.xlsx`);
    await wb.xlsx.writeFile(original);
    convert(original, "xlsx", path.join(dir, "lo"));

    const input = await readWorkbookFile(path.join(dir, "lo", `${style}.xlsx`));
    // As `adopt` writes it: the ledger, Audit and Problems rows streamed (file.ts adoptFile).
    const bodies: DeferredBody[] = [];
    const plan = await adoptWorkbook(input, { sheet: sheet.name, now: NOW, user: "test" }, bodies);
    expect(bodies.map((b) => b.rows.length)[0]).toBe(400);
    const out = path.join(dir, `${style}-adopted.xlsx`);
    await saveLedgerBook({ workbook: input, bodies }, out);

    const back = await readLedgerStreaming(out);
    const keys = keysOfHeader(back.header, policy);
    const cases = back.rows.map((r) => readCase(rowToRecord(keys, r), policy).case);
    expect(cases).toHaveLength(400);
    cases.forEach((c, i) => {
      const t = sheet.truth[i];
      expect([c.product, c.responsibility, c.charge, c.status === "CLOSED"]).toEqual([t.product, t.responsibility, t.charge, t.finished]);
      expect(c.receivedAt).toBe(ymdToSerial(...(t.receivedAt.split("-").map(Number) as [number, number, number])));
      expect(c.caseNo).not.toMatch(/^\d+$/);
    });
    expect(plan.counts.history).toBe(sheet.truth.filter((t) => t.finished).length);
    // The adoption day and the names found travel with the file.
    expect(policyFromRows(back.policyRows).policy!.settings.historyUntil).toBe(plan.historyUntil);
    const names = back.peopleRows.map((r) => r[PEOPLE_COLUMNS.findIndex((c) => c.key === "name")]);
    expect(names).toEqual(expect.arrayContaining([...new Set(sheet.truth.map((t) => t.owner))]));

    if (style === "counter") {
      convert(out, "csv:Text - txt - csv (StarCalc):44,34,76", path.join(dir, "csv"));
      const csv = (await fs.readFile(path.join(dir, "csv", `${style}-adopted.csv`), "utf8")).trim().split("\n");
      expect(csv[0]).toContain("客诉单号 Case No.");
      expect(csv).toHaveLength(401);
      expect(csv.slice(1).every((l) => /^KS-20\d\d-\d{4},/.test(l))).toBe(true);
    }
  },
  240000,
);
