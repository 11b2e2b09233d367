/**
 * Tampering with the audit log, found whatever cell is changed (issue 30): one named test per head-check bug
 * that planting found alive, then properties over any single-cell change and any re-hash of the last k entries.
 */
import fc from "fast-check";
import type { CellValue } from "../../src/domain/case";
import { auditText, chain, chainItem, GENESIS, hashInput, headOf, sha256, verifyAudit, verifyLedgerAudit, type AuditInput } from "../../src/ledger/audit";

const now = new Date(2026, 2, 5, 14, 20, 7);
const input = (i: number, reason = "原因 / reason"): AuditInput => ({
  user: i % 2 ? "张三" : "李四",
  action: i % 3 ? "SIGNED" : "EDIT_REVERTED",
  caseNo: `KS-2026-${String(i + 1).padStart(4, "0")}`,
  field: "status",
  cell: `Ledger!S${i + 2}`,
  oldValue: i,
  newValue: `值${i}`,
  reason,
});
const log = async (n: number) =>
  (
    await chain(
      { seq: 0, hash: GENESIS },
      Array.from({ length: n }, (_, i) => input(i)),
      now,
    )
  ).rows;

/** The last k entries rewritten and re-hashed into an intact chain (what someone editing the sheet can do). */
async function rehashTail(rows: CellValue[][], k: number): Promise<CellValue[][]> {
  const keep = rows.slice(0, rows.length - k);
  const forged = await chain(
    headOf(keep),
    Array.from({ length: k }, (_, i) => input(keep.length + i, "改过 / forged")),
    now,
  );
  return [...keep, ...forged.rows];
}

/** What the CLI's verify-audit builds from the workbook: each row hashed, the meta sheet's head. */
async function ledgerVerdict(rows: CellValue[][], head: { seq: number; hash: string }, externalHead?: { seq: number; hash: string }) {
  const items = [];
  for (let i = 0; i < rows.length; i++) items.push(chainItem(rows[i], i + 1, (await sha256(hashInput(rows[i]))) === auditText(rows[i][11])));
  const meta = { "audit.seq": String(head.seq), "audit.hash": head.hash };
  return verifyLedgerAudit(items, { meta, auditSheet: true, ours: true, externalHead });
}

describe("the audit head is compared by hash, not only by count", () => {
  test("verifyAudit: the last entry rewritten and re-hashed is found against the head kept outside the table", async () => {
    const rows = await log(5);
    const head = headOf(rows);
    const forged = await rehashTail(rows, 1);
    expect(headOf(forged).seq).toBe(head.seq);
    expect(headOf(forged).hash).not.toBe(head.hash);
    // The chain alone is intact: only the head can tell.
    expect(await verifyAudit(forged)).toEqual({ ok: true, entries: 5, problems: [] });
    const v = await verifyAudit(forged, head);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ seq: 5, en: expect.stringMatching(/should end at entry 5 but ends at 5.*replaced/) })]);
    expect(await verifyAudit(rows, head)).toEqual({ ok: true, entries: 5, problems: [] });
  });

  test("verifyLedgerAudit (the CLI's verify-audit): the meta sheet's head hash is checked, and the head file's", async () => {
    const rows = await log(5);
    const head = headOf(rows);
    expect(await ledgerVerdict(rows, head, head)).toEqual({ ok: true, entries: 5, problems: [] });
    const forged = await rehashTail(rows, 1);
    const v = await ledgerVerdict(forged, head);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.en)).toEqual([expect.stringMatching(/should end at entry 5 but ends at 5/)]);
    // The meta head updated too (the sheet's own head forged): the head file still tells.
    const both = await ledgerVerdict(forged, headOf(forged), head);
    expect(both.problems.map((p) => p.en)).toEqual([expect.stringMatching(/^Does not match the head file: it names entry 5/)]);
  });
});

describe("audit tampering properties", () => {
  const size = fc.integer({ min: 1, max: 7 });

  test("any single-cell change to any audit row is found", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(size, fc.nat(), fc.integer({ min: 0, max: 11 }), fc.string({ minLength: 1, maxLength: 8 }), async (n, r, col, text) => {
        const rows = await log(n);
        const head = headOf(rows);
        const row = r % n;
        const old = rows[row][col];
        // A different reading of the cell: another number for the sequence, other text elsewhere.
        const value: CellValue = col === 0 ? Number(old) + 1 + (text.length % 3) : auditText(old) + text;
        rows[row][col] = value;
        const v = await verifyAudit(rows, head);
        expect(v.ok).toBe(false);
        expect(v.problems.length).toBeGreaterThan(0);
        checked++;
      }),
      { numRuns: 150 },
    );
    expect(checked).toBe(150);
  });

  test("a re-hash of the last k entries is found by the head in the meta sheet, with no head file", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        size.chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        async ([n, k]) => {
          const rows = await log(n);
          const head = headOf(rows);
          const forged = await rehashTail(rows, k);
          expect((await verifyAudit(forged)).ok).toBe(true);
          expect((await verifyAudit(forged, head)).ok).toBe(false);
          expect((await ledgerVerdict(forged, head)).ok).toBe(false);
          checked++;
        },
      ),
      { numRuns: 60 },
    );
    expect(checked).toBe(60);
  });
});
