import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { execFileSync, spawnSync } from "child_process";
import { Workbook } from "exceljs";
import { writeHandKeptSheet } from "../fixtures/hand-kept-sheet";
import { cliAt } from "./run";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { CASE_FIELDS, headerOf } from "../../src/domain/schema";
import { generateSample } from "../../src/sample/ledger-sample";
import { SCHEMA_VERSION, SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { saveWorkbook, readWorkbookFile } from "../../src/stores/xlsx/file";
import { findTable } from "../../src/stores/xlsx/tables";
import { shanghai } from "../fakes/clock";

jest.setTimeout(60000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
let dir: string;

const cli = cliAt(now);
const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");
const p = (f: string) => path.join(dir, f);

let clean: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-cli-"));
  const d = await generateSample({ cases: 60, mistakes: 0, seed: 5 });
  clean = p("clean.xlsx");
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), clean);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("complaint-ledger sample / check", () => {
  test("sample writes a ledger whose check finds exactly the deliberate mistakes (exit 1)", async () => {
    const r = await cli("sample", "-o", p("s.xlsx"), "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/200 cases/);
    const c = await cli("check", p("s.xlsx"), "--json");
    expect(c.code).toBe(1);
    const j = JSON.parse(c.out);
    expect(Object.keys(j)).toEqual(["cases", "violations", "estimates", "schema", "pastRetention", "supplier8DOverdue"]);
    expect(j.schema).toEqual({ version: SCHEMA_VERSION, current: SCHEMA_VERSION });
    expect(j.cases).toBe(200);
    expect(j.violations.length).toBeGreaterThan(0);
    for (const v of j.violations) expect(Object.keys(v)).toEqual(["caseNo", "code", "field", "message_zh", "message_en"]);
    expect(new Set(j.violations.map((v: { code: string }) => v.code))).toEqual(new Set(["CHARGE_CONFLICT", "STATE_INCOMPLETE", "NEGATIVE"]));
  });

  test("check: a clean ledger exits 0, in both languages", async () => {
    const en = await cli("check", clean, "--lang", "en");
    expect(en).toMatchObject({ code: 0 });
    expect(en.out).toMatch(/60 cases, no violations/);
    const zh = await cli("check", clean, "--lang", "zh");
    expect(zh.out).toMatch(/共 60 条案件,全部符合规则/);
  });

  test("check: a close date typed onto an unfinished case is its own violation (exit 1), in the same JSON shape", async () => {
    const wb = await readWorkbookFile(clean);
    const t = findTable(wb, TABLES.ledger)!;
    const header = (t.ws.getRow(t.top).values as unknown[]).slice(t.left, t.left + t.width).map(String);
    const col = (key: string) => t.left + header.indexOf(headerOf(CASE_FIELDS.find((f) => f.key === key)!));
    // The first case still short of its reply: its status says so, and it has no close date.
    let row = 0;
    for (let r = t.top + 1; r <= t.top + t.bodyRows && !row; r++) {
      const status = String(t.ws.getCell(r, col("status")).value ?? "");
      if (["已登记", "已回厂", "已判定", "已定责", "已定方案"].includes(status)) row = r;
    }
    expect(row).toBeGreaterThan(0);
    const caseNo = String(t.ws.getCell(row, col("caseNo")).value);
    t.ws.getCell(row, col("closedAt")).value = new Date(Date.UTC(2026, 5, 29));
    await saveWorkbook(wb, p("typed-close.xlsx"));
    const r = await cli("check", p("typed-close.xlsx"), "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.violations).toEqual([
      {
        caseNo,
        code: "CLOSE_DATE_UNSUPPORTED",
        field: "closedAt",
        message_zh: expect.stringMatching(/^已填结案日期,但案件尚未完成:缺少/),
        message_en: expect.stringMatching(/^Closed at is filled in, but the case is not finished: /),
      },
    ]);
  });

  test("check: text output names case, code and message", async () => {
    const r = await cli("check", p("s.xlsx"), "--lang", "zh");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/KS-\d{4}-\d{4}\tNEGATIVE\tquantity\t数量不能为负数/);
  });

  test("check: missing, damaged and foreign files exit 2 with a clear message", async () => {
    const missing = await cli("check", p("nope.xlsx"), "--lang", "en");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/File not found/);
    await fs.writeFile(p("junk.xlsx"), "not a zip at all");
    const junk = await cli("check", p("junk.xlsx"), "--lang", "zh");
    expect(junk.code).toBe(2);
    expect(junk.err).toMatch(/不是 \.xlsx 文件.不是 zip 格式./);
    // Under --lang zh the message is Chinese: no library's English ("invalid signature…") in it.
    expect(junk.err).not.toMatch(/[a-z]{4,} [a-z]{3,}/);
    const wb = new Workbook();
    wb.addWorksheet("Sheet1").addRow(["a", "b"]);
    await wb.xlsx.writeFile(p("foreign.xlsx"));
    const foreign = await cli("check", p("foreign.xlsx"), "--lang", "en");
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/not a complaint ledger/);
  });
});

describe("complaint-ledger verify-audit", () => {
  test("intact → 0; an edited entry → 1 naming the entry; a cut tail → 1", async () => {
    const ok = await cli("verify-audit", clean, "--lang", "en");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/intact: \d+ entries/);

    const wb = await readWorkbookFile(clean);
    const audit = findTable(wb, TABLES.audit)!;
    audit.ws.getRow(audit.top + 5).getCell(audit.left + 2).value = "冒名者";
    await saveWorkbook(wb, p("tampered.xlsx"));
    const bad = await cli("verify-audit", p("tampered.xlsx"), "--lang", "en");
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/Entry 5 was altered/);
    expect(bad.out).toMatch(/audit sheet row 6/);

    const wb2 = await readWorkbookFile(clean);
    const a2 = findTable(wb2, TABLES.audit)!;
    const last = a2.top + a2.bodyRows;
    a2.ws.spliceRows(last, 1);
    await saveWorkbook(wb2, p("cut.xlsx"));
    const cut = await cli("verify-audit", p("cut.xlsx"), "--lang", "zh");
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/末尾记录被删除/);
  });
});

describe("complaint-ledger report --finance", () => {
  test("json totals agree with the by-responsibility, by-customer and by-period lines", async () => {
    const r = await cli("report", clean, "--finance", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const sum = (xs: { free: number; charged: number; freeCost: number }[], k: "free" | "charged" | "freeCost") => xs.reduce((s, x) => s + x[k], 0);
    for (const part of ["byResponsibility", "byCustomer", "byPeriod"]) {
      expect(sum(j[part], "free")).toBe(j.total.free);
      expect(sum(j[part], "charged")).toBe(j.total.charged);
      expect(sum(j[part], "freeCost")).toBeCloseTo(j.total.freeCost, 2);
    }
    expect(j.total.free + j.total.charged).toBe(j.cases);
    expect(j.cases).toBeGreaterThan(10);
    for (const l of j.byPeriod) expect(l.key).toMatch(/^\d{4}-\d{2} H[12]$/);
    // Free never goes with a customer-fault code, charged never with an internal one.
    for (const l of j.byResponsibility) {
      if (["DEALER", "LOGISTICS", "NO_FAULT"].includes(l.key)) expect(l.free).toBe(0);
      else expect(l.charged).toBe(0);
    }
  });

  test("--from/--to narrow the cases; csv has a header and one line per entry", async () => {
    const all = JSON.parse((await cli("report", clean, "--finance", "--json")).out);
    const june = JSON.parse((await cli("report", clean, "--finance", "--json", "--from", "2026-06-01", "--to", "2026/6/30")).out);
    expect(june.cases).toBeLessThan(all.cases);
    expect(june.byPeriod.length).toBeGreaterThan(0);
    expect(june.byPeriod.every((l: { key: string }) => l.key.startsWith("2026-06"))).toBe(true);
    const csv = (await cli("report", clean, "--finance", "--csv")).out.trim().split("\n");
    expect(csv[0]).toBe("section,key,name_zh,name_en,free,free_cost,charged,charged_cost");
    expect(csv.length).toBe(1 + all.byResponsibility.length + all.byCustomer.length + all.byPeriod.length + 1);
    const text = await cli("report", clean, "--finance", "--lang", "zh");
    expect(text.out).toMatch(/按半月/);
  });

  test("bad options exit 2", async () => {
    expect((await cli("report", clean)).code).toBe(2);
    expect((await cli("report", clean, "--finance", "--from", "yesterday")).code).toBe(2);
    expect((await cli("report", clean, "--finance", "--csv", "--json")).code).toBe(2);
    expect((await cli("report", clean, "--finance", "--from", "2026-07-01", "--to", "2026-06-01")).code).toBe(2);
  });
});

describe("complaint-ledger adopt", () => {
  let input: string;
  beforeAll(async () => {
    input = p("hand.xlsx");
    await writeHandKeptSheet(input);
  });

  test("maps the columns, lists problems, keeps a backup and never touches the input", async () => {
    const before = await sha(input);
    const r = await cli("adopt", input, "-o", p("adopted.xlsx"), "--sheet", "2026客诉", "--lang", "en");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/A\t单号\t→ caseNo/);
    expect(r.out).toMatch(/H\t跟单备注\t→ \(kept as an extra column\)/);
    expect(r.out).toMatch(/duplicate numbers 1, missing numbers 1/);
    expect(r.out).toMatch(/--renumber/);
    expect(await sha(input)).toBe(before);

    const out = await readWorkbookFile(p("adopted.xlsx"));
    expect(out.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(["说明", "2026客诉", "备份 2026客诉", SHEETS.policy, SHEETS.people, SHEETS.audit, SHEETS.problems]),
    );
    const backup = out.getWorksheet("备份 2026客诉")!;
    expect(backup.getCell("A1").value).toBe("2026年客诉处置台账");
    expect(backup.getCell("A1").font?.bold).toBe(true);
    expect((backup.model as unknown as { merges: string[] }).merges).toContain("A1:H1");
    expect(backup.getColumn(5).width).toBe(33);
    expect(backup.getCell("E4").value).toBe("=1+1 看起来像公式");
    expect(backup.getCell("G4").value).toMatchObject({ formula: "100+20" });
    const ledger = findTable(out, TABLES.ledger)!;
    expect(ledger.ws.name).toBe("2026客诉");
    expect(ledger.bodyRows).toBe(3);
    const problems = findTable(out, TABLES.problems)!;
    expect(problems.bodyRows).toBeGreaterThanOrEqual(3);

    const check = await cli("check", p("adopted.xlsx"), "--json");
    expect(check.code).toBe(1);
    const j = JSON.parse(check.out);
    expect(j.cases).toBe(3);
    expect(j.violations.some((v: { code: string }) => v.code === "DUPLICATE_CASE_NO")).toBe(true);
    const audit = await cli("verify-audit", p("adopted.xlsx"));
    expect(audit.code).toBe(0);
  });

  test("--renumber gives repeated and missing numbers new ones", async () => {
    const r = await cli("adopt", input, "-o", p("renumbered.xlsx"), "--sheet", "2026客诉", "--renumber", "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/renumbered 2/);
    const j = JSON.parse((await cli("check", p("renumbered.xlsx"), "--json")).out);
    expect(j.violations.some((v: { code: string }) => v.code === "DUPLICATE_CASE_NO")).toBe(false);
  });

  test("wrong sheet, same output as input, missing -o, a ledger adopted twice → exit 2", async () => {
    const wrong = await cli("adopt", input, "-o", p("x.xlsx"), "--sheet", "Sheet9", "--lang", "en");
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/No sheet named "Sheet9" \(sheets: 说明, 2026客诉\)/);
    expect((await cli("adopt", input, "-o", input)).code).toBe(2);
    expect((await cli("adopt", input)).code).toBe(2);
    expect((await cli("adopt", clean, "-o", p("twice.xlsx"))).code).toBe(2);
    await expect(fs.stat(p("x.xlsx"))).rejects.toThrow();
  });
});

describe("usage", () => {
  test("--help for every command and for the tool", async () => {
    for (const c of ["sample", "adopt", "check", "report", "verify-audit"]) {
      const r = await cli(c, "--help", "--lang", "en");
      expect([c, r.code]).toEqual([c, 0]);
      expect(r.out).toContain(`complaint-ledger ${c}`);
    }
    const top = await cli("--help", "--lang", "zh");
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/用法/);
  });

  test("unknown commands, unknown options and bad --lang exit 2", async () => {
    expect((await cli("frobnicate")).code).toBe(2);
    expect((await cli("check", clean, "--fast")).code).toBe(2);
    expect((await cli("check", clean, "--lang", "fr")).code).toBe(2);
    expect((await cli("check")).code).toBe(2);
    expect((await cli("sample")).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });
});

describe("the real bin", () => {
  test("builds and runs: check exits 1 on the sample, JSON on stdout", () => {
    const root = path.resolve(__dirname, "../..");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", "tsconfig.cli.json"], { cwd: root });
    const bin = path.join(root, "bin/complaint-ledger.js");
    const s = spawnSync(process.execPath, [bin, "sample", "-o", p("bin.xlsx"), "--cases", "20"], { encoding: "utf8" });
    expect(s.status).toBe(0);
    const c = spawnSync(process.execPath, [bin, "check", p("bin.xlsx"), "--json"], { encoding: "utf8" });
    expect([0, 1]).toContain(c.status);
    expect(JSON.parse(c.stdout).cases).toBe(20);
    const u = spawnSync(process.execPath, [bin, "nope"], { encoding: "utf8" });
    expect(u.status).toBe(2);
  }, 60000);
});
