/**
 * `adopt` reads its input once: when the parts path leaves a file to exceljs's (a 1904 workbook), exceljs
 * loads the bytes already read instead of reading the file again.
 */
import { promises as fsp } from "fs";
import * as os from "os";
import * as path from "path";
import { Workbook } from "exceljs";
import { handKeptSheet } from "../../../src/sample/handkept";
import { adoptFile } from "../../../src/stores/xlsx/file";

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), "cl-adopt-once-"));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

const now = () => new Date(Date.UTC(2026, 10, 26, 2, 0, 0));

async function writeSheet(file: string, date1904: boolean): Promise<void> {
  const sheet = handKeptSheet("counter", 10);
  const wb = new Workbook();
  (wb.properties as { date1904?: boolean }).date1904 = date1904;
  const ws = wb.addWorksheet(sheet.name);
  for (const row of sheet.values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
  await wb.xlsx.writeFile(file);
}

test.each([
  ["a 1904 workbook, left to exceljs's path", true, "exceljs"],
  ["a workbook the parts path adopts", false, "parts"],
])("%s: the input is read once", async (_name, date1904, way) => {
  const input = path.join(dir, `in-${way}.xlsx`);
  await writeSheet(input, date1904);
  const reads = jest.spyOn(fsp, "readFile");
  const took: string[] = [];
  const plan = await adoptFile(input, path.join(dir, `out-${way}.xlsx`), { now: now(), took: (t) => took.push(t) });
  expect(took).toEqual([way]);
  expect(plan.counts.cases).toBe(10);
  expect(reads.mock.calls.filter(([f]) => f === input)).toHaveLength(1);
});
