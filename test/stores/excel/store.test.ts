/**
 * ExcelStore through the Ledger service, on the instrumented fake: round
 * trips do not grow with the rows, missing sheets read as empty, appended
 * rows keep their computed columns' formulas, and the meta sheet is very hidden.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { ExcelStore } from "../../../src/stores/excel/store";
import { computedColumns, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { FakeExcel } from "../../fakes/excel-fake";
import { bodyChunks, col, ledgerWith, NOW, records, serial, USER } from "./setup";

jest.setTimeout(120_000);

const me: Actor = { name: USER, source: "chosen" };
const vp: Actor = { name: "王副总", source: "chosen" };

describe.each([10, 10_000])("with %i cases", (n) => {
  const policy = defaultPolicy();
  let s: Awaited<ReturnType<typeof ledgerWith>>;
  let ledger: Ledger;

  beforeAll(async () => {
    s = await ledgerWith(records(n, policy), policy);
    await s.store.write({ people: [[vp.name, "VP; QUALITY_MANAGER", "", ""]] });
    ledger = new Ledger(s.store, { now: () => NOW });
  });

  test("Ledger.load is one sync (plus one per chunk of a big ledger: 5 MB limit) and reads every case", async () => {
    s.fake.syncs = 0;
    await ledger.load();
    expect(s.fake.syncs).toBe(1 + bodyChunks(s));
    expect(ledger.rows).toHaveLength(n);
    expect(ledger.rows[n - 1].case.caseNo).toBe(`KS-2026-${String(n).padStart(4, "0")}`);
    expect(ledger.people.map((p) => p.name)).toContain(vp.name);
  });

  test("Ledger.record (an audit entry) is three syncs: head, then a two-sync write", async () => {
    s.fake.syncs = 0;
    await ledger.record([{ user: USER, action: "FINANCE_REVIEWED", reason: "测试 / test" }]);
    expect(s.fake.syncs).toBe(3);
  });

  test("a person changed from the pane is rewritten in place: head, write ×2, then one reload", async () => {
    // A load reads big tables in chunks (5 MB per response): measure it rather than assume one sync.
    s.fake.syncs = 0;
    await ledger.load();
    const load = s.fake.syncs;
    s.fake.syncs = 0;
    const r = await ledger.savePerson({ name: vp.name, roles: ["VP", "QUALITY_MANAGER", "GM"], account: "wang@corp" }, vp, vp.name);
    expect(r.ok).toBe(true);
    expect(s.fake.syncs).toBe(3 + load);
    const again = new Ledger(s.store, { now: () => NOW });
    await again.load();
    expect(again.people.filter((p) => p.name === vp.name)).toEqual([expect.objectContaining({ roles: ["VP", "QUALITY_MANAGER", "GM"], account: "wang@corp" })]);
  });

  test("evidence: the first record creates the Evidence sheet; a record is three syncs and reads back after a load", async () => {
    const caseNo = `KS-2026-${String(n).padStart(4, "0")}`;
    s.fake.syncs = 0;
    const r = await ledger.addEvidence(
      { caseNo, kind: "CONTAINMENT", at: serial(2026, 6, 1), scope: "WIP", checked: 80, defective: 1, result: "挑出 1 件" },
      me,
    );
    expect(r.ok).toBe(true);
    expect(s.fake.syncs).toBe(3);
    const again = new Ledger(s.store, { now: () => NOW });
    await again.load();
    expect(again.evidenceOf(caseNo)).toEqual([expect.objectContaining({ kind: "CONTAINMENT", scope: "WIP", checked: 80, defective: 1, by: USER })]);
    expect(again.auditEntries().at(-1)).toMatchObject({ action: "EVIDENCE_ADDED", caseNo });
    // A record that does not hold is refused and nothing is written.
    s.fake.syncs = 0;
    const bad = await ledger.addEvidence({ caseNo, kind: "PHOTO", at: serial(2026, 6, 1) }, me);
    expect(bad.ok).toBe(false);
    expect(s.fake.syncs).toBe(0);
  });

  test("addCase is four syncs (head, write ×2, head again for a co-author's same number) and the new row carries the computed formulas", async () => {
    s.fake.syncs = 0;
    const r = await ledger.addCase(
      {
        kind: "COMPLAINT",
        receivedAt: serial(2026, 3, 9),
        customer: "美的",
        product: "门铰链",
        defect: "异响",
      },
      me,
    );
    expect(r.ok).toBe(true);
    expect(s.fake.syncs).toBe(4);
    const t = s.fake.table(TABLES.ledger)!;
    const last = t.r + t.n;
    for (const c of computedColumns(policy)) {
      const j = col(s, c.key);
      expect(s.fake.cell(t.sheet, last, t.c + j)?.f).toBe(c.formula);
    }
    expect(ledger.rows).toHaveLength(n + 1);
  });

  test("updateCase and sign are three syncs each (head, write ×2; the copy in memory is patched)", async () => {
    const target = ledger.rows[2].case.caseNo!; // a DISPOSITION case (REWORK)
    s.fake.syncs = 0;
    const u = await ledger.updateCase(target, { remarks: "客户催促" }, me);
    expect(u.ok).toBe(true);
    expect(s.fake.syncs).toBe(3);
    expect(ledger.find(target)!.case.remarks).toBe("客户催促");
    s.fake.syncs = 0;
    // A signature approves one document: the rework order (the reply review also awaits the QM).
    const g = await ledger.sign(target, "QUALITY_MANAGER", vp, undefined, "REWORK_ORDER");
    expect(g).toMatchObject({ ok: true });
    expect(s.fake.syncs).toBe(3);
    expect(ledger.find(target)!.case.signatures.QUALITY_MANAGER?.name).toBe(vp.name);
  });

  test("the audit chain reads back intact, with its head in the very hidden meta sheet", async () => {
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.problems).toEqual([]);
    expect(v.entries).toBeGreaterThanOrEqual(4);
    expect(s.fake.sheet(SHEETS.meta)!.visibility).toBe("VeryHidden");
    expect(Number(ledger.meta[META.auditSeq])).toBe(v.entries);
  });

  test("select puts the cursor on the row: one sync", async () => {
    s.fake.syncs = 0;
    await s.store.select(3);
    expect(s.fake.syncs).toBe(1);
    const t = s.fake.table(TABLES.ledger)!;
    expect(s.fake.selection?.address).toMatch(new RegExp(`^A${t.r + 5}:`));
  });
});

describe("one verdict for the audit log: the pane's Ledger.verifyAudit applies verify-audit's head rules", () => {
  const policy = defaultPolicy();
  const logged = async () => {
    const s = await ledgerWith(records(5, policy), policy);
    const ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
    await ledger.record([{ user: USER, action: "FINANCE_REVIEWED", reason: "测试 / test" }]);
    await ledger.load();
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, problems: [] });
    return { s, ledger };
  };

  test("the meta sheet deleted: tampered, in the same words as the CLI", async () => {
    const { s, ledger } = await logged();
    s.fake.sheets = s.fake.sheets.filter((x) => x.name !== SHEETS.meta);
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.en)).toEqual(["The hidden _cl_meta sheet is missing: the audit log's head (count and last hash) cannot be checked"]);
  });

  test("the audit sheet deleted (table and rows gone): tampered", async () => {
    const { s, ledger } = await logged();
    const auditSheet = s.fake.table(TABLES.audit)!.sheet;
    s.fake.tables = s.fake.tables.filter((t) => t.name !== TABLES.audit);
    s.fake.sheets = s.fake.sheets.filter((x) => x !== auditSheet);
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.en).join("\n")).toMatch(/The audit sheet is missing/);
  });

  test("the head in meta cleared while entries remain: tampered", async () => {
    const { s, ledger } = await logged();
    s.fake.sheet(SHEETS.meta)!.grid = [];
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.problems.map((p) => p.en)).toEqual(["The _cl_meta sheet holds no audit head (audit.seq / audit.hash)"]);
  });
});

describe("a workbook without the ledger's sheets", () => {
  test("reads as empty arrays, not a crash, in one sync", async () => {
    const fake = new FakeExcel(["Sheet1"]);
    const store = new ExcelStore({ run: fake.run });
    const data = await store.read();
    expect(fake.syncs).toBe(1);
    expect(data).toEqual({
      header: [],
      rows: [],
      policyRows: [],
      peopleRows: [],
      auditRows: [],
      evidenceRows: [],
      costRows: [],
      meta: {},
      sheets: { policy: false, audit: false, meta: false },
    });
    const head = await store.readHead();
    expect(head).toEqual({ header: [], caseNos: [], auditRows: [], meta: {} });
  });

  test("an audit entry creates the Audit table and the meta sheet", async () => {
    const fake = new FakeExcel(["Sheet1"]);
    const ledger = new Ledger(new ExcelStore({ run: fake.run }), { now: () => NOW });
    await ledger.load();
    await ledger.record([{ user: USER, action: "CASE_UPDATED", reason: "第一条 / first" }]);
    await ledger.load();
    expect(ledger.auditEntries()).toHaveLength(1);
    expect((await ledger.verifyAudit()).ok).toBe(true);
    expect(fake.sheet(SHEETS.meta)!.visibility).toBe("VeryHidden");
  });

  test("writing cases without a ledger table fails with a bilingual message", async () => {
    const fake = new FakeExcel(["Sheet1"]);
    const store = new ExcelStore({ run: fake.run });
    await expect(store.write({ appends: [["x"]] })).rejects.toThrow(/台账.*ledger/);
    expect(fake.eventsEnabled).toBe(true); // switched back on after the failure
  });
});

describe("a fresh ledger with no cases", () => {
  test("the first case fills the table's blank starter row instead of leaving a gap", async () => {
    const policy = defaultPolicy();
    const s = await ledgerWith([], policy);
    expect(s.fake.table(TABLES.ledger)!.n).toBe(1);
    const ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
    expect(ledger.rows).toHaveLength(0);
    const r = await ledger.addCase({ kind: "RETURN", receivedAt: serial(2026, 3, 9), customer: "格力", product: "支架", defect: "变形" }, me);
    expect(r).toMatchObject({ ok: true, row: 0 });
    expect(s.fake.table(TABLES.ledger)!.n).toBe(1);
    expect(ledger.rows[0].case.customer).toBe("格力");
  });
});
