/**
 * `complaint-ledger upgrade` on ledgers written by earlier releases
 * (test/fixtures): every original cell of every original sheet unchanged, the
 * audit chain intact with an UPGRADED entry, the new column there, a second
 * run with no changes and a byte-identical file; a ledger of a newer release
 * refused by every command that writes, the file untouched.
 */
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { Workbook } from "exceljs";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyFromRows } from "../../src/domain/policy/policy-table";
import { Ledger } from "../../src/ledger/service";
import { liveSnapshot, policySections, type SchemaSnapshot } from "../../src/ledger/migrations/snapshot";
import { SNAPSHOTS } from "../../src/ledger/migrations/steps";
import { META, SCHEMA_VERSION, SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { openLedgerFile, readLedgerStreaming, readWorkbookFile, saveWorkbook } from "../../src/stores/xlsx/file";
import { findTable } from "../../src/stores/xlsx/tables";
import { policyToRows } from "../../src/domain/policy/policy-table";
import { NOTICE_2026 } from "../fixtures/notices";
import { cliAt } from "./run";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const cli = cliAt(now);
const FIXTURES = ["ledger-v0.1.0.xlsx", "ledger-v0.1.x-sample.xlsx", "ledger-v0.1.x-adopted.xlsx"].map((f) => path.join(__dirname, "..", "fixtures", f));
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-upgrade-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");
let n = 0;
async function copy(src: string): Promise<string> {
  const to = path.join(dir, `${++n}-${path.basename(src)}`);
  await fs.copyFile(src, to);
  return to;
}

/**
 * Every cell of every sheet of `before` holds the same value in `after` (values as exceljs reads them: formulas with
 * their text). Not the very hidden meta sheet: the program's own bookkeeping, whose audit head and schema version an
 * upgrade must move on.
 */
function sameCells(before: Workbook, after: Workbook): string[] {
  const diffs: string[] = [];
  for (const ws of before.worksheets.filter((w) => w.name !== SHEETS.meta)) {
    const other = after.getWorksheet(ws.name);
    if (!other) {
      diffs.push(`sheet ${ws.name} is gone`);
      continue;
    }
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        const a = JSON.stringify(cell.value ?? null);
        const b = JSON.stringify(other.getRow(r).getCell(c).value ?? null);
        if (a !== b && diffs.length < 20) diffs.push(`${ws.name}!${cell.address}: ${a} → ${b}`);
      });
    });
  }
  return diffs;
}

describe.each(FIXTURES)("%s, written by an earlier release", (fixture) => {
  test("upgrades: every original cell unchanged, audit intact with UPGRADED, the new column there; a second run changes nothing", async () => {
    const file = await copy(fixture);
    const before = await readWorkbookFile(file);
    const checked = await cli("check", file, "--json");
    expect(JSON.parse(checked.out).schema).toEqual({ version: "1", current: SCHEMA_VERSION });
    expect(checked.err).toContain(`complaint-ledger upgrade ${file}`);

    const r = await cli("upgrade", file, "--json");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan).toMatchObject({ from: "1", to: SCHEMA_VERSION });
    expect(plan.changes).toContainEqual({ kind: "column", detail: "不良率 Defect rate" });

    const after = await readWorkbookFile(file);
    expect(sameCells(before, after)).toEqual([]);
    expect(after.worksheets.map((w) => w.name)).toEqual(before.worksheets.map((w) => w.name));
    const spot = findTable(after, TABLES.ledger)!;
    const was = findTable(before, TABLES.ledger)!;
    expect(spot.width).toBe(was.width + plan.changes.filter((c: { kind: string }) => c.kind === "column" || c.kind === "signature").length);
    const firstColumn = plan.changes.find((c: { kind: string }) => c.kind === "column" || c.kind === "signature");
    expect(spot.ws.getRow(spot.top).getCell(spot.left + was.width).value).toBe(firstColumn.detail);

    const v = await cli("verify-audit", file);
    expect(v.code).toBe(0);
    const data = await readLedgerStreaming(file);
    expect(data.meta[META.schemaVersion]).toBe(SCHEMA_VERSION);
    // One UPGRADED entry per step: 1 → 2, then on to this release's version.
    const upgraded = data.auditRows.filter((row) => row.includes("UPGRADED"));
    expect(upgraded[0]).toEqual(expect.arrayContaining(["UPGRADED", "1", "2"]));
    expect(upgraded[upgraded.length - 1]).toEqual(expect.arrayContaining(["UPGRADED", SCHEMA_VERSION]));
    expect(data.auditRows[data.auditRows.length - 1]).toEqual(upgraded[upgraded.length - 1]);
    expect(data.header).toContain("不良率 Defect rate");
    expect(JSON.parse((await cli("check", file, "--json")).out).schema).toEqual({ version: SCHEMA_VERSION, current: SCHEMA_VERSION });

    const hash = await sha(file);
    const again = await cli("upgrade", file, "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, changes: [] });
    expect(await sha(file)).toBe(hash);
  });
});

describe("where the upgrade writes", () => {
  test("-o writes another file and leaves the input as it was; --dry-run writes nothing; an existing -o is not overwritten", async () => {
    const file = await copy(FIXTURES[1]);
    const hash = await sha(file);
    const dry = await cli("upgrade", file, "--dry-run", "--lang", "en");
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/Ledger: added column 不良率 Defect rate/);
    expect(dry.out).toMatch(/--dry-run: nothing written/);
    expect(await sha(file)).toBe(hash);
    const out = path.join(dir, "upgraded.xlsx");
    expect((await cli("upgrade", file, "-o", out)).code).toBe(0);
    expect(await sha(file)).toBe(hash);
    expect((await readLedgerStreaming(out)).meta[META.schemaVersion]).toBe(SCHEMA_VERSION);
    const outHash = await sha(out);
    const refused = await cli("upgrade", file, "-o", out, "--lang", "en");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already exists/);
    expect(await sha(out)).toBe(outHash);
  });

  test("a Policy sheet the user edited keeps every edit; a relied-on code it lacks is added back rather than the policy dropped", async () => {
    const file = await copy(FIXTURES[1]);
    const wb = await readWorkbookFile(file);
    const ws = wb.getWorksheet(SHEETS.policy)!;
    let reworkRow = 0;
    const gone: number[] = [];
    ws.eachRow((row, r) => {
      const code = String(row.getCell(1).value ?? "");
      if (code === "REWORK") reworkRow = r;
      if (code === "REPLY_INTERNATIONAL") gone.push(r);
    });
    ws.getRow(reworkRow).getCell(2).value = "返工(厂内)";
    // The sheet lacks a code the add-in relies on (as if this release had started relying on it): its rows are blanked.
    for (const r of gone) ws.getRow(r).eachCell((c) => (c.value = null));
    await saveWorkbook(wb, file);
    const before = await readWorkbookFile(file);
    const checked = await cli("check", file, "--lang", "en");
    expect(checked.err).toMatch(/lacks clock code "REPLY_INTERNATIONAL".*the default is used/);

    const r = await cli("upgrade", file, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).changes).toContainEqual({ kind: "policy", detail: expect.stringMatching(/^CLOCKS REPLY_INTERNATIONAL/) });
    const after = await readWorkbookFile(file);
    expect(sameCells(before, after)).toEqual([]);
    const policy = policyFromRows((await readLedgerStreaming(file)).policyRows);
    expect(policy.problems).toEqual([]);
    expect(policy.supplied).toEqual([]);
    expect(policy.policy!.dispositions.find((d) => d.code === "REWORK")!.zh).toBe("返工(厂内)");
    expect(policy.policy!.clocks.some((c) => c.code === "REPLY_INTERNATIONAL")).toBe(true);
    expect((await cli("verify-audit", file)).code).toBe(0);
  });

  test("a release that adds a role, a form and Policy rows: sign-off column and rows reach an .xlsx ledger, the user's rows first and untouched", async () => {
    const file = await copy(FIXTURES[1]);
    const before = await readWorkbookFile(file);
    const p = defaultPolicy();
    p.roles.push({ code: "AUDITOR", zh: "审核员", en: "Auditor", synonyms: [] });
    p.forms.push({ code: "DEBIT_NOTE", zh: "扣款单", en: "Debit note", synonyms: [], signers: [["AUDITOR"]] });
    const next = String(Number(SCHEMA_VERSION) + 1);
    const vNext: SchemaSnapshot = { ...liveSnapshot(next, "9.9.0"), policy: policySections(policyToRows(p)) };
    const { workbook, store } = await openLedgerFile(file, { now });
    const ledger = new Ledger(store, { now });
    const plan = await ledger.upgrade({ name: "t", source: "cli" }, { to: next, snapshots: [...SNAPSHOTS, vNext] });
    expect(plan.steps.map((s) => s.to)).toEqual(
      SNAPSHOTS.slice(1)
        .map((s) => s.version)
        .concat(next),
    );
    expect(ledger.keys).toContain("sign_AUDITOR");
    expect(ledger.policy.forms.some((f) => f.code === "DEBIT_NOTE")).toBe(true);
    await saveWorkbook(workbook, file);
    const after = await readWorkbookFile(file);
    expect(sameCells(before, after)).toEqual([]);
    const data = await readLedgerStreaming(file);
    expect(data.header).toContain("不良率 Defect rate");
    expect(data.header.at(-1)).toBe("签核-审核员 Sign-off: Auditor");
    expect(data.auditRows.slice(-plan.steps.length).map((r) => r.filter((x) => x === "UPGRADED").length)).toEqual(plan.steps.map(() => 1));
    expect((await cli("verify-audit", file)).code).toBe(0);
  });
});

describe("a cell beside the table", () => {
  test("stops the upgrade rather than being overwritten: exit 2 with the reason, the file byte-identical", async () => {
    const file = await copy(FIXTURES[2]);
    const wb = await readWorkbookFile(file);
    const spot = findTable(wb, TABLES.ledger)!;
    spot.ws.getRow(spot.top + 3).getCell(spot.left + spot.width).value = "备注:张工核对";
    await saveWorkbook(wb, file);
    const hash = await sha(file);
    const r = await cli("upgrade", file, "--lang", "zh");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/已有内容,无法在表格末尾添加新列/);
    expect(await sha(file)).toBe(hash);
  });
});

describe("a ledger written by a newer release", () => {
  async function newer(): Promise<string> {
    const file = await copy(FIXTURES[1]);
    const wb = await readWorkbookFile(file);
    const meta = wb.getWorksheet(SHEETS.meta)!;
    meta.eachRow((row) => {
      if (row.getCell(1).value === META.schemaVersion) row.getCell(2).value = String(Number(SCHEMA_VERSION) + 1);
    });
    await saveWorkbook(wb, file);
    return file;
  }

  test("upgrade and calendar import refuse it with exit 2, naming both versions; the file is byte-identical", async () => {
    const file = await newer();
    const hash = await sha(file);
    const up = await cli("upgrade", file, "--lang", "en");
    expect(up.code).toBe(2);
    expect(up.err).toContain(`schema version ${Number(SCHEMA_VERSION) + 1}; this release knows up to ${SCHEMA_VERSION}`);
    const notice = path.join(dir, "notice.txt");
    await fs.writeFile(notice, NOTICE_2026);
    const cal = await cli("calendar", "import", notice, "--into", file, "--lang", "zh");
    expect(cal.code).toBe(2);
    expect(cal.err).toContain("只能查看");
    expect(await sha(file)).toBe(hash);
    // Reading still works, and says what it is.
    const checked = await cli("check", file, "--json", "--lang", "en");
    expect(JSON.parse(checked.out).schema).toEqual({ version: String(Number(SCHEMA_VERSION) + 1), current: SCHEMA_VERSION });
    expect(checked.err).toMatch(/newer release/);
  });
});
