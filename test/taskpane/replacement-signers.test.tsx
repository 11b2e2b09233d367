/** @jest-environment jsdom */
/**
 * Who approves 先补发 is the policy's REPLACEMENT_FIRST form, in the intake screen as in the rules (issue 27,
 * item 1): a factory that gives the approval to its quality manager sees the quality manager named and asked.
 */
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy, FORM, findNamed } from "../../src/domain/policy/policy";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { MemoryStore } from "../../src/stores/memory";
import { replacementSigners } from "../../src/taskpane/ui/Intake";
import { NOW, renderPane, sampleLedger } from "./helpers";

function ledgerWith(signers: string[][]) {
  const policy = defaultPolicy();
  findNamed(policy.forms, FORM.REPLACEMENT_FIRST)!.signers = signers;
  return sampleLedger(new MemoryStore(sampleLedgerData(policy, NOW)));
}

test("the intake names and asks the roles of the policy's 先补发 form, not a role written in the screen", async () => {
  expect(replacementSigners(defaultPolicy())).toEqual(["CS_MANAGER"]);
  const ledger = await ledgerWith([["QUALITY_MANAGER"]]);
  expect(replacementSigners(ledger.policy)).toEqual(["QUALITY_MANAGER"]);
  // The customer-service manager is no longer the one asked…
  const first = renderPane(ledger, "陈静", { initialTab: "intake" });
  await userEvent.setup().click(await screen.findByRole("checkbox", { name: "先补发" }));
  const callout = screen.getByTestId("replacement-first");
  expect(callout.textContent).toContain("品质部经理");
  expect(callout.textContent).toContain("张伟");
  expect(callout.textContent).not.toContain("客服经理");
  expect(within(callout).queryByRole("checkbox")).toBeNull();
  first.unmount();
  // …the quality manager is, and approves in that role.
  renderPane(ledger, "张伟", { initialTab: "intake" });
  await userEvent.setup().click(await screen.findByRole("checkbox", { name: "先补发" }));
  const mine = within(screen.getByTestId("replacement-first")).getByRole("checkbox");
  expect(mine.closest("label, div")?.textContent ?? (mine as HTMLInputElement).labels?.[0]?.textContent).toContain("品质部经理");
});
