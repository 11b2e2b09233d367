/**
 * complaint-ledger export: the 8D and the reply letter as Word files read back
 * by LibreOffice (converted to text), refusals with their blockers named, the
 * audit entry saved with each export, and a closed case's dossier.
 * Without LibreOffice the read-back is skipped with a message, except in CI.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { cliAt } from "./run";
import { todayIn } from "../../src/domain/zone";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { generateSample } from "../../src/sample/ledger-sample";
import { Ledger } from "../../src/ledger/service";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { openLedgerFile, saveWorkbook } from "../../src/stores/xlsx/file";
import { zipParts } from "../../src/stores/xlsx/zip/zip-write";
import type { Evidence } from "../../src/domain/evidence";
import { findProgram, inCI } from "../programs";

jest.setTimeout(120000);
const now = () => new Date(Date.UTC(2026, 5, 30, 2, 0, 0));
const cli = cliAt(now);
const office = findProgram(["soffice", "libreoffice"]);
if (!office) {
  // The same CI test as every program gate (test/programs.ts): CI=true or CI=1.
  if (inCI()) throw new Error("CI=true but LibreOffice (soffice) is missing: the Word files cannot be read back");
  console.log("LibreOffice (soffice) not found: the Word read-back checks are skipped / 未安装 LibreOffice,跳过 Word 文件读回检查");
}

let dir: string;
let ledgerFile: string;
let ready: string; // a closed case with every fact recorded
let bare: string; // a case without a containment record
const p = (f: string) => path.join(dir, f);

/** The .docx as LibreOffice reads it, as text; undefined (skipped) without LibreOffice. */
function docText(file: string): string | undefined {
  if (!office) return undefined;
  const out = p(`txt-${path.basename(file)}`);
  const r = spawnSync(office, ["--headless", `-env:UserInstallation=file://${p("lo-profile")}`, "--convert-to", "txt:Text", "--outdir", out, file], {
    encoding: "utf8",
    timeout: 90000,
  });
  expect(r.status).toBe(0);
  return readFileSync(path.join(out, path.basename(file).replace(/\.docx$/, ".txt")), "utf8");
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-export-"));
  const d = await generateSample({ cases: 40, mistakes: 0, seed: 11 });
  ledgerFile = p("ledger.xlsx");
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), ledgerFile);
  const { workbook, store, stamp } = await openLedgerFile(ledgerFile, { now });
  const ledger = new Ledger(store, { now });
  await ledger.load();
  const closed = ledger.rows.filter(
    (r) =>
      ["CLOSED", "FOLLOWED_UP"].includes(String(r.case.status)) &&
      r.case.signatures.QUALITY_MANAGER &&
      r.case.signatures.DEPT_HEAD &&
      r.case.defect &&
      r.case.rootCause,
  );
  expect(closed.length).toBeGreaterThan(1);
  ready = closed[0].case.caseNo!;
  bare = closed[1].case.caseNo!;
  const day = todayIn(now()) - 3;
  const by = { name: "品质 王工", source: "cli" as const };
  const add = async (e: Evidence) => expect((await ledger.addEvidence(e, by)).ok).toBe(true);
  await add({ caseNo: ready, kind: "RETURN_INSPECTION", at: day, by: "检验员 李四", checked: 200, defective: 7, result: "不合格" });
  await add({ caseNo: ready, kind: "ISOLATION", at: day, location: "不良品仓 B-3", label: "客诉隔离 待判定" });
  await add({ caseNo: ready, kind: "CONTAINMENT", at: day, scope: "STOCK", checked: 1200, defective: 0, result: "合格" });
  await add({ caseNo: ready, kind: "RESHIP_INSPECTION", at: day, scope: "REINSPECTION", checked: 300, defective: 0, result: "合格放行" });
  await add({ caseNo: ready, kind: "PHOTO", at: day, caption: "开裂外壳照片", link: "\\\\fileserver\\quality\\KS\\crack.jpg" });
  await add({ caseNo: ready, kind: "STATEMENT", at: day, section: "D5", caption: "模具保压时间由 3 秒调整为 5 秒" });
  await add({ caseNo: ready, kind: "STATEMENT", at: day, section: "D7", caption: "更新作业指导书并培训全体操作员" });
  await add({ caseNo: ready, kind: "STATEMENT", at: day, section: "COMMITMENT", caption: "后续三批出货全检", due: day + 30 });
  await add({ caseNo: bare, kind: "RETURN_INSPECTION", at: day, checked: 10, defective: 1, result: "不合格" });
  await saveWorkbook(workbook, ledgerFile, { expect: stamp });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const auditCount = async () => {
  const { store } = await openLedgerFile(ledgerFile, { now });
  const l = new Ledger(store, { now });
  await l.load();
  return l.auditEntries();
};

describe("export 8d", () => {
  test("writes a Word file holding the case number, D1–D8, the signers and the evidence list; one audit entry", async () => {
    const before = (await auditCount()).length;
    const out = p("ready-8d.docx");
    const r = await cli("export", "8d", ledgerFile, ready, "-o", out, "--lang", "zh");
    expect(r).toMatchObject({ code: 0 });
    expect((await fs.readFile(out)).subarray(0, 2).toString()).toBe("PK");
    const after = await auditCount();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]).toMatchObject({ action: "DOCUMENT_EXPORTED", caseNo: ready });
    const text = docText(out);
    if (text === undefined) return;
    expect(text).toContain(ready);
    for (const d of [
      "D1 成立小组",
      "D2 问题描述",
      "D3 临时围堵措施",
      "D4 根本原因分析",
      "D5 永久纠正措施",
      "D6 实施与效果验证",
      "D7 预防再发生",
      "D8 结案与确认",
    ])
      expect(text).toContain(d);
    expect(text).toContain("证据清单");
    expect(text).toContain("不良品仓 B-3");
    expect(text).toContain("crack.jpg");
    expect(text).toContain("不良率 3.5%");
    expect(text).toContain("模具保压时间由 3 秒调整为 5 秒");
    expect(text).toContain("保密检查");
    expect(text).not.toContain("待补充");
    // Nothing inferred: no isolation claim from the goods-back date, no outgoing inspection from the execution date.
    expect(text).not.toContain("回厂并隔离");
    expect(text).not.toContain("出货前经出货检验");
  });

  test("in English too, with the signers' names", async () => {
    const out = p("ready-8d-en.docx");
    expect((await cli("export", "8d", ledgerFile, ready, "-o", out, "--lang", "en")).code).toBe(0);
    const { store } = await openLedgerFile(ledgerFile, { now });
    const l = new Ledger(store, { now });
    await l.load();
    const c = l.find(ready)!.case;
    const text = docText(out);
    if (text === undefined) return;
    for (const d of ["D1 Team", "D4 Root cause", "D8 Closure"]) expect(text).toContain(d);
    expect(text).toContain(c.signatures.QUALITY_MANAGER.name);
    expect(text).toContain(c.signatures.DEPT_HEAD.name);
    expect(text).toContain("Evidence list");
  });

  test("a case without a containment record is refused (exit 1), the blocker named in both languages, no file, the refusal logged", async () => {
    const out = p("bare-8d.docx");
    const before = (await auditCount()).length;
    const r = await cli("export", "8d", ledgerFile, bare, "-o", out);
    expect(r.code).toBe(1);
    expect(r.err).toContain("缺少围堵记录");
    expect(r.err).toContain("The containment record is missing");
    expect(r.err).toMatch(/D5 待补充/);
    await expect(fs.stat(out)).rejects.toThrow();
    const after = await auditCount();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]).toMatchObject({ action: "DOCUMENT_REFUSED", caseNo: bare });
  });

  test("bad input exits 2 and writes nothing: unknown kind, unknown case, existing output without --force", async () => {
    expect((await cli("export", "pdf", ledgerFile, ready, "-o", p("x.docx"))).code).toBe(2);
    const missing = await cli("export", "8d", ledgerFile, "KS-1999-0001", "-o", p("x.docx"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/找不到|not in/);
    await fs.writeFile(p("taken.docx"), "mine");
    const taken = await cli("export", "8d", ledgerFile, ready, "-o", p("taken.docx"));
    expect(taken.code).toBe(2);
    expect(await fs.readFile(p("taken.docx"), "utf8")).toBe("mine");
    expect((await cli("export", "8d", p("nope.xlsx"), ready, "-o", p("y.docx"))).code).toBe(2);
  });
});

describe("export reply", () => {
  test.each(["zh", "en"] as const)("the reply letter in %s opens in LibreOffice with the customer, case, findings and commitment", async (lang) => {
    const out = p(`reply-${lang}.docx`);
    const r = await cli("export", "reply", ledgerFile, ready, "-o", out, "--lang", lang);
    expect(r).toMatchObject({ code: 0 });
    const text = docText(out);
    if (text === undefined) return;
    expect(text).toContain(ready);
    expect(text).toContain(lang === "zh" ? "客户抱怨回复书" : "Reply to Customer Complaint");
    expect(text).toContain("后续三批出货全检");
    expect(text).toContain(lang === "zh" ? "完成期限" : "By:");
    expect(text).not.toMatch(/待补充|to be completed/);
  });

  test("without a commitment it is refused, naming the part", async () => {
    const r = await cli("export", "reply", ledgerFile, bare, "-o", p("bare-reply.docx"), "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/改善承诺 待补充/);
  });
});

describe("export dossier", () => {
  test("a closed case: index, one-page case sheet, audit entries and verdict, both documents, evidence list", async () => {
    const out = p("dossier.zip");
    const r = await cli("export", "dossier", ledgerFile, ready, "-o", out);
    expect(r).toMatchObject({ code: 0 });
    const names = zipParts(await fs.readFile(out)).map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(["index.txt", "case.xlsx", "audit.csv", "audit-verdict.txt", "evidence.csv"]));
    expect(names.filter((n) => n.endsWith(".docx"))).toHaveLength(2);
    const { partText } = await import("../../src/stores/xlsx/zip/zip-write");
    const parts = zipParts(await fs.readFile(out));
    expect(partText(parts.find((x) => x.name === "audit-verdict.txt")!)).toMatch(/Audit chain intact/);
    expect(partText(parts.find((x) => x.name === "audit.csv")!)).toContain("EVIDENCE_ADDED");
    expect(partText(parts.find((x) => x.name === "evidence.csv")!)).toContain("crack.jpg");
  });
});
