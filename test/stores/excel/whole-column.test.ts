/**
 * Whole columns and whole rows in the ledger sheet: a column selected and
 * cleared ("E:E"), rows pasted over ("5:7"), the other forms an address may
 * take ("$C:$E", sheet-qualified) and one that cannot be read. Each is judged
 * like any multi-cell edit of those rows (put back, logged, explained), the
 * header cell a whole column takes with it is put back, nothing is lost, and
 * the round trips stay bounded at 50,000 cases.
 */
import type { CellValue } from "../../../src/domain/case";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { rowToEntry, verifyAudit, type AuditEntry } from "../../../src/ledger/audit";
import { computedColumns, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import type { CaseRecord } from "../../../src/ledger/records";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { caseNo, col, ledgerWith, letter, NOW, record, records, serial, type Setup } from "./setup";

jest.setTimeout(300_000);

const EDITOR = "赵业务";
const policy = defaultPolicy();
const qm = { name: "质量经理", at: serial(2026, 3, 4) };

interface World extends Setup {
  enforcer: ExcelEnforcer;
  notices: Notice[];
  /** Addresses the sheet's onChanged reported, as a second listener heard them. */
  seen: string[];
}

function cases(n: number): CaseRecord[] {
  const dealer = record(3, "RESPONSIBILITY", policy, { responsibility: "DEALER", charge: "CHARGED" }); // "free" is refused here
  const signed = record(4, "DISPOSITION", policy, { disposition: "SCRAP", signatures: { QUALITY_MANAGER: qm } });
  const rest = records(n, policy);
  return [...rest.slice(0, 3), dealer, signed, ...rest.slice(5)].slice(0, n);
}

async function world(n: number): Promise<World> {
  const s = await ledgerWith(cases(n), policy);
  const notices: Notice[] = [];
  const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => EDITOR, notify: (x) => notices.push(x), now: () => NOW });
  await enforcer.start();
  enforcer.attach(s.store);
  const seen: string[] = [];
  await s.fake.run(async (ctx) => {
    ctx.workbook.worksheets.getItem(SHEETS.ledger).onChanged.add(async (a: Excel.WorksheetChangedEventArgs) => {
      seen.push(a.address);
    });
    await ctx.sync();
  });
  s.fake.syncs = 0;
  return { ...s, enforcer, notices, seen };
}

/** The sheet column letter of a field ("E"). */
const letterOf = (w: World, key: string) => letter(w.fake.table(TABLES.ledger)!.c + col(w, key));
const column = (w: World, key: string) => w.fake.body(TABLES.ledger).map((r) => r[col(w, key)]);

async function audit(w: World): Promise<AuditEntry[]> {
  const data = await w.store.read();
  const v = await verifyAudit(data.auditRows, { seq: Number(data.meta[META.auditSeq]), hash: data.meta[META.auditHash] });
  expect(v.problems).toEqual([]);
  return data.auditRows.map(rowToEntry);
}

/** Full-width rows as copied from the sheet: today's cells (formulas in computed columns) with `changes`. */
function pasted(w: World, row: number, changes: Record<string, unknown>): unknown[] {
  const formulas = new Map(computedColumns(policy).map((c) => [col(w, c.key), c.formula]));
  return w.fake.body(TABLES.ledger)[row].map((v, j) => (w.keys[j] in changes ? changes[w.keys[j]] : (formulas.get(j) ?? v)));
}

describe("whole columns and rows in a ledger of 12 cases", () => {
  let w: World;
  beforeEach(async () => {
    w = await world(12);
  });
  afterEach(() => {
    expect(w.fake.handlerErrors).toEqual([]);
    expect(w.fake.eventsEnabled).toBe(true);
  });

  test("Delete on the whole column of a required field: every case's value is put back and logged, and so is its header", async () => {
    const L = letterOf(w, "customer");
    const before = column(w, "customer");
    const header = w.fake.header(TABLES.ledger)[col(w, "customer")];
    expect(before.every((v) => v !== "")).toBe(true);
    w.fake.user.clear(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    expect(w.seen).toEqual([`${L}:${L}`]); // what Excel reports for a whole column
    expect(column(w, "customer")).toEqual(before);
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).toBe(header);
    expect(w.fake.syncs).toBe(5); // read the column (+ header), probe + write the rows; probe + write the header
    const reverted = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED" && e.field === "customer");
    expect(reverted.map((e) => e.caseNo)).toEqual([...before.map((_, i) => caseNo(i)), ""]);
    expect(reverted[0]).toMatchObject({ user: EDITOR, at: "2026-03-10 09:30:00", cell: `'${SHEETS.ledger}'!${L}2`, oldValue: String(before[0]), newValue: "" });
    expect(reverted[0].reason).toMatch(/客户.* \/ .*Customer/s);
    expect(reverted[12]).toMatchObject({ cell: `'${SHEETS.ledger}'!${L}1`, oldValue: header, newValue: `Column${col(w, "customer") + 1}` });
    // Ten notices at most for the rows (the audit sheet has each), then the header's.
    expect(w.notices).toHaveLength(11);
    expect(w.notices[9].en).toMatch(/3 more row/);
    expect(w.notices[10].zh).toMatch(/表头.*已恢复/);
    // The snapshot still knows the column: a later edit there is judged as the customer field.
    w.fake.user.edit(SHEETS.ledger, `${L}3`, [[""]]);
    await w.fake.settle();
    expect(column(w, "customer")[1]).toBe(before[1]);
  });

  test("Delete on the whole column of a sign-off: the signature is put back (only the task pane signs)", async () => {
    const L = letterOf(w, "sign_QUALITY_MANAGER");
    const before = column(w, "sign_QUALITY_MANAGER");
    const signed = before.filter((v) => v !== "").length;
    expect(signed).toBeGreaterThan(0);
    w.fake.user.clear(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    expect(column(w, "sign_QUALITY_MANAGER")).toEqual(before);
    const reverted = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED" && e.field === "sign_QUALITY_MANAGER" && e.caseNo);
    expect(reverted).toHaveLength(signed);
    expect(reverted[0].reason).toMatch(/任务窗格.*task pane/s);
  });

  test("Delete on the whole column of a free field stands: one read, the header put back, no row reverted", async () => {
    const L = letterOf(w, "remarks");
    w.fake.user.clear(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    expect(column(w, "remarks").every((v) => v === "")).toBe(true);
    expect(w.enforcer.rows.every((r) => r[col(w, "remarks")] === null)).toBe(true);
    expect(w.fake.syncs).toBe(3);
    const entries = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED");
    expect(entries.map((e) => e.field)).toEqual(["remarks"]); // the header only
  });

  test("whole rows pasted (5:7) with one bad row: that row is put back, the others stand", async () => {
    const t = w.fake.table(TABLES.ledger)!;
    const rows = [pasted(w, 3, { charge: "免费" }), pasted(w, 4, { remarks: "b" }), pasted(w, 5, { remarks: "c" })];
    const charge = w.fake.body(TABLES.ledger)[3][col(w, "charge")];
    w.fake.user.pasteRows(SHEETS.ledger, t.r + 1 + 3, rows);
    await w.fake.settle();
    expect(w.seen).toEqual([`${t.r + 5}:${t.r + 7}`]);
    expect(w.fake.body(TABLES.ledger)[3][col(w, "charge")]).toBe(charge);
    expect(column(w, "remarks").slice(4, 6)).toEqual(["b", "c"]);
    expect(w.fake.syncs).toBe(3); // load the rows, probe + write, as for any paste of rows
    const entries = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED");
    expect(entries.map((e) => [e.caseNo, e.field])).toEqual([[caseNo(3), "charge"]]);
  });

  test.each([
    ["$C:$E", (w: World) => `$${letterOf(w, "customer")}:$${letter(w.fake.table(TABLES.ledger)!.c + col(w, "customer") + 2)}`],
    ["sheet-qualified", (w: World) => `'${SHEETS.ledger}'!${letterOf(w, "customer")}:${letterOf(w, "customer")}`],
  ])("an address reported as %s is read the same", async (_, reported) => {
    const L = letterOf(w, "customer");
    const before = column(w, "customer");
    const address = reported(w);
    w.fake.user.clear(SHEETS.ledger, address.replace(/^.*!/, "").replace(/\$/g, ""), address);
    await w.fake.settle();
    expect(w.seen).toEqual([address]);
    expect(column(w, "customer")).toEqual(before);
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).not.toMatch(/^Column/);
    expect((await audit(w)).some((e) => e.cell === `'${SHEETS.ledger}'!${L}2` && e.field === "customer")).toBe(true);
  });

  test("an address that cannot be read: the table is re-read and compared, and the cleared column comes back", async () => {
    const L = letterOf(w, "customer");
    const before = column(w, "customer");
    w.fake.user.clear(SHEETS.ledger, `${L}:${L}`, "Table1[[#All],[客户]]");
    await w.fake.settle();
    expect(column(w, "customer")).toEqual(before);
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).not.toMatch(/^Column/);
    const entries = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED" && e.field === "customer");
    expect(entries).toHaveLength(13); // 12 rows and the header
  });

  test("a ledger header typed over is put back and logged (3 syncs); an alias of the same field stands", async () => {
    const L = letterOf(w, "customer");
    const header = w.fake.header(TABLES.ledger)[col(w, "customer")];
    w.fake.user.edit(SHEETS.ledger, `${L}1`, [["备注二"]]);
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).toBe(header);
    expect(w.fake.syncs).toBe(3); // read the header, probe + write
    expect(w.notices[w.notices.length - 1].en).toMatch(/header.*put back/);
    const e = (await audit(w)).filter((x) => x.action === "EDIT_REVERTED").pop()!;
    expect(e).toMatchObject({ field: "customer", cell: `'${SHEETS.ledger}'!${L}1`, oldValue: header, newValue: "备注二" });
    w.fake.user.edit(SHEETS.ledger, `${L}1`, [["客户名称"]]); // an alias the adoption also reads as the customer
    await w.fake.settle();
    expect(w.fake.header(TABLES.ledger)[col(w, "customer")]).toBe("客户名称");
    // Still the customer column: clearing a case's customer there is put back.
    const before = column(w, "customer")[2];
    w.fake.user.edit(SHEETS.ledger, `${L}4`, [[""]]);
    await w.fake.settle();
    expect(column(w, "customer")[2]).toBe(before);
  });

  test("a whole column beside the table costs nothing; whole rows below it one read (the table may have grown)", async () => {
    const right = letter(w.fake.table(TABLES.ledger)!.c + w.fake.table(TABLES.ledger)!.w + 2);
    w.fake.user.clear(SHEETS.ledger, `${right}:${right}`);
    w.fake.user.pasteRows(SHEETS.ledger, w.fake.table(TABLES.ledger)!.r + 20, [["备忘"]]);
    await w.fake.settle();
    expect(w.seen).toEqual([`${right}:${right}`, `${w.fake.table(TABLES.ledger)!.r + 21}:${w.fake.table(TABLES.ledger)!.r + 21}`]);
    expect(w.fake.syncs).toBe(1);
    expect(w.notices).toEqual([]);
    expect(w.fake.table(TABLES.ledger)!.n).toBe(12);
  });

  test("a co-author's whole-column edit re-reads the snapshot and reverts nothing", async () => {
    const L = letterOf(w, "remarks");
    w.fake.eventsEnabled = false; // their change reaches us only as the Remote event below
    w.fake.user.clear(SHEETS.ledger, `${L}2:${L}13`);
    w.fake.eventsEnabled = true;
    w.fake.syncs = 0;
    const out = await w.enforcer.onChanged({ address: `${L}:${L}`, changeType: "RangeEdited", source: "Remote" });
    expect(out).toMatchObject({ reverted: 0, audit: [] });
    expect(w.fake.syncs).toBe(1);
    expect(w.enforcer.rows.every((r: readonly CellValue[]) => r[col(w, "remarks")] === null)).toBe(true);
  });
});

describe("a whole column cleared in a ledger of 50,000 cases", () => {
  test("every value is put back in fewer round trips than a paste over the same rows took before (75 syncs, web)", async () => {
    const w = await world(50_000);
    const L = letterOf(w, "customer");
    const before = column(w, "customer");
    w.fake.resetMeter();
    const t0 = performance.now();
    w.fake.user.clear(SHEETS.ledger, `${L}:${L}`);
    await w.fake.settle();
    const ms = performance.now() - t0;
    const figure = `${w.fake.syncs} syncs, max request ${w.fake.maxRequest} B, max response ${w.fake.maxResponse} B, ${Math.round(ms)} ms`;
    expect(w.fake.handlerErrors).toEqual([]);
    expect(column(w, "customer")).toEqual(before);
    // Read the column: first 400 rows, then one chunk; probe + write (2 MB write budget): see the report for figures.
    expect(w.fake.syncs).toBeLessThanOrEqual(20);
    expect(w.fake.maxRequest).toBeLessThan(5 * 1024 * 1024);
    expect(w.fake.maxResponse).toBeLessThan(5 * 1024 * 1024);
    const data = await w.store.read();
    expect(data.auditRows.map(rowToEntry).filter((e) => e.action === "EDIT_REVERTED" && e.field === "customer")).toHaveLength(50_001);
    expect(w.notices).toHaveLength(11);
    console.log(`whole column, 50,000 cases: ${figure}`);
  });
});
