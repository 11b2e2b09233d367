import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { Workbook } from "exceljs";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { ymdToSerial } from "../../../src/domain/dates";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { generateSample } from "../../../src/sample/ledger-sample";
import { EVIDENCE_COLUMNS, SHEETS, TABLES, ledgerColumns } from "../../../src/ledger/workbook-layout";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { createLedgerWorkbook } from "../../../src/stores/xlsx/workbook";
import { openLedgerFile, readLedgerBuffer, readLedgerStreaming, readWorkbookFile, saveWorkbook } from "../../../src/stores/xlsx/file";
import { findTable } from "../../../src/stores/xlsx/tables";
import type { LedgerData } from "../../../src/ledger/store";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(60000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const me: Actor = { name: "王建国", source: "cli" };
let dir: string;
let sample: LedgerData;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-xlsx-"));
  sample = await generateSample({ cases: 40 });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function reload(wb: Workbook): Promise<Workbook> {
  const again = new Workbook();
  await again.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  return again;
}

const bookOf = (d: LedgerData) =>
  createLedgerWorkbook({
    policy: defaultPolicy(),
    header: d.header,
    rows: d.rows,
    peopleRows: d.peopleRows,
    auditRows: d.auditRows,
    meta: d.meta,
    now: now(),
  });

/** Compares rows, skipping computed columns (their cells hold formula results). */
function stripComputed(d: { header: string[]; rows: unknown[][] }) {
  const computed = new Set(
    ledgerColumns(defaultPolicy())
      .filter((c) => c.computed)
      .map((c) => c.header),
  );
  const keep = d.header.map((h) => !computed.has(h));
  return d.rows.map((r) => r.filter((_, i) => keep[i]).map(blank));
}
/** A blank cell reads as null, whether "" or undefined was written. */
const blank = (v: unknown) => (v === undefined || v === "" ? null : v);
const blanks = (rows: unknown[][]) => rows.map((r) => r.map(blank));

describe("XlsxStore", () => {
  test("xlsx → XlsxStore → xlsx keeps every value, people, audit and meta", async () => {
    const wb = await reload(bookOf(sample));
    const data = await new XlsxStore(wb).read();
    expect(data.header).toEqual(sample.header);
    expect(stripComputed(data)).toEqual(stripComputed(sample));
    expect(data.peopleRows).toEqual(blanks(sample.peopleRows));
    expect(data.auditRows).toEqual(blanks(sample.auditRows));
    expect(data.meta).toMatchObject(sample.meta);
    // Second trip through the file: nothing drifts.
    const again = await new XlsxStore(await reload(wb)).read();
    expect(again).toEqual(data);
  });

  test("people added and changed from the pane land in the People table, in place, and survive the file", async () => {
    const wb = await reload(bookOf(sample));
    const ledger = new Ledger(new XlsxStore(wb), { now });
    await ledger.load();
    const qm = ledger.people.find((p) => p.roles.includes("QUALITY_MANAGER"))!;
    const by: Actor = { name: qm.name, source: "chosen" };
    const n = ledger.people.length;
    expect((await ledger.savePerson({ name: "新同事", roles: ["CQE"], email: "x@corp" }, by)).ok).toBe(true);
    expect((await ledger.savePerson({ name: "新同事", roles: ["CQE", "WAREHOUSE"], email: "x@corp" }, by, "新同事")).ok).toBe(true);
    const back = new Ledger(new XlsxStore(await reload(wb)), { now });
    await back.load();
    expect(back.people).toHaveLength(n + 1);
    expect(back.people.at(-1)).toMatchObject({ name: "新同事", roles: ["CQE", "WAREHOUSE"], email: "x@corp" });
    expect((await back.verifyAudit()).ok).toBe(true);
  });

  test("computed columns hold the formula and a cached result computed with the domain", async () => {
    const wb = await reload(bookOf(sample));
    const spot = findTable(wb, TABLES.ledger)!;
    const col = sample.header.indexOf("回复到期 Reply due") + 1;
    const cell = spot.ws.getRow(2).getCell(col);
    const v = cell.value as { formula: string; result: unknown };
    expect(v.formula).toContain("CaseLedger[[#This Row],[接收时间 Received at]]");
    expect(v.formula).toContain("_xldudf_CL_DUEDATE(");
    expect(v.result).toBeInstanceOf(Date);
    const status = spot.ws.getRow(2).getCell(col + 1).value as { result: unknown };
    expect(["按时", "即将到期", "逾期", "按时完成", "超时完成"]).toContain(status.result);
  });

  test("text that looks like a formula stays text; dates are real dates; long text survives", async () => {
    const wb = await reload(bookOf({ ...sample, rows: [], auditRows: [], meta: {} }));
    const ledger = new Ledger(new XlsxStore(wb, { now }), { now });
    await ledger.load();
    const long = "长文本".repeat(3000);
    const tricky = { customer: "=1+1", product: "+86 138 0000 0000", partNo: "-5", batch: "@x", defect: long, remarks: '=HYPERLINK("http://x")' };
    const received = ymdToSerial(2026, 6, 1) + 9.5 / 24;
    const res = await ledger.addCase({ kind: "COMPLAINT", receivedAt: received, ...tricky }, me);
    expect(res.ok).toBe(true);
    const file = path.join(dir, "tricky.xlsx");
    await saveWorkbook(wb, file);
    const { workbook, store } = await openLedgerFile(file);
    const data = await store.read();
    const at = (h: string) => data.rows[0][data.header.findIndex((x) => x.includes(h))];
    for (const [k, v] of Object.entries({
      客户: tricky.customer,
      产品名称: tricky.product,
      料号: tricky.partNo,
      批号: tricky.batch,
      不良现象: long,
      备注: tricky.remarks,
    })) {
      expect([k, at(k)]).toEqual([k, v]);
    }
    expect(at("接收时间")).toBeCloseTo(received, 6);
    const spot = findTable(workbook, TABLES.ledger)!;
    const row = spot.ws.getRow(2);
    const cellOf = (h: string) => row.getCell(data.header.findIndex((x) => x.includes(h)) + 1);
    expect(cellOf("客户").formula).toBeUndefined();
    expect(cellOf("客户").type).toBe(3 /* ValueType.String */);
    expect(cellOf("接收时间").value).toBeInstanceOf(Date);
    expect(cellOf("接收时间").numFmt).toBe("yyyy-mm-dd hh:mm");
  });

  test("the service adds, updates and signs through the store; the table grows and the audit chain holds", async () => {
    const file = path.join(dir, "svc.xlsx");
    await saveWorkbook(bookOf(sample), file);
    const { workbook, store } = await openLedgerFile(file, { now });
    const ledger = new Ledger(store, { now });
    await ledger.load();
    const before = ledger.rows.length;
    const add = await ledger.addCase({ kind: "RETURN", receivedAt: ymdToSerial(2026, 6, 29), customer: "测试客户", product: "注塑外壳", defect: "开裂" }, me);
    expect(add.ok).toBe(true);
    const caseNo = (add as { caseNo: string }).caseNo;
    // Goods back is the warehouse's step (Policy STEPS): the sample's warehouse clerk records it.
    const up = await ledger.updateCase(caseNo, { goodsBackAt: ymdToSerial(2026, 6, 30) }, { name: "马超", source: "cli" });
    expect(up).toMatchObject({ ok: true });
    const refused = await ledger.updateCase(caseNo, { status: "CLOSED" }, me);
    expect(refused.ok).toBe(false);
    await saveWorkbook(workbook, file);

    const reopened = new Ledger((await openLedgerFile(file, { now })).store, { now });
    await reopened.load();
    expect(reopened.rows.length).toBe(before + 1);
    expect(reopened.find(caseNo)?.case.goodsBackAt).toBe(ymdToSerial(2026, 6, 30));
    expect((await reopened.verifyAudit()).ok).toBe(true);
    const wb2 = await readWorkbookFile(file);
    const spot = findTable(wb2, TABLES.ledger)!;
    expect(spot.bodyRows).toBe(before + 1);
    const audit = findTable(wb2, TABLES.audit)!;
    expect(audit.bodyRows).toBe(sample.auditRows.length + 2);
  });

  test("streaming read sees the same ledger as the store", async () => {
    const file = path.join(dir, "stream.xlsx");
    await saveWorkbook(bookOf(sample), file);
    const a = await (await openLedgerFile(file)).store.read();
    const b = await readLedgerStreaming(file);
    expect(b.header).toEqual(a.header);
    expect(b.rows).toEqual(a.rows);
    expect(b.auditRows).toEqual(a.auditRows);
    expect(b.peopleRows).toEqual(a.peopleRows);
    expect(b.meta).toEqual(a.meta);
    expect(b.policyRows.length).toBe(a.policyRows.length);
  });

  test("a damaged file or a workbook without a ledger is a bilingual error and stays untouched", async () => {
    const bad = path.join(dir, "bad.xlsx");
    await fs.writeFile(bad, "PK\u0003\u0004 this is not really a zip");
    const hash = async (f: string) =>
      createHash("sha256")
        .update(await fs.readFile(f))
        .digest("hex");
    const h = await hash(bad);
    await expect(openLedgerFile(bad)).rejects.toMatchObject({ code: "NOT_XLSX" });
    await expect(readLedgerStreaming(bad)).rejects.toBeInstanceOf(DomainError);
    expect(await hash(bad)).toBe(h);

    const foreign = path.join(dir, "foreign.xlsx");
    const wb = new Workbook();
    wb.addWorksheet("Sheet1").addRow(["随便", "什么"]);
    await wb.xlsx.writeFile(foreign);
    const h2 = await hash(foreign);
    const err = await openLedgerFile(foreign).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("NOT_A_LEDGER");
    expect(err.zh).toMatch(/不是客诉台账/);
    expect(err.en).toMatch(/not a complaint ledger/);
    await expect(readLedgerStreaming(foreign)).rejects.toMatchObject({ code: "NOT_A_LEDGER" });
    expect(await hash(foreign)).toBe(h2);
    await expect(openLedgerFile(path.join(dir, "missing.xlsx"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
  });

  test("the new workbook has validation lists, date checks, formats, frozen header and a very hidden meta sheet", async () => {
    const wb = await reload(bookOf(sample));
    const ws = findTable(wb, TABLES.ledger)!.ws;
    const col = (h: string) => sample.header.findIndex((x) => x.startsWith(h)) + 1;
    const dv = (c: number) =>
      (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: unknown[] }> } }).dataValidations.model[
        ws.getRow(5).getCell(c).address
      ];
    expect(dv(col("状态"))).toMatchObject({ type: "list", formulae: [expect.stringContaining("已结案")] });
    expect(dv(col("责任判定")).formulae[0]).toContain("原材料/供应商");
    expect(dv(col("接收时间")).type).toBe("date");
    const cfs = (ws as unknown as { conditionalFormattings: { rules: { formulae: string[] }[] }[] }).conditionalFormattings;
    const formulae = cfs.flatMap((c) => c.rules.flatMap((r) => r.formulae));
    expect(formulae.some((f) => f.includes('"逾期"'))).toBe(true);
    expect(formulae.some((f) => f.includes('"即将到期"'))).toBe(true);
    expect(formulae.some((f) => f.includes('"严重"'))).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(wb.getWorksheet(SHEETS.meta)!.state).toBe("veryHidden");
    // The Evidence and CostLines tables come with the first record (decisions 100, 104), not with a new workbook.
    for (const t of Object.values(TABLES).filter((x) => x !== TABLES.evidence && x !== TABLES.costs)) expect(findTable(wb, t)).toBeDefined();
  });
});

describe("Evidence sheet (issue 22)", () => {
  test("the first record adds the sheet; links are hyperlink cells that read back as their text; the fast reader reads them too", async () => {
    const wb = createLedgerWorkbook({ policy: defaultPolicy(), ...(await generateSample({ cases: 3, seed: 2 })), now: new Date(Date.UTC(2026, 5, 30)) });
    const store = new XlsxStore(wb, { now: () => new Date(Date.UTC(2026, 5, 30)) });
    const ledger = new Ledger(store, { now: () => new Date(Date.UTC(2026, 5, 30)) });
    await ledger.load();
    const caseNo = ledger.rows[0].case.caseNo!;
    const link = "https://contoso.sharepoint.com/sites/qa/crack.jpg";
    expect((await ledger.addEvidence({ caseNo, kind: "PHOTO", at: 46200, caption: "开裂", link }, { name: "王工", source: "cli" })).ok).toBe(true);
    expect((await ledger.addEvidence({ caseNo, kind: "ISOLATION", at: 46200, location: "B-3", label: "隔离" }, { name: "王工", source: "cli" })).ok).toBe(true);
    const spot = findTable(wb, TABLES.evidence)!;
    expect(spot.ws.name).toBe(SHEETS.evidence);
    const linkCell = spot.ws.getCell(spot.top + 1, spot.left + EVIDENCE_COLUMNS.findIndex((c) => c.key === "link")).value as { hyperlink: string };
    expect(linkCell.hyperlink).toBe(link);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const loaded = new Workbook();
    await loaded.xlsx.load(buf as never);
    const again = new Ledger(new XlsxStore(loaded));
    await again.load();
    expect(again.evidenceOf(caseNo).map((e) => [e.kind, e.link ?? e.location])).toEqual([
      ["PHOTO", link],
      ["ISOLATION", "B-3"],
    ]);
    const fast = readLedgerBuffer(buf);
    expect(fast.evidenceRows).toHaveLength(2);
  });
});
