/**
 * The Excel store with its audit log at Excel's last row (the limit lowered, limits.ts, as the files' tests do):
 * a refused edit is still put back but nothing is half-logged, and the person is told why in both languages;
 * the store's own write is refused before anything is queued. Round trips as on the normal path.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { LIMITS } from "../../../src/stores/xlsx/limits";
import { at, ledgerWith, NOW, record, records, value } from "./setup";

jest.setTimeout(60_000);
const policy = defaultPolicy();
const limits = LIMITS as { rows: number };
const REAL = LIMITS.rows;
afterEach(() => {
  limits.rows = REAL;
});

async function world() {
  const s = await ledgerWith([record(0, "RECEIVED", policy), ...records(6, policy).slice(1)], policy);
  const notices: Notice[] = [];
  const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => "赵业务", notify: (x) => notices.push(x), now: () => NOW });
  await enforcer.start();
  enforcer.attach(s.store);
  // The audit table's last sheet row (1-based): the lowered grid ends there.
  const last = await s.fake.run(async (ctx) => {
    const cell = ctx.workbook.tables.getItem(TABLES.audit).getRange().getLastCell().load("rowIndex");
    await ctx.sync();
    return cell.rowIndex + 1;
  });
  s.fake.syncs = 0;
  return { ...s, enforcer, notices, last };
}

test("a refused edit with the audit log full: put back, nothing logged, told why; the syncs of a refusal and of the snapshot's re-read", async () => {
  const w = await world();
  const before = (await w.store.read()).auditRows;
  const old = value(w, 0, "status");
  limits.rows = w.last;
  w.fake.syncs = 0;
  w.fake.user.edit(SHEETS.ledger, at(w, 0, "status"), [["已结案"]]);
  await w.fake.settle();
  expect(value(w, 0, "status")).toEqual(old);
  const full = w.fake.syncs;
  const note = w.notices[w.notices.length - 1];
  expect(note.zh).toMatch(/审计日志已满,请将已结案年度归档到另一个工作簿.*已撤销/);
  expect(note.en).toMatch(/The audit log is full: archive closed cases' years into a separate workbook.*undone/);
  limits.rows = REAL;
  expect((await w.store.read()).auditRows).toEqual(before);
  // With room again, the same refusal is put back and logged (one entry more), in 2 syncs (change-handler.ts).
  w.fake.syncs = 0;
  w.fake.user.edit(SHEETS.ledger, at(w, 0, "status"), [["已结案"]]);
  await w.fake.settle();
  expect(w.fake.syncs).toBe(2);
  expect(value(w, 0, "status")).toEqual(old);
  expect((await w.store.read()).auditRows).toHaveLength(before.length + 1);
  // Full: the probe and the put-back (as a refusal), then the snapshot re-read after a failed handling (2, a small table).
  expect(full).toBe(2 + 2);
});

test("the store's write with the audit log full: LIMIT after the probe, nothing queued; fewer syncs than the write", async () => {
  const w = await world();
  const before = (await w.store.read()).auditRows;
  const entry = before[before.length - 1].slice();
  limits.rows = w.last;
  w.fake.syncs = 0;
  await expect(w.store.write({ audit: [entry] })).rejects.toMatchObject({ code: "LIMIT", en: expect.stringMatching(/The audit log is full/) });
  const refused = w.fake.syncs;
  limits.rows = REAL;
  expect((await w.store.read()).auditRows).toEqual(before);
  w.fake.syncs = 0;
  await w.store.write({ audit: [entry] });
  // The probe (and Excel.run's closing sync) only: fewer than the write that goes through (store.test.ts counts those).
  expect(refused).toBe(2);
  expect(w.fake.syncs).toBeGreaterThan(refused);
});
