/**
 * What desktop and web Excel do that a kinder fake would hide (issue 11),
 * each on both platform settings of the fake: the ledger's own formulas with
 * empty cells (0 on desktop, null on the web) and the market synonym 出口;
 * custom-function errors that keep their message; names that stay
 * `CL.DUEDATE` in a Chinese Excel; batches that meet cell-edit mode; event
 * addresses that name the wrong rows; a handler that fails; undo records.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import * as functions from "../../../src/functions/functions";
import { rowToEntry } from "../../../src/ledger/audit";
import { ExcelEnforcer, splitForCell, type Notice } from "../../../src/stores/excel/change-handler";
import { hostRun } from "../../../src/stores/excel/excel-run";
import { computedColumns, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { FakeExcel, PLATFORMS, type Platform } from "../../fakes/excel-fake";
import { at, col, ledgerWith, NOW, record, records, serial, type Setup, value } from "./setup";
import zh from "../../../src/functions/zh-CN.json";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localize } = require("../../../scripts/localize-functions");

jest.setTimeout(60_000);

const policy = defaultPolicy();

/** The custom functions as the fake's formulas call them. */
const CL = {
  "CL.DUEDATE": functions.dueDate as (...a: unknown[]) => unknown,
  "CL.SLASTATUS": functions.slaStatus as (...a: unknown[]) => unknown,
};

/** A serial as an ISO date. */
const iso = (serialDay: number) => new Date(Date.UTC(1899, 11, 30) + serialDay * 86400000).toISOString().slice(0, 10);

describe.each(PLATFORMS)("on %s", (platform: Platform) => {
  describe("the ledger's reply-due formula", () => {
    let s: Setup;
    beforeAll(async () => {
      const recs = records(4, policy).map((r, i) => ({
        ...r,
        receivedAt: serial(2026, 9, 30),
        market: ["DOMESTIC", "INTERNATIONAL", "DOMESTIC", "DOMESTIC"][i],
        customerClass: null,
        severity: null,
        urgent: null,
        repliedAt: null,
      }));
      s = await ledgerWith(recs, policy, platform);
      s.fake.functions = CL;
    });
    const due = (row: number) => value(s, row, "replyDue");
    const reply = (clock: string) => functions.dueDate(serial(2026, 9, 30), clock);

    test("empty class, severity and urgent cells give the same due date as on the web, not #VALUE!", () => {
      expect(due(0)).toBe(reply("REPLY_DOMESTIC"));
      expect(due(1)).toBe(reply("REPLY_INTERNATIONAL"));
      expect(iso(Number(due(0)))).toBe("2026-10-15");
    });

    test("typing the synonym 出口 in the market column gives the international reply due date", async () => {
      s.fake.user.edit(SHEETS.ledger, at(s, 2, "market"), [["出口"]]);
      await s.fake.settle();
      expect(value(s, 2, "market")).toBe("出口");
      expect(due(2)).toBe(reply("REPLY_INTERNATIONAL"));
      expect(due(2)).not.toBe(reply("REPLY_DOMESTIC"));
    });

    test("bad input shows the error code with its bilingual message (a valid CustomFunctions.ErrorCode)", async () => {
      s.fake.user.edit(SHEETS.ledger, at(s, 3, "market"), [["火星"]]);
      await s.fake.settle();
      expect(due(3)).toBe("#VALUE!");
      const t = s.fake.table(TABLES.ledger)!;
      const msg = s.fake.errorMessage(SHEETS.ledger, t.r + 1 + 3, t.c + col(s, "replyDue"));
      expect(msg).toMatch(/未知的市场/);
      expect(msg).toMatch(/Unknown market/);
    });

    test("the status column reads the due date; blanks in 'replied' are blanks on either platform", () => {
      const status = value(s, 0, "replyStatus");
      expect(["按时", "即将到期", "逾期"]).toContain(status);
    });
  });

  test("an unknown error code (the old 'InvalidValue') would have lost the message", () => {
    const fake = new FakeExcel(["S"], { platform });
    const bad = fake.callFunction(() => {
      throw new (class extends Error {
        code = "InvalidValue";
      })("消息 / message");
    }, []);
    expect(bad).toEqual({ value: "#VALUE!" });
    const good = fake.callFunction(functions.dueDate as (...a: unknown[]) => unknown, ["2026-09-30", "NO_SUCH_CLOCK"]);
    expect(good.value).toBe("#N/A");
    expect(good.message).toMatch(/未知的时限.*Unknown clock/s);
  });

  test("blank cells as the platform passes them: DUEDATE and SLASTATUS agree across platforms", () => {
    const fake = new FakeExcel(["S"], { platform });
    const d = fake.callFunction(functions.dueDate as (...a: unknown[]) => unknown, [serial(2026, 9, 30), "REPLY_DOMESTIC", "", "", "", ""]);
    expect(d.value).toBe(functions.dueDate(serial(2026, 9, 30), "REPLY_DOMESTIC", null, null, null));
    const st = fake.callFunction(functions.slaStatus as (...a: unknown[]) => unknown, [serial(2026, 10, 15), "", serial(2026, 10, 20)]);
    expect(st.value).toBe("逾期");
  });

  test("in a zh-CN Excel the formulas the add-in writes keep working: the metadata does not rename the functions (office-js #891)", async () => {
    const meta = {
      functions: Object.keys(zh).map((id) => ({
        id,
        name: id,
        description: "",
        parameters: Object.keys((zh as Record<string, { parameters: Record<string, string> }>)[id].parameters).map((name) => ({ name, description: "" })),
      })),
    };
    const zhMeta: { functions: { id: string; name: string }[] } = localize(meta, zh);
    const s = await ledgerWith(records(2, policy), policy, platform);
    s.fake.functions = CL;
    s.fake.locale = "zh-CN";
    s.fake.localizedNames = Object.fromEntries(zhMeta.functions.map((f) => [f.id, f.name]));
    expect(typeof value(s, 0, "replyDue")).toBe("number");
    // The fake does give #NAME? where the metadata renames a function, as a Chinese Excel does.
    s.fake.localizedNames = { DUEDATE: "到期日" };
    expect(value(s, 0, "replyDue")).toBe("#NAME?");
  });
});

describe.each(PLATFORMS)("the change handler on %s", (platform: Platform) => {
  const EDITOR = "赵业务";
  interface W extends Setup {
    enforcer: ExcelEnforcer;
    notices: Notice[];
  }
  async function world(n: number, run?: "host"): Promise<W> {
    const s = await ledgerWith(
      records(n, policy).map((r, i) => (i === 1 ? record(1, "DISPOSITION", policy) : r)),
      policy,
      platform,
    );
    const notices: Notice[] = [];
    const enforcer = new ExcelEnforcer({
      run: run === "host" ? hostRun(s.fake, s.fake.isSetSupported) : s.fake.run,
      user: () => EDITOR,
      notify: (x) => notices.push(x),
      now: () => NOW,
    });
    await enforcer.start();
    enforcer.attach(s.store);
    return { ...s, enforcer, notices };
  }
  const audit = async (w: W) => (await w.store.read()).auditRows.map(rowToEntry);
  /** Until the handler's batch is held by cell-edit mode (a condition, not a sleep: a check before it proves nothing). */
  async function heldForEdit(w: W): Promise<void> {
    for (let i = 0; w.fake.heldForEdit() === 0; i++) {
      if (i > 2000) throw new Error("the handler's batch never reached cell-edit mode");
      await new Promise((r) => setImmediate(r));
    }
  }

  test("a batch in cell-edit mode fails without delayForCellEdit", async () => {
    const w = await world(3);
    w.fake.user.beginEdit();
    await expect(w.store.read()).rejects.toThrow(/InvalidOperationInCellEditMode/);
    w.fake.user.endEdit();
  });

  test("the add-in's runs pass delayForCellEdit: a refusal waits for the user to leave the next cell, then lands", async () => {
    const w = await world(3, "host");
    const old = value(w, 1, "status");
    w.fake.user.edit(SHEETS.ledger, at(w, 1, "status"), [["已结案"]]);
    w.fake.user.beginEdit(); // already typing in the next cell when the handler runs
    await heldForEdit(w);
    expect(value(w, 1, "status")).toBe("已结案"); // held, not failed
    w.fake.user.endEdit();
    await w.fake.settle();
    expect(w.fake.handlerErrors).toEqual([]);
    expect(value(w, 1, "status")).toBe(old);
    expect((await audit(w)).some((e) => e.action === "EDIT_REVERTED" && e.field === "status")).toBe(true);
  });

  test("a correction typed before the revert lands is kept, and the refusal is still recorded", async () => {
    const w = await world(3, "host");
    const old = value(w, 1, "status");
    w.fake.user.edit(SHEETS.ledger, at(w, 1, "status"), [["已结案"]]);
    w.fake.user.beginEdit();
    await heldForEdit(w);
    // The user fixes it themself (back to the old status) while the handler waits.
    w.fake.user.endEdit(SHEETS.ledger, at(w, 1, "status"), [[old]]);
    await w.fake.settle();
    expect(value(w, 1, "status")).toBe(old);
    const refused = (await audit(w)).filter((e) => e.action === "EDIT_REVERTED" && e.field === "status");
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatch(/未覆盖.*not overwritten/s);
  });

  test("a fill-drag below the table (RowInserted at the wrong rows, office-js #728): the snapshot follows the real rows", async () => {
    const w = await world(4);
    w.fake.user.fillBelow(TABLES.ledger, col(w, "customer"), 2);
    await w.fake.settle();
    expect(w.enforcer.rows).toHaveLength(6);
    expect(w.enforcer.rows.map((r) => r[col(w, "caseNo")])).toEqual(w.fake.body(TABLES.ledger).map((r) => r[col(w, "caseNo")] || null));
    // The next refusal names the right case.
    w.fake.user.edit(SHEETS.ledger, at(w, 1, "status"), [["已结案"]]);
    await w.fake.settle();
    expect(w.notices[w.notices.length - 1].zh).toContain("KS-2026-0002");
  });

  test("a column inserted in the table and rows inserted above it: one re-read, the header row is where Excel moved it", async () => {
    const w = await world(4);
    w.fake.user.insertSheetRows(SHEETS.ledger, 0, 2);
    await w.fake.settle();
    w.fake.user.insertTableColumn(TABLES.ledger, 3, "备注");
    await w.fake.settle();
    const s2 = { ...w, keys: [...w.keys.slice(0, 3), "extra:备注", ...w.keys.slice(3)] };
    expect(w.fake.table(TABLES.ledger)!.r).toBe(2);
    w.fake.user.edit(SHEETS.ledger, at(s2, 1, "status"), [["已结案"]]);
    await w.fake.settle();
    expect(w.fake.handlerErrors).toEqual([]);
    expect(w.notices[w.notices.length - 1].zh).toContain("KS-2026-0002");
    expect(value(s2, 1, "status")).not.toBe("已结案");
  });

  test("deleted rows are found by comparing, not by the event's address; each goes whole to the audit log", async () => {
    const w = await world(5);
    const gone = w.fake.body(TABLES.ledger)[2][col(w, "caseNo")];
    w.fake.user.deleteRows(TABLES.ledger, 2, 1);
    await w.fake.settle();
    const del = (await audit(w)).filter((e) => e.action === "ROW_DELETED");
    expect(del.map((e) => e.caseNo)).toEqual([gone]);
    expect(w.enforcer.rows).toHaveLength(4);
  });

  test("a handler that fails re-reads its snapshot and tells the user in both languages", async () => {
    const w = await world(3);
    let calls = 0;
    const broken = new ExcelEnforcer({
      run: async (fn) => {
        if (calls++ === 1) throw new Error("GeneralException");
        return w.fake.run(fn);
      },
      user: () => EDITOR,
      notify: (x) => w.notices.push(x),
      now: () => NOW,
    });
    await broken.start();
    const out = await broken.onChanged({
      address: at(w, 0, "status") + ":" + at(w, 1, "status"),
      changeType: "RangeEdited",
      worksheetId: w.fake.sheet(SHEETS.ledger)!.id,
    });
    expect(out.failed).toBe(true);
    const n = w.notices[w.notices.length - 1];
    expect(n.zh).toMatch(/出错/);
    expect(n.en).toMatch(/failed/);
    expect(broken.rows).toHaveLength(3);
  });

  test("edits made while events are off are never delivered (so the add-in switches them off only around its writes)", async () => {
    const w = await world(3);
    await w.fake.run(async (ctx) => {
      ctx.runtime.enableEvents = false;
      await ctx.sync();
    });
    const fired = w.fake.fired;
    w.fake.user.edit(SHEETS.ledger, at(w, 1, "status"), [["已结案"]]);
    await w.fake.run(async (ctx) => {
      ctx.runtime.enableEvents = true;
      await ctx.sync();
    });
    await w.fake.settle();
    expect(w.fake.fired).toBe(fired);
    expect(value(w, 1, "status")).toBe("已结案");
  });

  test("with ExcelApi 1.20 an operation of several syncs is one undo record (mergeUndoGroup)", async () => {
    const fake = new FakeExcel([SHEETS.ledger], { platform, apiVersion: "1.20" });
    const run = hostRun(fake, fake.isSetSupported);
    fake.undoGroups = 0;
    await run(async (ctx) => {
      ctx.workbook.worksheets.add("A");
      await ctx.sync();
      ctx.workbook.worksheets.add("B");
      await ctx.sync();
    });
    expect(fake.undoGroups).toBe(1);
    await fake.run(async (ctx) => {
      ctx.workbook.worksheets.add("C");
      await ctx.sync();
      ctx.workbook.worksheets.add("D");
      await ctx.sync();
    });
    expect(fake.undoGroups).toBe(3);
  });
});

describe("small things", () => {
  test("isSetSupported compares minor versions as numbers: 1.9 is below 1.14", () => {
    const fake = new FakeExcel(["S"], { apiVersion: "1.14" });
    expect(fake.isSetSupported("ExcelApi", "1.9")).toBe(true);
    expect(fake.isSetSupported("ExcelApi", "1.20")).toBe(false);
  });

  test("a deleted row longer than a cell holds goes into consecutive pieces, no surrogate pair split", () => {
    const text = "𠀀".repeat(20_000); // 40,000 UTF-16 units
    const parts = splitForCell(text);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 32_767)).toBe(true);
    expect(parts.join("")).toBe(text);
    expect(parts[0].charCodeAt(parts[0].length - 1)).not.toBe(0xd840);
  });

  test("computed columns name the market cell: no market labels in the formula", () => {
    const f = computedColumns(policy).find((c) => c.key === "replyDue")!.formula;
    expect(f).not.toMatch(/="(国际|International|INTERNATIONAL)"/);
    expect(f).toMatch(/CL\.DUEDATE\(.*\[@\[国内\/国际 Domestic \/ international\]\]\)\)$/);
  });
});

describe("sheet names Excel accepts", () => {
  test("no apostrophe at either end, no split surrogate pair, 31 characters at most", async () => {
    const { safeSheetName } = await import("../../../src/ledger/workbook-layout");
    expect(safeSheetName("备份 'Q3'")).toBe("备份 'Q3");
    const long = "备份 " + "a".repeat(27) + "𠀀x"; // the pair straddles the cut
    const cut = safeSheetName(long);
    expect(cut.length).toBeLessThanOrEqual(31);
    expect(cut.charCodeAt(cut.length - 1)).not.toBe(0xd840);
    expect(safeSheetName("a/b:c")).toBe("a_b_c");
    expect(safeSheetName("'")).toBe("_");
  });
});

describe("CL.SLASTATUS is not volatile: its column is recalculated once a day", () => {
  test("at start and after midnight, only the status column (no full recalculation)", async () => {
    const { dailyStatus, untilMidnight } = await import("../../../src/stores/excel/daily");
    const s = await ledgerWith(records(3, policy), policy);
    // 23:59 in Shanghai (the ledger's clock), whatever the machine's zone.
    jest.useFakeTimers({ now: new Date("2026-03-10T15:59:00Z"), doNotFake: ["nextTick", "queueMicrotask"] });
    try {
      expect(untilMidnight(new Date("2026-03-10T15:59:00Z"))).toBe(61_000);
      expect(untilMidnight(new Date("2026-03-10T15:59:00Z"), "UTC")).toBe(8 * 3600_000 + 61_000);
      const stop = dailyStatus(s.fake.run, () => new Date(Date.now()));
      await jest.advanceTimersByTimeAsync(10);
      const t = s.fake.table(TABLES.ledger)!;
      const column = `range ${SHEETS.ledger}!${at(s, 0, "replyStatus")}:${at(s, t.n - 1, "replyStatus")}`;
      expect(s.fake.calculations).toEqual([column]);
      await jest.advanceTimersByTimeAsync(61_000);
      expect(s.fake.calculations).toEqual([column, column]);
      stop();
      await jest.advanceTimersByTimeAsync(86_400_000);
      expect(s.fake.calculations).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("plain table names (People, AuditLog) are the user's too", () => {
  test.each(PLATFORMS)("on %s, a user's own People table stops the adoption before anything is written", async (platform) => {
    const { applyAdoption } = await import("../../../src/stores/excel/adopt");
    const { planOf } = await import("./setup");
    const fake = new FakeExcel([SHEETS.ledger, "通讯录"], { platform });
    fake.seed(SHEETS.ledger, 0, 0, [["旧台账"]]);
    fake.seed("通讯录", 0, 0, [
      ["姓名", "电话"],
      ["张三", "138"],
    ]);
    await fake.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("通讯录").tables.add("'通讯录'!A1:B2", true).name = "People";
      await ctx.sync();
    });
    const sheets = fake.sheets.map((x) => x.name);
    await expect(fake.run((ctx) => applyAdoption(ctx, planOf(records(2, policy), policy), { user: "李质检", now: NOW, policy }))).rejects.toThrow(
      /已有名为"People"的表.*already has a table named "People"/s,
    );
    expect(fake.sheets.map((x) => x.name)).toEqual(sheets);
    expect(fake.body("People")).toEqual([["张三", "138"]]); // seeded as typed text, untouched
    expect(fake.cells(SHEETS.ledger, "A1")).toEqual([["旧台账"]]);
  });
});

describe("a co-author's edit (Remote)", () => {
  test("re-reads only the rows it names, in one round trip, and reverts nothing", async () => {
    const s = await ledgerWith(records(5, policy), policy);
    const notices: Notice[] = [];
    const enforcer = new ExcelEnforcer({ run: s.fake.run, user: () => "x", notify: (n) => notices.push(n), now: () => NOW });
    await enforcer.start();
    const t = s.fake.table(TABLES.ledger)!;
    s.fake.put(t.sheet, t.r + 1 + 3, t.c + col(s, "customer"), { v: "合作者写的" });
    s.fake.syncs = 0;
    await enforcer.onChanged({ address: at(s, 3, "customer"), changeType: "RangeEdited", source: "Remote", worksheetId: t.sheet.id });
    expect(s.fake.syncs).toBe(1);
    expect(enforcer.rows[3][col(s, "customer")]).toBe("合作者写的");
    expect(notices).toEqual([]);
  });
});
