/**
 * Columns and cells deleted in the ledger table (docs/decisions.md 166, 167):
 * a ledger column deleted comes back where it stood with its header, values,
 * formulas, number format, validation and conditional formats, logged and
 * explained; the user's own column goes, logged; cells deleted with a shift
 * move values between cases, so rows that no longer line up with their case
 * are put back and the others judged as edits; a column inserted is the
 * user's. Round trips are counted, also at 50,000 cases.
 */
import type { CellValue } from "../../../src/domain/case";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { rowToEntry, verifyAudit, type AuditEntry } from "../../../src/ledger/audit";
import { computedColumns, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import type { CaseRecord } from "../../../src/ledger/records";
import { ExcelEnforcer, lineUp, type Notice } from "../../../src/stores/excel/change-handler";
import { bodyChunks, caseNo, col, ledgerWith, letter, NOW, records, type Setup } from "./setup";

jest.setTimeout(300_000);

const EDITOR = "赵业务";
const policy = defaultPolicy();
const OWN = "我的跟进 My follow-up";

interface World extends Setup {
  enforcer: ExcelEnforcer;
  notices: Notice[];
}

/** A ledger of `n` cases; with `own`, a column of the user's own at the table's end, filled in its first 3 rows. */
async function world(n: number, own = false, recs: CaseRecord[] = records(n, policy)): Promise<World> {
  const s = await ledgerWith(recs, policy);
  if (own)
    await s.fake.run(async (ctx) => {
      const values = [[OWN], ...Array.from({ length: n }, (_, i) => [i < 3 ? `跟进 ${i}` : ""])];
      ctx.workbook.tables.getItem(TABLES.ledger).columns.add(undefined, values, OWN);
      await ctx.sync();
    });
  const header = s.fake.header(TABLES.ledger);
  const notices: Notice[] = [];
  const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => EDITOR, notify: (x) => notices.push(x), now: () => NOW });
  await enforcer.start();
  enforcer.attach(s.store);
  s.fake.resetMeter();
  return { ...s, header, keys: own ? [...s.keys, `extra:${OWN}`] : s.keys, enforcer, notices };
}

const table = (w: World) => w.fake.table(TABLES.ledger)!;
const letterOf = (w: World, key: string) => letter(table(w).c + col(w, key));
const column = (w: World, key: string) => w.fake.body(TABLES.ledger).map((r) => r[col(w, key)]);
/** The number format of a body cell of `key`'s column. */
const formatAt = (w: World, row: number, key: string) => w.fake.cell(SHEETS.ledger, table(w).r + 1 + row, table(w).c + col(w, key))?.fmt;
const formulaAt = (w: World, row: number, key: string) => w.fake.cell(SHEETS.ledger, table(w).r + 1 + row, table(w).c + col(w, key))?.f;

async function audit(w: World): Promise<AuditEntry[]> {
  const data = await w.store.read();
  const v = await verifyAudit(data.auditRows, { seq: Number(data.meta[META.auditSeq]), hash: data.meta[META.auditHash] });
  expect(v.problems).toEqual([]);
  return data.auditRows.map(rowToEntry);
}

test("lineUp pairs the columns still there by header, in order; deleted ones are -1", () => {
  expect(lineUp(["a", "b", "c", "d"], ["a", "c", "d"])).toEqual([0, -1, 1, 2]);
  expect(lineUp(["a", "b", "c"], ["a", "x", "b", "c"])).toEqual([0, 2, 3]);
  expect(lineUp(["a", "b", "a"], ["a", "a"])).toEqual([0, -1, 1]);
  expect(lineUp(["a", "b"], [])).toEqual([-1, -1]);
});

describe("a ledger of 12 cases", () => {
  let w: World;
  afterEach(() => {
    expect(w.fake.handlerErrors).toEqual([]);
    expect(w.fake.eventsEnabled).toBe(true);
  });

  test("a ledger column deleted (Delete Sheet Columns) comes back with its values, format, validation and the formulas that named it", async () => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const received = column(w, "receivedAt");
    const dueFormula = computedColumns(policy).find((c) => c.key === "replyDue")!.formula;
    expect(formatAt(w, 0, "receivedAt")).toBe("yyyy-mm-dd hh:mm");
    const L = letterOf(w, "receivedAt");
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    // What Excel leaves: the column gone, the reply-due formula naming it broken.
    expect(w.fake.header(TABLES.ledger)).not.toContain(w.header[col(w, "receivedAt")]);
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    expect(column(w, "receivedAt")).toEqual(received);
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    expect(formatAt(w, 11, "receivedAt")).toBe("yyyy-mm-dd hh:mm");
    expect(formulaAt(w, 5, "replyDue")).toBe(dueFormula);
    const sheet = w.fake.sheet(SHEETS.ledger)!;
    const dv = sheet.validations.find((v) => v.rect.c === table(w).c + col(w, "receivedAt") && v.rect.h === 12);
    expect(dv?.rule).toMatchObject({ date: { operator: "GreaterThanOrEqualTo" } });
    // Read the header (1); probe (1); put back, rules, formulas and audit in one batch (1).
    expect(w.fake.syncs).toBe(3);
    const e = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED");
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      user: EDITOR,
      at: "2026-03-10 09:30:00",
      field: "receivedAt",
      cell: `'${SHEETS.ledger}'!${L}1`,
      oldValue: w.header[col(w, "receivedAt")],
    });
    expect(e[0].reason).toMatch(/台账列.*12 行.*隐藏.* \/ .*ledger column holds case data.*hide/s);
    expect(w.notices).toHaveLength(1);
    expect(w.notices[0].zh).toMatch(/已恢复原位.*隐藏该列/);
    expect(w.notices[0].en).toMatch(/put back where they were.*hide it/);
    // The snapshot still lines up: a case's receipt time cleared there is put back.
    w.fake.user.edit(SHEETS.ledger, `${L}4`, [[""]]);
    await w.fake.settle();
    expect(column(w, "receivedAt")[2]).toBe(received[2]);
  });

  test("Delete Table Columns on two ledger columns: both back in place, the drop-down and the serious-row mark again", async () => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const sheet = w.fake.sheet(SHEETS.ledger)!;
    w.fake.user.deleteTableColumn(TABLES.ledger, col(w, "customerClass"), 2); // customer class and market
    w.fake.user.deleteTableColumn(TABLES.ledger, col(w, "severity") - 2);
    expect(sheet.cfs.filter((c) => c.type === "Custom" && c.rect.w === table(w).w)).toHaveLength(1); // the serious-row mark, now on #REF!
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    const list = sheet.validations.find((v) => v.rect.c === table(w).c + col(w, "severity") && v.rect.h === 12);
    expect(list?.rule).toMatchObject({ list: { inCellDropDown: true } });
    // The ledger's rules are applied anew: one serious-row mark, over the whole width again.
    expect(sheet.cfs.filter((c) => c.type === "Custom" && c.rect.w === table(w).w)).toHaveLength(1);
    const fields = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED").map((x) => x.field);
    expect(fields.sort()).toEqual(["customerClass", "market", "severity"]);
  });

  test("a computed column deleted comes back as the ledger's formula in every row, and the status formula naming it is whole again", async () => {
    w = await world(12);
    const formula = (key: string) => computedColumns(policy).find((c) => c.key === key)!.formula;
    w.fake.user.deleteTableColumn(TABLES.ledger, col(w, "replyDue"));
    expect(w.fake.table(TABLES.ledger)!.calc.some((f) => f?.includes("#REF!"))).toBe(true); // reply status named it
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    for (const row of [0, 11]) {
      expect(formulaAt(w, row, "replyDue")).toBe(formula("replyDue"));
      expect(formulaAt(w, row, "replyStatus")).toBe(formula("replyStatus"));
    }
    expect(formatAt(w, 3, "replyDue")).toBe("yyyy-mm-dd");
    expect((await audit(w)).filter((x) => x.action === "EDIT_REVERTED").map((x) => x.field)).toEqual(["replyDue"]);
  });

  test("the user's own column deleted stays deleted; its header and how many cells held something are logged", async () => {
    w = await world(12, true);
    const before = w.fake.body(TABLES.ledger).map((r) => r.slice(0, -1));
    const L = letter(table(w).c + w.header.indexOf(OWN));
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header.slice(0, -1));
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    expect(w.fake.syncs).toBe(3); // read the header; probe + the audit entry
    const e = (await audit(w)).filter((x) => x.field === `extra:${OWN}`);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ action: "EDIT_ACCEPTED", cell: `'${SHEETS.ledger}'!${L}1`, oldValue: OWN });
    expect(e[0].reason).toMatch(/3 个非空单元格.*3 non-blank cell/s);
    expect(w.notices.map((n) => n.en)).toEqual([expect.stringMatching(/Your own column.*recorded in the audit sheet/)]);
    // The snapshot dropped the column: every row is the table's width, and an edit is judged in the right field.
    expect(w.enforcer.rows.every((r) => r.length === w.header.length - 1)).toBe(true);
    const customer = column(w, "customer")[1];
    w.fake.user.edit(SHEETS.ledger, `${letterOf(w, "customer")}3`, [[""]]);
    await w.fake.settle();
    expect(column(w, "customer")[1]).toBe(customer);
  });

  test("a ledger column and the user's own deleted at once: the ledger's back, the user's gone", async () => {
    w = await world(12, true);
    const L = letterOf(w, "remarks");
    const remarks = column(w, "remarks");
    w.fake.user.deleteTableColumn(TABLES.ledger, w.header.indexOf(OWN));
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header.slice(0, -1));
    expect(column(w, "remarks")).toEqual(remarks);
    const e = await audit(w);
    expect(e.filter((x) => x.action === "EDIT_REVERTED").map((x) => x.field)).toEqual(["remarks"]);
    expect(e.filter((x) => x.action === "EDIT_ACCEPTED" && x.field === `extra:${OWN}`)).toHaveLength(1);
  });

  test("cells deleted with shift-up in one column: the case numbers stay, so each changed row is judged as an edit", async () => {
    w = await world(12);
    const L = letterOf(w, "customer");
    const r = table(w).r + 1 + 4; // body rows 4 and 5
    w.fake.user.deleteCells(SHEETS.ledger, `${L}${r + 1}:${L}${r + 2}`, "Up");
    await w.fake.settle();
    const after = column(w, "customer");
    // The last two rows had their customer emptied (the cells below the table moved up): required, so put back.
    expect(after.slice(10).every((v) => v !== "")).toBe(true);
    const e = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED");
    expect(e.every((x) => !/移位/.test(x.reason))).toBe(true); // judged, not put back as moved rows
    expect(e.map((x) => x.caseNo)).toEqual(expect.arrayContaining([caseNo(10), caseNo(11)]));
    // What was judged acceptable stands, and the snapshot holds exactly what the sheet shows.
    expect(w.enforcer.rows.map((row) => row[col(w, "customer")] ?? "")).toEqual(after);
  });

  test("cells deleted with shift-up across the case number: rows no longer line up with their cases, so every value goes back", async () => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const first = letter(table(w).c),
      third = letter(table(w).c + 2);
    const r = table(w).r + 1 + 3; // body rows 3 and 4
    w.fake.user.deleteCells(SHEETS.ledger, `${first}${r + 1}:${third}${r + 2}`, "Up");
    expect(w.fake.body(TABLES.ledger)[3][0]).toBe(caseNo(5));
    await w.fake.settle();
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    // Read the table (1 + chunks), probe + write the put-back (2).
    expect(w.fake.syncs).toBe(1 + bodyChunks(w) + 2);
    const e = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED");
    expect(new Set(e.map((x) => x.caseNo))).toEqual(new Set(Array.from({ length: 9 }, (_, i) => caseNo(3 + i)))); // rows 3…11
    expect(e.every((x) => /移位.*shift/s.test(x.reason))).toBe(true);
    expect(e[0]).toMatchObject({ caseNo: caseNo(3), field: "caseNo", oldValue: caseNo(3), newValue: caseNo(5) });
    expect(w.notices.map((n) => n.en)).toEqual([expect.stringMatching(/^9 row\(s\) no longer lined up/)]);
  });

  test("cells deleted with shift-left in one row: that row's values moved between fields and are put back", async () => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const r = table(w).r + 1 + 6;
    w.fake.user.deleteCells(SHEETS.ledger, `${letter(table(w).c)}${r + 1}`, "Left");
    await w.fake.settle();
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    const e = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED");
    expect(new Set(e.map((x) => x.caseNo))).toEqual(new Set([caseNo(6)]));
  });

  test("a column inserted in the table (ColumnInserted) is the user's: accepted, read with the table, nothing reverted", async () => {
    w = await world(12);
    w.fake.user.insertTableColumn(TABLES.ledger, col(w, "customer"), OWN, "ColumnInserted");
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).toBe(OWN);
    expect(w.fake.syncs).toBe(1 + bodyChunks(w)); // the snapshot re-read
    expect(w.notices).toEqual([]);
    expect((await audit(w)).filter((x) => x.action === "EDIT_REVERTED")).toEqual([]);
    // Typing in it stands; the customer column (one to the right now) is still judged as the customer.
    const own = letter(table(w).c + col(w, "customer"));
    const cust = letter(table(w).c + col(w, "customer") + 1);
    const customer = w.fake.body(TABLES.ledger)[2][col(w, "customer") + 1];
    w.fake.user.edit(SHEETS.ledger, `${own}4`, [["已电话跟进"]]);
    w.fake.user.edit(SHEETS.ledger, `${cust}4`, [[""]]);
    await w.fake.settle();
    expect(w.fake.body(TABLES.ledger)[2][col(w, "customer")]).toBe("已电话跟进");
    expect(w.fake.body(TABLES.ledger)[2][col(w, "customer") + 1]).toBe(customer);
  });

  test.each([
    ["reported as RowDeleted", (w: World) => w.enforcer.onChanged({ address: "E:E", changeType: "RowDeleted", source: "Local" })],
    ["raising no event, found by the sweep", (w: World) => w.enforcer.sweep()],
  ])("a ledger column deleted and %s comes back too, and no row is logged as deleted", async (_, notice) => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const L = letterOf(w, "product");
    w.fake.eventsEnabled = false;
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    w.fake.eventsEnabled = true;
    const out = await notice(w);
    expect(out).toMatchObject({ reverted: 1, deleted: 0 });
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    expect(w.fake.body(TABLES.ledger)).toEqual(before);
    const e = await audit(w);
    expect(e.filter((x) => x.action === "ROW_DELETED")).toEqual([]);
    expect(e.filter((x) => x.action === "EDIT_REVERTED").map((x) => x.field)).toEqual(["product"]);
  });

  test.each([
    ["rows first", true],
    ["the column first", false],
  ])("rows and a ledger column deleted before the handler runs (%s): the rows logged as deleted, the column back by case number", async (_, rowsFirst) => {
    w = await world(12);
    const before = w.fake.body(TABLES.ledger);
    const L = letterOf(w, "customer");
    const deleteRows = () => w.fake.user.deleteRows(TABLES.ledger, 2, 3); // cases 2, 3 and 4
    if (rowsFirst) deleteRows();
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    if (!rowsFirst) deleteRows();
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    expect(w.fake.body(TABLES.ledger)).toEqual([...before.slice(0, 2), ...before.slice(5)]);
    const e = await audit(w);
    expect(e.filter((x) => x.action === "ROW_DELETED").map((x) => x.caseNo)).toEqual([caseNo(2), caseNo(3), caseNo(4)]);
    expect(e.find((x) => x.caseNo === caseNo(3) && x.action === "ROW_DELETED")!.oldValue).toContain(String(before[3][col(w, "customer")]));
    expect(e.filter((x) => x.action === "EDIT_REVERTED").map((x) => x.field)).toEqual(["customer"]);
    // The snapshot is the table again: a case's customer cleared afterwards is put back.
    w.fake.user.edit(SHEETS.ledger, `${L}3`, [[""]]);
    await w.fake.settle();
    expect(column(w, "customer")[1]).toBe(before[1][col(w, "customer")]);
  });

  test("a column inserted unseen, found by the sweep: taken as read (no second read), nothing reverted", async () => {
    w = await world(12);
    w.fake.eventsEnabled = false;
    w.fake.user.insertTableColumn(TABLES.ledger, col(w, "remarks"), OWN);
    w.fake.eventsEnabled = true;
    w.fake.resetMeter();
    const out = await w.enforcer.sweep();
    expect(out).toMatchObject({ reverted: 0, flagged: 0, audit: [] });
    expect(w.fake.syncs).toBe(1 + bodyChunks(w));
    expect(w.enforcer.rows[0]).toHaveLength(w.header.length + 1);
    expect(w.fake.header(TABLES.ledger)[col(w, "remarks")]).toBe(OWN);
  });

  test("a co-author's column delete is their Excel's business: re-read only, nothing put back", async () => {
    w = await world(12);
    const L = letterOf(w, "remarks");
    w.fake.eventsEnabled = false; // their change reaches us only as the Remote event below
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    w.fake.eventsEnabled = true;
    w.fake.resetMeter();
    const out = await w.enforcer.onChanged({ address: `${L}:${L}`, changeType: "ColumnDeleted", source: "Remote" });
    expect(out).toMatchObject({ reverted: 0, audit: [] });
    expect(w.fake.syncs).toBe(1 + bodyChunks(w));
    expect(w.fake.header(TABLES.ledger)).toHaveLength(w.header.length - 1);
    expect(w.enforcer.rows.every((r: readonly CellValue[]) => r.length === w.header.length - 1)).toBe(true);
  });
});

describe("a ledger column deleted in a ledger of 50,000 cases", () => {
  test("every value comes back, in a bounded number of round trips within the web's 5 MB", async () => {
    const w = await world(50_000);
    const before = column(w, "customer");
    const L = letterOf(w, "customer");
    const t0 = performance.now();
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    const ms = performance.now() - t0;
    const figure = `${w.fake.syncs} syncs, max request ${w.fake.maxRequest} B, max response ${w.fake.maxResponse} B, ${Math.round(ms)} ms`;
    expect(w.fake.handlerErrors).toEqual([]);
    expect(w.fake.header(TABLES.ledger)).toEqual(w.header);
    expect(column(w, "customer")).toEqual(before);
    expect(formatAt(w, 49_999, "customer")).toBe("@");
    // Read the header (1), probe (1), then the column's formats and values, the rules and the audit entry in one
    // batch: 50,000 "@" and customer names are under the 2 MB budget (a longer column takes a batch per 2 MB).
    expect(w.fake.syncs).toBe(3);
    expect(w.fake.maxRequest).toBeLessThan(5 * 1024 * 1024);
    expect(w.fake.maxResponse).toBeLessThan(5 * 1024 * 1024);
    const entries = (await w.store.read()).auditRows.map(rowToEntry).filter((e) => e.action === "EDIT_REVERTED");
    expect(entries.map((e) => e.field)).toEqual(["customer"]);
    expect(entries[0].reason).toMatch(/50000 行/);
    console.log(`ledger column deleted, 50,000 cases: ${figure}`);
  });

  test("a long-text column of 50,000 cases (about 5 MB of values) comes back in batches under the limit", async () => {
    const text = "客户反映外壳表面有明显划痕且包装破损,要求退换并说明原因及改善措施"; // 33 characters, ~100 bytes as JSON
    const w = await world(
      50_000,
      false,
      records(50_000, policy).map((r, i) => ({ ...r, defect: `${text}${i}` })),
    );
    const before = column(w, "defect");
    const L = letterOf(w, "defect");
    w.fake.user.deleteColumns(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    const figure = `${w.fake.syncs} syncs, max request ${w.fake.maxRequest} B, sent ${w.fake.bytesSent} B`;
    expect(w.fake.handlerErrors).toEqual([]);
    expect(column(w, "defect")).toEqual(before);
    expect(w.fake.bytesSent).toBeGreaterThan(5 * 1024 * 1024); // one request could not have carried it
    expect(w.fake.maxRequest).toBeLessThan(5 * 1024 * 1024);
    // Header and probe (2), then a batch per 2 MB of formats and values (one more where a block does not fill its
    // batch), the last with the audit entry: grows with the bytes, never with the cells one by one.
    expect(w.fake.syncs).toBeLessThanOrEqual(3 + Math.ceil(w.fake.bytesSent / (2 * 1024 * 1024)));
    expect(w.fake.syncs).toBeGreaterThan(3);
    console.log(`long-text ledger column deleted, 50,000 cases: ${figure}`);
  });
});
