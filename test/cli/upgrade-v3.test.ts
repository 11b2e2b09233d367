/**
 * Schema 3 (issue 23, the money trail): a ledger written by 0.2.x upgrades
 * keeping every cell a user wrote and every edit in its audit log, gains the
 * money columns and the Policy's cost categories, journal layout, money
 * settings, the dealer-debit approval form and the supplier-return 8D clock;
 * a second run changes nothing; a ledger claiming schema 4 is refused.
 */
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { Workbook } from "exceljs";
import { policyFromRows } from "../../src/domain/policy/policy-table";
import { META, SCHEMA_VERSION, SHEETS, TABLES } from "../../src/ledger/workbook-layout";
import { readLedgerStreaming, readWorkbookFile, saveWorkbook } from "../../src/stores/xlsx/file";
import { findTable } from "../../src/stores/xlsx/tables";
import { cliAt } from "./run";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120000);
const now = () => shanghai(2026, 5, 30, 10, 0, 0);
const cli = cliAt(now);
const V2 = path.join(__dirname, "..", "fixtures", "ledger-v0.2.x-sample.xlsx");
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-upgrade3-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");
let n = 0;
async function copy(): Promise<string> {
  const to = path.join(dir, `${++n}-v2.xlsx`);
  await fs.copyFile(V2, to);
  return to;
}

/** Every cell of every sheet of `before` (but the program's meta sheet) holds the same value in `after`. */
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

test("schema 3 is this release's", () => {
  expect(SCHEMA_VERSION).toBe("3");
});

test("a v2 ledger upgrades to v3: every user cell and edit kept, money columns and Policy rows added, audited; a second run changes nothing", async () => {
  const file = await copy();
  const before = await readWorkbookFile(file);
  const checked = await cli("check", file, "--json");
  expect(JSON.parse(checked.out).schema).toEqual({ version: "2", current: "3" });

  const r = await cli("upgrade", file, "--json");
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.out);
  expect(plan).toMatchObject({ from: "2", to: "3" });
  const details = plan.changes.map((c: { detail: string }) => c.detail);
  for (const col of [
    "经销商扣款金额 Dealer debit amount",
    "扣款入账日期 Dealer debit booked at",
    "退供应商日期 Returned to supplier at",
    "供应商赔偿金额 Supplier credit amount",
  ])
    expect(details).toContain(col);
  // Columns a v2 ledger already had are not added again.
  expect(details).not.toContain("不良率 Defect rate");
  for (const row of [
    /^COST_CATEGORIES DEALER_DEBIT/,
    /^JOURNAL_LAYOUTS GENERIC/,
    /^SETTINGS reviewRepeatWindowDays/,
    /^CLOCKS SUPPLIER_RETURN_8D/,
    /^FORMS DEALER_DEBIT/,
    /^LIMITS SUPPLIER_RETURN_8D/,
  ])
    expect(details.some((d: string) => row.test(d))).toBe(true);

  const after = await readWorkbookFile(file);
  expect(sameCells(before, after)).toEqual([]);
  const spot = findTable(after, TABLES.ledger)!;
  const was = findTable(before, TABLES.ledger)!;
  expect(spot.width).toBe(was.width + plan.changes.filter((c: { kind: string }) => c.kind === "column").length);

  const data = await readLedgerStreaming(file);
  expect(data.meta[META.schemaVersion]).toBe("3");
  // The user's edit made under 0.2.x is still in the log, and the chain verifies with the upgrade on it.
  expect(data.auditRows.some((row) => row.includes("KS-2026-0003") && row.some((x) => String(x).includes("confirmed by phone")))).toBe(true);
  expect(data.auditRows[data.auditRows.length - 1]).toEqual(expect.arrayContaining(["UPGRADED", "2", "3"]));
  expect((await cli("verify-audit", file)).code).toBe(0);

  const read = policyFromRows(data.policyRows);
  expect(read.problems).toEqual([]);
  expect(read.policy!.review.repeatWindowDays).toBe(90);
  expect(read.policy!.money.categories.map((c) => c.code)).toEqual(["SALES_COST", "SALES_EXPENSE", "SUPPLIER", "CUSTOMER", "DEALER_DEBIT"]);
  expect(read.policy!.money.layouts.map((l) => l.code)).toEqual(["GENERIC"]);

  const shown = JSON.parse((await cli("case", "show", file, "KS-2026-0003", "--json")).out);
  expect(shown.fields.remarks).toBe("已与客户电话确认 confirmed by phone");

  const hash = await sha(file);
  const again = await cli("upgrade", file, "--json");
  expect(JSON.parse(again.out)).toEqual({ from: "3", to: "3", changes: [] });
  expect(await sha(file)).toBe(hash);
});

test("a Policy sheet edited under 0.2.x keeps its edit; a section the user already added is not added twice", async () => {
  const file = await copy();
  const wb = await readWorkbookFile(file);
  const ws = wb.getWorksheet(SHEETS.policy)!;
  ws.eachRow((row) => {
    if (row.getCell(1).value === "dueSoonWorkdays") row.getCell(2).value = 2;
  });
  // The quality manager wrote the repeat window herself before the upgrade.
  const last = ws.rowCount;
  ws.getRow(last + 2).getCell(1).value = "[SETTINGS]";
  ws.getRow(last + 3).getCell(1).value = "键 Key";
  ws.getRow(last + 4).values = ["reviewRepeatWindowDays", 60, "重复客诉窗口(天)"];
  await saveWorkbook(wb, file);
  const before = await readWorkbookFile(file);
  const r = await cli("upgrade", file, "--json");
  expect(r.code).toBe(0);
  const details: string[] = JSON.parse(r.out).changes.map((c: { detail: string }) => c.detail);
  expect(details.filter((d) => d.startsWith("SETTINGS reviewRepeatWindowDays"))).toEqual([]);
  expect(details.filter((d) => d.startsWith("SETTINGS supplierBatchThreshold"))).toHaveLength(1);
  expect(sameCells(before, await readWorkbookFile(file))).toEqual([]);
  const p = policyFromRows((await readLedgerStreaming(file)).policyRows).policy!;
  expect(p.settings.dueSoonWorkdays).toBe(2);
  expect(p.review.repeatWindowDays).toBe(60);
});

test("a ledger claiming schema 4 is refused by upgrade and by case set, the file byte-identical", async () => {
  const file = await copy();
  const wb = await readWorkbookFile(file);
  wb.getWorksheet(SHEETS.meta)!.eachRow((row) => {
    if (row.getCell(1).value === META.schemaVersion) row.getCell(2).value = "4";
  });
  await saveWorkbook(wb, file);
  const hash = await sha(file);
  const up = await cli("upgrade", file, "--lang", "en");
  expect(up.code).toBe(2);
  expect(up.err).toContain("schema version 4; this release knows up to 3");
  const set = await cli("case", "set", file, "KS-2026-0003", "--set", "remarks=x", "--as", "王建国", "--lang", "en");
  expect(set.code).not.toBe(0);
  expect(set.err).toMatch(/schema version 4/);
  const cal = await cli("export", "journal", file, "--from", "2026-01-01", "--to", "2026-12-31", "-o", path.join(dir, "j4.csv"), "--lang", "en");
  expect(cal.code).toBe(2);
  await expect(fs.stat(path.join(dir, "j4.csv"))).rejects.toThrow();
  expect(await sha(file)).toBe(hash);
});
