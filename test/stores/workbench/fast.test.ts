/**
 * The workbench's fast open (stores/workbench/fast.ts, decision #45): a ledger read
 * by the CLI's fast reader through an injected inflater gives exactly what an
 * exceljs-backed XlsxStore reads; exceljs parses the file only when a write
 * needs it, once; a file the fast reader cannot read goes to exceljs and
 * reads the same; a parse that fails refuses the write in both languages and
 * loses nothing.
 */
import * as zlib from "zlib";
import JSZip from "jszip";
import { ymdToSerial } from "../../../src/domain/dates";
import { instantToSerial } from "../../../src/domain/zone";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { headOf } from "../../../src/ledger/audit";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { createLedgerWorkbook, workbookBuffer } from "../../../src/stores/xlsx/workbook";
import type { Inflater } from "../../../src/stores/xlsx/reader/fast-read";
import * as workbench from "../../../src/stores/workbench/open";
import { WorkbenchClient, type Port } from "../../../src/stores/workbench/client";
import * as fastModule from "../../../src/stores/workbench/fast";
import { FastStore, readLedgerFast, tableOfXml } from "../../../src/stores/workbench/fast";
import { platformInflater } from "../../../src/stores/workbench/inflate";
import { workbenchHandler, type HandlerOptions } from "../../../src/stores/workbench/worker-core";
import { toWire, type Request } from "../../../src/stores/workbench/protocol";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(120_000);
const NOW = shanghai(2026, 10, 26, 9, 0, 0);
const now = () => NOW;

/** DecompressionStream, as the browser worker uses it (Node 20 has "deflate-raw" too). */
const streams = platformInflater()!;
/** A second inflater, Node's zlib behind the injected seam, in small pieces (many piece ends). */
const zlibPieces: Inflater = async (raw, onPiece) => {
  const out = zlib.inflateRawSync(raw);
  for (let i = 0; i < out.length; i += 4096) if (onPiece(out.subarray(i, i + 4096)) === false) return;
};

let sampleBytes: ArrayBuffer;
beforeAll(async () => {
  const d = await generateSample({ cases: 300, today: ymdToSerial(2026, 11, 20) });
  const wb = createLedgerWorkbook({
    policy: defaultPolicy(),
    header: d.header,
    rows: d.rows,
    peopleRows: d.peopleRows,
    auditRows: d.auditRows,
    meta: d.meta,
    now: NOW,
  });
  // An ArrayBuffer of its own (Node may hand back a view into a pool): it is transferred to the worker.
  sampleBytes = new Uint8Array(await workbookBuffer(wb)).slice().buffer;
});

const exceljsRead = async (bytes: ArrayBuffer) => new XlsxStore(await workbench.loadWorkbook(bytes), { now }).read();

function inProcess(opts: HandlerOptions): WorkbenchClient {
  const page: Port = { onmessage: null, postMessage: () => undefined };
  const send = (msg: unknown) => queueMicrotask(() => page.onmessage?.({ data: structuredClone(msg) } as MessageEvent));
  const handle = workbenchHandler(() => undefined, opts);
  page.postMessage = (msg: unknown, transfer?: Transferable[]) => {
    const { id, req } = structuredClone(msg, { transfer: transfer as Transferable[] }) as { id: number; req: Request };
    handle(req).then(
      (result) => send({ id, result }),
      (err) => send({ id, error: toWire(err) }),
    );
  };
  return new WorkbenchClient(page, now);
}

/** The same file with an XML comment in each worksheet: exceljs reads it, the fast reader does not. */
async function withSheetComments(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const zip = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = await zip.file(name)!.async("string");
    zip.file(name, xml.replace("<sheetData>", "<sheetData><!-- 手写 comment -->"));
  }
  const out = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  return out.slice().buffer;
}

describe("reading a ledger with the fast reader", () => {
  test.each([
    ["DecompressionStream", streams],
    ["zlib in pieces", zlibPieces],
    ["Node's zlib (no inflater)", undefined],
  ])("through %s it reads what XlsxStore reads from exceljs's workbook", async (_, inflate) => {
    const fast = await readLedgerFast(sampleBytes, inflate);
    const ref = await exceljsRead(sampleBytes);
    expect(fast).toEqual(ref);
    expect(fast!.rows).toHaveLength(300);
    expect(fast!.auditRows.length).toBeGreaterThan(0);
    expect(fast!.policyRows.some((r) => r.some((v) => v instanceof Date))).toBe(ref.policyRows.some((r) => r.some((v) => v instanceof Date)));
  });

  test("blank rows inside a table keep their place, so a write's row numbers name the same rows", async () => {
    const wb = await workbench.loadWorkbook(sampleBytes);
    const store = new XlsxStore(wb, { now });
    const d = await store.read();
    // Blank every typed cell of body row 10 (computed columns keep their formulas).
    await store.write({ updates: d.header.map((_, col) => ({ row: 10, col, value: null })) });
    const bytes = await workbookBuffer(wb);
    const fast = await readLedgerFast(bytes, streams);
    expect(fast).toEqual(await exceljsRead(bytes));
    expect(fast!.rows[11]).toEqual(d.rows[11]);
  });

  test("a workbook without the ledger table is not the fast reader's (adoption needs exceljs)", async () => {
    const zip = await JSZip.loadAsync(sampleBytes);
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/tables\/.*\.xml$/.test(n))) {
      const xml = await zip.file(name)!.async("string");
      zip.file(name, xml.replace(/name="CaseLedger"/, 'name="Other"'));
    }
    const bytes = (await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" })).slice().buffer;
    expect(await readLedgerFast(bytes, streams)).toBeUndefined();
  });

  test("an inflater that gives more than the zip declares is a damaged file, in both languages; one that fails hands the file to exceljs", async () => {
    const padded: Inflater = (raw, onPiece) => zlibPieces(raw, (p) => onPiece(p)).then(() => void onPiece(new Uint8Array(1)));
    await expect(readLedgerFast(sampleBytes, padded)).rejects.toMatchObject({
      code: "NOT_XLSX",
      zh: expect.stringContaining("文件已损坏"),
      en: expect.stringContaining("does not inflate to the size"),
    });
    const failing: Inflater = async () => {
      throw new TypeError("The compressed data was not valid");
    };
    await expect(readLedgerFast(sampleBytes, failing)).rejects.toThrow(/fast .xlsx read unsupported: cannot inflate/);
    const file = await inProcess({ inflate: failing }).open("台账.xlsx", sampleBytes.slice(0));
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    expect(ledger.rows).toHaveLength(300);
  });

  test("table geometry is read from the table part as exceljs's tableRef", () => {
    expect(tableOfXml('<?xml version="1.0"?><table xmlns="x" id="1" name="People" displayName="People" ref="B3:F9" headerRowCount="1">')).toEqual({
      name: "People",
      top: 3,
      left: 2,
      width: 5,
      bodyRows: 6,
    });
    expect(tableOfXml("<table id='2' name='A&amp;B' ref='$C$1:$C$1'/>")).toEqual({ name: "A&B", top: 1, left: 3, width: 1, bodyRows: 0 });
    expect(tableOfXml('<table id="3" ref="A1:B2">')).toBeUndefined();
  });
});

describe("the workbench's worker on the fast path", () => {
  afterEach(() => jest.restoreAllMocks());

  test("opens without exceljs; writes of cases save without it too (issue 26); the download holds the writes; unchanged it is the file itself", async () => {
    const parse = jest.spyOn(workbench, "loadWorkbook");
    const exceljsOpen = jest.spyOn(workbench, "openWorkbook");
    const client = inProcess({ inflate: streams });
    const file = await client.open("台账.xlsx", sampleBytes.slice(0));
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    expect(ledger.rows).toHaveLength(300);
    expect((await ledger.verifyAudit()).ok).toBe(true);
    expect(parse).not.toHaveBeenCalled();
    expect(exceljsOpen).not.toHaveBeenCalled();
    // Nothing written: the download is the opened file, byte for byte.
    expect(new Uint8Array(await (await file.bytes()).arrayBuffer())).toEqual(new Uint8Array(sampleBytes));
    expect(parse).not.toHaveBeenCalled();

    const owner = ledger.people.find((p) => p.roles.includes("CS")) ?? ledger.people[0];
    const by: Actor = { name: owner.name, source: "chosen" };
    const add = () =>
      ledger.addCase(
        {
          kind: "COMPLAINT",
          customer: "华东机电",
          customerClass: "A",
          market: "DOMESTIC",
          product: "支架",
          defect: "划伤",
          quantity: 3,
          receivedAt: instantToSerial(NOW),
          severity: "MINOR",
          owner: owner.name,
        },
        by,
      );
    const first = await add();
    expect(first.ok).toBe(true);
    expect((await add()).ok).toBe(true);
    expect(parse).not.toHaveBeenCalled();

    const again = new Ledger(new XlsxStore(await workbench.loadWorkbook(await (await file.bytes()).arrayBuffer())), { now });
    await again.load();
    expect(again.rows).toHaveLength(302);
    expect(again.find((first as { caseNo: string }).caseNo)?.case.customer).toBe("华东机电");
    expect((await again.verifyAudit()).ok).toBe(true);
  });

  test("a file the fast reader cannot read goes to exceljs and reads the same", async () => {
    const odd = await withSheetComments(sampleBytes);
    await expect(readLedgerFast(odd, streams)).rejects.toThrow(/fast .xlsx read unsupported/);
    const parse = jest.spyOn(workbench, "openWorkbook");
    const file = await inProcess({ inflate: streams }).open("台账.xlsx", odd);
    expect(parse).toHaveBeenCalledTimes(1);
    const viaExceljs = new Ledger(file.store!, { now });
    await viaExceljs.load();
    const viaFast = new Ledger((await inProcess({ inflate: streams }).open("台账.xlsx", sampleBytes.slice(0))).store!, { now });
    await viaFast.load();
    expect(viaExceljs.rows.map((r) => r.record)).toEqual(viaFast.rows.map((r) => r.record));
  });

  test("a failure inside the fast reader (not a refusal) falls back to exceljs: the file still opens", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    // As the reader would fail on a Buffer method this browser's shim lacks.
    const fast = jest.spyOn(fastModule, "openLedgerFast").mockRejectedValue(new TypeError("buf.latin1Slice is not a function"));
    const file = await inProcess({ inflate: streams }).open("台账.xlsx", sampleBytes.slice(0));
    expect(fast).toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    expect(ledger.rows).toHaveLength(300);
  });

  test("a file that is not a zip is refused in both languages", async () => {
    const err = await inProcess({ inflate: streams })
      .open("台账.xlsx", new TextEncoder().encode("客诉台账").buffer as ArrayBuffer)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "UNREADABLE", zh: expect.stringContaining("不是可读取的 .xlsx"), en: expect.stringContaining("not a readable .xlsx") });
  });
});

describe("FastStore", () => {
  test("a workbook that will not parse refuses the write in both languages; reads go on, and the next write tries again", async () => {
    const data = (await readLedgerFast(sampleBytes, streams))!;
    let tries = 0;
    const store = new FastStore(data, async () => {
      tries++;
      throw new DomainError("UNREADABLE", "无法解析", "cannot parse");
    });
    const before = await store.read();
    const err = await store.write({ meta: { x: "1" } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ zh: "无法解析", en: "cannot parse" });
    expect(await store.read()).toEqual(before);
    expect((await store.readHead()).caseNos).toHaveLength(300);
    await store.write({ meta: { x: "1" } }).catch(() => undefined);
    expect(tries).toBe(2);
    expect(store.parsed).toBe(false);
  });

  test("readHead names the case numbers, the audit's head row and meta the data holds; callers get their own arrays", async () => {
    const data = (await readLedgerFast(sampleBytes, streams))!;
    const store = new FastStore(data, async () => new XlsxStore(await workbench.loadWorkbook(sampleBytes), { now }));
    const head = await store.readHead();
    const ref = await new XlsxStore(await workbench.loadWorkbook(sampleBytes), { now }).readHead();
    // Of the audit log only the row a write chains on crosses to the page: the one with the highest number.
    const { auditRows, ...rest } = head;
    expect(rest).toEqual({ header: ref.header, caseNos: ref.caseNos, meta: ref.meta });
    expect(ref.auditRows.length).toBeGreaterThan(1);
    expect(auditRows).toHaveLength(1);
    expect(headOf(auditRows)).toEqual(headOf(ref.auditRows));
    expect(auditRows[0]).toEqual(ref.auditRows.reduce((a, b) => (Number(b[0]) > Number(a[0]) ? b : a)));
    auditRows[0][0] = "changed";
    expect((await store.readHead()).auditRows[0][0]).not.toBe("changed");
    const r = await store.read();
    r.auditRows.push(["x"]);
    r.meta.y = "1";
    expect((await store.read()).auditRows).toHaveLength(data.auditRows.length);
    expect((await store.read()).meta.y).toBeUndefined();
  });
});
