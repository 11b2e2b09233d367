/**
 * Excel on the web refuses a request or a response over 5 MB
 * (https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins).
 * Every operation of the Excel adapter, at 10 and at 50,000 cases, on both
 * platform settings of the fake: each sync's request and response under the
 * limit (the fake's meter would fail the sync on the web), and the round
 * trips bounded — the same as ever for a small ledger, growing with the rows
 * in chunks of a fixed size for a big one.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { readSheetGrid } from "../../../src/stores/excel/adopt";
import { FIRST_ROWS, READ_CELLS } from "../../../src/stores/excel/chunks";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { ledgerColumns, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { FakeExcel, PAYLOAD_LIMIT, PLATFORMS, type Platform } from "../../fakes/excel-fake";
import { at, ledgerWith, NOW, records, serial, USER, type Setup } from "./setup";

jest.setTimeout(300_000);

const policy = defaultPolicy();
const me: Actor = { name: USER, source: "chosen" };
const width = ledgerColumns(policy).length;

/** Chunks a read of `rows` × `cols` takes after its first batch: a fixed size per chunk. */
const readChunks = (rows: number, cols: number) => (rows <= FIRST_ROWS ? 0 : Math.ceil((rows - FIRST_ROWS) / Math.max(1, Math.floor(READ_CELLS / cols))));

/** Runs `op`, then checks the fake's meter; returns the syncs it took. */
async function measured(fake: FakeExcel, label: string, op: () => Promise<unknown>): Promise<number> {
  fake.resetMeter();
  await op();
  // Printed so a run shows the figures (bytes per sync, round trips) next to the limit.
  figures.push(`${fake.platform} ${label}: ${fake.syncs} syncs, max request ${fake.maxRequest} B, max response ${fake.maxResponse} B`);
  expect(fake.maxRequest).toBeLessThan(PAYLOAD_LIMIT);
  expect(fake.maxResponse).toBeLessThan(PAYLOAD_LIMIT);
  return fake.syncs;
}

const figures: string[] = [];
afterAll(() => console.log(figures.join("\n")));

describe.each(PLATFORMS.flatMap((p) => [10, 50_000].map((n) => [p, n] as [Platform, number])))("%s, %i cases", (platform, n) => {
  let s: Setup;
  let adoptSyncs = 0;
  let adoptBytes = 0;
  let ledger: Ledger;
  const bigRows = readChunks(n, width);

  beforeAll(async () => {
    // The adoption is measured inside the set-up (the fake's meter is read before ledgerWith resets it).
    const t0 = performance.now();
    s = await ledgerWith(records(n, policy), policy, platform, (fake) => {
      adoptSyncs = fake.syncs;
      adoptBytes = fake.bytesSent;
      figures.push(`${platform} ${n} adopt: ${fake.syncs} syncs, max request ${fake.maxRequest} B, max response ${fake.maxResponse} B`);
      expect(fake.maxRequest).toBeLessThan(PAYLOAD_LIMIT);
      expect(fake.maxResponse).toBeLessThan(PAYLOAD_LIMIT);
    });
    figures.push(`${platform} ${n}: set-up ${Math.round(performance.now() - t0)} ms`);
  });

  test("adoption: every sync under 5 MB; 2 syncs for a small ledger, chunks of at most 2 MB for a big one", () => {
    if (n === 10) expect(adoptSyncs).toBe(2);
    // Batches filled to the 2 MB budget, plus at most one part-filled batch per block written (formats, values, two formula columns, tables).
    else expect(adoptSyncs).toBeLessThanOrEqual(2 + Math.ceil(adoptBytes / (2 * 1024 * 1024)) + 8);
    expect(s.fake.body(TABLES.ledger)).toHaveLength(n);
  });

  test("reading a hand-kept sheet to adopt: 1 sync small, chunks big", async () => {
    const fake = new FakeExcel(["旧台账"], { platform });
    const rows = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: 12 }, (_, j) => (i === 0 ? `列${j}` : `第${i}行第${j}列的内容`)));
    fake.seed("旧台账", 0, 0, rows);
    let got = 0;
    const syncs = await measured(fake, "read sheet to adopt", () =>
      fake.run(async (ctx) => {
        got = (await readSheetGrid(ctx, "旧台账")).values.length;
      }),
    );
    expect(got).toBe(n + 1);
    expect(syncs).toBe(1 + readChunks(n + 1, 12));
  });

  test("Ledger.load: 1 sync small, one more per chunk big; every case read", async () => {
    ledger = new Ledger(s.store, { now: () => NOW });
    const syncs = await measured(s.fake, "load", () => ledger.load());
    expect(ledger.rows).toHaveLength(n);
    expect(syncs).toBe(1 + bigRows + readChunks(1, 12) + readChunks(1, 4));
  });

  test("addCase: 4 syncs small; the case-number column costs a chunk per 50,000 rows big", async () => {
    const syncs = await measured(s.fake, "addCase", async () => {
      const r = await ledger.addCase({ kind: "COMPLAINT", receivedAt: serial(2026, 3, 9), customer: "美的", product: "门铰链", defect: "异响" }, me);
      expect(r.ok).toBe(true);
    });
    // Two head reads (before the write and after it, for a co-author's same number), each its chunks.
    if (n === 10) expect(syncs).toBe(4);
    else expect(syncs).toBeLessThanOrEqual(4 + 2 * (1 + Math.ceil(n / READ_CELLS)));
  });

  test("a view over every case number, and updating a case: under 5 MB, bounded round trips", async () => {
    const all = ledger.rows.map((r) => String(r.case.caseNo));
    const view = await measured(s.fake, "view (all case numbers)", () => s.store.applyView({ caseNos: all }));
    expect(view).toBe(2);
    expect(s.fake.visibleRows(TABLES.ledger)).toHaveLength(all.length);
    await s.store.applyView(null);
    const no = String(ledger.rows[n - 1].case.caseNo);
    const upd = await measured(s.fake, "updateCase", async () => {
      const r = await ledger.updateCase(no, { product: "新产品" }, me);
      expect(r.ok).toBe(true);
    });
    if (n === 10) expect(upd).toBe(3);
    else expect(upd).toBeLessThanOrEqual(3 + 1 + Math.ceil(n / READ_CELLS));
  });

  test("the change handler: start and a refused edit under 5 MB; an edit costs the same at any size", async () => {
    const notices: Notice[] = [];
    const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => "赵业务", notify: (x) => notices.push(x), now: () => NOW });
    const start = await measured(s.fake, "enforcer start", () => enforcer.start());
    expect(start).toBe(1 + readChunks(n + 1, width));
    const edit = await measured(s.fake, "refused edit", async () => {
      s.fake.user.edit(SHEETS.ledger, at(s, 0, "status"), [["已结案"]]);
      await s.fake.settle();
    });
    expect(notices.length).toBeGreaterThan(0);
    expect(edit).toBe(2);
    expect(s.fake.handlerErrors).toEqual([]);
    // A deleted row: one re-read of the table (chunks for a big one), then the audit entry in 2.
    const del = await measured(s.fake, "row deleted", async () => {
      s.fake.user.deleteRows(TABLES.ledger, 3, 1);
      await s.fake.settle();
    });
    expect(s.fake.handlerErrors).toEqual([]);
    expect(del).toBe(1 + readChunks(s.fake.table(TABLES.ledger)!.n, width) + 2);
  });
});
