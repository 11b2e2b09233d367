/**
 * A ledger read by slices from its file (stores/xlsx/zip/zip-file.ts: the command line's way with a large file) reads
 * as the same file in memory does: every sheet's rows, a stored (uncompressed) part longer than one piece, and what a
 * damaged or foreign file is said to be.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { FastWorkbook, type ZipBytes } from "../../../src/stores/xlsx/reader/fast-read";
import { scanLedgerFile } from "../../../src/stores/xlsx/file";
import { SLICED, ZipFile } from "../../../src/stores/xlsx/zip/zip-file";
import { deflatePart, inflatePart, unzipParts, zipParts } from "./zip-kit";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "ledger-v0.2.x-sample.xlsx");
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-zip-file-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
const slicedAbove = SLICED.aboveBytes;
afterEach(() => {
  SLICED.aboveBytes = slicedAbove;
});

/** Every sheet's rows (row number first), streamed and read whole. */
async function rowsOf(src: ZipBytes): Promise<unknown[]> {
  const book = FastWorkbook.open(src);
  const out: unknown[] = [];
  for (let i = 0; i < book.sheets.length; i++) {
    const streamed: unknown[][] = [];
    await book.streamRows(i, false, (n, vals) => void streamed.push([n, ...vals]));
    const whole: unknown[][] = [];
    book.readRows(i, true, (n, vals) => void whole.push([n, ...vals]));
    out.push(book.sheets[i].name, streamed, whole);
  }
  return out;
}

async function bySlices<T>(file: string, read: (zip: ZipFile) => Promise<T>): Promise<T> {
  const zip = ZipFile.open(file);
  try {
    return await read(zip);
  } finally {
    zip.close();
  }
}

test("a ledger read by slices gives every sheet's rows as the same file in memory", async () => {
  const inMemory = await rowsOf(await fs.readFile(FIXTURE));
  expect(inMemory.length).toBeGreaterThan(9);
  expect(await bySlices(FIXTURE, rowsOf)).toEqual(inMemory);
});

test("a stored (uncompressed) sheet over a piece (1 MB) is read a piece at a time, its size and CRC checked", async () => {
  const parts = unzipParts(await fs.readFile(FIXTURE));
  const sheets = parts.filter((p) => p.name.startsWith("xl/worksheets/sheet"));
  const i = parts.indexOf(sheets.reduce((a, b) => (b.usize > a.usize ? b : a)));
  const was = inflatePart(parts[i]);
  const pad = " ".repeat(Math.ceil(1.6e6 / was.split("</row>").length));
  const xml = was.replace(/<\/row>/g, `</row>${pad}`);
  expect(Buffer.byteLength(xml)).toBeGreaterThan(1.5 * 1024 * 1024);
  parts[i] = deflatePart(parts[i].name, xml, { stored: true });
  const file = path.join(dir, "stored.xlsx");
  await fs.writeFile(file, zipParts(parts));
  const rows = await rowsOf(await fs.readFile(file));
  expect(await bySlices(file, rowsOf)).toEqual(rows);
  // The same part with one byte changed: the CRC says so, by slices as in memory.
  const bad = await fs.readFile(file);
  bad[bad.indexOf("<sheetData>") + 2000] ^= 1;
  await fs.writeFile(file, bad);
  await expect(bySlices(file, rowsOf)).rejects.toMatchObject({ en: expect.stringMatching(/fails the zip's CRC check/) });
});

test.each([
  ["cut short", async () => (await fs.readFile(FIXTURE)).subarray(0, -300)],
  ["an old .xls", async () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(5000)])],
  ["not a zip", async () => Buffer.from("单号,客户\n".repeat(1000))],
  ["a zip without a workbook", async () => zipParts([deflatePart("word/document.xml", "<w:document/>".repeat(500))])],
  ["an .ods renamed", async () => zipParts([deflatePart("mimetype", "application/vnd.oasis.opendocument.spreadsheet", { stored: true })])],
])("%s: said the same when the file is read by slices", async (name, bytes) => {
  const file = path.join(dir, `${name.replace(/\W+/g, "-")}.xlsx`);
  await fs.writeFile(file, await bytes());
  const err = async () => {
    try {
      await scanLedgerFile(file, () => ({ begin: () => undefined }));
    } catch (e) {
      return e as { code: string; zh: string; en: string };
    }
    throw new Error("read");
  };
  const whole = await err();
  SLICED.aboveBytes = 0;
  const opened = jest.spyOn(ZipFile, "open");
  const sliced = await err();
  expect(opened).toHaveBeenCalled();
  opened.mockRestore();
  expect({ code: sliced.code, zh: sliced.zh, en: sliced.en }).toEqual({ code: whole.code, zh: whole.zh, en: whole.en });
});
