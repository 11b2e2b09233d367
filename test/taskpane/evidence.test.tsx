/** @jest-environment jsdom */
/**
 * The evidence panel: a containment check and an attachment link recorded
 * from the pane reach the Evidence sheet and the audit log; a record that
 * does not hold is refused in both languages with nothing written; the
 * case's due notices open as mailto: drafts.
 */
import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { caseNo, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(30_000);
const user = () => userEvent.setup();
const fill = (name: string, value: string) => fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } });

async function openEvidence() {
  const details = await screen.findByTestId("evidence-details", {}, { timeout: 20000 });
  (details as HTMLDetailsElement).open = true;
  fireEvent(details, new Event("toggle"));
  return within(details).findByTestId("evidence", {}, { timeout: 20000 });
}

test("a containment check and a SharePoint link are recorded with who and when; a bad record is refused", async () => {
  const ledger = await sampleLedger();
  renderPane(ledger, "李娜", { initialCase: caseNo(1) });
  const panel = await openEvidence();
  const writes = (ledger.store as unknown as { writes: number }).writes;
  // A containment check without a quantity or result does not hold.
  fill("evidence-kind", "CONTAINMENT");
  await user().click(within(panel).getByRole("button", { name: "记录" }));
  expect(await within(panel).findByText(/检验\/排查记录需要检验数量和结果/)).toBeTruthy();
  expect(within(panel).getByText(/needs the quantity checked and the result/)).toBeTruthy();
  expect((ledger.store as unknown as { writes: number }).writes).toBe(writes);

  fill("evidence-scope", "RETAINED");
  fill("evidence-checked", "30");
  fill("evidence-defective", "0");
  fill("evidence-result", "留样复检合格");
  await user().click(within(panel).getByRole("button", { name: "记录" }));
  expect(await within(panel).findByText("已记录证据")).toBeTruthy();

  fill("evidence-kind", "PHOTO");
  fill("evidence-caption", "客户现场照片");
  fill("evidence-link", "https://contoso.sharepoint.com/sites/qa/KS-0001/photo1.jpg");
  await user().click(within(panel).getByRole("button", { name: "记录" }));
  const ev = ledger.evidenceOf(caseNo(1));
  expect(ev).toEqual([
    expect.objectContaining({ kind: "CONTAINMENT", scope: "RETAINED", checked: 30, defective: 0, result: "留样复检合格", by: "李娜", at: expect.any(Number) }),
    expect.objectContaining({ kind: "PHOTO", link: "https://contoso.sharepoint.com/sites/qa/KS-0001/photo1.jpg", by: "李娜" }),
  ]);
  expect(ledger.auditEntries().filter((e) => e.action === "EVIDENCE_ADDED")).toHaveLength(2);
  const list = await screen.findByTestId("evidence-list");
  expect(
    within(list)
      .getByRole("link", { name: /photo1\.jpg/ })
      .getAttribute("href"),
  ).toBe("https://contoso.sharepoint.com/sites/qa/KS-0001/photo1.jpg");
});

test("notices due for a new complaint open as mailto: drafts to planning, with the subject encoded", async () => {
  const ledger = await sampleLedger();
  const r = await ledger.addCase(
    { kind: "COMPLAINT", customer: "苏州精工", product: "电机支架", defect: "孔位偏移", receivedAt: 46090.4 },
    { name: "王芳", source: "chosen" },
  );
  expect(r.ok).toBe(true);
  renderPane(ledger, "王芳", { initialCase: r.ok ? r.caseNo : "" });
  const panel = await openEvidence();
  const links = within(within(panel).getByTestId("notices")).getAllByRole("link");
  const sun = links.find((a) => a.textContent!.startsWith("孙明"))!;
  const href = sun.getAttribute("href")!;
  expect(href.startsWith("mailto:")).toBe(true);
  expect(decodeURIComponent(href)).toContain(`【客诉通知】新客诉 ${r.ok ? r.caseNo : ""} 苏州精工`);
});
