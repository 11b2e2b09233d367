/**
 * Excel's grid ends at row 1,048,576: a write that would put a row past it, on any sheet it appends to, is
 * refused before a byte is written (limits.ts checkRowsFit), with a bilingual LIMIT error saying what to do.
 * The limit is lowered here (as upgrade-patch.test.ts lowers exceljs's), not reached by writing a million rows.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { cliAt } from "../../cli/run";
import { shanghai } from "../../fakes/clock";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample, streamSample } from "../../../src/sample/ledger-sample";
import { SNAPSHOTS } from "../../../src/ledger/migrations/steps";
import { createLedgerBook, createLedgerWorkbook } from "../../../src/stores/xlsx/workbook";
import { ledgerBookBuffer } from "../../../src/stores/xlsx/book-write";
import { openLedgerFile, readLedgerStreaming, saveLedgerBook, saveWorkbook } from "../../../src/stores/xlsx/file";
import { checkRowsFit, LIMITS, rowsLeft } from "../../../src/stores/xlsx/limits";
import { auditAppend, patchPlace } from "../../../src/stores/xlsx/patch";
import { META, SHEETS } from "../../../src/ledger/workbook-layout";

jest.setTimeout(60000);
const now = () => shanghai(2026, 6, 30, 10, 0, 0);
const cli = cliAt(now);
const limits = LIMITS as { rows: number };
const REAL = LIMITS.rows;
let dir: string;
const p = (f: string) => path.join(dir, f);
const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-grid-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
afterEach(() => {
  limits.rows = REAL;
});

/** A 12-case ledger as the CLI would find it, and the last row of its Audit sheet (header on row 1). */
async function ledger(name: string): Promise<{ file: string; auditLast: number; ledgerLast: number }> {
  const d = await generateSample({ cases: 12, seed: 5 });
  const file = p(name);
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), file);
  return { file, auditLast: 1 + d.auditRows.length, ledgerLast: 1 + d.rows.length };
}

test("the one check: rows left below a row, and the refusal in both languages with the way out", () => {
  expect(rowsLeft(REAL - 3)).toBe(3);
  expect(rowsLeft(REAL + 5)).toBe(0);
  expect(() => checkRowsFit(SHEETS.audit, REAL - 3, 3)).not.toThrow();
  let e: unknown;
  try {
    checkRowsFit(SHEETS.audit, REAL - 3, 4);
  } catch (x) {
    e = x;
  }
  expect(e).toMatchObject({ code: "LIMIT" });
  const { zh, en } = e as { zh: string; en: string };
  expect(zh).toContain("审计日志已满,请将已结案年度归档到另一个工作簿");
  expect(zh).toContain("1,048,573");
  expect(en).toMatch(/sheet "审计 Audit" is used to row 1,048,573; 4 more rows would pass Excel's 1,048,576 rows/);
  expect(en).toMatch(/The audit log is full: archive closed cases' years into a separate workbook/);
  expect(() => checkRowsFit(SHEETS.ledger, REAL, 1)).toThrow(expect.objectContaining({ en: expect.stringMatching(/The ledger is full/) }));
});

test("a new book whose audit body would pass the grid is refused before a byte; no file is left", async () => {
  const d = await generateSample({ cases: 6, seed: 3 });
  const book = () => createLedgerBook({ policy: defaultPolicy(), ...d, now: now() });
  limits.rows = d.auditRows.length; // the header row takes one: the last entry would land one row past
  let bytes = 0;
  const { writeLedgerBook } = await import("../../../src/stores/xlsx/book-write");
  await expect(writeLedgerBook(book(), async (b) => void (bytes += b.length))).rejects.toMatchObject({
    code: "LIMIT",
    en: expect.stringContaining(SHEETS.audit),
  });
  expect(bytes).toBe(0);
  await expect(saveLedgerBook(book(), p("new.xlsx"))).rejects.toMatchObject({ code: "LIMIT" });
  await expect(fs.stat(p("new.xlsx"))).rejects.toMatchObject({ code: "ENOENT" });
  expect(await fs.readdir(dir)).not.toContainEqual(expect.stringMatching(/new\.xlsx.*tmp/));
  limits.rows = d.auditRows.length + 1; // exactly full: written
  expect((await ledgerBookBuffer(book())).length).toBeGreaterThan(0);
});

test("the patch's audit append (calendar import --into, upgrade) is refused when the entries would pass the grid", async () => {
  const d = await generateSample({ cases: 6, seed: 3 });
  const buf = await ledgerBookBuffer(createLedgerBook({ policy: defaultPolicy(), ...d, now: now() }));
  const place = patchPlace(buf)!;
  const part = place.parts.find((x) => x.name === place.audit)!;
  const entries = [d.auditRows[0], d.auditRows[1]];
  limits.rows = 1 + d.auditRows.length + 1;
  expect(() => auditAppend(part, place.auditTable, d.auditRows.length, entries)).toThrow(expect.objectContaining({ code: "LIMIT" }));
  limits.rows = 1 + d.auditRows.length + 2;
  expect(auditAppend(part, place.auditTable, d.auditRows.length, entries).bottom).toBe(LIMITS.rows);
});

describe("the command line's appends, the limit lowered to the file's rows", () => {
  test("case new and case set: exit 2, LIMIT in both languages, the file unchanged byte for byte", async () => {
    const { file, auditLast, ledgerLast } = await ledger("full.xlsx");
    const before = await sha(file);
    const row = (await readLedgerStreaming(file)).rows[0];
    const no = String(row[0]);
    limits.rows = auditLast; // the audit log is full, the ledger is not
    const intake = ["--set", "接收时间=2026-06-29 09:00", "--set", "客户=华为", "--set", "产品名称=支架", "--set", "不良现象=划伤", "--set", "类别=客退"];
    for (const lang of ["zh", "en"]) {
      const r = await cli("case", "new", file, ...intake, "--as", "徐静", "--lang", lang);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(lang === "zh" ? /审计日志已满,请将已结案年度归档到另一个工作簿/ : /The audit log is full: archive closed cases' years/);
    }
    const set = await cli("case", "set", file, no, "--set", "客户=比亚迪", "--as", "徐静", "--lang", "en");
    expect(set.code).toBe(2);
    expect(set.err).toMatch(/audit log is full/);
    expect(await sha(file)).toBe(before);
    // The store refuses a ledger row past the grid too (appends without entries: the audit log has room).
    limits.rows = REAL;
    const { store } = await openLedgerFile(file, { now });
    limits.rows = ledgerLast;
    await expect(store.write({ appends: [row] })).rejects.toMatchObject({
      code: "LIMIT",
      en: expect.stringMatching(/row 13; 1 more rows .* The ledger is full/),
    });
    limits.rows = ledgerLast + 1;
    await expect(store.write({ appends: [row] })).resolves.toBeUndefined();
    expect(await sha(file)).toBe(before);
    limits.rows = REAL;
    expect((await cli("case", "new", file, ...intake, "--as", "徐静")).code).toBe(0);
  });
});

describe("sample: refused up front past the grid, naming the most cases that fit", () => {
  test("--cases past the limit: exit 2 in both languages, no file; the count named fits exactly, one more does not", async () => {
    limits.rows = 300;
    const en = await cli("sample", "-o", p("s1.xlsx"), "--cases", "80", "--seed", "11", "--lang", "en");
    expect(en.code).toBe(2);
    expect(en.err).toMatch(/a sample of 80 cases holds [\d,]+ audit entries: sheet "审计 Audit" would pass Excel's 300 rows/);
    const most = Number(/--cases can be at most (\d+)\. No file was written/.exec(en.err)?.[1]);
    expect(most).toBeGreaterThan(20);
    expect(most).toBeLessThan(80);
    await expect(fs.stat(p("s1.xlsx"))).rejects.toMatchObject({ code: "ENOENT" });
    const zh = await cli("sample", "-o", p("s1.xlsx"), "--cases", "80", "--seed", "11", "--lang", "zh");
    expect(zh.err).toContain(`此种子下 --cases 最多为 ${most}。未写入任何文件`);
    // An existing file is not touched by a refusal, --force or not.
    await fs.writeFile(p("keep.xlsx"), "mine");
    expect((await cli("sample", "-o", p("keep.xlsx"), "--cases", String(most + 1), "--seed", "11", "--force")).code).toBe(2);
    expect(await fs.readFile(p("keep.xlsx"), "utf8")).toBe("mine");
    expect((await cli("sample", "-o", p("s1.xlsx"), "--cases", String(most), "--seed", "11")).code).toBe(0);
    const d = await readLedgerStreaming(p("s1.xlsx"));
    expect(d.rows).toHaveLength(most);
    expect(1 + d.auditRows.length).toBeLessThanOrEqual(300);
    expect(d.auditRows.length).toBeGreaterThan(260); // close to full: the most that fits, not a safe guess
  });
});

test("upgrade with the audit log full: exit 2 in both languages; the file unchanged, no -o file made", async () => {
  // A ledger of the previous schema as this tool streams one (upgrade-patch.test.ts): enough entries to outgrow the Policy sheet.
  const file = p("old.xlsx");
  const prev = SNAPSHOTS[SNAPSHOTS.length - 2];
  const s = await streamSample({ cases: 60 });
  const keep = new Set(prev.columns.map((c) => c.header));
  const at = s.header.map((h, j) => (keep.has(h) ? j : -1)).filter((j) => j >= 0);
  const rows = { length: s.rows.length, row: (i: number) => ((r) => at.map((j) => r[j]))(s.rows.row(i)) };
  const meta = { ...s.meta, [META.schemaVersion]: prev.version };
  await saveLedgerBook(createLedgerBook({ ...s, policy: defaultPolicy(), header: at.map((j) => s.header[j]), rows, meta, now: now() }), file);
  const before = await sha(file);
  const d = await readLedgerStreaming(file);
  limits.rows = 1 + d.auditRows.length; // every other sheet is shorter: the file still reads
  expect(d.rows.length + 1).toBeLessThan(limits.rows);
  const en = await cli("upgrade", file, "--lang", "en");
  expect(en.code).toBe(2);
  expect(en.err).toMatch(/The audit log is full: archive closed cases' years into a separate workbook/);
  const zh = await cli("upgrade", file, "-o", p("up.xlsx"), "--lang", "zh");
  expect(zh.code).toBe(2);
  expect(zh.err).toMatch(/审计日志已满/);
  await expect(fs.stat(p("up.xlsx"))).rejects.toMatchObject({ code: "ENOENT" });
  expect(await sha(file)).toBe(before);
  expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  limits.rows = REAL;
  expect((await cli("upgrade", file, "-o", p("up.xlsx"))).code).toBe(0);
});
