/**
 * The sweep for edits no event reported (issue 24). On the fake's documented
 * misses — a drop-down pick on Excel on the web (office-js #3888, #4066), a
 * fill-drag over filtered rows (#1110), edits made while events were off — a
 * refused edit is found by `ExcelEnforcer.sweep` and handled exactly like one
 * the handler caught; one that can no longer be put back is flagged.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { rowToEntry, verifyAudit } from "../../../src/ledger/audit";
import { Ledger } from "../../../src/ledger/service";
import { META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { ExcelEnforcer, type Notice } from "../../../src/stores/excel/change-handler";
import { PLATFORMS, type Platform } from "../../fakes/excel-fake";
import { sweepWhenQuiet } from "../../../src/taskpane/startup";
import { at, col, ledgerWith, NOW, record, records, type Setup, value } from "./setup";

const EDITOR = "赵业务";
const policy = defaultPolicy();

/** Case 1 waits on its approvals (a rework disposition): closing it is refused. */
async function world(platform: Platform) {
  const recs = [record(0, "RECEIVED", policy), record(1, "DISPOSITION", policy), ...records(6, policy).slice(2)];
  const s = await ledgerWith(recs, policy, platform);
  await s.store.write({ people: [["赵工", "CQE", "", ""]] });
  const notices: Notice[] = [];
  const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => EDITOR, notify: (x) => notices.push(x), now: () => NOW });
  await enforcer.start();
  enforcer.attach(s.store);
  return { ...s, enforcer, notices };
}

async function audit(s: Setup) {
  const d = await s.store.read();
  return { entries: d.auditRows.map(rowToEntry), v: await verifyAudit(d.auditRows, { seq: Number(d.meta[META.auditSeq]), hash: d.meta[META.auditHash] }) };
}

describe.each(PLATFORMS)("on %s", (platform) => {
  test("a drop-down pick that closes a case without its approvals is put back, logged and explained — by the handler or the sweep", async () => {
    const w = await world(platform);
    const old = value(w, 1, "status");
    const fired = w.fake.fired;
    w.fake.user.pickFromList(SHEETS.ledger, at(w, 1, "status"), "已结案");
    await w.fake.settle();
    if (platform === "web") {
      // No event: the close stands until the sweep.
      expect(w.fake.fired).toBe(fired);
      expect(value(w, 1, "status")).toBe("已结案");
    }
    const swept = await w.enforcer.sweep();
    expect(value(w, 1, "status")).toBe(old);
    expect(swept.reverted).toBe(platform === "web" ? 1 : 0);
    const { entries, v } = await audit(w);
    const e = entries.filter((x) => x.action === "EDIT_REVERTED" && x.field === "status").pop()!;
    expect(e).toMatchObject({ user: EDITOR, caseNo: "KS-2026-0002", newValue: "已结案", oldValue: String(old) });
    expect(e.cell).toBe(`'${SHEETS.ledger}'!${at(w, 1, "status")}`);
    expect(v.problems).toEqual([]);
    const note = w.notices[w.notices.length - 1];
    expect(note.zh).toMatch(/已撤销/);
    expect(note.zh).toMatch(/结案还需:.*CQE\(赵工\)/);
    expect(note.en).toMatch(/The close still waits on: .*\(赵工\)/);
  });

  test("a fill-drag over filtered rows (no event on either platform) is judged row by row by the sweep", async () => {
    const w = await world(platform);
    const t = w.fake.table(TABLES.ledger)!;
    // Rows 3 (closed) and 4 (received) shown, 5 hidden; the fill copies row 3's status down the visible rows only.
    t.filter = { col: col(w, "caseNo"), values: ["KS-2026-0004", "KS-2026-0005"] };
    const before = w.fake.body(TABLES.ledger).map((r) => r[col(w, "status")]);
    expect(before[3]).toBe("已结案");
    w.fake.user.fillFiltered(TABLES.ledger, col(w, "status"), 3, 5);
    await w.fake.settle();
    expect(value(w, 4, "status")).toBe("已结案");
    expect(value(w, 5, "status")).toBe(before[5]); // hidden: untouched
    const swept = await w.enforcer.sweep();
    // Closing a just-received case is refused: put back, logged.
    expect(value(w, 4, "status")).toBe(before[4]);
    expect(swept.reverted).toBe(1);
    const { entries } = await audit(w);
    expect(entries.filter((x) => x.action === "EDIT_REVERTED" && x.caseNo === "KS-2026-0005")).toHaveLength(1);
    expect((await audit(w)).v.problems).toEqual([]);
  });

  test("a sweep with nothing missed changes nothing and costs one read", async () => {
    const w = await world(platform);
    w.fake.resetMeter();
    const swept = await w.enforcer.sweep();
    expect(swept).toMatchObject({ accepted: 0, reverted: 0, flagged: 0 });
    expect(w.fake.syncs).toBe(1);
  });

  test("a missed close that can no longer be put back (rows deleted unseen) is flagged, and check shows it", async () => {
    const w = await world(platform);
    // Events off (another add-in, a macro): Excel never delivers these changes later.
    w.fake.eventsEnabled = false;
    w.fake.user.edit(SHEETS.ledger, at(w, 1, "status"), [["已结案"]]);
    w.fake.user.deleteRows(TABLES.ledger, 4);
    w.fake.eventsEnabled = true;
    const swept = await w.enforcer.sweep();
    expect(swept.reverted).toBe(0);
    expect(swept.flagged).toBeGreaterThanOrEqual(1);
    expect(value(w, 1, "status")).toBe("已结案");
    const note = w.notices[w.notices.length - 1];
    expect(note.zh).toMatch(/无法安全撤销/);
    expect(note.en).toMatch(/cannot be put back safely/);
    const l = new Ledger(w.store, { now: () => NOW });
    await l.load();
    expect(l.check().violations.some((x) => x.caseNo === "KS-2026-0002")).toBe(true);
  });
});

describe("when the sweep runs", () => {
  afterEach(() => jest.useRealTimers());

  test("on focus, on becoming visible and on the quiet timer; one at a time; stopped by the returned function", async () => {
    jest.useFakeTimers();
    const win = new EventTarget() as unknown as Window;
    let calls = 0;
    let finish!: () => void;
    const sweep = () => {
      calls++;
      return new Promise<void>((res) => (finish = res));
    };
    const stop = sweepWhenQuiet(sweep, win, 60_000);
    win.dispatchEvent(new Event("focus"));
    win.dispatchEvent(new Event("focus")); // still sweeping: not twice at once
    expect(calls).toBe(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(60_000);
    expect(calls).toBe(2);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    win.dispatchEvent(new Event("visibilitychange"));
    expect(calls).toBe(3);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    stop();
    jest.advanceTimersByTime(600_000);
    win.dispatchEvent(new Event("focus"));
    expect(calls).toBe(3);
  });
});
