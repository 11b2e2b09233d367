/** @jest-environment jsdom */
/**
 * The Views and Dashboard screens against a real Ledger over a MemoryBook
 * (a memory store with the host's filter and sheets): counts on the buttons
 * are views.ts's, a click filters the "sheet" to exactly the view's cases,
 * the filter mode is stated, "show all" clears it, a ribbon click shows up
 * in the pane, and the dashboard's figures and sheet are buildDashboard's.
 */
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { requestPane } from "../../src/commands/bus";
import { todayIn } from "../../src/domain/zone";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor } from "../../src/domain/sla";
import { buildDashboard } from "../../src/reports/dashboard";
import { MemoryBook, MemoryStore } from "../../src/stores/memory";
import { SHEETS } from "../../src/ledger/workbook-layout";
import { applyView, viewCounts } from "../../src/reports/views";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { caseNo, NOW, renderPane, sampleLedger } from "./helpers";

const user = () => userEvent.setup();
const today = todayIn(NOW);

async function book(mode: "temporary" | "shared" = "shared") {
  const store = new MemoryBook(sampleLedgerData(defaultPolicy(), NOW), mode);
  const ledger = await sampleLedger(store);
  return { store, ledger };
}

describe("views 视图", () => {
  test("buttons carry views.ts's counts; a click filters the sheet to exactly that view's cases", async () => {
    const { store, ledger } = await book();
    renderPane(ledger, "张伟", { initialTab: "views" });
    const cal = calendarFor(ledger.policy);
    const counts = viewCounts(ledger.rows, ledger.policy, cal, today);
    for (const id of ["open", "overdue", "dueThisWeek", "serious", "awaitingApproval"] as const) {
      expect((await screen.findByTestId(`view-count-${id}`)).textContent).toBe(String(counts[id]));
    }
    expect(screen.getByTestId("view-mode").textContent).toContain("同时打开此工作表的人也会看到");

    await user().click(screen.getByTestId("view-awaitingApproval"));
    const expected = applyView(ledger.rows, "awaitingApproval", ledger.policy, cal, today).rows.map((r) => r.case.caseNo);
    await waitFor(() => expect(store.filter).toEqual(expected));
    const current = await screen.findByTestId("current-view");
    expect(current.textContent).toContain("待签核");
    expect(within(current).getByTestId("current-count").textContent).toContain(`${expected.length} 条案件`);
    expect(within(current).getByText(caseNo(4))).toBeTruthy();

    await user().click(screen.getByTestId("view-all"));
    await waitFor(() => expect(store.filter).toBeUndefined());
    expect(screen.getByTestId("current-view").textContent).toContain(`显示全部 ${ledger.rows.length} 条案件`);
  });

  test("my open cases: the person's own open cases, one click (issue 28)", async () => {
    const { store, ledger } = await book();
    renderPane(ledger, "李娜", { initialTab: "views" });
    const mine = ledger.rows.filter((r) => r.case.owner === "李娜" && r.case.status !== "CLOSED" && r.case.status !== "FOLLOWED_UP");
    expect(mine.length).toBeGreaterThan(0);
    const button = await screen.findByTestId("view-mine");
    expect(button.textContent).toBe(`我负责的未结案件 (${mine.length})`);
    await user().click(button);
    await waitFor(() => expect(store.filter).toEqual(mine.map((r) => r.case.caseNo)));
    expect((await screen.findByTestId("current-view")).textContent).toContain("我负责的未结案件");
  });

  test("by customer: the choices come with counts; picking one filters on it in one step", async () => {
    const { store, ledger } = await book("temporary");
    renderPane(ledger, "张伟", { initialTab: "views" });
    expect((await screen.findByTestId("view-mode")).textContent).toContain("临时工作表视图");
    const select = document.querySelector('[name="view-customer"]') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toContain("华东机电 (2)");
    await user().selectOptions(select, "华东机电");
    await waitFor(() => expect(store.filter).toEqual([caseNo(1), caseNo(4)]));
    expect(await screen.findByText("已在您的临时视图中筛选")).toBeTruthy();
    // Responsibility choices are shown by name, filtered by code.
    const resp = document.querySelector('[name="view-responsibility"]') as HTMLSelectElement;
    expect([...resp.options].map((o) => o.textContent)).toContain("质量原因 (1)");
    await user().selectOptions(resp, "QC");
    await waitFor(() => expect(store.filter).toEqual([caseNo(4)]));
  });

  test("a store without a sheet lists the view in the pane and says so", async () => {
    const ledger = await sampleLedger(new MemoryStore(sampleLedgerData(defaultPolicy(), NOW)));
    renderPane(ledger, undefined, { initialTab: "views" });
    expect((await screen.findByTestId("view-mode")).textContent).toContain("只在窗格中列出");
    await user().click(screen.getByTestId("view-serious"));
    expect(within(await screen.findByTestId("current-view")).getByText(caseNo(1))).toBeTruthy();
  });

  test("a view applied from the ribbon opens in the pane; a ribbon notice is shown", async () => {
    const { ledger } = await book();
    renderPane(ledger, "张伟");
    await screen.findByTestId("list-open");
    act(() => requestPane({ tab: "views", applied: { view: "overdue", mode: "shared", shown: 1 }, notice: { zh: "来自功能区", en: "From the ribbon" } }));
    const current = await screen.findByTestId("current-view");
    expect(current.textContent).toContain("已逾期");
    expect(screen.getByText("来自功能区")).toBeTruthy();
  });
});

describe("dashboard 看板", () => {
  test("the pane shows buildDashboard's figures; the rebuild button writes the same object to the sheet", async () => {
    const { store, ledger } = await book();
    renderPane(ledger, "张伟", { initialTab: "dashboard" });
    const d = buildDashboard(
      ledger.rows.map((r) => r.case),
      ledger.policy,
      calendarFor(ledger.policy),
      today,
    );
    expect((await screen.findByTestId("dash-cases")).textContent).toBe(String(d.cases));
    expect(screen.getByTestId("dash-open").textContent).toBe(String(d.open));
    expect(screen.getByTestId("dash-summary").textContent).toContain("1,200.00");
    expect(within(screen.getByTestId("dash-resp")).getByText("质量原因")).toBeTruthy();
    await user().click(screen.getByTestId("dash-rebuild"));
    expect(await screen.findByText(`已重建工作表“${SHEETS.dashboard}”`)).toBeTruthy();
    const sheet = store.sheets.get(SHEETS.dashboard)!;
    const total = sheet.grid.find((r) => r[0] === "合计 Total")!;
    expect(total.slice(1, 5)).toEqual([d.finance.total.free, d.finance.total.freeCost, d.finance.total.charged, d.finance.total.chargedCost]);
  });

  test("without a sheet to write the pane still shows the figures", async () => {
    const ledger = await sampleLedger(new MemoryStore(sampleLedgerData(defaultPolicy(), NOW)));
    renderPane(ledger, undefined, { initialTab: "dashboard" });
    expect((await screen.findByTestId("dash-cases")).textContent).toBe("4");
    expect(screen.queryByTestId("dash-rebuild")).toBeNull();
  });
});
