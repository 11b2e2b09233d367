/**
 * The attacks of issue 14 against the command line, each on a file
 * generated here (small on disk): limits, text that must round-trip, the
 * audit chain's blind spots, lost updates and the smaller points. The
 * heavy ones (zip bomb, row 1,048,576) run the real bin in a child process
 * so its time and peak memory are its own.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { Workbook } from "exceljs";
import { cliAt } from "./run";
import { toSerial } from "../../src/domain/dates";
import { csvCell } from "../../src/reports/csv";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { generateSample } from "../../src/sample/ledger-sample";
import { SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { Ledger } from "../../src/ledger/service";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { cleanTempFiles, openLedgerFile, readLedgerStreaming, readWorkbookFile, saveWorkbook } from "../../src/stores/xlsx/file";
import { findTable } from "../../src/stores/xlsx/tables";
import { LIMITS } from "../../src/stores/xlsx/limits";
import { bombPart, deflatePart, inflatePart, unzipParts, zipParts } from "../stores/xlsx/zip-kit";
import { shanghai } from "../fakes/clock";

jest.setTimeout(180000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.join(ROOT, "test/fixtures/ledger-v0.1.0.xlsx");
let dir: string;
const p = (f: string) => path.join(dir, f);

const cli = cliAt(now);

/** The compiled bin in its own process: exit code, output, seconds and peak RSS (MB). */
function bin(...argv: string[]): { code: number | null; out: string; err: string; s: number; mb: number } {
  const runner = `const {main}=require(${JSON.stringify(path.join(ROOT, "build/cli/src/cli/main.js"))});
    main(process.argv.slice(1),{stdout:process.stdout,stderr:process.stderr,env:{}}).then((c)=>{process.stderr.write("\\nRSS_MB "+(process.resourceUsage().maxRSS/1024).toFixed(0)+"\\n");process.exitCode=c;});`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", runner, ...argv], { encoding: "utf8", timeout: 120000, maxBuffer: 1 << 28 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const mb = Number(/RSS_MB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, out: r.stdout, err: r.stderr, s, mb };
}

let ledgerFile: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-hostile-"));
  execTsc();
  const d = await generateSample({ cases: 30, mistakes: 0, seed: 11 });
  ledgerFile = p("ledger.xlsx");
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), ledgerFile);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

function execTsc() {
  const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stdout + r.stderr);
}

/** The ledger's parts with one replaced. */
async function withPart(from: string, name: string, part: ReturnType<typeof deflatePart>): Promise<Buffer> {
  const parts = unzipParts(await fs.readFile(from));
  const i = parts.findIndex((x) => x.name === name);
  if (i < 0) throw new Error(`no ${name}`);
  parts[i] = part;
  return zipParts(parts);
}

/** The zip path of a sheet, by name (workbook.xml + rels). */
async function sheetPath(file: string, sheet: string): Promise<string> {
  const parts = unzipParts(await fs.readFile(file));
  const book = inflatePart(parts.find((x) => x.name === "xl/workbook.xml")!);
  const rels = inflatePart(parts.find((x) => x.name === "xl/_rels/workbook.xml.rels")!);
  const rid = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(book)![1];
  return (
    "xl/" +
    new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${rid}"`)
      .exec(rels)!
      .slice(1)
      .find(Boolean)!
      .replace(/^\/xl\//, "")
  );
}

describe("limits: refused in bounded time and memory, exit 2 naming the limit", () => {
  const ROW = '<row><c t="inlineStr"><is><t>炸弹 bomb</t></is></c></row>';
  const HEAD =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const TAIL = "</sheetData></worksheet>";

  test("an audit sheet that inflates to 2.2 GB (3 MB on disk or less), over the streamed-sheet limit: check, verify-audit and adopt exit 2", async () => {
    const audit = await sheetPath(ledgerFile, SHEETS.audit);
    const body = ROW.repeat(20000);
    const honest = bombPart(audit, HEAD, body, Math.ceil(2.2e9 / Buffer.byteLength(body)), TAIL);
    expect(honest.usize).toBeGreaterThan(LIMITS.streamedPartBytes);
    await fs.writeFile(p("bomb.xlsx"), await withPart(ledgerFile, audit, honest));
    expect((await fs.stat(p("bomb.xlsx"))).size).toBeLessThan(10 * 1024 * 1024);
    // The same stream declaring 1 MB: a lying zip stops at its word.
    await fs.writeFile(p("liar.xlsx"), await withPart(ledgerFile, audit, { ...honest, usize: 1 << 20 }));
    for (const f of ["bomb.xlsx", "liar.xlsx"]) {
      for (const cmd of ["check", "verify-audit"]) {
        const r = bin(cmd, p(f), "--lang", "en");
        // check never reads the audit sheet: of the liar it reads only the honest parts, and checks the ledger.
        if (f === "liar.xlsx" && cmd === "check") {
          expect(r.code).toBe(0);
          continue;
        }
        expect([f, cmd, r.code]).toEqual([f, cmd, 2]);
        expect(r.err).toMatch(f === "bomb.xlsx" ? /Limit exceeded: .*inflate.*limit is/ : /does not inflate to the size the zip declares/);
        expect(r.s).toBeLessThan(60);
        expect(r.mb).toBeLessThan(1024);
      }
      const a = bin("adopt", p(f), "-o", p("out.xlsx"), "--lang", "zh");
      expect(a.code).toBe(2);
      expect(a.err).toMatch(f === "bomb.xlsx" ? /超出限制/ : /文件已损坏/);
      expect(a.mb).toBeLessThan(1024);
    }
  });

  test("parts each under the part limit that declare more than 4 GB together: refused before inflating anything", async () => {
    const parts = unzipParts(await fs.readFile(ledgerFile));
    const sheets = parts.filter((x) => x.name.startsWith("xl/worksheets/sheet"));
    for (const sh of sheets.slice(0, 3)) sh.usize = 1536 * 1024 * 1024;
    await fs.writeFile(p("total.xlsx"), zipParts(parts));
    await expect(readLedgerStreaming(p("total.xlsx"))).rejects.toMatchObject({
      code: "LIMIT",
      en: expect.stringMatching(/the file inflates to 4608 MB in all; the limit is 4096 MB/),
    });
    const r = bin("check", p("total.xlsx"), "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the file inflates to 4608 MB in all; the limit is 4096 MB/);
  });

  test("an audit sheet of 480 MB of tiny rows, declared honestly: refused at Excel's row limit, in bounded memory", async () => {
    const audit = await sheetPath(ledgerFile, SHEETS.audit);
    const body = ROW.repeat(20000);
    const part = bombPart(audit, HEAD, body, Math.floor(4.8e8 / Buffer.byteLength(body)), TAIL);
    await fs.writeFile(p("rows.xlsx"), await withPart(ledgerFile, audit, part));
    const r = bin("verify-audit", p("rows.xlsx"), "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Limit exceeded: sheet "审计 Audit": row 1048577 is outside Excel's 1,048,576 rows/);
    expect(r.s).toBeLessThan(60);
    expect(r.mb).toBeLessThan(1024);
    // check never reads the audit sheet: the ledger checks as before.
    expect(bin("check", p("rows.xlsx")).code).toBe(0);
  });

  test("a ledger with one more row at 1,048,576 (Excel's last): read as one more case, not a million", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const ws = findTable(wb, TABLES.ledger)!.ws;
    ws.getCell(1048576, 1).value = "KS-2026-9999";
    await saveWorkbook(wb, p("far.xlsx"));
    const r = bin("check", p("far.xlsx"), "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.cases).toBe(31);
    expect(j.violations.length).toBeGreaterThan(0);
    expect(j.violations.every((v: { caseNo: string }) => v.caseNo === "KS-2026-9999")).toBe(true);
    expect(r.s).toBeLessThan(60);
    expect(r.mb).toBeLessThan(1024);
    expect(bin("verify-audit", p("far.xlsx")).code).toBe(0);
  });

  test.each([["A1048576"], ["XFD1048576"]])(
    "a hand-kept sheet with a stray cell at %s adopts: the cell listed as a problem and kept in the backup",
    async (ref) => {
      const wb = new Workbook();
      const ws = wb.addWorksheet("客诉");
      ws.addRow(["单号", "投诉日期", "客户名称", "品名", "问题描述"]);
      for (let i = 1; i <= 200; i++) ws.addRow([`KS-2026-${String(i).padStart(4, "0")}`, "2026-03-03", "华南电器", "注塑外壳", "划伤"]);
      ws.getCell(ref).value = "x";
      await wb.xlsx.writeFile(p(`stray-${ref}.xlsx`));
      expect((await fs.stat(p(`stray-${ref}.xlsx`))).size).toBeLessThan(40000);
      const r = bin("adopt", p(`stray-${ref}.xlsx`), "-o", p(`stray-out-${ref}.xlsx`), "--lang", "en");
      expect([0, 1]).toContain(r.code);
      expect(r.s).toBeLessThan(60);
      expect(r.mb).toBeLessThan(1024);
      const out = await readWorkbookFile(p(`stray-out-${ref}.xlsx`));
      expect(findTable(out, TABLES.ledger)!.ws.name).toBe("客诉");
      const problems: unknown[][] = [];
      out.getWorksheet(SHEETS.problems)!.eachRow((row) => problems.push((row.values as unknown[]).slice(1)));
      const stray = problems.filter((row) => row.includes("Outside the ledger, kept in the backup sheet"));
      expect(stray).toHaveLength(1);
      expect(`${stray[0][1]}${stray[0][0]}`).toBe(ref);
      expect(out.getWorksheet(`${SHEETS.backupPrefix}客诉`)!.getCell(ref).value).toBe("x");
      const checked = bin("check", p(`stray-out-${ref}.xlsx`), "--json");
      expect(JSON.parse(checked.out).cases).toBe(200);
    },
  );

  test("a 40,001-character cell: written nowhere (exit 2 naming Excel's limit), read nowhere", async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet("客诉");
    ws.addRow(["单号", "投诉日期", "客户名称", "品名", "问题描述"]);
    ws.addRow(["KS-2026-0001", "2026-03-03", "华南电器", "注塑外壳", "长".repeat(40001)]);
    await wb.xlsx.writeFile(p("long.xlsx"));
    const r = await cli("adopt", p("long.xlsx"), "-o", p("long-out.xlsx"), "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cell 客诉!\w+2 holds 40,001 characters; Excel's limit per cell is 32,767/);
    await expect(fs.stat(p("long-out.xlsx"))).rejects.toThrow();
    // A ledger holding such a cell (written by another tool) is refused by the reader too.
    const led = await readWorkbookFile(ledgerFile);
    const t = findTable(led, TABLES.ledger)!;
    t.ws.getRow(t.top + 1).getCell(t.left + 4).value = "长".repeat(40001);
    await led.xlsx.writeFile(p("long-ledger.xlsx"));
    const c = await cli("check", p("long-ledger.xlsx"), "--lang", "zh");
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/40,001 个字符,Excel 单元格上限为 32,767/);
  });
});

describe("text that round-trips: what is hashed is what is stored", () => {
  const NASTY = [
    "回车\r结尾",
    "换行\r\n之后",
    "制表\t符",
    "响铃\u0007",
    "垂直\u000b制表",
    "非字符\uFFFE与\uFFFF",
    "孤立代理\uD800项",
    "尾代理\uDC00",
    "空\u0000字符",
    "_x0041_ 字面",
    "_x0041_x0042_",
    "删除\u007f",
    "C1\u0085",
    "😀 成对代理",
    "_x005F_",
  ];

  test("a hand-kept sheet with CR, CRLF, tab, BEL, VT, U+FFFE, a lone surrogate, NUL… adopts with --renumber into a ledger check reads and verify-audit accepts", async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet("客诉");
    ws.addRow(["单号", "投诉日期", "客户名称", "品名", "问题描述", "跟单备注"]);
    NASTY.forEach((t, i) => ws.addRow([i < 2 ? "KS-2026-0001" : `KS-2026-${String(i + 1).padStart(4, "0")}`, "2026-03-03", `客户${i}`, "外壳", t, t]));
    // Saved as Excel saves such text (_xHHHH_), by our own writer.
    await saveWorkbook(wb, p("nasty-hand.xlsx"));
    const strings = inflatePart(unzipParts(await fs.readFile(p("nasty-hand.xlsx"))).find((x) => x.name === "xl/sharedStrings.xml")!);
    expect(strings).toContain("响铃_x0007_");
    expect(strings).toContain("空_x0000_字符");
    expect(strings).toContain("非字符_xFFFE_与_xFFFF_");
    expect(strings).toContain("孤立代理_xD800_项");
    expect(strings).toContain("_x005F_x0041_ 字面");
    expect(strings).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\r]/);

    const r = await cli("adopt", p("nasty-hand.xlsx"), "-o", p("nasty.xlsx"), "--renumber", "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/renumbered 1/);
    const check = await cli("check", p("nasty.xlsx"), "--json");
    expect([0, 1]).toContain(check.code);
    expect(JSON.parse(check.out).cases).toBe(NASTY.length);
    const v = await cli("verify-audit", p("nasty.xlsx"), "--lang", "en");
    expect(v.out).toMatch(/intact/);
    expect(v.code).toBe(0);

    // Every text is back exactly, through the fast reader and through exceljs, in the ledger and in the backup.
    for (const reader of ["fast", "exceljs"] as const) {
      const d = await readLedgerStreaming(p("nasty.xlsx"), undefined, reader);
      // The defect column by its own name: "Defect rate" (schema 2) sits before it and also says "Defect".
      const col = d.header.findIndex((h) => h.includes("不良现象") || /Defect description/i.test(h));
      expect(col).toBeGreaterThanOrEqual(0);
      expect(d.rows.map((row) => row[col])).toEqual(NASTY);
    }
    const back = await readWorkbookFile(p("nasty.xlsx"));
    const backup = back.worksheets.find((w) => w.name.startsWith(SHEETS.backupPrefix))!;
    expect(NASTY.map((_t, i) => backup.getCell(i + 2, 5).value)).toEqual(NASTY);
  });

  test("an edit whose text holds them is no tamper alarm after save and reload", async () => {
    const { workbook, store, stamp } = await openLedgerFile(ledgerFile, { now });
    const ledger = new Ledger(store, { now });
    await ledger.load();
    const caseNo = ledger.rows[0].case.caseNo!;
    const field = ledger.keys.includes("defect") ? "defect" : ledger.keys.find((k) => k === "description")!;
    const res = await ledger.updateCase(caseNo, { [field]: NASTY.join("|") }, { name: "张三", source: "cli" });
    expect(res.ok).toBe(true);
    await saveWorkbook(workbook, p("edited.xlsx"), { expect: null });
    void stamp;
    const v = await cli("verify-audit", p("edited.xlsx"), "--lang", "en");
    expect(v.code).toBe(0);
    const again = new Ledger((await openLedgerFile(p("edited.xlsx"), { now })).store, { now });
    await again.load();
    expect(again.find(caseNo)!.record[field]).toBe(NASTY.join("|"));
    expect((await again.verifyAudit()).ok).toBe(true);
  });
});

describe("the audit chain has no blind spots for ledgers this tool wrote", () => {
  async function tamper(name: string, edit: (wb: Workbook) => void): Promise<string> {
    const wb = await readWorkbookFile(ledgerFile);
    edit(wb);
    await saveWorkbook(wb, p(name));
    return p(name);
  }
  const dropLastEntry = (wb: Workbook) => {
    const a = findTable(wb, TABLES.audit)!;
    a.ws.spliceRows(a.top + a.bodyRows, 1);
  };
  const dropMeta = (wb: Workbook) => wb.removeWorksheet(wb.getWorksheet(SHEETS.meta)!.id);
  const metaCell = (wb: Workbook, key: string) => {
    const ws = wb.getWorksheet(SHEETS.meta)!;
    let at = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === key) at = n;
    });
    return ws.getCell(at, 2);
  };

  test("untouched: intact, with the residual limit said; the ledger written by v0.1.0 still verifies", async () => {
    const r = await cli("verify-audit", ledgerFile, "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Note: the chain has no key.*--head HEADFILE/);
    const old = await cli("verify-audit", FIXTURE, "--lang", "zh");
    expect(old.out).toMatch(/审计记录完好:57 条/);
    expect(old.code).toBe(0);
    expect((await cli("check", FIXTURE, "--json")).code).toBe(1);
  });

  test.each([
    [
      "last entry + meta deleted",
      (wb: Workbook) => {
        dropLastEntry(wb);
        dropMeta(wb);
      },
      /_cl_meta sheet is missing/,
    ],
    [
      "audit sheet + meta deleted",
      (wb: Workbook) => {
        wb.removeWorksheet(wb.getWorksheet(SHEETS.audit)!.id);
        dropMeta(wb);
      },
      /audit sheet is missing/,
    ],
    [
      "audit.seq = x",
      (wb: Workbook) => {
        metaCell(wb, "audit.seq").value = "x";
      },
      /audit head in the _cl_meta sheet is unreadable/,
    ],
    [
      "garbage hash in the head",
      (wb: Workbook) => {
        metaCell(wb, "audit.hash").value = "garbage";
      },
      /unreadable/,
    ],
    [
      "head keys deleted",
      (wb: Workbook) => {
        metaCell(wb, "audit.seq").value = null;
        metaCell(wb, "audit.hash").value = null;
      },
      /unreadable|holds no audit head/,
    ],
    [
      "a formula in the hash cell whose cached value matches",
      (wb: Workbook) => {
        const a = findTable(wb, TABLES.audit)!;
        const c = a.ws.getRow(a.top + 3).getCell(a.left + 11);
        c.value = { formula: `LOWER("${String(c.value)}")`, result: String(c.value) } as never;
      },
      /Entry 3 was altered/,
    ],
  ])("%s → exit 1", async (name, edit, message) => {
    const f = await tamper(`t-${name.replace(/\W+/g, "-")}.xlsx`, edit);
    const r = await cli("verify-audit", f, "--lang", "en");
    expect(r.out).toMatch(message);
    expect(r.code).toBe(1);
  });

  test("--head FILE: the documented limit (tail cut and head rewritten) is caught against a head file written on save", async () => {
    const head = p("ledger.head.json");
    const s = await cli("sample", "-o", p("headed.xlsx"), "--cases", "12", "--head", head);
    expect(s.code).toBe(0);
    expect(JSON.parse(await fs.readFile(head, "utf8"))).toMatchObject({
      ledger: "headed.xlsx",
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await cli("verify-audit", p("headed.xlsx"), "--head", head)).code).toBe(0);
    // Cut the last entry and rewrite the head to the one before: the workbook alone cannot tell.
    const wb = await readWorkbookFile(p("headed.xlsx"));
    const a = findTable(wb, TABLES.audit)!;
    const prev = a.ws.getRow(a.top + a.bodyRows - 1);
    metaCell(wb, "audit.seq").value = String(prev.getCell(a.left).value);
    metaCell(wb, "audit.hash").value = String(prev.getCell(a.left + 11).value);
    dropLastEntry(wb);
    await saveWorkbook(wb, p("headed-cut.xlsx"));
    expect((await cli("verify-audit", p("headed-cut.xlsx"))).code).toBe(0);
    const r = await cli("verify-audit", p("headed-cut.xlsx"), "--head", head, "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Does not match the head file/);
    expect((await cli("verify-audit", p("headed-cut.xlsx"), "--head", p("nope.json"), "--lang", "en")).code).toBe(2);
  });
});

describe("saves never lose an update", () => {
  test("two writers of one file: the second save is refused, bilingually; the first one's update and audit entry stay", async () => {
    const file = p("shared.xlsx");
    await fs.copyFile(ledgerFile, file);
    const a = await openLedgerFile(file, { now });
    const b = await openLedgerFile(file, { now });
    const la = new Ledger(a.store, { now });
    const lb = new Ledger(b.store, { now });
    await la.load();
    await lb.load();
    const no = la.rows[1].case.caseNo!;
    expect((await la.updateCase(no, { customer: "甲公司" }, { name: "甲", source: "cli" })).ok).toBe(true);
    expect((await lb.updateCase(no, { customer: "乙公司" }, { name: "乙", source: "cli" })).ok).toBe(true);
    await saveWorkbook(a.workbook, file, { expect: a.stamp });
    await expect(saveWorkbook(b.workbook, file, { expect: b.stamp })).rejects.toMatchObject({
      code: "FILE_CHANGED",
      zh: expect.stringContaining("没有保存"),
      en: expect.stringContaining("nothing was saved"),
    });
    const after = new Ledger((await openLedgerFile(file, { now })).store, { now });
    await after.load();
    expect(after.find(no)!.case.customer).toBe("甲公司");
    expect(after.auditEntries().at(-1)).toMatchObject({ user: "甲", newValue: "甲公司" });
    expect((await after.verifyAudit()).ok).toBe(true);
    // Nothing half-written or left behind.
    expect((await fs.readdir(dir)).filter((n) => n.startsWith(".shared.xlsx"))).toEqual([]);
  });

  test("a temp file left by a save killed with -9 is cleaned on the next start", async () => {
    const file = p("killed.xlsx");
    await fs.copyFile(ledgerFile, file);
    // A pid no process has (above the kernel's pid_max): its save was killed.
    const left = p(".killed.xlsx.99999999.1767225600000.tmp");
    await fs.writeFile(left, Buffer.alloc(1024));
    const mine = p(`.killed.xlsx.${process.pid}.1767225600000.tmp`);
    await fs.writeFile(mine, "a save in progress in this process");
    expect(await cleanTempFiles(file)).toEqual([path.basename(left)]);
    await expect(fs.stat(left)).rejects.toThrow();
    await fs.rm(mine);
  });
});

describe("smaller points", () => {
  test("a directory, an .ods renamed .xlsx, an .xls, a missing file: what it is, in the user's language only", async () => {
    const d = await cli("check", dir, "--lang", "zh");
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/是一个文件夹,不是 \.xlsx 文件/);
    const ods = zipParts([deflatePart("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), deflatePart("content.xml", "<office:document-content/>")]);
    // OpenDocument stores its mimetype first and uncompressed; the sniff reads the name and text at the start.
    const stored = Buffer.concat([
      Buffer.from("504b0304", "hex"),
      Buffer.alloc(26),
      Buffer.from("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
      ods.subarray(4),
    ]);
    await fs.writeFile(p("book.xlsx"), stored);
    const o = await cli("check", p("book.xlsx"), "--lang", "zh");
    expect(o.code).toBe(2);
    expect(o.err).toMatch(/OpenDocument 文件.\.ods./);
    expect(o.err).not.toMatch(/No sheet named/);
    await fs.writeFile(p("old.xlsx"), Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(512)]));
    expect((await cli("report", p("old.xlsx"), "--finance", "--lang", "zh")).err).toMatch(/旧版 \.xls 文件/);
    const m = await cli("verify-audit", p("missing.xlsx"), "--lang", "zh");
    expect(m.err).toMatch(/找不到文件/);
    for (const r of [d, o, m]) expect(r.err).not.toMatch(/ENOENT|EISDIR|invalid signature|Cannot read/);
  });

  test("cost 1e308: totals stay finite, the case is counted apart and said", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const t = findTable(wb, TABLES.ledger)!;
    const header = t.ws.getRow(1).values as unknown[];
    const costCol = header.findIndex((h) => typeof h === "string" && /费用|Cost/.test(h));
    const chargeCol = header.findIndex((h) => typeof h === "string" && /收费|Charge/.test(h) && !/费用/.test(h));
    let row = 2;
    while (!t.ws.getRow(row).getCell(chargeCol).value) row++;
    t.ws.getRow(row).getCell(costCol).value = 1e308;
    await saveWorkbook(wb, p("huge.xlsx"));
    const r = await cli("report", p("huge.xlsx"), "--finance", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.badCost).toBe(1);
    expect(Number.isFinite(j.total.freeCost + j.total.chargedCost)).toBe(true);
    expect(r.out).not.toMatch(/null|Infinity/);
    expect((await cli("report", p("huge.xlsx"), "--finance", "--lang", "en")).out).toMatch(/1 cases have a cost that is not a sane amount/);
  });

  test("a year-10000 serial is no date; CSV quotes ; and guards the full-width formula signs", () => {
    expect(toSerial(2958466).ok).toBe(false);
    expect(toSerial(2958465.75).ok).toBe(true);
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell('＝HYPERLINK("http://x")')).toBe('"\'＝HYPERLINK(""http://x"")"');
    expect(csvCell("＋1")).toBe("'＋1");
    expect(csvCell(-5)).toBe("-5");
  });

  test("the read-only commands start without exceljs", () => {
    const r = spawnSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(path.join(ROOT, "build/cli/src/cli/main.js"))}); process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes("exceljs")).length))`,
      ],
      { encoding: "utf8" },
    );
    expect(r.stdout).toBe("0");
  });
});

describe("the fast reader and the workbook writer agree on every character", () => {
  test("each code unit 0x00–0x9F, surrogates, U+FFFE/U+FFFF and _x literals round-trip through both readers", async () => {
    const texts: string[] = [];
    for (let c = 0; c <= 0x9f; c++) texts.push(`a${String.fromCharCode(c)}b`);
    texts.push("\uD800", "\uDBFF\uDBFF", "\uDFFF", "x\uFFFE", "x\uFFFF", "\uD83D\uDE00", "_x0000_", "_x005F_x0000_", "_x00ff_", "\r\n", "\r");
    const wb = new Workbook();
    const ws = wb.addWorksheet("Sheet1");
    texts.forEach((t, i) => {
      ws.getCell(i + 1, 1).value = t;
    });
    await saveWorkbook(wb, p("chars.xlsx"));
    const back = await readWorkbookFile(p("chars.xlsx"));
    expect(texts.map((_t, i) => back.getWorksheet("Sheet1")!.getCell(i + 1, 1).value)).toEqual(texts.map((t) => (t === "" ? null : t)));
    // And the writer left the workbook in memory as it was (the workbench keeps using it).
    expect(texts.map((_t, i) => ws.getCell(i + 1, 1).value)).toEqual(texts);
  });
});
