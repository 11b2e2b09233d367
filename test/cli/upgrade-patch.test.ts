/**
 * `upgrade` writes a patch of the file's parts (stores/xlsx/upgrade/upgrade-parts.ts, issue 26): on each ledger an
 * earlier release wrote, the patched file holds, cell for cell, what the upgrade through exceljs's whole workbook
 * writes (values, formulas, number formats, the table's columns and range, the new columns' widths and
 * validations, the meta sheet); and a ledger too big for exceljs (the limit lowered here) upgrades all the same.
 * Sheets over the limit for parts read whole (lowered here) stream through check and upgrade, read from the file a
 * slice at a time; a sheet over the streamed-sheet limit, or one that lies about its size or CRC, is refused.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { Workbook, Worksheet } from "exceljs";
import { Ledger } from "../../src/ledger/service";
import { AUDIT_COLUMNS, META, SCHEMA_VERSION, SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { openLedgerFile, readLedgerStreaming, readWorkbookFile, saveLedgerBook, saveWorkbook } from "../../src/stores/xlsx/file";
import { LIMITS } from "../../src/stores/xlsx/limits";
import { writableLimits } from "../fakes/limits";
import { FastWorkbook } from "../../src/stores/xlsx/reader/fast-read";
import { zipEntries } from "../../src/stores/xlsx/reader/zip-read";
import { SLICED, ZipFile } from "../../src/stores/xlsx/zip/zip-file";
import { deflatePart, inflatePart, unzipParts, zipParts as zipKit, type Part } from "../stores/xlsx/zip-kit";
import { findTable, internals } from "../../src/stores/xlsx/tables";
import * as parts from "../../src/stores/xlsx/upgrade/upgrade-parts";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { SNAPSHOTS } from "../../src/ledger/migrations/steps";
import { streamSample } from "../../src/sample/ledger-sample";
import { rowAt, rowsArray } from "../../src/stores/xlsx/sheet-xml";
import { createLedgerBook } from "../../src/stores/xlsx/workbook";
import { cliAt } from "./run";
import { shanghai } from "../fakes/clock";

jest.setTimeout(60000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const cli = cliAt(now);
const FIXTURES = ["ledger-v0.1.0.xlsx", "ledger-v0.1.x-sample.xlsx", "ledger-v0.1.x-adopted.xlsx", "ledger-v0.2.x-sample.xlsx"].map((f) =>
  path.join(__dirname, "..", "fixtures", f),
);
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-upgrade-patch-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
let n = 0;
async function copy(src: string): Promise<string> {
  const to = path.join(dir, `${++n}-${path.basename(src)}`);
  await fs.copyFile(src, to);
  return to;
}

/** The upgrade as the CLI did it before issue 26: exceljs's model of the whole workbook, saved whole. */
async function upgradeThroughExceljs(file: string): Promise<void> {
  const { workbook, store } = await openLedgerFile(file, { now });
  await new Ledger(store, { now }).upgrade({ name: "complaint-ledger", source: "cli" });
  await saveWorkbook(workbook, file);
}

/** Cells with a value, or a number format, in either sheet: address → value, formula and format as exceljs reads them. */
function cellsOf(ws: Worksheet): Map<string, string> {
  const out = new Map<string, string>();
  ws.eachRow({ includeEmpty: true }, (row) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      if (cell.value === null && !cell.numFmt) return;
      out.set(cell.address, JSON.stringify([cell.value ?? null, cell.numFmt ?? null]));
    });
  });
  return out;
}

/** Every difference between two workbooks, as far as a reader of the ledger sees them (bounded). */
function differences(a: Workbook, b: Workbook): string[] {
  const diffs: string[] = [];
  const say = (s: string) => diffs.length < 20 && diffs.push(s);
  const names = (wb: Workbook) => wb.worksheets.map((w) => `${w.name}:${w.state}`);
  if (names(a).join() !== names(b).join()) say(`sheets ${names(a)} → ${names(b)}`);
  for (const ws of a.worksheets) {
    const other = b.getWorksheet(ws.name);
    if (!other) continue;
    const [x, y] = [cellsOf(ws), cellsOf(other)];
    for (const k of new Set([...x.keys(), ...y.keys()])) {
      // A blank cell with the General format is no cell to a reader.
      const blank = (v: string | undefined) => v === undefined || v === '[null,"General"]';
      if (x.get(k) !== y.get(k) && !(blank(x.get(k)) && blank(y.get(k)))) say(`${ws.name}!${k}: ${x.get(k)} → ${y.get(k)}`);
    }
  }
  const [ta, tb] = [findTable(a, TABLES.ledger)!, findTable(b, TABLES.ledger)!];
  const geometry = (t: typeof ta) =>
    JSON.stringify([t.top, t.left, t.width, t.bodyRows, (t.table as unknown as { model: { columns: { name: string }[] } }).model.columns.map((c) => c.name)]);
  if (geometry(ta) !== geometry(tb)) say(`ledger table ${geometry(ta)} → ${geometry(tb)}`);
  for (let c = 1; c <= ta.left + ta.width - 1; c++) {
    const [ca, cb] = [ta.ws.getColumn(c), tb.ws.getColumn(c)];
    if (ca.width !== cb.width || ca.numFmt !== cb.numFmt) say(`column ${c}: ${ca.width} ${ca.numFmt} → ${cb.width} ${cb.numFmt}`);
  }
  const rules = (ws: Worksheet, address: string) =>
    JSON.stringify((internals(ws).dataValidations as unknown as { find(a: string): unknown }).find(address) ?? null);
  for (let c = ta.left; c < ta.left + ta.width; c++) {
    for (const r of [ta.top + 1, ta.top + ta.bodyRows, ta.top + ta.bodyRows + 500]) {
      const at = ta.ws.getCell(r, c).address;
      if (rules(ta.ws, at) !== rules(tb.ws, at)) say(`validation at ${at}: ${rules(ta.ws, at)} → ${rules(tb.ws, at)}`);
    }
  }
  return diffs;
}

/**
 * A ledger of the previous schema as this tool streams one (inline text: the audit head is read as the sheet streams),
 * its meta head one entry behind the log (as if a save's meta update were lost): the entries chain on the log's head.
 */
async function streamedOldLedger(file: string): Promise<void> {
  const prev = SNAPSHOTS[SNAPSHOTS.length - 2];
  const s = await streamSample({ cases: 150 });
  const keep = new Set(prev.columns.map((c) => c.header));
  const at = s.header.map((h, j) => (keep.has(h) ? j : -1)).filter((j) => j >= 0);
  const audit = rowsArray(s.auditRows ?? []);
  const behind = audit[audit.length - 2];
  const meta = {
    ...s.meta,
    [META.schemaVersion]: prev.version,
    [META.auditSeq]: String(behind[0]),
    [META.auditHash]: String(behind[AUDIT_COLUMNS.findIndex((c) => c.key === "hash")]),
  };
  const rows = { length: s.rows.length, row: (i: number) => ((r) => at.map((j) => r[j]))(rowAt(s.rows, i)) };
  await saveLedgerBook(createLedgerBook({ ...s, policy: defaultPolicy(), header: at.map((j) => s.header[j]), rows, meta, now: now() }), file);
}

describe.each([...FIXTURES, "streamed"])("%s", (fixture) => {
  test("the patched upgrade writes, cell for cell, what the upgrade through exceljs writes", async () => {
    const streamed = fixture === "streamed";
    if (streamed) await streamedOldLedger((fixture = path.join(dir, "streamed-old.xlsx")));
    const [viaExceljs, patched] = [await copy(fixture), await copy(fixture)];
    await upgradeThroughExceljs(viaExceljs);
    const spy = jest.spyOn(parts, "writeUpgrade");
    try {
      const r = await cli("upgrade", patched, "--json");
      expect(r.code).toBe(0);
      // Once, or twice when the audit log's hashes are shared strings (Excel's way): the head is scanned first then.
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(1);
      if (streamed) expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    const [a, b] = [await readWorkbookFile(viaExceljs), await readWorkbookFile(patched)];
    // The two files really are upgraded (a comparison of two unchanged files would pass too).
    const before = findTable(await readWorkbookFile(fixture), TABLES.ledger)!;
    expect(findTable(b, TABLES.ledger)!.width).toBeGreaterThan(before.width);
    expect(differences(a, b)).toEqual([]);
    expect((await readLedgerStreaming(patched)).meta[META.schemaVersion]).toBe(SCHEMA_VERSION);
    expect((await cli("verify-audit", patched)).code).toBe(0);
  });
});

test("a ledger past exceljs's limit upgrades by the patch; exceljs refuses it; the result verifies and checks as current", async () => {
  const file = await copy(FIXTURES[3]);
  const limits = LIMITS as { exceljsBytes: number };
  const was = limits.exceljsBytes;
  // What exceljs's budget allows, lowered below this file's size (as a 13,000-case ledger passes the real one).
  limits.exceljsBytes = 100_000;
  try {
    await expect(openLedgerFile(file, { now })).rejects.toMatchObject({ en: expect.stringMatching(/inflates to .* the limit is/) });
    const r = await cli("upgrade", file, "--json", "--lang", "en");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ from: "2", to: SCHEMA_VERSION });
    expect((await cli("verify-audit", file)).code).toBe(0);
    expect(JSON.parse((await cli("check", file, "--json")).out).schema).toEqual({ version: SCHEMA_VERSION, current: SCHEMA_VERSION });
    const again = await cli("upgrade", file, "--json");
    expect(JSON.parse(again.out).changes).toEqual([]);
  } finally {
    limits.exceljsBytes = was;
  }
  const data = await readLedgerStreaming(file);
  expect(data.auditRows[data.auditRows.length - 1]).toEqual(expect.arrayContaining(["UPGRADED", "2", SCHEMA_VERSION]));
  expect(data.header.length).toBe(findTable(await readWorkbookFile(file), TABLES.ledger)!.width);
});

describe("sheets over the whole-part limit (lowered here) stream: the file read by slices, checked and upgraded", () => {
  const { limits, real: saved } = writableLimits();

  /** The ledger's and audit's sheet parts (inflated sizes as declared), and the largest of the other parts. */
  async function partSizes(file: string): Promise<{ ledger: string; audit: string; big: number[]; others: number }> {
    const buf = await fs.readFile(file);
    const book = FastWorkbook.open(buf);
    const ledgerName = findTable(await readWorkbookFile(file), TABLES.ledger)!.ws.name;
    const pathOf = (name: string) => book.sheets.find((s) => s.name === name)!.path;
    const [ledger, audit] = [pathOf(ledgerName), pathOf(SHEETS.audit)];
    const entries = zipEntries(buf);
    const size = (name: string) => entries.find((e) => e.name === name)!.usize;
    return {
      ledger,
      audit,
      big: [size(ledger), size(audit)],
      others: Math.max(...entries.filter((e) => e.name !== ledger && e.name !== audit).map((e) => e.usize)),
    };
  }

  /** Limits for parts read whole set between the small parts and the two big sheets; the file read by slices. */
  async function lowered(file: string) {
    const s = await partSizes(file);
    const below = Math.min(...s.big) - 1;
    // Meaningful only when every other part still fits (the workbook, styles, shared strings, the small sheets).
    expect(s.others).toBeLessThan(below);
    limits.partBytes = limits.wholePartBytes = below;
    SLICED.aboveBytes = 0;
    return s;
  }

  test.each([["ledger-v0.2.x-sample.xlsx"], ["streamed"]])(
    "%s: check and upgrade stream both sheets; the file equals exceljs's upgrade and verifies",
    async (name) => {
      let fixture = path.join(__dirname, "..", "fixtures", name);
      if (name === "streamed") await streamedOldLedger((fixture = path.join(dir, "big-streamed-old.xlsx")));
      const [viaExceljs, patched] = [await copy(fixture), await copy(fixture)];
      await upgradeThroughExceljs(viaExceljs);
      const before = JSON.parse((await cli("check", patched, "--json")).out);
      await lowered(patched);
      // The whole-part reader refuses it now: the sheets really are over the limit the streaming paths no longer apply.
      await expect(readLedgerStreaming(patched)).rejects.toMatchObject({ code: "LIMIT", en: expect.stringMatching(/declares .* the limit is/) });
      const opened = jest.spyOn(ZipFile, "open");
      const checked = await cli("check", patched, "--json");
      // Read by slices from the file, never whole.
      expect(opened).toHaveBeenCalledWith(patched);
      expect(checked.err).toMatch(/upgrade/);
      expect(JSON.parse(checked.out)).toEqual(before);
      const r = await cli("upgrade", patched, "--json", "--lang", "en");
      expect([r.code, r.err]).toEqual([0, ""]);
      expect(JSON.parse(r.out)).toMatchObject({ from: SNAPSHOTS[SNAPSHOTS.length - 2].version, to: SCHEMA_VERSION });
      expect(opened.mock.calls.length).toBeGreaterThanOrEqual(3);
      opened.mockRestore();
      expect((await cli("verify-audit", patched)).code).toBe(0);
      const after = JSON.parse((await cli("check", patched, "--json")).out);
      expect(after.schema).toEqual({ version: SCHEMA_VERSION, current: SCHEMA_VERSION });
      expect(after.cases).toBe(before.cases);
      Object.assign(limits, saved);
      expect(differences(await readWorkbookFile(viaExceljs), await readWorkbookFile(patched))).toEqual([]);
      const [a, b] = [await readLedgerStreaming(viaExceljs), await readLedgerStreaming(patched)];
      expect(b.rows).toEqual(a.rows);
      expect(b.auditRows.length).toBe(a.auditRows.length);
    },
  );

  test("a sheet declaring more than the streamed-sheet limit (lowered here): check and upgrade refuse it before work, exit 2, file untouched", async () => {
    const file = await copy(FIXTURES[3]);
    const s = await lowered(file);
    limits.streamedPartBytes = Math.min(...s.big) - 1;
    const bytes = await fs.readFile(file);
    for (const argv of [
      ["check", file],
      ["upgrade", file],
    ]) {
      const r = await cli(...argv, "--lang", "en");
      expect([argv[0], r.code]).toEqual([argv[0], 2]);
      const over = /Limit exceeded: (\S+) in the zip declares .* the limit is/.exec(r.err)?.[1];
      expect([s.ledger, s.audit]).toContain(over);
    }
    expect((await cli("upgrade", file, "--lang", "zh")).err).toMatch(/超出限制/);
    expect((await fs.readFile(file)).equals(bytes)).toBe(true);
  });

  test("what a sheet holds after its rows, over the whole-part limit (lowered here): the upgrade refuses it, exit 2, file untouched", async () => {
    const fixture = path.join(dir, `tail-${++n}.xlsx`);
    await streamedOldLedger(fixture);
    const s = await partSizes(fixture);
    const zip = unzipParts(await fs.readFile(fixture));
    const i = zip.findIndex((p) => p.name === s.ledger);
    const tail = `<ignoredErrors>${'<ignoredError sqref="A1" numberStoredAsText="1"/>'.repeat(Math.ceil((4 * s.others) / 48))}</ignoredErrors>`;
    zip[i] = deflatePart(s.ledger, inflatePart(zip[i]).replace("</sheetData>", `</sheetData>${tail}`));
    await fs.writeFile(fixture, zipKit(zip));
    const bytes = await fs.readFile(fixture);
    limits.wholePartBytes = 2 * s.others;
    const r = await cli("upgrade", fixture, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Limit exceeded: \S+ \(one row or the part after the rows\) in the zip inflates to more than .* the limit is/);
    expect((await fs.readFile(fixture)).equals(bytes)).toBe(true);
    // Under the real limits the same file upgrades.
    limits.wholePartBytes = saved.wholePartBytes;
    expect((await cli("upgrade", fixture)).code).toBe(0);
  });

  test.each([
    ["declares less than it inflates to", (p: Part) => ({ ...p, usize: p.usize - 10 }), /does not inflate to the size the zip declares/],
    ["declares more than it inflates to", (p: Part) => ({ ...p, usize: p.usize + 10 }), /does not inflate to the size the zip declares/],
    ["fails its CRC", (p: Part) => ({ ...p, crc: (p.crc! ^ 1) >>> 0 }), /fails the zip's CRC check/],
  ])("an audit sheet that %s is caught as it streams into the upgrade: exit 2, nothing written", async (_what, lie, message) => {
    const fixture = path.join(dir, `liar-${++n}.xlsx`);
    await streamedOldLedger(fixture);
    const s = await lowered(fixture);
    const zip = unzipParts(await fs.readFile(fixture));
    const i = zip.findIndex((p) => p.name === s.audit);
    zip[i] = lie(zip[i]);
    await fs.writeFile(fixture, zipKit(zip));
    const bytes = await fs.readFile(fixture);
    const r = await cli("upgrade", fixture, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect((await fs.readFile(fixture)).equals(bytes)).toBe(true);
    expect((await fs.readdir(dir)).filter((f) => f.includes(path.basename(fixture)) && f !== path.basename(fixture))).toEqual([]);
  });
});
