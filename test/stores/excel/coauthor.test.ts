/**
 * Co-authoring (issue 24): the ledger on SharePoint/OneDrive, several people
 * appending at once. On the fake, which models Microsoft's co-authoring
 * guidance (rows.add under co-authors conflicts; values written below a table
 * expand it) and runs two sessions' batches interleaved at every sync:
 * no append raises the conflict, and the audit chain never forks.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { verifyAudit } from "../../../src/ledger/audit";
import { Ledger, type Actor } from "../../../src/ledger/service";
import type { LedgerStore, LedgerWrite } from "../../../src/ledger/store";
import { AUDIT_COLUMNS, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import type { Run } from "../../../src/stores/excel/excel-run";
import { ExcelStore } from "../../../src/stores/excel/store";
import { PLATFORMS, type FakeExcel } from "../../fakes/excel-fake";
import { ledgerWith, NOW, records, serial, USER } from "./setup";

const me: Actor = { name: USER, source: "chosen" };
const other: Actor = { name: "王工", source: "chosen" };
const FORM = { kind: "COMPLAINT", receivedAt: serial(2026, 3, 9), customer: "美的", product: "门铰链", defect: "异响" };
const SEQ = AUDIT_COLUMNS.findIndex((c) => c.key === "seq");

/** The Audit table's sequence numbers in sheet order, and the meta head. */
function auditOf(fake: FakeExcel): { seqs: number[]; head: string } {
  const seqs = fake.body(TABLES.audit).map((r) => Number(r[SEQ]));
  const meta = fake.cells(SHEETS.meta, "A1:B10").find((r) => r[0] === META.auditSeq);
  return { seqs, head: String(meta?.[1] ?? "") };
}

async function verified(fake: FakeExcel, policy = defaultPolicy()) {
  const l = new Ledger(new ExcelStore({ run: fake.run, policy }), { now: () => NOW });
  await l.load();
  return l.verifyAudit();
}

test("no rows.add is left on an append path of the Excel adapter", () => {
  const dir = join(__dirname, "../../../src/stores/excel");
  const hits = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => /\.rows\.add\(/.test(readFileSync(join(dir, f), "utf8")));
  expect(hits).toEqual([]);
});

/** A Run over `fake` whose batches stop before their `at`-th sync until `gate` opens (`paused` resolves when one does). */
function pausing(fake: FakeExcel, at: number, gate: Promise<void>): { run: Run; paused: Promise<void> } {
  let hit!: () => void;
  const paused = new Promise<void>((res) => (hit = res));
  const run: Run = (fn) =>
    fake.run(async (ctx) => {
      const sync = ctx.sync.bind(ctx);
      let n = 0;
      ctx.sync = async () => {
        if (++n === at) {
          hit();
          await gate;
        }
        return sync();
      };
      return fn(ctx);
    });
  return { run, paused };
}

describe.each(PLATFORMS)("on %s", (platform) => {
  const policy = defaultPolicy();

  test("the fake's co-authoring conflict is live: rows.add under a co-author raises it", async () => {
    const s = await ledgerWith(records(2, policy), policy, platform);
    s.fake.coauthors = 1;
    await s.fake.run(async (ctx) => {
      ctx.workbook.tables.getItem(TABLES.audit).rows.add(undefined, [AUDIT_COLUMNS.map(() => "x")]);
      await ctx.sync();
    });
    expect(s.fake.mergeConflicts).toBe(1);
    expect(s.fake.refreshBar).toBe(true);
  });

  test("appends under a co-author (case, signature, audit entry) raise no conflict, land inside the tables, and cost what they did", async () => {
    const s = await ledgerWith(records(3, policy), policy, platform);
    await s.store.write({ people: [[USER, "品质部经理", "", ""]] });
    s.fake.coauthors = 1;
    const l = new Ledger(s.store, { now: () => NOW });
    await l.load();
    const rowsBefore = s.fake.table(TABLES.ledger)!.n;
    const auditBefore = s.fake.table(TABLES.audit)!.n;
    s.fake.resetMeter();
    const added = await l.addCase({ ...FORM, customer: "甲公司" }, me);
    expect(added).toMatchObject({ ok: true });
    expect(s.fake.syncs).toBe(4); // head, write ×2, head again
    s.fake.resetMeter();
    await l.record([{ user: USER, action: "FINANCE_REVIEWED", reason: "测试 / test" }]);
    expect(s.fake.syncs).toBe(3);
    expect(s.fake.mergeConflicts).toBe(0);
    expect(s.fake.refreshBar).toBe(false);
    expect(s.fake.table(TABLES.ledger)!.n).toBe(rowsBefore + 1);
    expect(s.fake.table(TABLES.audit)!.n).toBe(auditBefore + 2);
    // The new row is a full table row: its computed columns hold the table's formulas.
    const t = s.fake.table(TABLES.ledger)!;
    const formulas = Array.from({ length: t.w }, (_, j) => s.fake.cell(SHEETS.ledger, t.r + t.n, t.c + j)?.f).filter(Boolean);
    expect(formulas.length).toBeGreaterThan(0);
    expect((await verified(s.fake)).ok).toBe(true);
  });

  test("data below the ledger table is moved down, not overwritten", async () => {
    const s = await ledgerWith(records(2, policy), policy, platform);
    const t = s.fake.table(TABLES.ledger)!;
    const under = t.r + t.n + 1;
    s.fake.seed(SHEETS.ledger, under, t.c, [["备注 note"]]);
    const l = new Ledger(s.store, { now: () => NOW });
    await l.load();
    expect(await l.addCase({ ...FORM, customer: "乙公司" }, me)).toMatchObject({ ok: true });
    expect(s.fake.table(TABLES.ledger)!.n).toBe(3);
    expect(s.fake.cells(SHEETS.ledger, { r: under + 1, c: t.c, h: 1, w: 1 })[0][0]).toBe("备注 note");
  });

  test("two people appending audit entries at the same moment: both kept, one chain, the head on the last", async () => {
    const s = await ledgerWith(records(3, policy), policy, platform);
    const a = new Ledger(s.store, { now: () => NOW });
    const b = new Ledger(new ExcelStore({ run: s.fake.run, policy }), { now: () => NOW });
    await Promise.all([a.load(), b.load()]);
    const before = auditOf(s.fake).seqs.length;
    const [ea, eb] = await Promise.all([
      a.record([{ user: me.name, action: "FINANCE_REVIEWED", reason: "A" }]),
      b.record([
        { user: other.name, action: "FINANCE_REVIEWED", reason: "B1" },
        { user: other.name, action: "FINANCE_REVIEWED", reason: "B2" },
      ]),
    ]);
    const { seqs, head } = auditOf(s.fake);
    expect(seqs).toHaveLength(before + 3);
    expect(new Set(seqs).size).toBe(seqs.length); // no number twice: no fork
    expect([...ea, ...eb].map((e) => e.seq).sort((x, y) => x - y)).toEqual([before + 1, before + 2, before + 3]);
    expect(head).toBe(String(before + 3));
    const v = await verified(s.fake);
    expect(v.problems).toEqual([]);
    // Each session's copy in memory holds its entries as finally written.
    const fresh = await verifyAudit(s.fake.body(TABLES.audit));
    expect(fresh.ok).toBe(true);
  });

  test("two people logging a case at the same moment: two rows, two numbers, one chain", async () => {
    const s = await ledgerWith(records(3, policy), policy, platform);
    const a = new Ledger(s.store, { now: () => NOW });
    const b = new Ledger(new ExcelStore({ run: s.fake.run, policy }), { now: () => NOW });
    await Promise.all([a.load(), b.load()]);
    const form = { ...FORM, customer: "丙公司" };
    const [ra, rb] = await Promise.all([a.addCase(form, me), b.addCase({ ...form, customer: "丁公司" }, other)]);
    expect(ra.ok && rb.ok).toBe(true);
    const fresh = new Ledger(new ExcelStore({ run: s.fake.run, policy }), { now: () => NOW });
    await fresh.load();
    const nos = fresh.rows.map((r) => r.case.caseNo);
    expect(nos).toHaveLength(5);
    expect(new Set(nos).size).toBe(5);
    expect((await fresh.verifyAudit()).problems).toEqual([]);
  });

  test("a co-author's entries landing between our check and our write: ours re-chained after theirs, never forked", async () => {
    const s = await ledgerWith(records(3, policy), policy, platform);
    const a = new Ledger(s.store, { now: () => NOW });
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    // B's write stops after its probe (head checked, unchanged) and before the batch that writes.
    const slow = pausing(s.fake, 2, gate);
    const b = new Ledger(new ExcelStore({ run: slow.run, policy }), { now: () => NOW });
    await Promise.all([a.load(), b.load()]);
    const before = auditOf(s.fake).seqs.length;
    const pending = b.record([{ user: other.name, action: "FINANCE_REVIEWED", reason: "B" }]);
    await slow.paused;
    await a.record([
      { user: me.name, action: "FINANCE_REVIEWED", reason: "A1" },
      { user: me.name, action: "FINANCE_REVIEWED", reason: "A2" },
    ]);
    s.fake.resetMeter();
    release();
    const [entry] = await pending;
    // The write's second sync, the re-chain (read the tail, write it back: 2 syncs), then a reload (1: a small ledger).
    expect(s.fake.syncs).toBe(1 + 2 + 1);
    expect(entry).toMatchObject({ seq: before + 3, reason: "B" });
    const { seqs, head } = auditOf(s.fake);
    expect(seqs).toEqual(Array.from({ length: before + 3 }, (_, i) => i + 1));
    expect(head).toBe(String(before + 3));
    expect((await verified(s.fake)).problems).toEqual([]);
    // B's copy in memory holds its entry as re-chained.
    expect((await b.verifyAudit()).ok).toBe(true);
  });

  test("a head read before a co-author's append is refused untouched and retried on the new head", async () => {
    const s = await ledgerWith(records(3, policy), policy, platform);
    const a = new Ledger(s.store, { now: () => NOW });
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const inner = new ExcelStore({ run: s.fake.run, policy });
    const attempts: LedgerWrite[] = [];
    // B's first write waits until A has finished: B chained on a head that is no longer the head.
    const gated: LedgerStore = {
      kind: "excel",
      read: () => inner.read(),
      readHead: () => inner.readHead(),
      write: async (w) => {
        attempts.push(w);
        if (attempts.length === 1) await gate;
        return inner.write(w);
      },
    };
    const b = new Ledger(gated, { now: () => NOW });
    await Promise.all([a.load(), b.load()]);
    const before = auditOf(s.fake).seqs.length;
    const pending = b.record([{ user: other.name, action: "FINANCE_REVIEWED", reason: "B" }]);
    // Until B's write is held at the gate (a condition, not a sleep), then A writes first.
    while (attempts.length === 0) await new Promise((res) => setImmediate(res));
    await a.record([{ user: me.name, action: "FINANCE_REVIEWED", reason: "A" }]);
    release();
    const [entry] = await pending;
    expect(attempts).toHaveLength(2);
    expect(attempts[0].auditBase?.seq).toBe(before);
    expect(attempts[1].auditBase?.seq).toBe(before + 1);
    expect(entry.seq).toBe(before + 2);
    expect(auditOf(s.fake).seqs).toEqual(expect.arrayContaining([before + 1, before + 2]));
    expect((await verified(s.fake)).problems).toEqual([]);
  });
});
