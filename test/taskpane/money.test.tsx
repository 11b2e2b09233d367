/** @jest-environment jsdom */
/**
 * The case's money section (issue 23) on an Excel workbook (the instrumented fake, round trips counted): a cost
 * line recorded from the pane reaches the CostLines table and the audit log in one head read and one write; a
 * line that does not hold is refused in both languages with nothing written; a dealer debit on a case the dealer
 * did not cause is refused by the same rule as the sheet's.
 */
import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { Ledger } from "../../src/ledger/service";
import { TABLES } from "../../src/ledger/workbook-layout";
import { ledgerWith, records } from "../stores/excel/setup";
import { now, renderPane } from "./helpers";

jest.setTimeout(60_000);
const fill = (name: string, value: string) => fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } });

async function openMoney() {
  const details = await screen.findByTestId("money-details", {}, { timeout: 20000 });
  (details as HTMLDetailsElement).open = true;
  fireEvent(details, new Event("toggle"));
  return within(details).findByTestId("money", {}, { timeout: 20000 });
}

test("a cost line from the pane: refused when it does not hold (nothing written), recorded in one head read and one write", async () => {
  const s = await ledgerWith(records(3, defaultPolicy()));
  const ledger = new Ledger(s.store, { now });
  await ledger.load();
  expect((await ledger.savePerson({ name: "林小红", roles: ["FINANCE", "QUALITY_MANAGER"] }, { name: "林小红", source: "chosen" })).ok).toBe(true);
  renderPane(ledger, "林小红", { initialCase: "KS-2026-0001" });
  const panel = await openMoney();

  s.fake.syncs = 0;
  fill("cost-item", "返修工时");
  fill("cost-amount", "1.234,50");
  await userEvent.setup().click(within(panel).getByRole("button", { name: "记录费用" }));
  expect(await within(panel).findByText(/金额无法识别/)).toBeTruthy();
  expect(within(panel).getByText(/does not read as a number/)).toBeTruthy();
  expect(s.fake.syncs).toBe(0);

  fill("cost-amount", "¥1,200.50");
  fill("cost-category", "SALES_COST");
  await userEvent.setup().click(within(panel).getByRole("button", { name: "记录费用" }));
  expect(await within(panel).findByText(/KS-2026-0001-C1 .*销售成本 1200\.50 CNY 返修工时/)).toBeTruthy();
  // readHead, then the write's two syncs (the CostLines table created with its row, the audit entry, the head).
  expect(s.fake.syncs).toBeLessThanOrEqual(3);
  expect(s.fake.body(TABLES.costs)).toEqual([
    ["KS-2026-0001-C1", "KS-2026-0001", "返修工时", 1200.5, "CNY", "销售成本 Cost of sales", "", expect.anything(), "林小红"],
  ]);
  expect(ledger.auditEntries().filter((e) => e.action === "COST_LINE_ADDED")).toHaveLength(1);
});

test("a dealer debit on a case nobody judged dealer-caused is refused, both languages, nothing written", async () => {
  const s = await ledgerWith(records(3, defaultPolicy()));
  const ledger = new Ledger(s.store, { now });
  await ledger.load();
  renderPane(ledger, undefined, { initialCase: "KS-2026-0001" });
  const panel = await openMoney();
  s.fake.syncs = 0;
  const writes = s.fake.body(TABLES.audit).length;
  fill("dealerDebitAmount", "800");
  await userEvent.setup().click(within(within(panel).getByTestId("money-debit")).getByRole("button", { name: "保存" }));
  expect(await within(panel).findByText(/经销商扣款只适用于经销商\/客户责任的案件/)).toBeTruthy();
  expect(within(panel).getByText(/applies only to a case the dealer or customer caused/)).toBeTruthy();
  expect(s.fake.body(TABLES.audit).length).toBe(writes);
  expect(ledger.find("KS-2026-0001")!.case.dealerDebitAmount).toBeUndefined();
});
