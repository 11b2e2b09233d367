/**
 * An upgrade in Excel (the fake): new columns through the table's column
 * collection at its end, Policy rows below the sheet's own, audit and meta in
 * one write; a bounded number of syncs whatever the rows; one undo record
 * with ExcelApi 1.20; every cell that was there unchanged. A ledger of a newer
 * release: the store refuses every write before writing, the change handler
 * is inert and says so once.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../../src/domain/policy/policy-table";
import { liveSnapshot, policySections, type SchemaSnapshot } from "../../../src/ledger/migrations/snapshot";
import { SNAPSHOTS } from "../../../src/ledger/migrations/steps";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { META, SCHEMA_VERSION, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { hostRun } from "../../../src/stores/excel/excel-run";
import { ExcelStore } from "../../../src/stores/excel/store";
import type { FakeExcel } from "../../fakes/excel-fake";
import { at, ledgerWith, NOW, records, USER } from "./setup";

jest.setTimeout(120_000);
const me: Actor = { name: USER, source: "chosen" };

/** This release's version as if its policy also had a role that signs a new form (the ledger stays writable after). */
function withNewRole(): { snapshots: SchemaSnapshot[]; to: string } {
  const p = defaultPolicy();
  p.roles.push({ code: "AUDITOR", zh: "审核员", en: "Auditor", synonyms: [] });
  p.forms.push({ code: "DEBIT_NOTE", zh: "扣款单", en: "Debit note", synonyms: [], signers: [["AUDITOR"]] });
  const current = liveSnapshot(SCHEMA_VERSION, "9.9.9");
  current.policy = policySections(policyToRows(p));
  return { snapshots: [...SNAPSHOTS.slice(0, -1), current], to: SCHEMA_VERSION };
}

const NEW_COLUMN = "不良率 Defect rate";

/** A ledger as schema 1 wrote it: without the defect-rate column, its meta saying 1. */
async function schemaOne(n: number) {
  const policy = defaultPolicy();
  const s = await ledgerWith(records(n, policy), policy, "web", undefined, (plan) => {
    const drop = plan.table.header.indexOf(NEW_COLUMN);
    plan.table.header.splice(drop, 1);
    plan.table.numberFormats.splice(drop, 1);
    for (const r of plan.table.rows) r.splice(drop, 1);
  });
  await s.store.write({ meta: { [META.schemaVersion]: "1" } });
  return s;
}

/** Every cell of every sheet but the meta sheet: value and formula. */
function cellsOf(fake: FakeExcel): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of fake.sheets.filter((x) => x.name !== SHEETS.meta)) {
    s.grid.forEach((row, r) =>
      row?.forEach((c, j) => {
        if (c && (c.v !== "" || c.f)) out.set(`${s.name}!${r},${j}`, JSON.stringify([c.v, c.f ?? null]));
      }),
    );
  }
  return out;
}

describe.each([10, 3_000])("with %i cases", (n) => {
  test("the upgrade adds the column and the sign-off column at the end, the Policy rows below, in 4 syncs and one undo record; no cell changes", async () => {
    const policy = defaultPolicy();
    const s = await schemaOne(n);
    const run = hostRun(s.fake, () => true);
    s.fake.apiVersion = "1.20";
    const store = new ExcelStore({ run, policy });
    const ledger = new Ledger(store, { now: () => NOW });
    await ledger.load();
    const before = cellsOf(s.fake);
    const policyRowsBefore = (await store.read()).policyRows.length;
    const release = withNewRole();

    s.fake.syncs = 0;
    const loadSyncs = await (async () => {
      const probe = new Ledger(new ExcelStore({ run: s.fake.run, policy }), { now: () => NOW });
      const was = s.fake.syncs;
      await probe.load();
      const k = s.fake.syncs - was;
      s.fake.syncs = 0;
      return k;
    })();
    s.fake.undoGroups = 0;
    const plan = await ledger.upgrade(me, release);
    // read, write (probe + write), read again: the two reads grow in chunks with a big ledger, the write does not.
    expect(s.fake.syncs).toBe(2 + 2 * loadSyncs);
    expect(s.fake.undoGroups).toBe(3); // one per Excel.run: the write is one record (its audit with its change)

    // One step per version from 1 to this release's (schema 3 brought the money trail; its columns the ledger here already has).
    const versions = Array.from({ length: Number(SCHEMA_VERSION) }, (_, i) => String(i + 1));
    expect(plan.steps.map((x) => [x.from, x.to])).toEqual(versions.slice(1).map((v, i) => [versions[i], v]));
    expect(plan.columns.map((c) => c.header)).toEqual([NEW_COLUMN, "签核-审核员 Sign-off: Auditor"]);
    const header = s.fake.header(TABLES.ledger);
    expect(header.slice(-2)).toEqual([NEW_COLUMN, "签核-审核员 Sign-off: Auditor"]);
    expect(s.fake.body(TABLES.ledger)).toHaveLength(n);
    expect(s.fake.body(TABLES.ledger).every((r) => r[r.length - 1] === "" && r[r.length - 2] === "")).toBe(true);
    // Each new column got its number format over the body: a number, and a signature as text.
    const t = s.fake.table(TABLES.ledger)!;
    const sheet = s.fake.sheet(SHEETS.ledger)!;
    expect([s.fake.cell(sheet, t.r + n, t.c + t.w - 2)?.fmt, s.fake.cell(sheet, t.r + n, t.c + t.w - 1)?.fmt]).toEqual(["General", "@"]);

    const after = cellsOf(s.fake);
    const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
    expect(changed).toEqual([]);
    const data = await store.read();
    expect(data.policyRows.length).toBeGreaterThan(policyRowsBefore);
    const read = policyFromRows(data.policyRows);
    expect(read.problems).toEqual([]);
    expect(read.policy!.forms.map((f) => f.code)).toContain("DEBIT_NOTE");
    expect(data.meta[META.schemaVersion]).toBe(release.to);
    expect((await ledger.verifyAudit()).ok).toBe(true);
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "UPGRADED", newValue: release.to });

    // The new column takes values; the new role has its sign-off column.
    expect((await ledger.updateCase("KS-2026-0001", { defectRate: 0.03 }, me)).ok).toBe(true);
    expect(s.fake.body(TABLES.ledger)[0][t.w - 2]).toBe(0.03);
    expect(ledger.keys.at(-1)).toBe("sign_AUDITOR");
    expect(ledger.policy.roles.map((r) => r.code)).toContain("AUDITOR");
  });
});

describe("a ledger written by a newer release, in Excel", () => {
  async function newer() {
    const policy = defaultPolicy();
    const s = await ledgerWith(records(5, policy), policy);
    await s.store.write({ meta: { [META.schemaVersion]: String(Number(SCHEMA_VERSION) + 1) } });
    return s;
  }

  test("every write is refused after one sync that reads, before anything is written", async () => {
    const s = await newer();
    const before = cellsOf(s.fake);
    const ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
    expect(ledger.readOnly).toBe(true);
    await expect(s.store.write({ updates: [{ row: 0, col: 0, value: "X" }] })).rejects.toMatchObject({ code: "SCHEMA_NEWER" });
    await expect(ledger.updateCase("KS-2026-0001", { remarks: "x" }, me)).rejects.toMatchObject({ code: "SCHEMA_NEWER" });
    await expect(s.store.addSheet("8D KS-2026-0001", [["x"]])).rejects.toMatchObject({ code: "SCHEMA_NEWER" });
    expect(cellsOf(s.fake)).toEqual(before);
  });

  test("the change handler is inert: an edit is neither reverted nor logged, and the person is told once, in both languages", async () => {
    const s = await newer();
    const notices: Notice[] = [];
    const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => USER, notify: (x) => notices.push(x), now: () => NOW });
    await enforcer.start();
    const audit = s.fake.body(TABLES.audit).length;
    s.fake.user.edit(SHEETS.ledger, at(s, 0, "caseNo"), [["改号"]]); // protected: would be reverted and logged
    await s.fake.settle();
    s.fake.user.edit(SHEETS.ledger, at(s, 1, "caseNo"), [["改号2"]]);
    await s.fake.settle();
    expect(s.fake.body(TABLES.ledger)[0][s.keys.indexOf("caseNo")]).toBe("改号");
    expect(s.fake.body(TABLES.audit).length).toBe(audit);
    expect(notices).toHaveLength(1);
    expect(notices[0].en).toMatch(/newer release.*neither checks nor logs/);
    expect(notices[0].zh).toMatch(/较新版本/);
  });
});
