/**
 * The add-in loads with the document (Office.StartupBehavior.load) and the
 * change handler starts from Office.onReady, before anyone opens the pane:
 * an edit that breaks a rule is reverted although no screen was ever shown.
 * Office and Excel are the fake's, installed as the globals office.js gives.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { rowToEntry } from "../../../src/ledger/audit";
import { SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { PLATFORMS } from "../../fakes/excel-fake";
import { at, ledgerWith, record, records, type Setup, value } from "./setup";

const policy = defaultPolicy();

describe.each(PLATFORMS)("on %s", (platform) => {
  let s: Setup;
  const startup: string[] = [];
  const g = globalThis as unknown as Record<string, unknown>;

  beforeAll(async () => {
    s = await ledgerWith(
      records(4, policy).map((r, i) => (i === 1 ? record(1, "DISPOSITION", policy) : r)),
      policy,
      platform,
    );
    g.Excel = { run: s.fake.run };
    g.Office = {
      HostType: { Excel: "Excel" },
      StartupBehavior: { load: "Load", none: "None" },
      onReady: async () => ({ host: "Excel", platform: platform === "web" ? "OfficeOnline" : "PC" }),
      context: {
        displayLanguage: "zh-CN",
        requirements: { isSetSupported: (set: string, v: string) => set === "SharedRuntime" || s.fake.isSetSupported(set, v) },
      },
      addin: {
        setStartupBehavior: async (b: string) => {
          startup.push(b);
        },
      },
    };
  });

  afterAll(() => {
    delete g.Excel;
    delete g.Office;
  });

  test("Office.onReady in Excel sets the startup behaviour to load and starts the change handler, pane or no pane", async () => {
    jest.resetModules();
    const host = await import("../../../src/taskpane/startup");
    const info = await host.detectHost(1000);
    expect(info.kind).toBe("excel");
    await host.onExcelReady();
    expect(startup).toEqual(["Load"]);

    const old = value(s, 1, "status");
    s.fake.user.edit(SHEETS.ledger, at(s, 1, "status"), [["已结案"]]);
    await s.fake.settle();
    expect(s.fake.handlerErrors).toEqual([]);
    expect(value(s, 1, "status")).toBe(old);
    const audit = (await s.store.read()).auditRows.map(rowToEntry);
    expect(audit.some((e) => e.action === "EDIT_REVERTED" && e.field === "status")).toBe(true);

    // Said to the pane when it opens later: the refusal, and that this Excel cannot group undo records.
    const heard: { zh: string; en: string }[] = [];
    host.onHostNotice((n) => heard.push(n));
    expect(heard.some((n) => /撤销/.test(n.zh) && /undone/.test(n.en))).toBe(true);
    expect(heard.some((n) => /Ctrl\+Z/.test(n.en))).toBe(true);
  });

  test("a change to the audit sheet that is not the add-in's (a deleted entry, an undo) is reported at once", async () => {
    const host = await import("../../../src/taskpane/startup");
    const heard: { zh: string; en: string }[] = [];
    host.onHostNotice((n) => heard.push(n));
    s.fake.user.deleteRows(TABLES.audit, 0, 1);
    await s.fake.settle();
    expect(heard.some((n) => /审计表/.test(n.zh) && /audit sheet was changed/.test(n.en))).toBe(true);
  });
});

describe("a workbook without a ledger when it opens", () => {
  const g = globalThis as unknown as Record<string, unknown>;
  afterAll(() => {
    delete g.Excel;
    delete g.Office;
  });

  test("nothing to enforce at first; after adoption the pane's start begins enforcing", async () => {
    const { FakeExcel } = await import("../../fakes/excel-fake");
    const { applyAdoption } = await import("../../../src/stores/excel/adopt");
    const { planOf, USER, NOW } = await import("./setup");
    const { Ledger } = await import("../../../src/ledger/service");
    const fake = new FakeExcel([SHEETS.ledger], { platform: "desktop" });
    fake.seed(SHEETS.ledger, 0, 0, [["旧台账"]]);
    g.Excel = { run: fake.run };
    g.Office = {
      HostType: { Excel: "Excel" },
      StartupBehavior: { load: "Load" },
      onReady: async () => ({ host: "Excel" }),
      context: { requirements: { isSetSupported: (set: string, v: string) => set === "SharedRuntime" || fake.isSetSupported(set, v) } },
      addin: { setStartupBehavior: async () => undefined },
    };
    jest.resetModules();
    const host = await import("../../../src/taskpane/startup");
    const opened = await host.openStore({ kind: "excel" });
    expect(fake.tables).toHaveLength(0);

    await fake.run((ctx) =>
      applyAdoption(
        ctx,
        planOf(
          records(3, policy).map((r, i) => (i === 1 ? record(1, "DISPOSITION", policy) : r)),
          policy,
        ),
        { user: USER, now: NOW, policy },
      ),
    );
    const ledger = new Ledger(opened.store);
    await ledger.load();
    await opened.start!(ledger);

    const s = { fake, keys: ledger.keys } as unknown as Setup;
    const old = value(s, 1, "status");
    fake.user.edit(SHEETS.ledger, at(s, 1, "status"), [["已结案"]]);
    await fake.settle();
    expect(fake.handlerErrors).toEqual([]);
    expect(value(s, 1, "status")).toBe(old);
  });
});
