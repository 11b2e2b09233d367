/**
 * The workbench's .xlsx handling, in Node (exceljs is the same library the
 * browser gets): the bundled sample, a file that is not .xlsx, a hand-kept
 * sheet adopted with the user's corrections, and the bytes offered for download.
 */
import { Workbook } from "exceljs";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { planAdoption } from "../../../src/adoption/planner";
import { Ledger } from "../../../src/ledger/service";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { downloadName, openWorkbook, sampleWorkbook, workbookBytes } from "../../../src/stores/workbench/open";
import { instantToSerial } from "../../../src/domain/zone";
import { shanghai } from "../../fakes/clock";
import { SHEETS } from "../../../src/ledger/workbook-layout";
import { workbookBuffer } from "../../../src/stores/xlsx/workbook";
import { FastStore, readLedgerFast } from "../../../src/stores/workbench/fast";

jest.setTimeout(60_000);
const NOW = shanghai(2026, 10, 26, 9, 0, 0);

async function handKept(): Promise<ArrayBuffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet("台账");
  ws.addRow(["2025年客诉台账"]);
  ws.addRow(["单号", "日期", "客户", "产品", "问题描述", "跟单员"]);
  ws.addRow(["A-1", "2025/3/5", "华为", "支架", "划伤", "王芳"]);
  ws.addRow(["A-1", "2025.3.6", "中兴", "壳体", "=1+1", "李娜"]);
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}

describe("workbench", () => {
  test("the bundled sample is a ledger the service reads, dated up to today", async () => {
    const w = await sampleWorkbook(NOW);
    expect(w.store).toBeDefined();
    const ledger = new Ledger(w.store!, { now: () => NOW });
    await ledger.load();
    expect(ledger.rows.length).toBe(200);
    const latest = Math.max(...ledger.rows.map((r) => r.case.receivedAt ?? 0));
    expect(latest).toBeLessThanOrEqual(instantToSerial(NOW));
    expect(latest).toBeGreaterThan(instantToSerial(NOW) - 30);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  test("a file that is not .xlsx is refused in both languages", async () => {
    const junk = new TextEncoder().encode("客诉,台账\n1,2\n").buffer as ArrayBuffer;
    await expect(openWorkbook("台账.csv", junk)).rejects.toThrow(DomainError);
    await expect(openWorkbook("台账.csv", junk)).rejects.toMatchObject({
      zh: expect.stringContaining("不是可读取的 .xlsx"),
      en: expect.stringContaining("not a readable .xlsx"),
    });
  });

  test("a hand-kept sheet is adopted with the user's corrections, then saved and read back", async () => {
    const w = await openWorkbook("台账.xlsx", await handKept(), () => NOW);
    expect(w.store).toBeUndefined();
    const adopter = w.adopter!;
    expect(await adopter.sheets()).toEqual(["台账"]);
    const grid = await adopter.grid("台账");
    const plan = planAdoption(grid, { policy: defaultPolicy(), today: instantToSerial(NOW), mapping: { 5: "owner" }, renumber: true, user: "王芳" });
    expect(plan.columns[5]).toMatchObject({ key: "owner", how: "user" });
    const r = await adopter.apply(plan, { user: "王芳" });
    expect(r).toEqual({ backup: "备份 台账", cases: 2 });

    const blob = await workbookBytes(w.workbook);
    const again = new Workbook();
    await again.xlsx.load(await blob.arrayBuffer());
    const ledger = new Ledger(new XlsxStore(again), { now: () => NOW });
    await ledger.load();
    expect(ledger.rows.map((x) => [x.case.caseNo, x.case.owner, x.case.defect])).toEqual([
      ["A-1", "王芳", "划伤"],
      ["KS-2025-0001", "李娜", "=1+1"],
    ]);
    expect(again.getWorksheet("备份 台账")!.getCell("A3").value).toBe("A-1");
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  test("the download is named after the file and the day, never over the original", () => {
    expect(downloadName("台账.xlsx", NOW)).toBe("台账-20261126.xlsx");
    expect(downloadName("示例台账 sample-ledger.xlsx", NOW)).toBe("sample-ledger-20261126.xlsx");
  });
});

describe("one verdict for the audit log in the workbench (issue 25)", () => {
  /** The sample with `sheet` deleted, as bytes. */
  async function without(sheet: string): Promise<ArrayBuffer> {
    const w = await sampleWorkbook(NOW);
    w.workbook.removeWorksheet(w.workbook.getWorksheet(sheet)!.id);
    const buf = await workbookBuffer(w.workbook);
    return buf instanceof ArrayBuffer ? buf : (new Uint8Array(buf).slice().buffer as ArrayBuffer);
  }

  test("a ledger with its meta sheet deleted is tampered, through exceljs and through the fast reader, as verify-audit says", async () => {
    const bytes = await without(SHEETS.meta);
    const opened = await openWorkbook("台账.xlsx", bytes, () => NOW);
    const data = await readLedgerFast(bytes);
    expect(data?.sheets).toEqual({ policy: true, audit: true, meta: false });
    const missing = "The hidden _cl_meta sheet is missing: the audit log's head (count and last hash) cannot be checked";
    for (const store of [opened.store!, new FastStore(data!, async () => opened.store!)]) {
      const ledger = new Ledger(store, { now: () => NOW });
      await ledger.load();
      const v = await ledger.verifyAudit();
      expect(v.ok).toBe(false);
      expect(v.problems.map((p) => p.en)).toEqual([missing]);
    }
  });

  test("with the sheets in place the same ledger is intact", async () => {
    const w = await sampleWorkbook(NOW);
    const bytes = await workbookBuffer(w.workbook);
    const data = await readLedgerFast(bytes instanceof ArrayBuffer ? bytes : (new Uint8Array(bytes).slice().buffer as ArrayBuffer));
    expect(data?.sheets).toEqual({ policy: true, audit: true, meta: true });
    const ledger = new Ledger(new FastStore(data!, async () => w.store!), { now: () => NOW });
    await ledger.load();
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, problems: [] });
  });

  test("the audit sheet deleted: tampered", async () => {
    const opened = await openWorkbook("台账.xlsx", await without(SHEETS.audit), () => NOW);
    const ledger = new Ledger(opened.store!, { now: () => NOW });
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.en).join("\n")).toMatch(/The audit sheet is missing/);
  });
});
