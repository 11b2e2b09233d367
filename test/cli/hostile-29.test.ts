/**
 * The attacks of issue 29 against the command line, each on a file generated here: files as other tools
 * and people leave them (a decoy hidden ledger, phonetic readings, a stripped ledger, openpyxl's absolute
 * part paths), writers that must never replace a file, notices that contradict themselves, messages that
 * quote huge cells, and files too small to be anything.
 */
import { shanghai } from "../fakes/clock";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { Workbook } from "exceljs";
import { cliAt } from "./run";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { generateSample } from "../../src/sample/ledger-sample";
import { AUDIT_COLUMNS, columnLetter, SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { appendSharedStrings, sharedStringCount } from "../../src/stores/xlsx/sheet-xml";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { openLedgerFile, readLedgerStreaming, readWorkbookFile, saveWorkbook, scanLedgerFile } from "../../src/stores/xlsx/file";
import { FastReadUnsupported } from "../../src/stores/xlsx/reader/fast-read";
import { CheckPass } from "../../src/cli/passes";
import { findTable, setTableRows } from "../../src/stores/xlsx/tables";
import { deflatePart, inflatePart, unzipParts, zipParts } from "../stores/xlsx/zip-kit";
import { NOTICE_2024, NOTICE_2025 } from "../fixtures/notices";
import { toSerial } from "../../src/domain/dates";
import { readValue, type CellValue } from "../../src/domain/case";
import { caseField } from "../../src/domain/schema";
import { FastStore, readLedgerFast } from "../../src/stores/workbench/fast";
import { XlsxStore } from "../../src/stores/xlsx/store";
import { adoptWorkbook } from "../../src/stores/xlsx/adopt";
import { Ledger } from "../../src/ledger/service";
import { DomainError } from "../../src/domain/errors";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { statutoryDays } from "../../src/domain/calendar/provisional";
import { parseNotice } from "../../src/domain/calendar/notice";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { findProgram } from "../programs";

jest.setTimeout(180000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const ROOT = path.resolve(__dirname, "../..");
const cli = cliAt(now);
let dir: string;
const p = (f: string) => path.join(dir, f);
let ledgerFile: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-hostile29-"));
  const d = await generateSample({ cases: 30, mistakes: 0, seed: 29 });
  ledgerFile = p("ledger.xlsx");
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), ledgerFile);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** The zip path of a sheet, by name (workbook.xml + rels, relative targets as our writer makes them). */
function sheetPart(buf: Buffer, sheet: string): string {
  const parts = unzipParts(buf);
  const book = inflatePart(parts.find((x) => x.name === "xl/workbook.xml")!);
  const rels = inflatePart(parts.find((x) => x.name === "xl/_rels/workbook.xml.rels")!);
  const rid = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(book)![1];
  const target =
    new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)![1];
  return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
}

/** A cell's XML replaced in a sheet part of the ledger. */
function withCell(buf: Buffer, sheet: string, ref: string, cellXml: (old: string) => string): Buffer {
  const name = sheetPart(buf, sheet);
  const parts = unzipParts(buf);
  const i = parts.findIndex((x) => x.name === name);
  const xml = inflatePart(parts[i]);
  const re = new RegExp(`<c r="${ref}"[^>]*?(?:/>|>[^]*?</c>)`);
  if (!re.test(xml)) throw new Error(`no cell ${ref}`);
  parts[i] = deflatePart(
    name,
    xml.replace(re, (m) => cellXml(m)),
  );
  return zipParts(parts);
}

const costCol = (header: string[]) => header.findIndex((h) => /费用|Cost/.test(h) && !/收费|Charge/.test(h));

describe("tampering the chain could not see", () => {
  test("a very hidden copy of the ledger with every cost 1, stored first: check and report read the visible CaseLedger table; check and verify-audit name the decoy (exit 1)", async () => {
    const honest = await cli("report", ledgerFile, "--finance", "--json");
    expect(honest.code).toBe(0);
    const wb = await readWorkbookFile(ledgerFile);
    const real = findTable(wb, TABLES.ledger)!.ws;
    const decoy = wb.addWorksheet("台账", { state: "veryHidden" });
    const header = (real.getRow(1).values as unknown[]).slice(1).map(String);
    const cc = costCol(header);
    expect(cc).toBeGreaterThanOrEqual(0);
    real.eachRow((row, n) => {
      const vals = (row.values as unknown[]).slice(1);
      if (n > 1) vals[cc] = 1;
      decoy.getRow(n).values = vals as never;
    });
    // Stored first: the sheet every reader meets first.
    (decoy as unknown as { orderNo: number }).orderNo = -1;
    const file = p("decoy.xlsx");
    await saveWorkbook(wb, file);
    const parts = unzipParts(await fs.readFile(file));
    expect(sheetPart(await fs.readFile(file), "台账")).toBe(parts.find((x) => /worksheets\/sheet\d+\.xml$/.test(x.name))!.name);

    const rep = await cli("report", file, "--finance", "--json");
    expect(rep.code).toBe(0);
    expect(JSON.parse(rep.out).total).toEqual(JSON.parse(honest.out).total);
    const check = await cli("check", file, "--lang", "en");
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/HIDDEN_LEDGER.*hidden sheet "台账" claims to be the ledger/);
    const v = await cli("verify-audit", file, "--lang", "zh");
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/隐藏的工作表"台账"自称台账/);
    expect(v.out).not.toMatch(/完好/);
  });

  test("a phonetic reading (拼音指南) under an audit cell: the text Excel shows is what is hashed, so an edit hiding behind the old value is caught", async () => {
    const buf = await fs.readFile(ledgerFile);
    const before = await readLedgerStreaming(ledgerFile);
    const user = String(before.auditRows[0][2]);
    expect(user).not.toBe("李四");
    const edited = withCell(
      buf,
      SHEETS.audit,
      "C2",
      () => `<c r="C2" t="inlineStr"><is><t>李四</t><rPh sb="0" eb="2"><t>${user}</t></rPh><phoneticPr fontId="1"/></is></c>`,
    );
    const file = p("phonetic.xlsx");
    await fs.writeFile(file, edited);
    expect((await readLedgerStreaming(file)).auditRows[0][2]).toBe("李四");
    const v = await cli("verify-audit", file, "--lang", "en");
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/audit sheet row 2/);
    expect(v.out).not.toMatch(/intact/);
    // The reading alone changes nothing: the same text with a reading verifies.
    const same = withCell(buf, SHEETS.audit, "C2", () => `<c r="C2" t="inlineStr"><is><t>${user}</t><rPh sb="0" eb="1"><t>du</t></rPh></is></c>`);
    await fs.writeFile(p("phonetic-same.xlsx"), same);
    expect((await cli("verify-audit", p("phonetic-same.xlsx"))).code).toBe(0);
  });

  test("a phonetic reading under a ledger cell: check reads the 收费 the cell shows, not the 免费 reading (an edit cannot hide behind it)", async () => {
    const d = await readLedgerStreaming(ledgerFile);
    const charge = d.header.findIndex((h) => /^收费\/免费/.test(h));
    const i = d.rows.findIndex((r) => r[charge] === "免费");
    expect(i).toBeGreaterThanOrEqual(0);
    const sheet = findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name;
    const ref = `${columnLetter(charge)}${i + 2}`;
    const shown = (old: string) =>
      `${/^<c [^>]*?(?=\/?>)/.exec(old)![0].replace(/ t="[^"]*"/, "")} t="inlineStr"><is><t>收费</t><rPh sb="0" eb="2"><t>免费</t></rPh><phoneticPr fontId="1"/></is></c>`;
    const file = p("phonetic-ledger.xlsx");
    await fs.writeFile(file, withCell(await fs.readFile(ledgerFile), sheet, ref, shown));
    const seen: CellValue[] = [];
    await scanLedgerFile(file, () => ({ begin: () => undefined, row: (n: number, cells: CellValue[]) => void (n === i + 2 && seen.push(cells[charge])) }));
    expect(seen).toEqual(["收费"]);
    expect((await readLedgerStreaming(file)).rows[i][charge]).toBe("收费");
    // The file is the attack: exceljs (asked for by name) reads the reading, as both readers did before.
    const old: CellValue[] = [];
    await scanLedgerFile(
      file,
      () => ({ begin: () => undefined, row: (_n: number, cells: CellValue[]) => void (cells[charge] !== null && old.push(cells[charge])) }),
      {
        reader: "exceljs",
      },
    );
    expect(old.filter((v) => v === "收费")).toHaveLength(d.rows.filter((r) => r[charge] === "收费").length);
  });

  test("a blank row between cases: the exceljs fallback numbers the rows after it by their sheet rows, as the fast reader does (check's #N wording)", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const ws = findTable(wb, TABLES.ledger)!.ws;
    ws.getRow(4).eachCell((c) => void (c.value = null));
    const audit = wb.getWorksheet(SHEETS.audit)!;
    audit.getRow(3).eachCell((c) => void (c.value = null));
    const file = p("blank-row.xlsx");
    await saveWorkbook(wb, file);
    const numbers = async (reader: "fast" | "exceljs") => {
      const rows: number[] = [];
      const entries: number[] = [];
      await scanLedgerFile(file, () => ({ begin: () => undefined, row: (n: number) => void rows.push(n), audit: (n: number) => void entries.push(n) }), {
        reader,
      });
      return { rows, entries };
    };
    const fast = await numbers("fast");
    expect(fast.rows.slice(0, 3)).toEqual([2, 3, 5]);
    expect(fast.entries.slice(0, 2)).toEqual([2, 4]);
    expect(await numbers("exceljs")).toEqual(fast);
  });

  test("a two-run inline rich string (宁波 + 海天五金) reads whole", async () => {
    const d = await readLedgerStreaming(ledgerFile);
    const col = d.header.findIndex((h) => /客户/.test(h));
    const edited = withCell(
      await fs.readFile(ledgerFile),
      findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name,
      `${String.fromCharCode(65 + col)}2`,
      (old) =>
        `${/<c [^>]*?r="[A-Z]+2"/.exec(old)![0].replace(/ t="[^"]*"/, "")} t="inlineStr"><is><r><t>宁波</t></r><r><rPr><b/></rPr><t>海天五金</t></r></is></c>`,
    );
    await fs.writeFile(p("runs.xlsx"), edited);
    expect((await readLedgerStreaming(p("runs.xlsx"))).rows[0][col]).toBe("宁波海天五金");
  });

  test("a stripped file: no ledger table, audit or meta is not a ledger (exit 2); a ledger table without its marks is tampered (exit 1); never intact", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const real = findTable(wb, TABLES.ledger)!.ws;
    // The ledger's cells copied to a plain workbook: no table part, no audit, meta or Policy sheet.
    const bare = new Workbook();
    const ws = bare.addWorksheet("台账");
    real.eachRow((row, n) => {
      ws.getRow(n).values = (row.values as unknown[]).slice(1) as never;
    });
    await bare.xlsx.writeFile(p("stripped.xlsx"));
    for (const lang of ["zh", "en"]) {
      const r = await cli("verify-audit", p("stripped.xlsx"), "--lang", lang);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(lang === "zh" ? /不是客诉台账/ : /not a complaint ledger/);
      expect(r.out + r.err).not.toMatch(/intact|完好/);
    }
    // The table kept, its audit, meta, People and Policy sheets deleted.
    for (const name of [SHEETS.audit, SHEETS.meta, SHEETS.policy, SHEETS.people]) wb.removeWorksheet(wb.getWorksheet(name)!.id);
    await wb.xlsx.writeFile(p("unmarked.xlsx"));
    const r = await cli("verify-audit", p("unmarked.xlsx"), "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/audit sheet is missing/);
  });

  test("SheetJS's lower-case _x000d_ escapes read as the character, as Excel reads them: no false alteration", async () => {
    const buf = await fs.readFile(ledgerFile);
    const d = await readLedgerStreaming(ledgerFile);
    const reason = String(d.auditRows[0][9]);
    // The same text, one character stored escaped in lower case: the text shown is unchanged, the chain holds.
    const c = reason.charCodeAt(0).toString(16).padStart(4, "0").toLowerCase();
    const edited = withCell(buf, SHEETS.audit, "J2", () => `<c r="J2" t="inlineStr"><is><t>_x${c}_${reason.slice(1)}</t></is></c>`);
    await fs.writeFile(p("lower-x.xlsx"), edited);
    expect((await readLedgerStreaming(p("lower-x.xlsx"))).auditRows[0][9]).toBe(reason);
    expect((await cli("verify-audit", p("lower-x.xlsx"))).code).toBe(0);
  });
});

// Debian's python3-openpyxl belongs to the system's python3, which another python3 on the PATH may hide.
const python = ["python3", "/usr/bin/python3"].find((py) => spawnSync(py, ["-c", "import openpyxl"], { encoding: "utf8" }).status === 0);
if (!python) console.log("python3-openpyxl not found: skipping the openpyxl test / 未安装 python3-openpyxl,跳过该测试");
const withPython = python ? test : test.skip;

describe("other writers", () => {
  withPython("a ledger saved by openpyxl (absolute part paths) reads with its own policy and sheets; verify-audit says intact", async () => {
    const out = p("openpyxl.xlsx");
    const r = spawnSync(python!, ["-c", "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])", ledgerFile, out], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    const rels = inflatePart(unzipParts(await fs.readFile(out)).find((x) => x.name === "xl/_rels/workbook.xml.rels")!);
    expect(rels).toMatch(/Target="\/xl\/worksheets\//);
    const a = await readLedgerStreaming(ledgerFile);
    const b = await readLedgerStreaming(out);
    expect(b.policyRows.length).toBe(a.policyRows.length);
    expect(b.meta).toEqual(a.meta);
    expect(b.auditRows.length).toBe(a.auditRows.length);
    const v = await cli("verify-audit", out, "--lang", "en");
    expect(v.out).toMatch(new RegExp(`Audit log intact: ${a.auditRows.length} entries`));
    expect(v.code).toBe(0);
    expect((await cli("check", out)).out).toBe((await cli("check", ledgerFile)).out);
  });
});

describe("never destroy a file", () => {
  test("sample -o and adopt -o onto an existing file refuse (exit 2) and leave it byte-identical; --force replaces it", async () => {
    const target = p("keep.xlsx");
    await fs.copyFile(ledgerFile, target);
    const bytes = await fs.readFile(target);
    const s = await cli("sample", "-o", target, "--cases", "5", "--lang", "en");
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/already exists.*--force/);
    expect(await fs.readFile(target)).toEqual(bytes);

    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"]);
    ws.addRow(["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"]);
    await hand.xlsx.writeFile(p("hand.xlsx"));
    const a = await cli("adopt", p("hand.xlsx"), "-o", target, "--lang", "zh");
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/已存在.*--force/);
    expect(await fs.readFile(target)).toEqual(bytes);

    expect((await cli("adopt", p("hand.xlsx"), "-o", target, "--force")).code).toBe(0);
    expect(await fs.readFile(target)).not.toEqual(bytes);
    expect((await cli("sample", "-o", target, "--cases", "5", "--force")).code).toBe(0);
  });

  test("a missing output folder is said as such, not as a missing file", async () => {
    const r = await cli("sample", "-o", p("no/such/folder/x.xlsx"), "--lang", "zh");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/输出文件夹不存在/);
    expect(r.err).not.toMatch(/找不到文件/);
  });

  test("a notice whose title year is not --year is refused for --into (exit 2, naming both years); the ledger stays byte-identical", async () => {
    const target = p("cal.xlsx");
    await fs.copyFile(ledgerFile, target);
    const bytes = await fs.readFile(target);
    await fs.writeFile(p("2025.txt"), NOTICE_2025);
    const r = await cli("calendar", "import", p("2025.txt"), "--year", "2026", "--into", target, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/title says 2025 but --year says 2026/);
    expect(await fs.readFile(target)).toEqual(bytes);
    const zh = await cli("calendar", "import", p("2025.txt"), "--year", "2026", "--into", target, "--lang", "zh");
    expect(zh.err).toMatch(/通知标题是 2025 年,而 --year 是 2026/);
  });

  test("a notice whose weekday notes contradict its dates is refused for --into (exit 2, naming them); --force writes it", async () => {
    const target = p("cal-weekday.xlsx");
    await fs.copyFile(ledgerFile, target);
    const bytes = await fs.readFile(target);
    expect(NOTICE_2024).toContain("2月4日(星期日)");
    await fs.writeFile(p("2024-wrong.txt"), NOTICE_2024.replace("2月4日(星期日)", "2月4日(星期三)"));
    const r = await cli("calendar", "import", p("2024-wrong.txt"), "--into", target, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/1 weekdays do not match their dates/);
    expect(await fs.readFile(target)).toEqual(bytes);
    const zh = await cli("calendar", "import", p("2024-wrong.txt"), "--into", target, "--lang", "zh");
    expect(zh.err).toMatch(/星期与日期不符/);
    const forced = await cli("calendar", "import", p("2024-wrong.txt"), "--into", target, "--force", "--lang", "en");
    expect(forced.code).toBe(0);
    expect(await fs.readFile(target)).not.toEqual(bytes);
    expect((await cli("verify-audit", target)).code).toBe(0);
  });

  test("a reversed range is said to be reversed, not too long", async () => {
    await fs.writeFile(p("rev.txt"), "国务院办公厅关于2026年部分节假日安排的通知\n一、国庆节:10月8日至10月1日放假调休,共8天。");
    const r = await cli("calendar", "import", p("rev.txt"), "--lang", "zh");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/日期范围颠倒/);
    expect(r.err).not.toMatch(/假期过长/);
  });
});

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

describe("bounded and clean", () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
  });

  test("cells sharing one 32,400-character string: check quotes at most ~80 characters of it; output under 10 MB, memory under 1 GB, time under 60 s", async () => {
    const d = await generateSample({ cases: 2000, mistakes: 0, seed: 3 });
    const long = "2026年".repeat(6480);
    const dateCols = d.header.map((h, i) => (/日期|Date/.test(h) ? i : -1)).filter((i) => i >= 0);
    expect(dateCols.length).toBeGreaterThan(2);
    for (const r of d.rows) for (const c of dateCols) r[c] = long;
    const file = p("amplify.xlsx");
    await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), file);
    expect((await fs.stat(file)).size).toBeLessThan(10 * 1024 * 1024);
    for (const args of [
      ["check", file],
      ["check", file, "--json"],
    ]) {
      const r = bin(...args);
      expect(r.code).toBe(1);
      expect(r.out.length).toBeLessThan(10 * 1024 * 1024);
      expect(r.mb).toBeLessThan(1024);
      expect(r.s).toBeLessThan(60);
      expect(r.out).toContain(`…(${long.length})`);
      // Past the first 10,000 violations they are counted, not listed.
      expect(r.out).toMatch(args.includes("--json") ? /"unlisted": \d+/ : /more violations not listed/);
      expect(r.out).not.toContain(long.slice(0, 200));
    }
  });

  test("calendar import --into on 2,000 cases completes in a 24 MB heap, as check does, where loading the workbook runs out of memory", async () => {
    const d = await generateSample({ cases: 2000, mistakes: 0, seed: 7 });
    const file = p("import-2000.xlsx");
    await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), file);
    await fs.writeFile(p("notice-2025.txt"), NOTICE_2025);
    const built = (rel: string) => JSON.stringify(path.join(ROOT, "build/cli/src", rel));
    const heap = (script: string, ...argv: string[]) =>
      spawnSync(process.execPath, ["--max-old-space-size=24", "-e", script, ...argv], { encoding: "utf8", timeout: 120000, maxBuffer: 1 << 26 });
    const cliIn24 = (...argv: string[]) =>
      heap(
        `require(${built("cli/main.js")}).main(process.argv.slice(1),{stdout:process.stdout,stderr:process.stderr,env:{},now:()=>new Date(${now().getTime()})}).then((c)=>{process.exitCode=c;});`,
        ...argv,
      );
    const checked = cliIn24("check", file, "--json");
    expect([0, 1]).toContain(checked.status);
    expect(JSON.parse(checked.stdout).cases).toBe(2000);
    const r = cliIn24("calendar", "import", p("notice-2025.txt"), "--into", file, "--lang", "en");
    expect(r.stderr).toMatch(/Wrote the Policy sheet/);
    expect(r.status).toBe(0);
    expect((await cli("verify-audit", file)).code).toBe(0);
    // The same heap is too small for the whole workbook (how the import read the ledger before): the bound is a real one.
    const whole = heap(`require(${built("stores/xlsx/file.js")}).openLedgerFile(process.argv[1]).then(()=>process.stdout.write("loaded"));`, file);
    expect(whole.stdout).not.toBe("loaded");
    expect(whole.status).not.toBe(0);
  });

  test("0–3-byte and truncated files are not an .xlsx / damaged: exit 2 in the user's language, no stack, no internal error", async () => {
    const whole = await fs.readFile(ledgerFile);
    const files: [string, Buffer][] = [
      ["empty.xlsx", Buffer.alloc(0)],
      ["one.xlsx", Buffer.from("P")],
      ["three.xlsx", Buffer.from("PK\x03")],
      ["cut.xlsx", whole.subarray(0, Math.floor(whole.length / 2))],
    ];
    for (const [name, bytes] of files) {
      await fs.writeFile(p(name), bytes);
      for (const cmd of [["check"], ["verify-audit"], ["report", "--finance"]]) {
        for (const lang of ["zh", "en"]) {
          const r = await cli(cmd[0], p(name), ...cmd.slice(1), "--lang", lang);
          expect(r.code).toBe(2);
          expect(r.err).not.toMatch(/\n\s+at |内部错误|Internal error/);
          if (name !== "empty.xlsx") expect(r.err).not.toMatch(/文件是空的|is empty/);
          expect(r.err).toMatch(lang === "zh" ? /不是.*\.xlsx|损坏/ : /not .*\.xlsx|damaged/);
        }
      }
    }
  });

  test("a hand-kept workbook with sheets named 审计 AUDIT and _CL_META: adoption refuses cleanly (exit 2, naming the sheet), no crash", async () => {
    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"]);
    ws.addRow(["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"]);
    hand.addWorksheet(SHEETS.audit.toUpperCase());
    await hand.xlsx.writeFile(p("variant.xlsx"));
    const r = await cli("adopt", p("variant.xlsx"), "-o", p("variant-out.xlsx"), "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toContain(SHEETS.audit.toUpperCase());
    expect(r.err).not.toMatch(/\n\s+at |Internal error/);
    const meta = new Workbook();
    meta.addWorksheet("手工台账").addRow(["客诉单号", "客户名称", "接收日期", "问题描述"]);
    meta.addWorksheet(SHEETS.meta.toUpperCase());
    await meta.xlsx.writeFile(p("variant2.xlsx"));
    const m = await cli("adopt", p("variant2.xlsx"), "-o", p("variant2-out.xlsx"), "--lang", "zh");
    expect(m.code).toBe(2);
    expect(m.err).toContain(SHEETS.meta.toUpperCase());
  });

  test("messages whole in the chosen language: a cell past column XFD (by reference or by count) and a workbook with no ledger", async () => {
    const buf = await fs.readFile(ledgerFile);
    const sheet = findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name;
    const part = sheetPart(buf, sheet);
    const row2 = (xml: (old: string) => string) => {
      const parts = unzipParts(buf);
      const i = parts.findIndex((x) => x.name === part);
      parts[i] = deflatePart(
        part,
        inflatePart(parts[i]).replace(/<row r="2"[^>]*>[^]*?<\/row>/, (old) => xml(old)),
      );
      return zipParts(parts);
    };
    await fs.writeFile(
      p("xfe.xlsx"),
      row2((old) => old.replace("</row>", `<c r="XFE2"><v>1</v></c></row>`)),
    );
    // Cells without a reference count from A: the 16,385th is past XFD.
    await fs.writeFile(
      p("count.xlsx"),
      row2(() => `<row r="2">${"<c><v>1</v></c>".repeat(16385)}</row>`),
    );
    const hand = new Workbook();
    hand.addWorksheet("Sheet1").addRow(["Name", "Qty"]);
    await hand.xlsx.writeFile(p("no-ledger.xlsx"));
    const cases: [string, RegExp, RegExp][] = [
      ["xfe.xlsx", /XFE2 超出 Excel 的 1,048,576 行 × 16,384 列/, /XFE2 is outside Excel's 1,048,576 rows × 16,384 columns/],
      ["count.xlsx", /第 16385 列 超出 Excel/, /column 16385 is outside Excel/],
      ["no-ledger.xlsx", /不是客诉台账:没有找到台账表/, /not a complaint ledger: no ledger table was found/],
    ];
    for (const [name, zh, en] of cases) {
      const z = await cli("check", p(name), "--lang", "zh");
      const e = await cli("check", p(name), "--lang", "en");
      expect([z.code, e.code]).toEqual([2, 2]);
      expect(z.err).toMatch(zh);
      expect(e.err).toMatch(en);
      // Neither carries a piece of the other language (the file's name and the sheet's aside).
      const bare = (t: string) => t.split(p(name)).join("").split(sheet).join("");
      expect(bare(z.err)).not.toMatch(/\b(?:column|row|sheet|outside|ledger|found|the)\b/i);
      expect(bare(e.err)).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  test("a closed pipe (report … | head -1) ends quietly", () => {
    const bin = path.join(ROOT, "bin/complaint-ledger.js");
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${bin}" report "${ledgerFile}" --finance | head -1`], { encoding: "utf8" });
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  test("standard input is capped like a notice file: 3 MB piped to calendar import - is refused (exit 2), not read to the end", () => {
    const bin = path.join(ROOT, "bin/complaint-ledger.js");
    const big = Buffer.from("国务院办公厅关于2026年部分节假日安排的通知\n".repeat(60000), "utf8");
    expect(big.length).toBeGreaterThan(3e6);
    for (const lang of ["en", "zh"]) {
      const r = spawnSync(process.execPath, [bin, "calendar", "import", "-", "--lang", lang], { input: big, encoding: "utf8", maxBuffer: 1 << 24 });
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at |TypeError/);
      expect(r.stderr).toMatch(lang === "en" ? /1 MB/ : /1 MB|1MB/);
      expect(r.stdout.length + r.stderr.length).toBeLessThan(4096);
    }
  });
});

describe("dates in the 1904 system", () => {
  withPython("a hand-kept sheet saved by Mac Excel's 1904 system adopts with its dates right, and the output is in one system", async () => {
    const script = [
      "import sys, datetime, openpyxl",
      "from openpyxl.utils.datetime import CALENDAR_MAC_1904",
      "wb = openpyxl.Workbook()",
      "wb.epoch = CALENDAR_MAC_1904",
      "ws = wb.active",
      "ws.title = '手工台账'",
      "ws.append(['客诉单号', '客户名称', '接收日期', '问题描述', '产品型号'])",
      "ws.append(['KS-1', '宁波海天', datetime.date(2026, 3, 5), '划伤', 'A1'])",
      "ws.append(['KS-2', '宁波海天', datetime.date(2026, 4, 6), '变形', 'A2'])",
      "ws['C2'].number_format = ws['C3'].number_format = 'yyyy-mm-dd'",
      "wb.save(sys.argv[1])",
    ].join("\n");
    const hand = p("mac1904.xlsx");
    const made = spawnSync(python!, ["-c", script, hand], { encoding: "utf8" });
    expect(made.stderr).toBe("");
    expect(inflatePart(unzipParts(await fs.readFile(hand)).find((x) => x.name === "xl/workbook.xml")!)).toMatch(/date1904="1"/);
    const out = p("mac1904-ledger.xlsx");
    const r = await cli("adopt", hand, "-o", out);
    expect(r.code).toBe(0);
    const d = await readLedgerStreaming(out);
    const col = d.header.findIndex((h) => /接收日期|Received/.test(h));
    expect(d.rows.map((row) => row[col])).toEqual([toSerial("2026-03-05"), toSerial("2026-04-06")].map((x) => (x.ok ? x.serial : NaN)));
    // The output says which system its serials are in: the 1900 system, every sheet alike.
    expect(inflatePart(unzipParts(await fs.readFile(out)).find((x) => x.name === "xl/workbook.xml")!)).not.toMatch(/date1904="1"/);
  });
});

describe("zip CRCs", () => {
  test("a cost changed inside the zip without its CRC: damaged (exit 2), as Excel refuses it; never read", async () => {
    const buf = await fs.readFile(ledgerFile);
    const name = sheetPart(buf, findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name);
    const parts = unzipParts(buf);
    const i = parts.findIndex((x) => x.name === name);
    const xml = inflatePart(parts[i]);
    const changed = xml.replace(/<v>(\d+)<\/v>/, (_m, d: string) => `<v>${d === "9" ? "8" : "9"}</v>`);
    expect(changed).not.toBe(xml);
    // The part's new bytes under its old CRC.
    parts[i] = { ...deflatePart(name, changed), crc: parts[i].crc };
    await fs.writeFile(p("crc.xlsx"), zipParts(parts));
    for (const cmd of ["check", "verify-audit"]) {
      const r = await cli(cmd, p("crc.xlsx"), "--lang", "en");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/damaged.*CRC/);
    }
  });
});

describe("a title row above the table", () => {
  test("a title row inserted above the ledger table: check reads the table below it (not 'not a ledger' while adopt says 'already a ledger')", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const spot = findTable(wb, TABLES.ledger)!;
    spot.ws.spliceRows(1, 0, ["客诉处置台账 2026 年"]);
    spot.top += 1;
    setTableRows(spot, spot.bodyRows);
    const file = p("title-row.xlsx");
    await saveWorkbook(wb, file);
    expect(inflatePart(unzipParts(await fs.readFile(file)).find((x) => /tables\/table\d+\.xml$/.test(x.name) && /CaseLedger/.test(inflatePart(x)))!)).toMatch(
      /ref="A2:/,
    );
    const before = await cli("check", ledgerFile, "--json");
    const after = await cli("check", file, "--json");
    expect(after.code).toBe(before.code);
    expect(JSON.parse(after.out).cases).toBe(JSON.parse(before.out).cases);
    expect(JSON.parse(after.out).violations).toEqual(JSON.parse(before.out).violations);
  });
});

describe("numbers and dates as a clerk means them", () => {
  const policy = defaultPolicy();
  test("amounts: hex, binary, octal, European decimals, loose commas and a currency sign alone are problems, not numbers", () => {
    const cost = caseField("cost");
    for (const bad of ["0x10", "0b101", "0o17", "1.234,50", "3,4,5", "元", "¥", "1,23", "Infinity"])
      expect(readValue(cost, bad, policy)).toHaveProperty("problem");
    expect(readValue(cost, "¥1,234.50", policy).value).toBe(1234.5);
    expect(readValue(cost, "1,234元", policy).value).toBe(1234);
    expect(readValue(cost, " -12.5 ", policy).value).toBe(-12.5);
    expect(readValue(cost, 80.25, policy).value).toBe(80.25);
  });

  test("digits in a date column are a date only as a plausible serial (1990–2100); else listed with what they would mean", () => {
    const received = caseField("receivedAt");
    for (const digits of ["260303", "202603", "2026", 2026, 260303]) {
      const r = readValue(received, digits, policy);
      expect(r.problem?.en).toMatch(/not a plausible date/);
    }
    const ok = toSerial("2026-03-03");
    expect(readValue(received, ok.ok ? ok.serial : NaN, policy).value).toBe(ok.ok ? ok.serial : NaN);
    expect(readValue(received, "20260303", policy).value).toBe(ok.ok ? ok.serial : NaN);
  });
});

describe("cells that are not what their value says (adoption and check)", () => {
  /** The Problems sheet of an adopted ledger, as [kind, row, column, value] rows. */
  async function problemsOf(file: string): Promise<{ kind: string; row: number; column: string; value: unknown; zh: string; en: string }[]> {
    const wb = await readWorkbookFile(file);
    const ws = wb.getWorksheet(SHEETS.problems)!;
    const out: { kind: string; row: number; column: string; value: unknown; zh: string; en: string }[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const v = (row.values as unknown[]).slice(1);
      out.push({ row: Number(v[0]), column: String(v[1] ?? ""), value: v[3], kind: String(v[4]), zh: String(v[5]), en: String(v[6]) });
    });
    return out;
  }

  test("merged customer and date cells give their value to every row they cover, each area listed", async () => {
    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"]);
    ws.addRow(["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"]);
    ws.addRow(["KS-2", null, null, "变形", "A2"]);
    ws.addRow(["KS-3", null, null, "异响", "A3"]);
    ws.addRow(["KS-4", "杭州华立", "2026-03-09", "漏油", "A4"]);
    ws.mergeCells("B2:B4");
    ws.mergeCells("C2:C4");
    await hand.xlsx.writeFile(p("merged.xlsx"));
    const out = p("merged-ledger.xlsx");
    const r = await cli("adopt", p("merged.xlsx"), "-o", out, "--lang", "en");
    expect(r.code).toBe(0);
    const d = await readLedgerStreaming(out);
    const cust = d.header.findIndex((h) => /^客户 Customer/.test(h));
    const recv = d.header.findIndex((h) => /^接收时间/.test(h));
    expect(d.rows.map((row) => row[cust])).toEqual(["宁波海天", "宁波海天", "宁波海天", "杭州华立"]);
    const day = toSerial("2026-03-05");
    expect(d.rows.slice(0, 3).map((row) => row[recv])).toEqual([0, 0, 0].map(() => (day.ok ? day.serial : NaN)));
    const merged = (await problemsOf(out)).filter((x) => x.kind === "MERGED_CELLS");
    expect(merged.map((x) => [x.row, x.column, x.value])).toEqual([
      [2, "B", "宁波海天"],
      [2, "C", "2026-03-05"],
    ]);
    expect(merged[0].en).toMatch(/Merged cells B2:B4/);
    expect(merged[0].zh).toMatch(/合并单元格 B2:B4/);
  });

  test("a second stacked table's header ends the ledger (listed, its rows kept in the backup), never a case named 客户名称; a header repeated for printing continues it", async () => {
    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"]);
    ws.addRow(["KS-1", "宁波海天", "2026-03-05", "划伤", "A1"]);
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "产品型号"]);
    ws.addRow(["KS-2", "宁波海天", "2026-03-06", "变形", "A2"]);
    ws.addRow([]);
    ws.addRow(["退货单号", "客户名称", "退货数量", "接收日期"]);
    ws.addRow(["TH-9", "杭州华立", 5, "2026-04-01"]);
    ws.addRow(["TH-10", "杭州华立", 7, "2026-04-02"]);
    await hand.xlsx.writeFile(p("stacked.xlsx"));
    const out = p("stacked-ledger.xlsx");
    const r = await cli("adopt", p("stacked.xlsx"), "-o", out, "--lang", "en");
    expect(r.code).toBe(0);
    const d = await readLedgerStreaming(out);
    const cust = d.header.findIndex((h) => /^客户 Customer/.test(h));
    expect(d.rows.map((row) => row[cust])).toEqual(["宁波海天", "宁波海天"]);
    const problems = await problemsOf(out);
    expect(problems.filter((x) => x.kind === "HEADER_ROW").map((x) => x.row)).toEqual([3]);
    const end = problems.filter((x) => x.kind === "TABLE_END");
    expect(end.map((x) => x.row)).toEqual([6]);
    expect(end[0].en).toMatch(/rows 6–8 \(3 with content\) were not adopted/);
    expect(end[0].zh).toMatch(/第 6–8 行/);
    // The backup keeps the second table.
    const backup = (await readWorkbookFile(out)).worksheets.find((w) => w.name.startsWith(SHEETS.backupPrefix))!;
    expect(backup.getCell("A8").value).toBe("TH-10");
  });

  test("formulas without a cached value (as scripts write them) and error values are listed, never read as blank or as text", async () => {
    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "数量", "费用", "备注"]);
    ws.addRow(["KS-1", "宁波海天", "2026-03-05", "划伤", 4, 100, "ok"]);
    ws.addRow(["KS-2", "宁波海天", "2026-03-06", "变形", 2, null, null]);
    ws.addRow(["KS-3", null, "2026-03-07", "异响", 3, null, null]);
    ws.getCell("F3").value = { formula: "E3*25" } as never; // no result: exceljs writes <f> without <v>
    ws.getCell("B4").value = { error: "#N/A" } as never;
    ws.getCell("F4").value = { formula: "E4/0", result: { error: "#DIV/0!" } } as never;
    ws.getCell("G4").value = { error: "#REF!" } as never;
    await hand.xlsx.writeFile(p("formulas.xlsx"));
    const sheetXml = inflatePart(unzipParts(await fs.readFile(p("formulas.xlsx"))).find((x) => /worksheets\/sheet1\.xml$/.test(x.name))!);
    expect(sheetXml).toMatch(/<c r="F3"[^>]*><f>E3\*25<\/f><\/c>/);
    const out = p("formulas-ledger.xlsx");
    const r = await cli("adopt", p("formulas.xlsx"), "-o", out, "--lang", "en");
    expect(r.code).toBe(0);
    const problems = await problemsOf(out);
    expect(problems.filter((x) => x.kind === "FORMULA_NO_VALUE").map((x) => [x.row, x.column, x.value])).toEqual([[3, "F", "=E3*25"]]);
    expect(
      problems
        .filter((x) => x.kind === "CELL_ERROR")
        .map((x) => [x.row, x.column, x.value])
        .sort(),
    ).toEqual([
      [4, "B", "#N/A"],
      [4, "F", "#DIV/0!"],
      [4, "G", "#REF!"],
    ]);
    for (const x of problems.filter((y) => /FORMULA_NO_VALUE|CELL_ERROR/.test(y.kind))) {
      expect(x.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.en).toMatch(/^The /);
    }
    // Neither the error's code nor a formula is written as a value: the cells are left empty, the backup keeps them.
    const d = await readLedgerStreaming(out);
    const cust = d.header.findIndex((h) => /^客户 Customer/.test(h));
    const cost = d.header.findIndex((h) => /^费用/.test(h));
    expect(d.rows.map((row) => row[cust] ?? null)).toEqual(["宁波海天", "宁波海天", null]);
    expect(d.rows.map((row) => row[cost] ?? null)).toEqual([100, null, null]);
    expect(JSON.stringify(d.rows)).not.toMatch(/#N\/A|#DIV|#REF/);
  });

  test("a hand-kept sheet with digits in a date column and hex, European and bare-currency amounts: each listed as typed, none read as a number or a date", async () => {
    const hand = new Workbook();
    const ws = hand.addWorksheet("手工台账");
    ws.addRow(["客诉单号", "客户名称", "接收日期", "问题描述", "费用"]);
    ws.addRow(["KS-1", "宁波海天", "260303", "划伤", "0x10"]);
    ws.addRow(["KS-2", "宁波海天", 2026, "变形", "1.234,50"]);
    ws.addRow(["KS-3", "宁波海天", "2026-03-05", "异响", "元"]);
    ws.addRow(["KS-4", "宁波海天", "2026-03-06", "漏油", "¥1,234.50"]);
    await hand.xlsx.writeFile(p("clerk.xlsx"));
    const out = p("clerk-ledger.xlsx");
    expect((await cli("adopt", p("clerk.xlsx"), "-o", out, "--lang", "en")).code).toBe(0);
    const bad = (await problemsOf(out)).filter((x) => x.kind === "BAD_VALUE").map((x) => [x.row, x.column, x.value]);
    expect(bad).toEqual([
      [2, "C", "260303"],
      [2, "E", "0x10"],
      [3, "C", 2026],
      [3, "E", "1.234,50"],
      [4, "E", "元"],
    ]);
    const d = await readLedgerStreaming(out);
    const cost = d.header.findIndex((h) => /^费用/.test(h));
    const recv = d.header.findIndex((h) => /^接收时间/.test(h));
    expect(d.rows.map((r) => r[cost])).toEqual(["0x10", "1.234,50", "元", 1234.5]);
    expect(d.rows.slice(0, 2).map((r) => r[recv])).toEqual(["260303", 2026]);
  });

  test("check: a cached #DIV/0! cost is its own finding (CELL_ERROR), not a false COST_MISSING; in both languages", async () => {
    const d = await readLedgerStreaming(ledgerFile);
    const col = (re: RegExp) => d.header.findIndex((h) => re.test(h));
    const [costC, chargeC, statusC] = [col(/^费用/), col(/^收费\/免费/), col(/^状态/)];
    // A closed case with a charge and a cost: the one whose cost the error hides.
    const i = d.rows.findIndex((r) => typeof r[costC] === "number" && r[chargeC] && /结案|跟踪|回访/.test(String(r[statusC])));
    expect(i).toBeGreaterThanOrEqual(0);
    const ref = `${columnLetter(costC)}${i + 2}`;
    const caseNo = String(d.rows[i][d.header.findIndex((h) => /^客诉单号/.test(h))]);
    const edited = withCell(await fs.readFile(ledgerFile), findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name, ref, (old) =>
      old.replace(/ t="[^"]*"/, "").replace(/(<c [^>]*?)(\/>|>[^]*<\/c>)$/, `$1 t="e"><f>1/0</f><v>#DIV/0!</v></c>`),
    );
    await fs.writeFile(p("div0.xlsx"), edited);
    const before = JSON.parse((await cli("check", ledgerFile, "--json")).out);
    const r = await cli("check", p("div0.xlsx"), "--json");
    expect(r.code).toBe(1);
    const mine = JSON.parse(r.out).violations.filter((v: { caseNo: string }) => v.caseNo === caseNo);
    expect(mine.map((v: { code: string }) => v.code)).toContain("CELL_ERROR");
    expect(mine.map((v: { code: string }) => v.code)).not.toContain("COST_MISSING");
    expect(mine.map((v: { code: string }) => v.code)).not.toContain("BAD_VALUE");
    expect(JSON.parse(r.out).violations.length).toBe(before.violations.length + 1);
    expect((await cli("check", p("div0.xlsx"), "--lang", "en")).out).toMatch(/CELL_ERROR.*Excel's error #DIV\/0!/);
    expect((await cli("check", p("div0.xlsx"), "--lang", "zh")).out).toMatch(/Excel 错误值 #DIV\/0!/);
  });

  test("check: a cost written as a formula no program calculated is FORMULA_NO_VALUE, not a blank (no false COST_MISSING); a computed column's is not", async () => {
    const d = await readLedgerStreaming(ledgerFile);
    const col = (re: RegExp) => d.header.findIndex((h) => re.test(h));
    const [costC, chargeC, statusC] = [col(/^费用/), col(/^收费\/免费/), col(/^状态/)];
    const i = d.rows.findIndex((r) => typeof r[costC] === "number" && r[chargeC] && /结案|跟踪|回访/.test(String(r[statusC])));
    expect(i).toBeGreaterThanOrEqual(0);
    const caseNo = String(d.rows[i][col(/^客诉单号/)]);
    const sheet = findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name;
    // As openpyxl or a script writes a formula: <f> and no cached <v>.
    const uncalculated = (old: string) => old.replace(/ t="[^"]*"/, "").replace(/(<c [^>]*?)(\/>|>[^]*<\/c>)$/, `$1><f>20*3</f></c>`);
    await fs.writeFile(p("nocache.xlsx"), withCell(await fs.readFile(ledgerFile), sheet, `${columnLetter(costC)}${i + 2}`, uncalculated));
    const before = JSON.parse((await cli("check", ledgerFile, "--json")).out);
    const r = await cli("check", p("nocache.xlsx"), "--json");
    expect(r.code).toBe(1);
    const mine = JSON.parse(r.out).violations.filter((v: { caseNo: string }) => v.caseNo === caseNo);
    expect(mine.map((v: { code: string }) => v.code)).toEqual(["FORMULA_NO_VALUE"]);
    expect(JSON.parse(r.out).violations.length).toBe(before.violations.length + 1);
    expect((await cli("check", p("nocache.xlsx"), "--lang", "en")).out).toMatch(/FORMULA_NO_VALUE.*no calculated result/);
    expect((await cli("check", p("nocache.xlsx"), "--lang", "zh")).out).toMatch(/还没有计算结果的公式/);
    // The reply-due column is ours to compute: a script's uncached formula there is no finding.
    const due = col(/^回复到期/);
    expect(due).toBeGreaterThanOrEqual(0);
    await fs.writeFile(p("nocache-due.xlsx"), withCell(await fs.readFile(ledgerFile), sheet, `${columnLetter(due)}${i + 2}`, uncalculated));
    const r2 = await cli("check", p("nocache-due.xlsx"), "--json");
    expect(JSON.parse(r2.out).violations.length).toBe(before.violations.length);
  });

  test("check: the exceljs fallback reader (a file the fast reader does not read) lists a formula without a cached value as the fast path does", async () => {
    const d = await readLedgerStreaming(ledgerFile);
    const col = (re: RegExp) => d.header.findIndex((h) => re.test(h));
    const [costC, chargeC, statusC, due] = [col(/^费用/), col(/^收费\/免费/), col(/^状态/), col(/^回复到期/)];
    const i = d.rows.findIndex((r) => typeof r[costC] === "number" && r[chargeC] && /结案|跟踪|回访/.test(String(r[statusC])));
    const caseNo = String(d.rows[i][col(/^客诉单号/)]);
    const sheet = findTable(await readWorkbookFile(ledgerFile), TABLES.ledger)!.ws.name;
    const uncalculated = (old: string) => old.replace(/ t="[^"]*"/, "").replace(/(<c [^>]*?)(\/>|>[^]*<\/c>)$/, `$1><f>20*3</f></c>`);
    let buf = withCell(await fs.readFile(ledgerFile), sheet, `${columnLetter(costC)}${i + 2}`, uncalculated);
    buf = withCell(buf, sheet, `${columnLetter(due)}${i + 3}`, uncalculated);
    // An XML comment in the sheet: well-formed, read by Excel and exceljs, refused by the fast reader.
    buf = withCell(buf, sheet, `A${i + 2}`, (old) => `<!-- edited by a script -->${old}`);
    const both = p("nocache-fallback.xlsx");
    await fs.writeFile(both, buf);
    const mine = (v: CheckPass) => v.violations.filter((x) => x.caseNo === caseNo).map((x) => [x.code, x.field]);
    await expect(scanLedgerFile(both, () => new CheckPass(now()), { reader: "fast" })).rejects.toThrow(FastReadUnsupported);
    const fallback = await scanLedgerFile(both, () => new CheckPass(now()));
    expect(mine(fallback)).toEqual([["FORMULA_NO_VALUE", "cost"]]);
    // Exactly what the fast path says of the same cells without the comment (the computed column's formula is no finding).
    const fastFile = p("nocache-fast.xlsx");
    await fs.writeFile(
      fastFile,
      withCell(
        withCell(await fs.readFile(ledgerFile), sheet, `${columnLetter(costC)}${i + 2}`, uncalculated),
        sheet,
        `${columnLetter(due)}${i + 3}`,
        uncalculated,
      ),
    );
    const fast = await scanLedgerFile(fastFile, () => new CheckPass(now()), { reader: "fast" });
    expect(fallback.violations.map((v) => [v.caseNo, v.code, v.field])).toEqual(fast.violations.map((v) => [v.caseNo, v.code, v.field]));
    const r = await cli("check", both, "--json");
    expect(r.code).toBe(1);
    expect(
      JSON.parse(r.out)
        .violations.filter((v: { caseNo: string }) => v.caseNo === caseNo)
        .map((v: { code: string }) => v.code),
    ).toEqual(["FORMULA_NO_VALUE"]);
  });
});

describe("the workbench reads the ledger as check does", () => {
  test("a very hidden CaseLedger table with every cost 1, stored first: the workbench's fast path reads the visible one and says so; only a hidden one is not a ledger", async () => {
    const wb = await readWorkbookFile(ledgerFile);
    const real = findTable(wb, TABLES.ledger)!.ws;
    const header = (real.getRow(1).values as unknown[]).slice(1).map(String);
    const cc = costCol(header);
    const rows: unknown[][] = [];
    real.eachRow((row, n) => {
      const vals = (row.values as unknown[]).slice(1, header.length + 1);
      while (vals.length < header.length) vals.push(null);
      if (n > 1) rows.push(vals.map((v, j) => (j === cc ? 1 : v && typeof v === "object" && "formula" in v ? null : (v ?? null))));
    });
    const decoy = wb.addWorksheet("台账", { state: "veryHidden" });
    decoy.addTable({ name: "Decoy", ref: "A1", headerRow: true, columns: header.map((name) => ({ name })), rows });
    (decoy as unknown as { orderNo: number }).orderNo = -1;
    await saveWorkbook(wb, p("wb-decoy.xlsx"));
    // Named as the ledger's table in its own part, as a forger would.
    const parts = unzipParts(await fs.readFile(p("wb-decoy.xlsx")));
    const i = parts.findIndex((x) => /tables\/table\d+\.xml$/.test(x.name) && /name="Decoy"/.test(inflatePart(x)));
    parts[i] = deflatePart(parts[i].name, inflatePart(parts[i]).replace(/(name|displayName)="Decoy"/g, `$1="${TABLES.ledger}"`));
    const bytes = zipParts(parts);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);

    const honest = await readLedgerStreaming(ledgerFile);
    const d = (await readLedgerFast(ab as ArrayBuffer))!;
    expect(d.rows.map((r) => r[cc])).toEqual(honest.rows.map((r) => r[cc]));
    expect(d.rows.map((r) => r[cc]).some((v) => v !== 1 && v !== null)).toBe(true);
    expect(d.findings?.map((f) => [f.code, f.sheet])).toEqual([["HIDDEN_LEDGER", "台账"]]);
    const ledger = new Ledger(new FastStore(d, () => Promise.reject(new Error("not parsed"))), { now });
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ book: true });
    expect(v.problems[0].zh).toMatch(/隐藏的工作表"台账"自称台账/);

    // The workbench's exceljs path (XlsxStore) reads the same: the visible table, the decoy named.
    const viaExceljs = new Workbook();
    await viaExceljs.xlsx.load(ab as ArrayBuffer);
    const store = new XlsxStore(viaExceljs, { now });
    expect(store.sheetName).toBe(real.name);
    const sd = await store.read();
    expect(sd.rows.map((r) => r[cc])).toEqual(honest.rows.map((r) => r[cc]));
    expect(sd.findings?.map((f) => [f.code, f.sheet])).toEqual([["HIDDEN_LEDGER", "台账"]]);
    const viaStore = new Ledger(store, { now });
    await viaStore.load();
    expect((await viaStore.verifyAudit()).ok).toBe(false);

    // The real table's sheet hidden too: no ledger Excel shows; the workbench says so, in both languages.
    const hidden = await readWorkbookFile(ledgerFile);
    findTable(hidden, TABLES.ledger)!.ws.state = "hidden";
    await saveWorkbook(hidden, p("wb-hidden.xlsx"));
    const hb = await fs.readFile(p("wb-hidden.xlsx"));
    const err = await readLedgerFast(hb.buffer.slice(hb.byteOffset, hb.byteOffset + hb.length) as ArrayBuffer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe("NOT_A_LEDGER");
    expect((err as DomainError).en).toMatch(/only ledger table is on the hidden sheet/);
    // exceljs's path neither reads it nor adopts over it (a second CaseLedger table would break the file).
    const onlyHidden = new Workbook();
    await onlyHidden.xlsx.load(hb.buffer.slice(hb.byteOffset, hb.byteOffset + hb.length) as ArrayBuffer);
    expect(() => new XlsxStore(onlyHidden, { now })).toThrow(DomainError);
    const adoptErr = await adoptWorkbook(onlyHidden, { now: now() }).catch((e: unknown) => e);
    expect(adoptErr).toBeInstanceOf(DomainError);
    expect((adoptErr as DomainError).en).toMatch(/only on the hidden sheet/);
  });
});

describe("calendar import --into streams the ledger it does not change", () => {
  const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;
  const late = () => shanghai(EST - 1, 11, 20, 10, 0, 0);
  const md = (s: number) => `${+serialToIso(s).slice(5, 7)}月${+serialToIso(s).slice(8)}日`;
  const festival = (zh: string) => statutoryDays(EST).find((d) => d.name.startsWith(zh))!.serial;
  /** A whole notice for the first year without bundled data; five days off from 1 January (at least three weekdays), so early January's due dates move. */
  const notice = () => {
    const spring = statutoryDays(EST).filter((d) => d.name.startsWith("春节"));
    return `国务院办公厅关于${EST}年部分节假日安排的通知
一、元旦:1月1日至5日放假调休,共5天。
二、春节:${md(spring[0].serial)}至${md(spring[0].serial + 7)}放假调休,共8天。${md(spring[0].serial - 2)}上班。
三、清明节:${md(festival("清明"))}放假1天。
四、劳动节:5月1日至5日放假调休,共5天。
五、端午节:${md(festival("端午"))}放假1天。
六、中秋节:${md(festival("中秋"))}放假1天。
七、国庆节:10月1日至8日放假调休,共8天。`;
  };
  const calCli = cliAt(late);
  let estLedger: string;
  beforeAll(async () => {
    await fs.writeFile(p("est-notice.txt"), notice());
    const d = await generateSample({ cases: 60, mistakes: 0, seed: 11, today: ymdToSerial(EST - 1, 12, 20) });
    estLedger = p("est-ledger.xlsx");
    await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: late() }), estLedger);
  });

  /** The raw (stored) bytes of each part, by name. */
  const rawParts = async (f: string) => new Map(unzipParts(await fs.readFile(f)).map((x) => [x.name, x]));

  test("the patched file reads exactly as the whole-workbook save wrote it (policy, audit, meta, refreshed due dates); every other part is copied byte for byte", async () => {
    const viaPatch = p("est-patch.xlsx");
    const viaWhole = p("est-whole.xlsx");
    await fs.copyFile(estLedger, viaPatch);
    await fs.copyFile(estLedger, viaWhole);
    const r = await calCli("calendar", "import", p("est-notice.txt"), "--into", viaPatch, "--lang", "en");
    expect(r.code).toBe(0);
    // The same import through the whole workbook (exceljs), as before.
    const { workbook, store, stamp } = await openLedgerFile(viaWhole, { now: late });
    const ledger = new Ledger(store, { now: late });
    await ledger.load();
    const parsed = parseNotice(notice());
    expect((await ledger.importCalendar(parsed, { name: "complaint-ledger", source: "cli" })).ok).toBe(true);
    await saveWorkbook(workbook, viaWhole, { expect: stamp });

    const [a, b, before] = await Promise.all([readLedgerStreaming(viaPatch), readLedgerStreaming(viaWhole), readLedgerStreaming(estLedger)]);
    expect(a.policyRows).toEqual(b.policyRows);
    expect(a.auditRows).toEqual(b.auditRows);
    expect(a.meta).toEqual(b.meta);
    expect(a.rows).toEqual(b.rows);
    // The import changed some due date: the cached results were refreshed, not copied.
    const due = a.header.findIndex((h) => /^回复到期/.test(h));
    expect(a.rows.some((row, i) => row[due] !== before.rows[i][due])).toBe(true);
    expect((await calCli("verify-audit", viaPatch)).code).toBe(0);
    expect(JSON.parse((await calCli("calendar", "show", String(EST), "--json", "--ledger", viaPatch)).out).source).toBe("policy");
    // exceljs opens it (the pane's path).
    expect(findTable(await readWorkbookFile(viaPatch), TABLES.audit)).toBeDefined();

    const [old, now2] = [await rawParts(estLedger), await rawParts(viaPatch)];
    const changed = [...now2.keys()].filter((n) => !old.get(n)?.raw.equals(now2.get(n)!.raw));
    expect(changed.length).toBe(5); // the Policy, Audit, meta and ledger sheets, and the audit table's range
    expect([...old.keys()].sort()).toEqual([...now2.keys()].sort());
  });

  const office = findProgram(["libreoffice", "soffice"]);
  const withOffice = office ? test : test.skip;
  withOffice("a ledger LibreOffice saved again (no theme) and one openpyxl saved (absolute part paths): the import works, the audit stays intact", async () => {
    const files: string[] = [];
    const outDir = p("lo");
    await fs.mkdir(outDir, { recursive: true });
    const lo = spawnSync(office!, [`-env:UserInstallation=file://${p("lo-profile")}`, "--headless", "--convert-to", "xlsx", "--outdir", outDir, estLedger], {
      encoding: "utf8",
      timeout: 120000,
    });
    expect(lo.status).toBe(0);
    const loFile = path.join(outDir, "est-ledger.xlsx");
    expect([...(await rawParts(loFile)).keys()].some((n) => /theme/.test(n))).toBe(false);
    files.push(loFile);
    if (python) {
      const out = p("est-openpyxl.xlsx");
      const r = spawnSync(python, ["-c", "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])", estLedger, out], {
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      files.push(out);
    }
    for (const f of files) {
      const before = await readLedgerStreaming(f);
      const r = await calCli("calendar", "import", p("est-notice.txt"), "--into", f, "--lang", "en");
      expect(r.err).toMatch(/no longer an estimate/);
      expect(r.code).toBe(0);
      const after = await readLedgerStreaming(f);
      expect(after.auditRows.length).toBe(before.auditRows.length + 1);
      expect(after.rows.length).toBe(before.rows.length);
      const v = await calCli("verify-audit", f, "--lang", "en");
      expect(v.out).toMatch(/intact/);
      expect(v.code).toBe(0);
      expect(JSON.parse((await calCli("calendar", "show", String(EST), "--json", "--ledger", f)).out).source).toBe("policy");
    }
  });
});

describe("verify-audit on amplified audit rows", () => {
  test("audit cells sharing one 32,400-character string: refused after a bounded count of rows (not hashed to the end), output under 10 MB, both languages", async () => {
    const buf = await fs.readFile(ledgerFile);
    const parts = unzipParts(buf);
    const long = "审计".repeat(16200);
    const rows = 20000;
    const width = AUDIT_COLUMNS.length;
    // The long string stored once, in the shared strings; every text cell of every entry points at it.
    const sst = parts.findIndex((x) => x.name === "xl/sharedStrings.xml");
    const sstXml = inflatePart(parts[sst]);
    const idx = sharedStringCount(sstXml);
    parts[sst] = deflatePart(parts[sst].name, appendSharedStrings(sstXml, [long], rows * (width - 2)));
    const name = sheetPart(buf, SHEETS.audit);
    const at = parts.findIndex((x) => x.name === name);
    const xml = inflatePart(parts[at]);
    const body: string[] = [];
    for (let n = 2; n < rows + 2; n++) {
      let row = `<row r="${n}"><c r="A${n}"><v>${n - 1}</v></c>`;
      for (let j = 1; j < width - 1; j++) row += `<c r="${columnLetter(j)}${n}" t="s"><v>${idx}</v></c>`;
      body.push(`${row}<c r="${columnLetter(width - 1)}${n}" t="inlineStr"><is><t>x</t></is></c></row>`);
    }
    const head = xml.slice(0, xml.indexOf('<row r="2"'));
    parts[at] = deflatePart(name, head + body.join("") + xml.slice(xml.indexOf("</sheetData>")));
    const table = parts.findIndex((x) => /tables\/table\d+\.xml$/.test(x.name) && new RegExp(`name="${TABLES.audit}"`).test(inflatePart(x)));
    parts[table] = deflatePart(parts[table].name, inflatePart(parts[table]).replace(/(ref="A1:[A-Z]+)\d+"/g, `$1${rows + 1}"`));
    const file = p("amplified-audit.xlsx");
    await fs.writeFile(file, zipParts(parts));
    expect((await fs.stat(file)).size).toBeLessThan(3 * 1024 * 1024);
    const perRow = (width - 2) * long.length;
    expect(perRow * rows).toBeGreaterThan(6e9); // hashed to the end, six billion characters
    for (const lang of ["en", "zh"]) {
      const r = await cli("verify-audit", file, "--lang", lang);
      expect(r.code).toBe(2);
      expect(r.out.length + r.err.length).toBeLessThan(10 * 1024 * 1024);
      expect(r.out + r.err).not.toMatch(/intact|完好/);
      expect(r.err).not.toContain(long.slice(0, 100));
      // The row it stopped at: what the pass read, bounded by the limit, not by the file.
      const stop = Number((lang === "en" ? /\(row (\d+)\)/ : /第 (\d+) 行/).exec(r.err)![1]);
      expect(stop).toBeLessThanOrEqual(2 + Math.ceil(400_000_000 / perRow));
      expect(stop).toBeLessThan(rows / 10);
    }
  });
});
