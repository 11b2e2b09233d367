/**
 * Issue 28: the plan shows the result. The violation count `adopt` prints before writing equals what
 * `check --json` finds on the written ledger, for the 2025 hand-kept ledger and for a few variants.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { Workbook } from "exceljs";
import type { CellValue } from "../../src/domain/case";
import { caseNoKey } from "../../src/domain/case";
import { ledgerSheet2025 } from "../../src/sample/handkept";
import { cliAt } from "./run";

jest.setTimeout(180000);
const now = () => new Date(Date.UTC(2026, 10, 26, 2, 0, 0));
const cli = cliAt(now);
let dir: string;
const p = (f: string) => path.join(dir, f);

async function writeSheet(file: string, name: string, values: CellValue[][]): Promise<void> {
  const wb = new Workbook();
  const ws = wb.addWorksheet(name);
  for (const row of values) ws.addRow(row.map((v) => (v === null ? undefined : v)));
  ws.mergeCells(1, 1, 1, values[2].length);
  await wb.xlsx.writeFile(file);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-adopt28-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("adopt shows what check will say (issue 28)", () => {
  const sheet = ledgerSheet2025(320);

  test.each([
    ["as kept", [] as string[]],
    ["renumbered", ["--renumber"]],
    ["every unnamed row a return", ["--kind", "RETURN"]],
  ])("%s: the plan's violation count equals check --json's on the output", async (label, extra) => {
    const input = p(`in-${label.length}.xlsx`);
    const out = p(`out-${label.length}.xlsx`);
    await writeSheet(input, sheet.name, sheet.values);
    const adopted = await cli("adopt", input, "-o", out, "--json", ...extra);
    expect(adopted.err).toBe("");
    expect(adopted.code).toBe(0);
    const plan = JSON.parse(adopted.out);
    expect(plan.counts.cases).toBe(320);
    const check = await cli("check", out, "--json");
    const found = JSON.parse(check.out);
    expect(found.cases).toBe(320);
    expect(plan.check.violations).toBe(found.violations.length);
    expect(plan.check.casesWithViolations).toBe(new Set(found.violations.map((v: { caseNo: string }) => v.caseNo)).size);
    const byCode: Record<string, number> = {};
    for (const v of found.violations as { code: string }[]) byCode[v.code] = (byCode[v.code] ?? 0) + 1;
    const planned: Record<string, number> = {};
    for (const g of plan.check.groups as { code: string; count: number }[]) planned[g.code] = (planned[g.code] ?? 0) + g.count;
    expect(planned).toEqual(byCode);
    // Adopted closed history raises nothing its sheet never had.
    expect(byCode.COST_MISSING ?? 0).toBe(0);
    expect(byCode.DISPOSITION_MISFIT ?? 0).toBe(0);
    // The number typed twice (the second time as ks-2025-…) is one duplicate for check too, unless renumbered.
    expect(byCode.DUPLICATE_CASE_NO ?? 0).toBe(extra.includes("--renumber") ? 0 : 1);
  });

  test("the text output names the sheet's numbers, the progress mapping and the check, in English", async () => {
    const input = p("in-text.xlsx");
    await writeSheet(input, sheet.name, sheet.values);
    const r = await cli("adopt", input, "-o", p("out-text.xlsx"), "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/B\t客诉单号\t→ caseNo/);
    expect(r.out).toMatch(/duplicate numbers 1, missing numbers 24/);
    expect(r.out).toMatch(/"待回复"\t→ Executed/);
    expect(r.out).toMatch(/Check after adoption: 320 cases/);
    const generated = await cli("adopt", input, "-o", p("out-renum.xlsx"), "--renumber", "--json");
    const nos = new Set(sheet.truth.flatMap((t) => (t.caseNo ? [caseNoKey(t.caseNo)] : [])));
    const plan = JSON.parse(generated.out);
    expect(plan.counts.renumbered).toBe(25);
    expect(nos.size).toBe(295);
  });

  test("an unknown --kind is refused with both languages (exit 2), nothing written", async () => {
    const input = p("in-kind.xlsx");
    await writeSheet(input, sheet.name, sheet.values);
    const r = await cli("adopt", input, "-o", p("never.xlsx"), "--kind", "BANANA", "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown kind "BANANA"/);
    const zh = await cli("adopt", input, "-o", p("never.xlsx"), "--kind", "BANANA", "--lang", "zh");
    expect(zh.code).toBe(2);
    expect(zh.err).toMatch(/未知的类别"BANANA"/);
    await expect(fs.stat(p("never.xlsx"))).rejects.toThrow();
  });
});
