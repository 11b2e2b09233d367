import { chain, GENESIS, headOf, sha256, verifyAudit, type AuditInput } from "../../src/ledger/audit";
import type { CellValue } from "../../src/domain/case";
import { shanghai } from "../fakes/clock";

const now = shanghai(2026, 2, 5, 14, 20, 7);
const inputs: AuditInput[] = Array.from({ length: 6 }, (_, i) => ({
  user: i % 2 ? "张三" : "李四",
  action: i === 3 ? "EDIT_REVERTED" : "SIGNED",
  caseNo: `KS-2026-000${i + 1}`,
  field: "status",
  cell: `Ledger!S${i + 2}`,
  oldValue: i,
  newValue: `=cmd|${i}`,
  reason: "原因 / reason",
}));

async function log(): Promise<CellValue[][]> {
  return (await chain({ seq: 0, hash: GENESIS }, inputs, now)).rows;
}

describe("audit chain", () => {
  test("SHA-256 is the standard one", async () => {
    expect(await sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("entries chain in order and a fresh log verifies", async () => {
    const rows = await log();
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0][10]).toBe(GENESIS);
    for (let i = 1; i < rows.length; i++) expect(rows[i][10]).toBe(rows[i - 1][11]);
    expect(rows[0][1]).toBe("2026-03-05 14:20:07");
    expect(await verifyAudit(rows)).toEqual({ ok: true, entries: 6, problems: [] });
    // Appending continues the chain from its head.
    const more = await chain(headOf(rows), [{ user: "王五", action: "CASE_ADDED" }], now);
    expect(more.entries[0].seq).toBe(7);
    expect((await verifyAudit([...rows, ...more.rows])).ok).toBe(true);
  });

  test("sorting or filtering the sheet does not break it", async () => {
    const rows = await log();
    const sorted = [...rows].sort((a, b) => String(a[2]).localeCompare(String(b[2])) || String(b[4]).localeCompare(String(a[4])));
    expect((await verifyAudit(sorted)).ok).toBe(true);
  });

  test("an edited entry is found", async () => {
    const rows = await log();
    rows[2][8] = "something else";
    const v = await verifyAudit(rows);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ seq: 3, en: expect.stringContaining("altered") })]);
  });

  test("an edited entry whose hash was recomputed still breaks the next link", async () => {
    const rows = await log();
    const { rows: forged } = await chain({ seq: 2, hash: String(rows[1][11]) }, [{ ...inputs[2], reason: "改过 / changed" }], now);
    rows[2] = forged[0];
    const v = await verifyAudit(rows);
    expect(v.problems.map((p) => p.seq)).toEqual([4]);
  });

  test("a deleted entry in the middle is found", async () => {
    const rows = await log();
    rows.splice(3, 1);
    const v = await verifyAudit(rows);
    expect(v.ok).toBe(false);
    expect(v.problems[0].zh).toContain("第 4–4 条记录缺失");
  });

  test("entries cut off the end are found against the head kept outside the table", async () => {
    const rows = await log();
    const head = headOf(rows);
    expect((await verifyAudit(rows.slice(0, 4))).ok).toBe(true);
    const v = await verifyAudit(rows.slice(0, 4), head);
    expect(v.ok).toBe(false);
    expect(v.problems[0].en).toMatch(/should end at entry 6 but ends at 4/);
  });

  test("a repeated or unreadable sequence number is found", async () => {
    const rows = await log();
    expect((await verifyAudit([...rows, rows[5]])).problems[0].en).toMatch(/appears twice/);
    rows[1][0] = "two";
    expect((await verifyAudit(rows)).problems[0].en).toMatch(/invalid sequence number "two"/);
  });
});
