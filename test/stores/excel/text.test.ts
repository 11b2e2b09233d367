/**
 * Text is text: what a person typed comes back exactly, after a round trip
 * through the store, even when Excel would read it as a formula, a number,
 * a date or a boolean. The fake converts unprotected input the way Excel
 * does, so these tests fail if `toExcel` is bypassed.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { toExcel } from "../../../src/stores/excel/cells";
import { Ledger } from "../../../src/ledger/service";
import { FakeExcel } from "../../fakes/excel-fake";
import { ledgerWith, NOW, records, serial, USER } from "./setup";

const TRICKY = ["=1+1", "+86 138 0013 8000", "-5", "@x", "0012", "TRUE", "2026-03-05", "08:30", "#N/A", "'quoted", "1,234", "50%"];

test("the fake converts unprotected input like Excel (the protection is really tested)", async () => {
  const fake = new FakeExcel(["S"]);
  await fake.run(async (ctx) => {
    ctx.workbook.worksheets.getItem("S").getRange("A1:E1").values = [["=1+1", "+86 138 0013 8000", "-5", "@x", "0012"]];
    await ctx.sync();
  });
  const got = fake.cells("S", "A1:E1")[0];
  expect(got[0]).toBe(2);
  expect(got[1]).not.toBe("+86 138 0013 8000");
  expect(got[2]).toBe(-5);
  expect(got[3]).toBe("#NAME?");
  expect(got[4]).toBe(12);
});

test("toExcel quotes only what Excel would not keep, and leaves numbers, booleans and plain text alone", () => {
  for (const t of TRICKY) expect(toExcel(t)).toBe(`'${t}`);
  expect(toExcel("华为技术有限公司")).toBe("华为技术有限公司");
  expect(toExcel("Acme Ltd")).toBe("Acme Ltd");
  expect(toExcel(42)).toBe(42);
  expect(toExcel(true)).toBe(true);
  expect(toExcel(null)).toBe("");
});

test("every tricky string survives a write through the fake with toExcel", async () => {
  const fake = new FakeExcel(["S"]);
  await fake.run(async (ctx) => {
    ctx.workbook.worksheets.getItem("S").getRange(`A1:L1`).values = [TRICKY.map(toExcel)];
    await ctx.sync();
  });
  expect(fake.cells("S", "A1:L1")[0]).toEqual(TRICKY);
  expect(fake.cell("S", 0, 0)?.q).toBe(true); // kept as a quote-prefixed constant, not a formula
  expect(fake.cell("S", 0, 0)?.f).toBeUndefined();
});

test("typed text stays text through addCase, updateCase and a reload", async () => {
  const policy = defaultPolicy();
  const s = await ledgerWith(records(3, policy), policy);
  const ledger = new Ledger(s.store, { now: () => NOW });
  await ledger.load();
  const me = { name: USER, source: "chosen" as const };
  const r = await ledger.addCase(
    {
      kind: "COMPLAINT",
      receivedAt: serial(2026, 3, 9),
      customer: "=1+1",
      product: "+86 138 0013 8000",
      partNo: "0012",
      batch: "-5",
      defect: "@x",
      owner: "2026-03-05",
    },
    me,
  );
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  await ledger.updateCase(r.caseNo, { remarks: '=HYPERLINK("http://evil","点我")', demand: "TRUE" }, me);

  const fresh = new Ledger(s.store, { now: () => NOW });
  await fresh.load();
  const rec = fresh.find(r.caseNo)!.record;
  expect(rec).toMatchObject({
    customer: "=1+1",
    product: "+86 138 0013 8000",
    partNo: "0012",
    batch: "-5",
    defect: "@x",
    owner: "2026-03-05",
    remarks: '=HYPERLINK("http://evil","点我")',
    demand: "TRUE",
  });
  // The audit log's hashes (hex, the genesis hash is all zeros) are text too: the chain still verifies.
  expect((await fresh.verifyAudit()).problems).toEqual([]);
});
