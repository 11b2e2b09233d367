/** @jest-environment jsdom */
/**
 * Finance review in the pane (RTL over a real Ledger and a MemoryBook): the
 * half-month's marked cases with their issues, marking reviewed as finance
 * (an audit entry each; refused for someone without the Finance role), the
 * CSV download and the period sheet.
 */
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { MemoryBook } from "../../src/stores/memory";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { caseNo, NOW, renderPane, sampleLedger } from "./helpers";

// The lazy Finance screen is compiled by ts-jest on first render: on a loaded machine that alone can pass 5 s.
jest.setTimeout(30_000);

const user = () => userEvent.setup();
const FINANCE = "刘会计";

async function setup() {
  // The demo ledger's People include one finance clerk.
  const data = sampleLedgerData(defaultPolicy(), NOW);
  expect(data.peopleRows.filter((r) => r[1] === "FINANCE").map((r) => r[0])).toEqual([FINANCE]);
  const store = new MemoryBook(data);
  const ledger = await sampleLedger(store);
  return { store, ledger };
}

const line = (no: string) => screen.getAllByTestId("review-line").find((l) => l.getAttribute("data-case") === no)!;

describe("finance review 财务审核", () => {
  test("each half-month lists its marked cases with totals; inconsistencies are named", async () => {
    const { ledger } = await setup();
    renderPane(ledger, FINANCE, { initialTab: "finance" });
    const period = (await screen.findByRole("combobox", { name: "期间(半月)" })) as HTMLSelectElement;
    // Newest first: the current half-month (case 4, free, 1,200.00), then late February (case 1, no cost).
    expect([...period.options].map((o) => o.textContent!.slice(0, 10))).toEqual(["2026-03 H1", "2026-02 H2"]);
    expect(screen.getByTestId("finance-summary").textContent).toContain("免费 1 件 1,200.00");
    expect(screen.getAllByTestId("review-line").map((l) => l.getAttribute("data-case"))).toEqual([caseNo(4)]);

    await user().selectOptions(period, period.options[1].value);
    expect(await screen.findByText("缺少费用")).toBeTruthy();
    expect(line(caseNo(1)).textContent).toContain("Cost is missing");
    expect(screen.getByTestId("finance-summary").textContent).toContain("有问题 1 条");
  });

  test("finance marks lines reviewed: one audit entry each, shown on the line; others are refused and nothing is written", async () => {
    const { ledger } = await setup();
    const first = renderPane(ledger, "王芳", { initialTab: "finance" });
    await user().click(await screen.findByRole("checkbox", { name: `选择 ${caseNo(4)}` }));
    await user().click(screen.getByTestId("mark-reviewed"));
    expect(await screen.findByText(/没有.财务.角色/)).toBeTruthy();
    expect(screen.getByText(/可由 刘会计 标记/)).toBeTruthy();
    expect(ledger.auditEntries().some((e) => e.action === "FINANCE_REVIEWED")).toBe(false);
    // The refused attempt itself is on the record.
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "REVIEW_REFUSED", user: "王芳" });
    first.unmount();

    renderPane(ledger, FINANCE, { initialTab: "finance" });
    await user().click(await screen.findByRole("button", { name: "选中无问题且未审核的" }));
    expect((screen.getByRole("checkbox", { name: `选择 ${caseNo(4)}` }) as HTMLInputElement).checked).toBe(true);
    await user().click(screen.getByTestId("mark-reviewed"));
    expect(await screen.findByText("已标记 1 条为已审核(已写入审计记录)")).toBeTruthy();
    const e = ledger.auditEntries().at(-1)!;
    expect(e).toMatchObject({ action: "FINANCE_REVIEWED", caseNo: caseNo(4), user: FINANCE, newValue: "FREE|1200" });
    expect((await ledger.verifyAudit()).ok).toBe(true);
    await waitFor(() => expect(line(caseNo(4)).textContent).toContain(`已审核:${FINANCE}`));
    expect(screen.getByTestId("finance-summary").textContent).toContain("已审核 1 条");
  });

  test("the period downloads as CSV and writes as the sheet 财务审核 YYYY-MM H1", async () => {
    const { store, ledger } = await setup();
    const blobs: Blob[] = [];
    const url = URL as unknown as { createObjectURL: (b: Blob) => string; revokeObjectURL: (u: string) => void };
    const saved = { create: url.createObjectURL, revoke: url.revokeObjectURL };
    url.createObjectURL = (b: Blob) => {
      blobs.push(b);
      return "blob:finance";
    };
    url.revokeObjectURL = () => undefined;
    const clicked: string[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    try {
      renderPane(ledger, FINANCE, { initialTab: "finance" });
      await user().click(await screen.findByTestId("finance-csv"));
      expect(clicked).toEqual(["财务审核-finance-review-2026-03-H1.csv"]);
      // jsdom's Blob has no text(): read it the old way.
      const csv = await new Promise<string>((ok) => {
        const r = new FileReader();
        r.onload = () => ok(String(r.result));
        r.readAsText(blobs[0]);
      });
      expect(csv.split("\r\n")[0]).toContain("客诉单号 Case No.");
      expect(csv).toContain(`${caseNo(4)},华东机电,质量原因 QC,免费,1200`);

      await user().click(screen.getByTestId("finance-sheet"));
      expect(await screen.findByText("已生成工作表“财务审核 2026-03 H1”")).toBeTruthy();
      const sheet = store.sheets.get("财务审核 2026-03 H1")!;
      expect(sheet.grid.some((r) => r[0] === caseNo(4) && r[4] === 1200)).toBe(true);
      expect(within(screen.getByTestId("finance")).queryByRole("alert")).toBeNull();
    } finally {
      click.mockRestore();
      url.createObjectURL = saved.create;
      url.revokeObjectURL = saved.revoke;
    }
  });
});
