/**
 * The service's side of schema versions, over a memory store: a ledger of a
 * newer release refused by every write, the store untouched; an older one
 * readable, refusing (with the reason) a value whose column it lacks until
 * upgraded, then taking it.
 */
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { ledgerColumns, META, SCHEMA_VERSION } from "../../src/ledger/workbook-layout";
import { Ledger, type Actor } from "../../src/ledger/service";
import { recordToRow } from "../../src/ledger/records";
import { emptyLedgerData, MemoryBook } from "../../src/stores/memory";
import { caseAt, recordOf } from "./cases";
import { shanghai } from "../fakes/clock";

const policy = defaultPolicy();
const clock = () => shanghai(2026, 2, 10, 9, 30, 0);
const qm: Actor = { name: "王经理", source: "chosen" };
const NEW_COLUMN = "不良率 Defect rate";

/** A ledger as schema `version` wrote it: schema 1 has no defect-rate column. */
function ledgerAt(version: string) {
  const data = emptyLedgerData(policy);
  if (version === "1") data.header = data.header.filter((h) => h !== NEW_COLUMN);
  const keys = ledgerColumns(policy)
    .filter((c) => version !== "1" || c.header !== NEW_COLUMN)
    .map((c) => c.key);
  data.rows.push(recordToRow(keys, recordOf(caseAt("RECEIVED", policy, { caseNo: "KS-2026-0001" }), policy)));
  data.peopleRows.push(["王经理", "品质部经理、财务", "", ""]);
  data.meta = { [META.schemaVersion]: version };
  const store = new MemoryBook(data);
  return { store, ledger: new Ledger(store, { now: clock }) };
}

const newer = String(Number(SCHEMA_VERSION) + 1);

describe("a ledger written by a newer release", () => {
  test("reads, says read-only, and every write is refused with both versions named; nothing in the store changes", async () => {
    const { store, ledger } = ledgerAt(newer);
    await ledger.load();
    expect(ledger.schema).toEqual({ version: newer, current: SCHEMA_VERSION, state: "newer" });
    expect(ledger.readOnly).toBe(true);
    expect(ledger.rows.map((r) => r.case.caseNo)).toEqual(["KS-2026-0001"]);
    const before = JSON.stringify(store.data);
    const writes = store.writes;
    const attempts: [string, () => Promise<unknown>][] = [
      ["addCase", () => ledger.addCase({ kind: "COMPLAINT", receivedAt: ymdToSerial(2026, 3, 9), customer: "中兴", product: "壳体", defect: "裂纹" }, qm)],
      ["updateCase", () => ledger.updateCase("KS-2026-0001", { remarks: "x" }, qm)],
      ["sign", () => ledger.sign("KS-2026-0001", "QUALITY_MANAGER", qm)],
      ["sign refused (logged)", () => ledger.sign("KS-2026-0001", "VP", qm)],
      ["closeCase", () => ledger.closeCase("KS-2026-0001", qm)],
      ["savePerson", () => ledger.savePerson({ name: "新人", roles: ["FINANCE"] }, qm)],
      ["markReviewed", () => ledger.markReviewed(["KS-2026-0001"], qm)],
      ["record", () => ledger.record([{ user: "x", action: "EIGHT_D_EXPORTED", caseNo: "KS-2026-0001" }])],
      ["importCalendar", () => ledger.importCalendar({ year: 2026, days: [{ date: "2026-10-09", kind: "OFF", name: "x" }] } as never, qm)],
      ["upgrade", () => ledger.upgrade(qm)],
      ["store.addSheet", () => store.addSheet("8D", [["x"]])],
    ];
    for (const [what, run] of attempts) {
      await expect(run()).rejects.toMatchObject({ code: "SCHEMA_NEWER", en: expect.stringContaining(`schema version ${newer}`) });
      expect([what, JSON.stringify(store.data)]).toEqual([what, before]);
    }
    expect(store.writes).toBe(writes);
    expect(store.sheets.size).toBe(0);
  });

  test("the store itself refuses, whoever calls it", async () => {
    const { store } = ledgerAt(newer);
    await expect(store.write({ meta: { x: "1" } })).rejects.toMatchObject({ code: "SCHEMA_NEWER" });
  });
});

describe("a ledger written by an earlier release", () => {
  test("reads and writes as it is; a value for a column it lacks is refused with the upgrade named, not dropped; after the upgrade it is saved", async () => {
    const { store, ledger } = ledgerAt("1");
    await ledger.load();
    expect(ledger.schema.state).toBe("older");
    expect(ledger.upgradePlan().changes.map((c) => c.detail)).toEqual([NEW_COLUMN]);
    // Writes that need no new column go on as before.
    expect((await ledger.updateCase("KS-2026-0001", { remarks: "客户来电" }, qm)).ok).toBe(true);

    const base = { kind: "COMPLAINT", receivedAt: ymdToSerial(2026, 3, 9), customer: "中兴", product: "壳体", defect: "裂纹" };
    const writes = store.writes;
    const refused = await ledger.addCase({ ...base, defectRate: 0.02 }, qm);
    expect(refused).toEqual({ ok: false, reasons: [expect.objectContaining({ field: "defectRate", code: "NO_COLUMN" })] });
    if (refused.ok) throw new Error("unreachable");
    expect(refused.reasons[0].zh).toMatch(new RegExp(`不良率.*升级到 ${SCHEMA_VERSION}`));
    expect(refused.reasons[0].en).toMatch(new RegExp(`Defect rate.*upgrading it to ${SCHEMA_VERSION} adds the column`));
    expect((await ledger.updateCase("KS-2026-0001", { defectRate: 0.02 }, qm)).ok).toBe(false);
    expect(store.writes).toBe(writes);
    // A blank value for the missing column is nothing to lose: the case is logged.
    expect((await ledger.addCase({ ...base, defectRate: "" }, qm)).ok).toBe(true);

    const plan = await ledger.upgrade(qm);
    expect(plan).toMatchObject({ from: "1", to: SCHEMA_VERSION });
    expect(store.data.header[store.data.header.length - 1]).toBe(NEW_COLUMN);
    expect(store.data.meta[META.schemaVersion]).toBe(SCHEMA_VERSION);
    expect(ledger.schema.state).toBe("same");
    expect(ledger.auditEntries().filter((e) => e.action === "UPGRADED")[0]).toMatchObject({ oldValue: "1", newValue: "2" });
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "UPGRADED", newValue: SCHEMA_VERSION });
    expect((await ledger.verifyAudit()).ok).toBe(true);
    const saved = await ledger.updateCase("KS-2026-0001", { defectRate: 0.02 }, qm);
    expect(saved.ok).toBe(true);
    expect(ledger.find("KS-2026-0001")!.record.defectRate).toBe(0.02);
    // Current now: a second upgrade writes nothing.
    const w = store.writes;
    expect((await ledger.upgrade(qm)).changes).toEqual([]);
    expect(store.writes).toBe(w);
  });
});
