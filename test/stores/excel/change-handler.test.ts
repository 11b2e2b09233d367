/**
 * The change handler on simulated edits in the fake: each approval rule of
 * process.md §7 is refused, put back, audited (who, when, cell, old, new,
 * why) and explained in both languages; the audit chain stays intact; good
 * edits, sorts and the add-in's own writes pass; and one event costs a
 * bounded number of round trips at 10 and at 10,000 rows.
 */
import type { CellValue } from "../../../src/domain/case";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { rowToEntry, verifyAudit, type AuditEntry } from "../../../src/ledger/audit";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { computedColumns, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import type { CaseRecord } from "../../../src/ledger/records";
import { Ledger } from "../../../src/ledger/service";
import { at, bodyChunks, col, ledgerWith, NOW, record, records, serial, type Setup, value } from "./setup";

jest.setTimeout(120_000);

const EDITOR = "赵业务";
const policy = defaultPolicy();
const qm = { name: "质量经理", at: serial(2026, 3, 4) };

/** The cases the rules are tried on, then fillers. */
function cases(n: number): CaseRecord[] {
  const special = [
    record(0, "RECEIVED", policy), // 0: skip a step
    record(1, "DISPOSITION", policy), // 1: close without approvals (REWORK)
    record(2, "EXECUTED", policy, { severity: "SERIOUS", repliedAt: serial(2026, 3, 8), closedAt: serial(2026, 3, 9), cost: 100 }), // 2: close without 8D
    record(3, "RESPONSIBILITY", policy, { responsibility: "DEALER", charge: "CHARGED" }), // 3: free against a customer fault
    record(4, "DISPOSITION", policy, { disposition: "SCRAP", signatures: { QUALITY_MANAGER: qm } }), // 4: scrap without the VP
  ];
  const filler = records(n, policy)
    .slice(special.length)
    .map((r) => ({ ...r }));
  return [...special, ...filler].slice(0, Math.max(n, special.length));
}

interface World extends Setup {
  enforcer: ExcelEnforcer;
  notices: Notice[];
}

async function world(n: number): Promise<World> {
  const s = await ledgerWith(cases(n), policy);
  const notices: Notice[] = [];
  const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => EDITOR, notify: (x) => notices.push(x), now: () => NOW });
  await enforcer.start();
  enforcer.attach(s.store);
  s.fake.syncs = 0;
  return { ...s, enforcer, notices };
}

/** A person types into one cell; waits for the handler. */
async function type(w: World, row: number, key: string, v: unknown): Promise<void> {
  w.fake.user.edit(SHEETS.ledger, at(w, row, key), [[v]]);
  await w.fake.settle();
}

/** Full-width rows as a person would paste them: today's cells (formulas in computed columns) with `changes`. */
function pasted(w: World, row: number, changes: Record<string, unknown>): unknown[] {
  const formulas = new Map(computedColumns(policy).map((c) => [col(w, c.key), c.formula]));
  return w.fake.body(TABLES.ledger)[row].map((v, j) => {
    const k = w.keys[j];
    if (k in changes) return changes[k];
    return formulas.get(j) ?? v;
  });
}

async function auditOf(w: World): Promise<{ entries: AuditEntry[]; rows: CellValue[][]; meta: Record<string, string> }> {
  const data = await w.store.read();
  return { entries: data.auditRows.map(rowToEntry), rows: data.auditRows, meta: data.meta };
}

async function expectChainIntact(w: World): Promise<void> {
  const { rows, meta } = await auditOf(w);
  const v = await verifyAudit(rows, { seq: Number(meta[META.auditSeq]), hash: meta[META.auditHash] });
  expect(v.problems).toEqual([]);
}

/** The last refusal: reverted value, audit entry and bilingual notice. */
async function expectRefused(w: World, row: number, key: string, typed: unknown, old: CellValue, why: RegExp): Promise<void> {
  expect(value(w, row, key)).toEqual(old ?? "");
  const { entries } = await auditOf(w);
  const e = entries.filter((x) => x.action === "EDIT_REVERTED" && x.field === key).pop();
  expect(e).toBeDefined();
  expect(e).toMatchObject({ user: EDITOR, at: "2026-03-10 09:30:00", caseNo: `KS-2026-${String(row + 1).padStart(4, "0")}` });
  expect(e!.cell).toBe(`'${SHEETS.ledger}'!${at(w, row, key)}`);
  expect(e!.oldValue).toBe(old === null || old === undefined ? "" : String(old));
  expect(e!.newValue).toBe(String(typed));
  expect(e!.reason).toMatch(why);
  expect(e!.reason).toMatch(/ \/ [A-Z]/); // "中文 / English"
  const note = w.notices[w.notices.length - 1];
  expect(note.cell).toBe(e!.cell);
  expect(note.zh).toMatch(/已撤销/);
  expect(note.en).toMatch(/undone/);
  await expectChainIntact(w);
}

describe("the rules of process.md §7, each through an edit in the sheet", () => {
  let w: World;
  beforeAll(async () => {
    w = await world(12);
  });

  test("closing without the approvals is refused", async () => {
    const old = value(w, 1, "status");
    await type(w, 1, "status", "已结案");
    await expectRefused(w, 1, "status", "已结案", old, /签核.*sign-off|sign-off/s);
  });

  test("closing without the 8D a serious case needs is refused", async () => {
    const old = value(w, 2, "status");
    await type(w, 2, "status", "已结案");
    await expectRefused(w, 2, "status", "已结案", old, /8D/);
  });

  test("marking free against a customer-fault code (DEALER / 经销商) is refused", async () => {
    const old = value(w, 3, "charge");
    expect(old).toBe("收费");
    await type(w, 3, "charge", "免费");
    await expectRefused(w, 3, "charge", "免费", old, /./);
  });

  test("recording a scrap as executed without the VP's approval is refused", async () => {
    const typed = "2026-03-09";
    await type(w, 4, "executedAt", typed);
    expect(value(w, 4, "executedAt")).toBe("");
    const { entries } = await auditOf(w);
    const e = entries.filter((x) => x.field === "executedAt").pop()!;
    expect(e.reason).toMatch(/副总裁|Vice president/);
    expect(e.newValue).toBe(String(serial(2026, 3, 9))); // Excel stored the typed date as a serial
    expect(w.notices[w.notices.length - 1].zh).toMatch(/报废申请单/);
    await expectChainIntact(w);
  });

  test("a close date typed onto an unfinished case is put back and logged, with what is missing and who must act", async () => {
    const typed = "2026-03-09";
    await w.store.write({ people: [["赵工", "CQE", "", ""]] });
    w.fake.syncs = 0;
    await type(w, 1, "closedAt", typed);
    expect(w.fake.syncs).toBe(2); // reading People rides on the revert's probe
    expect(value(w, 1, "closedAt")).toBe("");
    const { entries } = await auditOf(w);
    const e = entries.filter((x) => x.action === "EDIT_REVERTED" && x.field === "closedAt").pop()!;
    expect(e.reason).toMatch(/已填结案日期,但案件尚未完成.* \/ Closed at is filled in, but the case is not finished/s);
    const note = w.notices[w.notices.length - 1];
    expect(note.en).toMatch(/undone/);
    // The rework order's signers and the steps' roles, with the people the People sheet names for them.
    expect(note.zh).toMatch(/结案还需:品质部经理、承接部门负责人、CQE\(赵工\)/);
    expect(note.en).toMatch(/The close still waits on: Quality manager, Head of receiving department, Customer quality engineer \(赵工\)/);
    await expectChainIntact(w);
  });

  test("skipping a step is refused", async () => {
    const old = value(w, 0, "status");
    await type(w, 0, "status", "已判定");
    await expectRefused(w, 0, "status", "已判定", old, /不能跳过.*Cannot skip/s);
  });

  test("typing into a sign-off column is refused (only the task pane signs)", async () => {
    await type(w, 4, "sign_VP", "王副总 2026-03-05");
    await expectRefused(w, 4, "sign_VP", "王副总 2026-03-05", null, /任务窗格.*task pane/s);
  });

  test("typing over a computed column puts its formula back", async () => {
    const c = computedColumns(policy)[0];
    await type(w, 5, c.key, "2026-12-31");
    const t = w.fake.table(TABLES.ledger)!;
    expect(w.fake.cell(t.sheet, t.r + 1 + 5, t.c + col(w, c.key))?.f).toBe(c.formula);
    expect(w.notices[w.notices.length - 1].en).toMatch(/computed/);
  });

  test("a multi-cell paste with one bad row: only that row is put back", async () => {
    const before = w.notices.length;
    const rows = [
      pasted(w, 3, { charge: "免费" }), // bad: DEALER case marked free
      pasted(w, 4, { remarks: "已联系客户" }), // fine
      pasted(w, 5, { remarks: "等待回厂" }), // fine
    ];
    const t = w.fake.table(TABLES.ledger)!;
    const start = at(w, 3, w.keys[0]);
    const end = at(w, 5, w.keys[t.w - 1]);
    w.fake.syncs = 0;
    w.fake.user.edit(SHEETS.ledger, `${start}:${end}`, rows);
    await w.fake.settle();
    expect(w.fake.syncs).toBe(3); // load the rows, then probe + write
    expect(value(w, 3, "charge")).toBe("收费");
    expect(value(w, 4, "remarks")).toBe("已联系客户");
    expect(value(w, 5, "remarks")).toBe("等待回厂");
    expect(w.notices.length).toBe(before + 1);
    expect(w.notices[w.notices.length - 1].cell).toContain(at(w, 3, "charge"));
    await expectChainIntact(w);
  });

  test("good edits stand, and a status change is logged as accepted", async () => {
    const before = w.notices.length;
    await type(w, 0, "remarks", "客户来电确认");
    expect(value(w, 0, "remarks")).toBe("客户来电确认");
    await type(w, 0, "goodsBackAt", "2026-03-03");
    await type(w, 0, "status", "已回厂");
    expect(value(w, 0, "status")).toBe("已回厂");
    expect(w.notices.length).toBe(before);
    const { entries } = await auditOf(w);
    expect(entries.pop()).toMatchObject({ action: "EDIT_ACCEPTED", field: "status", oldValue: "已登记", newValue: "已回厂", user: EDITOR });
  });

  test("a new case typed below the table is a draft: no demands cell by cell", async () => {
    const t = w.fake.table(TABLES.ledger)!;
    const n = t.n;
    const before = w.notices.length;
    w.fake.user.edit(SHEETS.ledger, at(w, n, "caseNo"), [["KS-2026-0999"]]);
    await w.fake.settle();
    expect(w.fake.table(TABLES.ledger)!.n).toBe(n + 1);
    expect(value(w, n, "caseNo")).toBe("KS-2026-0999");
    expect(w.notices.length).toBe(before);
    await type(w, n, "charge", "免费"); // free without a responsibility: refused even in a draft
    expect(value(w, n, "charge")).toBe("");
    expect(w.notices.length).toBe(before + 1);
  });

  test("sorting the table is not an edit", async () => {
    const before = w.notices.length;
    w.fake.user.sortTable(TABLES.ledger, col(w, "status"));
    await w.fake.settle();
    expect(w.notices.length).toBe(before);
    const now = w.fake.body(TABLES.ledger);
    const cn = col(w, "caseNo");
    expect(w.enforcer.rows.map((r) => r[cn] ?? "")).toEqual(now.map((r) => r[cn]));
  });

  test("an inserted row shifts the snapshot: later edits are judged against the right row", async () => {
    const n = w.enforcer.rows.length;
    const cn = col(w, "caseNo");
    const below = w.fake.body(TABLES.ledger)[1][cn];
    w.fake.user.insertRows(TABLES.ledger, 1);
    await w.fake.settle();
    expect(w.enforcer.rows).toHaveLength(n + 1);
    expect(w.enforcer.rows[2][cn]).toBe(below);
    const old = value(w, 2, "sign_VP");
    await type(w, 2, "sign_VP", "某人 2026-03-05");
    expect(value(w, 2, "sign_VP")).toBe(old);
    w.fake.user.deleteRows(TABLES.ledger, 1); // the blank row: nothing to log
    await w.fake.settle();
    expect(w.enforcer.rows).toHaveLength(n);
  });

  test("a deleted case row is logged whole in the audit sheet", async () => {
    const cn = col(w, "caseNo");
    const gone = w.fake.body(TABLES.ledger)[2][cn];
    const n = w.enforcer.rows.length;
    w.fake.user.deleteRows(TABLES.ledger, 2);
    await w.fake.settle();
    expect(w.enforcer.rows).toHaveLength(n - 1);
    const { entries } = await auditOf(w);
    const e = entries.pop()!;
    expect(e).toMatchObject({ action: "ROW_DELETED", caseNo: gone, user: EDITOR });
    expect(e.oldValue).toContain(`客诉单号 Case No.=${gone}`);
    expect(w.notices[w.notices.length - 1].en).toMatch(/deleted.*audit sheet/);
    await expectChainIntact(w);
  });

  test("the add-in's own writes raise no events and keep the snapshot current", async () => {
    await w.store.write({ people: [["王副总", "VP", "", ""]] });
    const ledger = new Ledger(w.store, { now: () => NOW });
    await ledger.load();
    const target = String(w.fake.body(TABLES.ledger).find((r) => String(r[col(w, "disposition")]) === "报废")![col(w, "caseNo")]);
    const before = w.notices.length;
    const fired = w.fake.fired;
    const r = await ledger.sign(target, "VP", { name: "王副总", source: "chosen" });
    expect(r.ok).toBe(true);
    const added = await ledger.addCase(
      { kind: "COMPLAINT", receivedAt: serial(2026, 3, 9), customer: "海尔", product: "面板", defect: "色差" },
      { name: "王副总", source: "chosen" },
    );
    expect(added.ok).toBe(true);
    await w.fake.settle();
    expect(w.fake.fired).toBe(fired); // events were off during the add-in's writes
    expect(w.notices.length).toBe(before);
    expect(w.enforcer.rows).toHaveLength(w.fake.table(TABLES.ledger)!.n);
    expect(w.enforcer.rows[w.enforcer.rows.length - 1][col(w, "customer")]).toBe("海尔");
    const row = ledger.find(target)!.row;
    expect(String(value(w, row, "sign_VP"))).toMatch(/^王副总 2026-03-10/);
    expect(w.enforcer.rows[row][col(w, "sign_VP")]).toBe(value(w, row, "sign_VP"));
    // Now the VP has signed, the same execution date stands.
    await type(w, row, "executedAt", "2026-03-09");
    expect(value(w, row, "executedAt")).toBe(serial(2026, 3, 9));
    expect(w.notices.length).toBe(before);
  });

  test("control: an API write while events are on is judged like a person's (so switching events off matters)", async () => {
    const before = w.notices.length;
    const j = col(w, "sign_GM");
    await w.fake.run(async (ctx) => {
      ctx.workbook.tables.getItem(TABLES.ledger).getDataBodyRange().getCell(0, j).values = [["冒签 2026-03-05"]];
      await ctx.sync();
    });
    await w.fake.settle();
    expect(value(w, 0, "sign_GM")).toBe("");
    expect(w.notices.length).toBe(before + 1);
  });

  test("no handler failed", () => {
    expect(w.fake.handlerErrors).toEqual([]);
    expect(w.fake.eventsEnabled).toBe(true);
  });
});

describe.each([10, 10_000])("round trips for one change event with %i cases", (n) => {
  let w: World;
  beforeAll(async () => {
    w = await world(n);
  });

  test("a refused single-cell edit: 2 syncs", async () => {
    w.fake.syncs = 0;
    await type(w, 3, "charge", "免费");
    expect(value(w, 3, "charge")).toBe("收费");
    expect(w.fake.syncs).toBe(2);
  });

  test("an accepted single-cell edit: 0 syncs (the event's details suffice)", async () => {
    w.fake.syncs = 0;
    await type(w, n - 1, "remarks", "已回访");
    expect(value(w, n - 1, "remarks")).toBe("已回访");
    expect(w.fake.syncs).toBe(0);
  });

  test("a paste over 3 rows with one refused: 3 syncs", async () => {
    const t = w.fake.table(TABLES.ledger)!;
    const rows = [pasted(w, 2, { remarks: "x" }), pasted(w, 3, { charge: "免费" }), pasted(w, 4, { remarks: "y" })];
    w.fake.syncs = 0;
    w.fake.user.edit(SHEETS.ledger, `${at(w, 2, w.keys[0])}:${at(w, 4, w.keys[t.w - 1])}`, rows);
    await w.fake.settle();
    expect(value(w, 3, "charge")).toBe("收费");
    expect(w.fake.syncs).toBe(3);
    expect(w.fake.handlerErrors).toEqual([]);
  });

  test("starting the handler is one sync, plus one per chunk of a big ledger (5 MB limit)", async () => {
    w.fake.syncs = 0;
    await w.enforcer.refresh();
    expect(w.fake.syncs).toBe(1 + bodyChunks(w));
    expect(w.enforcer.rows.length).toBe(n);
  });
});
