/**
 * Interchange: a ledger written here opens in LibreOffice (converted to CSV
 * headless), and after LibreOffice saves it back as .xlsx it still has its
 * table, validation lists and conditional formats. Skipped, with a message,
 * where LibreOffice is not installed.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { TABLES } from "../../../src/ledger/workbook-layout";
import { createLedgerBook, createLedgerWorkbook } from "../../../src/stores/xlsx/workbook";
import { readWorkbookFile, saveLedgerBook, saveWorkbook, readLedgerStreaming } from "../../../src/stores/xlsx/file";
import { findTable, internals } from "../../../src/stores/xlsx/tables";
import { findProgram, needsProgram, testIf, officeConvert } from "../../programs";
import { shanghai } from "../../fakes/clock";

const office = findProgram(["libreoffice", "soffice"]);
const maybe = testIf(needsProgram("LibreOffice (libreoffice/soffice) for the interchange test", office !== undefined, "apt-get install libreoffice-calc"));

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-lo-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** Minimal CSV line parser (quoted fields with commas and doubled quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = "",
    q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const convert = (file: string, to: string, outDir: string) => officeConvert(office!, path.join(dir, "profile"), file, to, outDir);

// Both writers: exceljs's in-memory one (the pane's downloads, the store) and the streaming one (sample, adopt).
maybe.each(["in-memory", "streamed"])(
  "LibreOffice reads the ledger (%s writer) and keeps table, lists and formats on re-save",
  async (writer) => {
    const d = await generateSample({ cases: 25 });
    const file = path.join(dir, writer, "ledger.xlsx");
    await fs.mkdir(path.dirname(file), { recursive: true });
    const content = { policy: defaultPolicy(), ...d, now: shanghai(2026, 5, 30) };
    if (writer === "streamed") await saveLedgerBook(createLedgerBook(content), file);
    else await saveWorkbook(createLedgerWorkbook(content), file);

    const csvDir = path.join(dir, writer, "csv");
    convert(file, "csv:Text - txt - csv (StarCalc):44,34,76", csvDir);
    const csv = await fs.readFile(path.join(csvDir, "ledger.csv"), "utf8");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toContain("客诉单号 Case No.");
    expect(lines).toHaveLength(26);
    const header = fields(lines[0]);
    const due = header.indexOf("回复到期 Reply due");
    expect(due).toBeGreaterThan(0);
    // The cached due date and status show (LibreOffice does not know CL.DUEDATE).
    const shown = lines.slice(1).map(fields);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((r) => r.length === header.length)).toBe(true);
    expect(shown.filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[due])).length).toBe(25);
    // A case closed with neither a reply nor a close date has nothing to judge: its status is blank (adopted history).
    const [status, replied, closed] = ["状态 Status", "回复日期 Replied at", "结案日期 Closed at"].map((h) => header.indexOf(h));
    const undated = (r: string[]) => ["已结案", "已跟踪"].includes(r[status]) && r[replied] === "" && r[closed] === "";
    expect(shown.every((r) => (undated(r) ? [""] : ["按时", "即将到期", "逾期", "按时完成", "超时完成"]).includes(r[due + 1]))).toBe(true);
    expect(csv).toContain("KS-2026-0001");

    const xlsxDir = path.join(dir, writer, "lo");
    convert(file, "xlsx", xlsxDir);
    const back = path.join(xlsxDir, "ledger.xlsx");
    const wb = await readWorkbookFile(back);
    const spot = findTable(wb, TABLES.ledger);
    expect(spot).toBeDefined();
    expect(spot!.bodyRows).toBe(25);
    const dv = Object.values(internals(spot!.ws).dataValidations.model) as { type: string; formulae: string[] }[];
    expect(dv.some((v) => v?.type === "list" && String(v.formulae[0]).includes("已结案"))).toBe(true);
    const cf = internals(spot!.ws).conditionalFormattings as { rules: { formulae?: string[] }[] }[];
    expect(cf.flatMap((c) => c.rules.flatMap((r) => r.formulae ?? [])).some((f) => f.includes("逾期"))).toBe(true);
    // And our own reader still reads it as the same ledger.
    const again = await readLedgerStreaming(back);
    expect(again.rows.map((r) => r[0])).toEqual(d.rows.map((r) => r[0]));
  },
  180000,
);
