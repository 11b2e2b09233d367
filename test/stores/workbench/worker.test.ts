/**
 * The workbench's worker, in-process: the client on one side of a port that
 * structured-clones every message (as postMessage does, so anything that
 * would not cross to a real worker fails here), the worker's handler on the
 * other. The Ledger service works through it as through an in-page store:
 * read, write, adopt, download; errors keep both languages; a store of a
 * closed workbook is refused; opening reports its steps in order.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { Workbook } from "exceljs";
import { instantToSerial, todayIn } from "../../../src/domain/zone";
import { DomainError } from "../../../src/domain/errors";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { planAdoption } from "../../../src/adoption/planner";
import { Ledger, type Actor } from "../../../src/ledger/service";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { calendarFor } from "../../../src/domain/sla";
import { buildDashboard, dashboardOfLedger, type Dashboard } from "../../../src/reports/dashboard";
import { dashboardOffThread, WorkbenchClient, type Port, type ProgressStep } from "../../../src/stores/workbench/client";
import { workbenchHandler } from "../../../src/stores/workbench/worker-core";
import { toWire, type Request } from "../../../src/stores/workbench/protocol";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(60_000);
const NOW = shanghai(2026, 10, 26, 9, 0, 0);
const now = () => NOW;

/** A worker in the same process: messages are cloned both ways, as between threads. */
function inProcess(): { client: WorkbenchClient; steps: ProgressStep[]; ops: string[] } {
  const steps: ProgressStep[] = [];
  const ops: string[] = [];
  const page: Port = { onmessage: null, postMessage: () => undefined };
  const send = (msg: unknown) => queueMicrotask(() => page.onmessage?.({ data: structuredClone(msg) } as MessageEvent));
  const handle = workbenchHandler((progress) => send({ progress }), { offThread: dashboardOfLedger });
  page.postMessage = (msg: unknown, transfer?: Transferable[]) => {
    const { id, req } = structuredClone(msg, { transfer: transfer as Transferable[] }) as { id: number; req: Request };
    ops.push(req.op === "store" ? `store.${req.method}` : req.op);
    handle(req).then(
      (result) => send({ id, result }),
      (err) => send({ id, error: toWire(err) }),
    );
  };
  const client = new WorkbenchClient(page, now);
  client.onProgress = (s) => steps.push(s);
  return { client, steps, ops };
}

async function handKept(): Promise<ArrayBuffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet("台账");
  ws.addRow(["单号", "日期", "客户", "产品", "问题描述", "跟单员"]);
  ws.addRow(["A-1", "2025/3/5", "华为", "支架", "划伤", "王芳"]);
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer).slice().buffer;
}

describe("workbench worker", () => {
  test("the sample opens in the worker; the Ledger reads and writes through it; the download holds the write", async () => {
    const { client } = inProcess();
    const file = await client.sample(NOW);
    expect(file.adopter).toBeUndefined();
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    expect(ledger.rows.length).toBe(200);
    expect(Math.max(...ledger.rows.map((r) => r.case.receivedAt ?? 0))).toBeLessThanOrEqual(instantToSerial(NOW));

    const owner = ledger.people.find((p) => p.roles.includes("CS")) ?? ledger.people[0];
    const by: Actor = { name: owner.name, source: "chosen" };
    const saved = await ledger.addCase(
      {
        kind: "COMPLAINT",
        customer: "华东机电",
        customerClass: "A",
        market: "DOMESTIC",
        product: "支架",
        defect: "划伤_x0041_",
        quantity: 3,
        receivedAt: instantToSerial(NOW),
        severity: "MINOR",
        owner: owner.name,
      },
      by,
    );
    expect(saved.ok).toBe(true);
    const caseNo = (saved as { caseNo: string }).caseNo;

    const blob = await file.bytes();
    const again = new Workbook();
    await again.xlsx.load(await blob.arrayBuffer());
    const reread = new Ledger(new XlsxStore(again), { now });
    await reread.load();
    expect(reread.rows.length).toBe(201);
    expect(reread.find(caseNo)?.case.customer).toBe("华东机电");
    // Stored as Excel stores text (_xHHHH_ escaped), so it reads back as typed, not as "划伤A".
    expect(reread.find(caseNo)?.case.defect).toBe("划伤_x0041_");
    expect((await reread.verifyAudit()).ok).toBe(true);
  });

  test("the dashboard worked out in the worker is the page's own buildDashboard over the same cases", async () => {
    const { client, ops } = inProcess();
    const file = await client.sample(NOW);
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    const today = todayIn(NOW);
    const remote = dashboardOffThread<Dashboard>(file.store!);
    expect(remote).toBeDefined();
    const far = await remote!.offThreadDashboard(today);
    expect(far).toEqual(
      buildDashboard(
        ledger.rows.map((r) => r.case),
        ledger.policy,
        calendarFor(ledger.policy),
        today,
      ),
    );
    expect(far.cases).toBe(200);
    // Asked once, when the rows arrived; asked again only after a write.
    expect(ops.filter((o) => o === "dashboard")).toHaveLength(1);
    expect(await remote!.offThreadDashboard(today)).toBe(far);
    await file.store!.write({ meta: { "bench.note": "x" } });
    expect(await remote!.offThreadDashboard(today)).not.toBe(far);
    expect(ops.filter((o) => o === "dashboard")).toHaveLength(2);
    expect(dashboardOffThread({ kind: "memory" } as never)).toBeUndefined();
  });

  test("a file that is not .xlsx is refused in both languages, across the boundary", async () => {
    const { client } = inProcess();
    const junk = new TextEncoder().encode("客诉,台账\n1,2\n").buffer as ArrayBuffer;
    const err = await client.open("台账.csv", junk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ zh: expect.stringContaining("不是可读取的 .xlsx"), en: expect.stringContaining("not a readable .xlsx") });
  });

  test("a hand-kept sheet is adopted in the worker, then opened as a ledger; opening reports its steps in order", async () => {
    const { client, steps } = inProcess();
    const file = await client.open("台账.xlsx", await handKept());
    expect(file.store).toBeUndefined();
    expect(steps).toEqual(["parse"]);
    expect(await file.adopter!.sheets()).toEqual(["台账"]);
    const grid = await file.adopter!.grid("台账");
    const plan = planAdoption(grid, { policy: defaultPolicy(), today: instantToSerial(NOW), user: "王芳" });
    expect(await file.adopter!.apply(plan, { user: "王芳" })).toEqual({ backup: "备份 台账", cases: 1 });

    const opened = await file.asLedger();
    const ledger = new Ledger(opened.store!, { now });
    await ledger.load();
    expect(steps).toEqual(["parse", "read", "cases"]);
    expect(ledger.rows.map((r) => [r.case.caseNo, r.case.customer])).toEqual([["A-1", "华为"]]);
  });

  test("a store of a workbook that has been replaced is refused, not pointed at the new one", async () => {
    const { client } = inProcess();
    const first = await client.sample(NOW);
    await client.open("台账.xlsx", await handKept());
    const err = await first.store!.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "CLOSED", zh: expect.stringContaining("已关闭"), en: expect.stringContaining("closed") });
  });

  test("a ledger of an earlier release upgrades through the worker; the download holds the new column, the version and an intact audit chain", async () => {
    const { client } = inProcess();
    const bytes = readFileSync(path.join(__dirname, "..", "..", "fixtures", "ledger-v0.1.x-sample.xlsx"));
    const file = await client.open("台账.xlsx", new Uint8Array(bytes).slice().buffer);
    const ledger = new Ledger(file.store!, { now });
    await ledger.load();
    expect(ledger.schema).toMatchObject({ version: "1", state: "older" });
    const plan = await ledger.upgrade({ name: "王芳", source: "chosen" });
    expect(plan.changes).toContainEqual(expect.objectContaining({ kind: "column", detail: "不良率 Defect rate" }));
    const wb = new Workbook();
    await wb.xlsx.load(await (await file.bytes()).arrayBuffer());
    const again = new Ledger(new XlsxStore(wb), { now });
    await again.load();
    expect(again.schema.state).toBe("same");
    expect(again.keys).toContain("defectRate");
    expect((await again.verifyAudit()).ok).toBe(true);
    expect(again.auditEntries().filter((e) => e.action === "UPGRADED")[0]).toMatchObject({ oldValue: "1" });
    expect(again.auditEntries().at(-1)).toMatchObject({ action: "UPGRADED" });
  });
});
