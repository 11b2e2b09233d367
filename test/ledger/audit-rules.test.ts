/**
 * The audit chain's messages and edge rules one at a time (issue 30, mutation testing): every problem is said
 * in full in both languages, blank rows and blank cells are told apart, a stamp made elsewhere is kept, and the
 * head is the first row carrying the highest number.
 */
import { shanghai } from "../fakes/clock";
import type { CellValue } from "../../src/domain/case";
import {
  auditText,
  chain,
  chainItem,
  checkChain,
  entryBase,
  GENESIS,
  hashInput,
  headOf,
  sha256,
  verifyAudit,
  verifyLedgerAudit,
  type AuditInput,
} from "../../src/ledger/audit";

const now = shanghai(2026, 2, 5, 14, 20, 7);
const input = (i: number): AuditInput => ({
  user: i % 2 ? "张三" : "李四",
  action: "SIGNED",
  caseNo: `KS-2026-${String(i + 1).padStart(4, "0")}`,
  field: "status",
  cell: `Ledger!S${i + 2}`,
  oldValue: i,
  newValue: `值${i}`,
  reason: "原因 / reason",
});
const log = async (n: number) =>
  (
    await chain(
      { seq: 0, hash: GENESIS },
      Array.from({ length: n }, (_, i) => input(i)),
      now,
    )
  ).rows;

async function itemsOf(rows: CellValue[][]) {
  const items = [];
  for (let i = 0; i < rows.length; i++) items.push(chainItem(rows[i], i + 1, (await sha256(hashInput(rows[i]))) === auditText(rows[i][11])));
  return items;
}
const metaOf = (h: { seq: number; hash: string }) => ({ "audit.seq": String(h.seq), "audit.hash": h.hash });
const ctx = { auditSheet: true, ours: true };

describe("the time an entry carries", () => {
  test("a stamp already made is kept as it is; an instant is stamped on the zone given", async () => {
    const prev = { seq: 4, hash: "a".repeat(64) };
    const made = entryBase(prev, input(0), "2026-03-05 14:20:07", "UTC");
    expect(made).toEqual({
      seq: 5,
      at: "2026-03-05 14:20:07",
      user: "李四",
      action: "SIGNED",
      caseNo: "KS-2026-0001",
      field: "status",
      cell: "Ledger!S2",
      oldValue: "0",
      newValue: "值0",
      reason: "原因 / reason",
      prevHash: prev.hash,
    });
    // 14:20:07 in Shanghai is 06:20:07 UTC.
    expect(entryBase(prev, input(0), now, "UTC").at).toBe("2026-03-05 06:20:07");
    expect(entryBase(prev, input(0), now).at).toBe("2026-03-05 14:20:07");
    const { entries } = await chain({ seq: 0, hash: GENESIS }, [input(0)], now, "UTC");
    expect(entries[0].at).toBe("2026-03-05 06:20:07");
  });
});

describe("blank rows and blank cells", () => {
  test("an entry with its optional cells blank is an entry, not a blank row", async () => {
    const { rows } = await chain({ seq: 0, hash: GENESIS }, [{ user: "王五", action: "CASE_ADDED" }, input(1)], now);
    expect(await verifyAudit(rows)).toEqual({ ok: true, entries: 2, problems: [] });
    // A row of blanks of every kind is skipped wherever it stands; a row with only a sequence number is not blank.
    expect(await verifyAudit([[undefined, null, ""], ...rows, ["", "", null]])).toEqual({ ok: true, entries: 2, problems: [] });
    const lone = await verifyAudit([...rows, [3]]);
    expect(lone.entries).toBe(3);
    expect(lone.ok).toBe(false);
  });
});

describe("headOf with a repeated number", () => {
  test("the first row carrying the highest number is the head", async () => {
    const rows = await log(3);
    const other = [3, ...rows[2].slice(1, 11), "b".repeat(64)];
    expect(headOf([rows[0], rows[2], other])).toEqual({ seq: 3, hash: rows[2][11] });
    expect(headOf([other, rows[2]])).toEqual({ seq: 3, hash: "b".repeat(64) });
  });
});

describe("every problem said in full, in both languages", () => {
  test("verifyAudit: an invalid number, a repeat found wherever it stands, the head", async () => {
    const rows = await log(3);
    expect((await verifyAudit([[-1, ...rows[0].slice(1)], ...rows])).problems).toEqual([
      { row: 1, zh: '第 1 条记录的序号"-1"无效', en: 'Entry at row 1 has an invalid sequence number "-1"' },
    ]);
    // The repeat is reported at the later row whichever copy comes first on the sheet.
    const first = await verifyAudit([rows[1], rows[0], rows[2], rows[1]]);
    expect(first.problems).toEqual([{ seq: 2, row: 4, zh: "序号 2 重复出现", en: "Sequence number 2 appears twice" }]);
    const head = headOf(rows);
    expect((await verifyAudit(rows.slice(0, 2), head)).problems).toEqual([
      {
        seq: 2,
        zh: "审计记录应有 3 条,现为 2 条:末尾记录被删除或替换",
        en: "The audit log should end at entry 3 but ends at 2: entries at the end were deleted or replaced",
      },
    ]);
    // Same count, other hash: still the head's problem.
    expect((await verifyAudit(rows, { seq: 3, hash: "c".repeat(64) })).problems.map((p) => p.seq)).toEqual([3]);
  });

  test("checkChain: a repeat is reported at the later row whatever order the entries are handed in", async () => {
    const items = await itemsOf(await log(3));
    const again = { ...items[1], row: 4 };
    const expected = [{ seq: 2, row: 4, zh: "序号 2 重复出现", en: "Sequence number 2 appears twice" }];
    expect(checkChain([items[0], again, items[1], items[2]]).problems).toEqual(expected);
    expect(checkChain([items[2], items[1], again, items[0]]).problems).toEqual(expected);
    expect(checkChain([again, items[2], items[0], items[1]]).last).toEqual({ seq: 3, hash: items[2].hash });
  });

  test("a head of ten entries or more reads (the count has several digits)", async () => {
    const rows = await log(12);
    const items = await itemsOf(rows);
    expect(verifyLedgerAudit(items, { ...ctx, meta: metaOf(headOf(rows)) })).toEqual({ ok: true, entries: 12, problems: [] });
    expect(verifyLedgerAudit(items.slice(0, 10), { ...ctx, meta: metaOf(headOf(rows.slice(0, 10))) }).ok).toBe(true);
  });

  test("verifyLedgerAudit: missing sheets, a missing or unreadable head, the head file", async () => {
    const rows = await log(3);
    const items = await itemsOf(rows);
    const head = headOf(rows);
    expect(verifyLedgerAudit(items, { ...ctx, auditSheet: false, meta: metaOf(head) }).problems).toEqual([
      { zh: "审计表(审计 Audit)不见了:本工具写的台账一定有审计表", en: "The audit sheet is missing: every ledger this tool writes has one" },
    ]);
    expect(verifyLedgerAudit(items, { ...ctx, meta: undefined }).problems).toEqual([
      {
        zh: "隐藏的 _cl_meta 表不见了:审计记录的头部(条数与末条哈希)无从核对",
        en: "The hidden _cl_meta sheet is missing: the audit log's head (count and last hash) cannot be checked",
      },
    ]);
    expect(verifyLedgerAudit(items, { ...ctx, meta: {} }).problems).toEqual([
      { zh: "_cl_meta 表中没有审计头部(audit.seq / audit.hash)", en: "The _cl_meta sheet holds no audit head (audit.seq / audit.hash)" },
    ]);
    expect(verifyLedgerAudit(items, { ...ctx, meta: { "audit.hash": head.hash } }).problems).toEqual([
      {
        zh: `_cl_meta 表中的审计头部无法读取(audit.seq="",audit.hash="${head.hash.slice(0, 16)}")`,
        en: `The audit head in the _cl_meta sheet is unreadable (audit.seq="", audit.hash="${head.hash.slice(0, 16)}")`,
      },
    ]);
    expect(verifyLedgerAudit(items, { ...ctx, meta: { "audit.seq": "3" } }).problems).toEqual([
      {
        zh: '_cl_meta 表中的审计头部无法读取(audit.seq="3",audit.hash="")',
        en: 'The audit head in the _cl_meta sheet is unreadable (audit.seq="3", audit.hash="")',
      },
    ]);
    // A head that reads but names another hash at the same count.
    expect(verifyLedgerAudit(items, { ...ctx, meta: metaOf({ seq: 3, hash: "d".repeat(64) }) }).problems).toEqual([
      {
        seq: 3,
        zh: "审计记录应有 3 条,现为 3 条:末尾记录被删除或替换",
        en: "The audit log should end at entry 3 but ends at 3: entries at the end were deleted or replaced",
      },
    ]);
    // The head file names entry 2 with entry 3's hash.
    const wrong = verifyLedgerAudit(items, { ...ctx, meta: metaOf(head), externalHead: { seq: 2, hash: head.hash } });
    const h2 = String(rows[1][11]);
    expect(wrong.problems).toEqual([
      {
        zh: `与头部文件不符:头部文件记录第 2 条的哈希 ${head.hash.slice(0, 12)}…,审计表中该条哈希为 ${h2.slice(0, 12)}…`,
        en: `Does not match the head file: it names entry 2 with hash ${head.hash.slice(0, 12)}…, the audit sheet has ${h2.slice(0, 12)}… there`,
      },
    ]);
    expect(wrong.ok).toBe(false);
  });

  test("a chain problem and a head problem are both said; an empty log of a hand-kept sheet is fine", async () => {
    const rows = await log(3);
    const items = await itemsOf([rows[0], rows[2]]);
    const v = verifyLedgerAudit(items, { ...ctx, meta: metaOf({ seq: 4, hash: "e".repeat(64) }) });
    expect(v.entries).toBe(2);
    expect(v.problems.map((p) => p.en)).toEqual([
      "Entries 2–2 are missing (deleted)",
      "Entry 3 does not follow the one before (previous hash differs)",
      expect.stringMatching(/^The audit log should end at entry 4 but ends at 3/),
    ]);
    expect(verifyLedgerAudit([], { auditSheet: true, ours: false, meta: {} })).toEqual({ ok: true, entries: 0, problems: [] });
  });
});
