/**
 * Tampering with the audit log, found whatever cell is changed (issue 30): one named test per head-check bug
 * that planting found alive, then properties over any single-cell change and any re-hash of the last k entries.
 */
import fc from "fast-check";
import { propertyRuns } from "../fakes/runs";
import { shanghai } from "../fakes/clock";
import type { CellValue } from "../../src/domain/case";
import {
  auditText,
  chain,
  chainItem,
  entryToRow,
  GENESIS,
  hashInput,
  rechain,
  headOf,
  rowToEntry,
  sha256,
  stamp,
  verifyAudit,
  verifyLedgerAudit,
  writtenByUs,
  type AuditInput,
} from "../../src/ledger/audit";

const now = shanghai(2026, 2, 5, 14, 20, 7);
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
      { numRuns: propertyRuns(150) },
    );
    expect(checked).toBe(propertyRuns(150));
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
      { numRuns: propertyRuns(60) },
    );
    expect(checked).toBe(propertyRuns(60));
  });
});

/** The items verifyLedgerAudit takes, for rows as written. */
async function itemsOf(rows: CellValue[][]) {
  const items = [];
  for (let i = 0; i < rows.length; i++) items.push(chainItem(rows[i], i + 1, (await sha256(hashInput(rows[i]))) === auditText(rows[i][11])));
  return items;
}
const metaOf = (h: { seq: number; hash: string }) => ({ "audit.seq": String(h.seq), "audit.hash": h.hash });

describe("verifyLedgerAudit: the head rules of a whole workbook", () => {
  const ctx = { auditSheet: true, ours: true };
  const en = (v: { problems: { en: string }[] }) => v.problems.map((p) => p.en);

  test("a ledger this tool wrote without its audit sheet or meta sheet is tampered with; a hand-kept sheet is not", async () => {
    expect(en(verifyLedgerAudit([], { ...ctx, auditSheet: false, meta: metaOf({ seq: 0, hash: GENESIS }) }))).toEqual([
      "The audit sheet is missing: every ledger this tool writes has one",
    ]);
    expect(en(verifyLedgerAudit([], { ...ctx, meta: undefined }))).toEqual([expect.stringMatching(/^The hidden _cl_meta sheet is missing/)]);
    expect(verifyLedgerAudit([], { auditSheet: false, ours: false, meta: undefined })).toEqual({ ok: true, entries: 0, problems: [] });
  });

  test("a meta sheet without a head: tampering when the log has entries, nothing to say when it is empty or not ours", async () => {
    const items = await itemsOf(await log(2));
    expect(en(verifyLedgerAudit(items, { ...ctx, meta: {} }))).toEqual(["The _cl_meta sheet holds no audit head (audit.seq / audit.hash)"]);
    expect(verifyLedgerAudit([], { ...ctx, meta: {} }).ok).toBe(true);
    expect(verifyLedgerAudit(items, { ...ctx, ours: false, meta: {} }).ok).toBe(true);
  });

  test("an unreadable head is named, whichever part is wrong", async () => {
    const rows = await log(2);
    const items = await itemsOf(rows);
    const head = headOf(rows);
    const bad: Record<string, string>[] = [
      { "audit.hash": head.hash },
      { "audit.seq": "two", "audit.hash": head.hash },
      { "audit.seq": "2.0", "audit.hash": head.hash },
      { "audit.seq": "99999999999999999999", "audit.hash": head.hash },
      { "audit.seq": "2", "audit.hash": head.hash.toUpperCase() },
      { "audit.seq": "2" },
      { "audit.seq": "0", "audit.hash": head.hash },
    ];
    for (const meta of bad) {
      const v = verifyLedgerAudit(items, { ...ctx, meta });
      expect([meta, en(v).some((m) => /audit head in the _cl_meta sheet is unreadable/.test(m))]).toEqual([meta, true]);
    }
    const v = verifyLedgerAudit(items, { ...ctx, meta: { "audit.seq": "x1", "audit.hash": "abcdef0123456789abcdef" } });
    expect(v.problems[0].zh).toBe('_cl_meta 表中的审计头部无法读取(audit.seq="x1",audit.hash="abcdef0123456789")');
    // Readable heads: the exact one, padded with spaces, and the empty log's.
    expect(verifyLedgerAudit(items, { ...ctx, meta: metaOf(head) }).ok).toBe(true);
    expect(verifyLedgerAudit(items, { ...ctx, meta: { "audit.seq": " 2 ", "audit.hash": head.hash } }).ok).toBe(true);
    expect(verifyLedgerAudit([], { ...ctx, meta: { "audit.seq": "0", "audit.hash": GENESIS } }).ok).toBe(true);
    expect(verifyLedgerAudit([], { ...ctx, meta: { "audit.seq": "0" } }).ok).toBe(true);
  });

  test("the meta head against the chain: entries cut off the end or added without the head moving", async () => {
    const rows = await log(4);
    const items = await itemsOf(rows);
    const cut = verifyLedgerAudit(items.slice(0, 3), { ...ctx, meta: metaOf(headOf(rows)) });
    expect(cut.problems).toEqual([expect.objectContaining({ seq: 3, en: expect.stringMatching(/should end at entry 4 but ends at 3/) })]);
    expect(cut.problems[0].zh).toBe("审计记录应有 4 条,现为 3 条:末尾记录被删除或替换");
    const stale = verifyLedgerAudit(items, { ...ctx, meta: metaOf(headOf(rows.slice(0, 3))) });
    expect(en(stale)).toEqual([expect.stringMatching(/should end at entry 3 but ends at 4/)]);
  });

  test("a head file: the entry at its sequence must carry its hash; the chain may have grown past it", async () => {
    const rows = await log(4);
    const items = await itemsOf(rows);
    const meta = metaOf(headOf(rows));
    const at2 = { seq: 2, hash: String(rows[1][11]) };
    expect(verifyLedgerAudit(items, { ...ctx, meta, externalHead: at2 }).ok).toBe(true);
    expect(verifyLedgerAudit(items, { ...ctx, meta, externalHead: { seq: 0, hash: GENESIS } }).ok).toBe(true);
    const wrong = verifyLedgerAudit(items, { ...ctx, meta, externalHead: { seq: 2, hash: String(rows[2][11]) } });
    expect(wrong.problems.map((p) => p.zh)).toEqual([
      `与头部文件不符:头部文件记录第 2 条的哈希 ${String(rows[2][11]).slice(0, 12)}…,审计表中该条哈希为 ${at2.hash.slice(0, 12)}…`,
    ]);
    const short = verifyLedgerAudit(items.slice(0, 2), { ...ctx, meta: metaOf(headOf(rows.slice(0, 2))), externalHead: headOf(rows) });
    expect(short.problems.map((p) => p.en)).toEqual([
      `Does not match the head file: it names entry 4 with hash ${headOf(rows).hash.slice(0, 12)}…, the audit sheet ends at entry 2`,
    ]);
    expect(short.problems.map((p) => p.zh)).toEqual([expect.stringMatching(/审计表只到第 2 条$/)]);
  });

  test("writtenByUs: the meta sheet, the Policy sheet or a computed column marks a ledger this tool wrote", () => {
    expect(writtenByUs(["caseNo"], false, false)).toBe(false);
    expect(writtenByUs(["caseNo"], false, true)).toBe(true);
    expect(writtenByUs(["caseNo"], true, false)).toBe(true);
    expect(writtenByUs(["caseNo", "replyDue"], false, false)).toBe(true);
    expect(writtenByUs(["caseNo", "replyStatus"], false, false)).toBe(true);
  });
});

describe("the chain's own rules", () => {
  test("entries keep their text: dates as ISO, blanks as empty; optional fields blank; rows round-trip", async () => {
    expect([auditText(null), auditText(undefined), auditText(0), auditText(false), auditText(new Date(Date.UTC(2026, 2, 5, 6)))]).toEqual([
      "",
      "",
      "0",
      "false",
      "2026-03-05T06:00:00.000Z",
    ]);
    const { entries, rows } = await chain({ seq: 0, hash: GENESIS }, [{ user: "王五", action: "CASE_ADDED" }], now);
    expect(entries[0]).toEqual({ ...entries[0], caseNo: "", field: "", cell: "", oldValue: "", newValue: "", reason: "", prevHash: GENESIS });
    expect(rowToEntry(rows[0])).toEqual(entries[0]);
    expect(entryToRow(entries[0])).toEqual(rows[0]);
    // Stamps are the ledger's wall clock (Asia/Shanghai unless the policy says otherwise), not the machine's.
    expect(stamp(shanghai(2026, 0, 2, 3, 4, 5))).toBe("2026-01-02 03:04:05");
    expect(stamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), "UTC")).toBe("2026-01-02 03:04:05");
    expect(stamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02 11:04:05");
  });

  test("headOf takes the highest sequence number whatever the row order, ignoring unreadable ones", async () => {
    const rows = await log(3);
    expect(headOf([])).toEqual({ seq: 0, hash: GENESIS });
    expect(headOf([rows[2], rows[0], ["x", ...rows[1].slice(1)], rows[1]])).toEqual({ seq: 3, hash: rows[2][11] });
    expect(headOf([[2.5, null]])).toEqual({ seq: 0, hash: GENESIS });
    expect(headOf([[1]])).toEqual({ seq: 1, hash: "" });
  });

  test("blank rows are skipped; a sequence number below 1 is invalid; a repeat is reported at the later row", async () => {
    const rows = await log(3);
    const spaced = [rows[0], [null, "", undefined], rows[1], rows[2]];
    expect(await verifyAudit(spaced)).toEqual({ ok: true, entries: 3, problems: [] });
    const zero = await verifyAudit([[0, ...rows[0].slice(1)], ...rows]);
    expect(zero.problems).toEqual([expect.objectContaining({ row: 1, en: 'Entry at row 1 has an invalid sequence number "0"' })]);
    const twice = await verifyAudit([...rows, rows[1]]);
    expect(twice.problems).toEqual([{ seq: 2, row: 4, zh: "序号 2 重复出现", en: "Sequence number 2 appears twice" }]);
    const altered = await verifyAudit([rows[0], [...rows[1].slice(0, 9), "改", ...rows[1].slice(10)], rows[2]]);
    expect(altered.problems).toEqual([{ seq: 2, row: 2, zh: "第 2 条记录被修改过(哈希不符)", en: "Entry 2 was altered (hash differs)" }]);
    const gap = await verifyAudit([rows[0], rows[2]]);
    expect(gap.problems.map((p) => p.zh)).toEqual(["第 2–2 条记录缺失(被删除)", "第 3 条记录与前一条不衔接(前哈希不符)"]);
    // An empty log against an empty head is fine.
    expect(await verifyAudit([], { seq: 0, hash: GENESIS })).toEqual({ ok: true, entries: 0, problems: [] });
  });

  test("without Web Crypto, hashing says so in both languages", async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
    Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
    try {
      await expect(sha256("abc")).rejects.toThrow("Web Crypto (crypto.subtle) is not available / 当前环境没有 Web Crypto");
    } finally {
      if (saved) Object.defineProperty(globalThis, "crypto", saved);
    }
    expect(await sha256("abc")).toHaveLength(64);
  });
});

describe("rechain: a co-authoring race's entries follow the other session's", () => {
  test("what each entry says is kept; only its number and the two hashes change, and the joined log verifies", async () => {
    const theirs = await log(3);
    // Our two entries were numbered 2 and 3 after a head of 1, the same numbers the other session took.
    const ours = (await chain(headOf(theirs.slice(0, 1)), [input(7, "我们的 / ours"), input(8, "我们的 / ours")], now)).rows;
    expect((await verifyAudit([...theirs, ...ours])).ok).toBe(false);
    const fixed = await rechain(headOf(theirs), ours);
    expect(fixed.map((r) => r[0])).toEqual([4, 5]);
    expect(fixed[0][10]).toBe(theirs[2][11]);
    expect(fixed[1][10]).toBe(fixed[0][11]);
    // Columns 1..9 (time, who, what, where, old and new values, reason) are the entries' own.
    expect(fixed.map((r) => r.slice(1, 10))).toEqual(ours.map((r) => r.slice(1, 10)));
    expect(fixed.map((r) => r[11])).not.toEqual(ours.map((r) => r[11]));
    expect(await verifyAudit([...theirs, ...fixed], headOf([...theirs, ...fixed]))).toEqual({ ok: true, entries: 5, problems: [] });
    expect(await rechain(headOf(theirs), [])).toEqual([]);
  });

  test("writtenByUs: a table named as the ledger is the mark on its own", () => {
    expect(writtenByUs(["caseNo"], false, false, true)).toBe(true);
    expect(writtenByUs(["caseNo"], false, false, false)).toBe(false);
  });
});

test("verifyAudit: a head of 0 (nothing kept outside the table yet) compares nothing; a kept head is compared", async () => {
  const rows = await log(3);
  expect(await verifyAudit(rows, { seq: 0, hash: GENESIS })).toEqual({ ok: true, entries: 3, problems: [] });
  expect((await verifyAudit(rows, { seq: 3, hash: GENESIS })).problems.map((p) => p.seq)).toEqual([3]);
  expect((await verifyAudit(rows, { seq: 4, hash: headOf(rows).hash })).problems.map((p) => p.seq)).toEqual([3]);
});
