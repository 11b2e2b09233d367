/** @jest-environment jsdom */
/** 人员 People: adding oneself to an empty People sheet, then signing; managers edit and deactivate. */
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { MemoryStore } from "../../src/stores/memory";
import { peopleTemplate } from "../../src/ledger/service";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { caseNo, NOW, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(60_000);
const user = () => userEvent.setup();

test("an empty People sheet: the pane leads to People, a user adds themselves and then acts as that person", async () => {
  const data = sampleLedgerData(defaultPolicy(), NOW);
  data.peopleRows = peopleTemplate(defaultPolicy());
  const ledger = await sampleLedger(new MemoryStore(data));
  renderPane(ledger, undefined);
  await user().click(await screen.findByTestId("add-people"));
  const people = await screen.findByTestId("people");
  await user().type(within(people).getByRole("textbox", { name: /姓名/ }), "孙丽");
  await user().click(within(people).getByRole("checkbox", { name: "客服经理" }));
  await user().click(within(people).getByRole("checkbox", { name: /这是我/ }));
  await user().click(within(people).getByRole("button", { name: "添加" }));
  expect(await within(people).findByText("已添加 孙丽")).toBeTruthy();
  expect((document.querySelector("#cl-actor") as HTMLSelectElement).value).toBe("孙丽");
  expect(ledger.people).toEqual([expect.objectContaining({ name: "孙丽", roles: ["CS_MANAGER"] })]);
  expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "PERSON_ADDED", user: "孙丽" });
  // Acting as that person: the replacement-first approval of case 3 is hers to sign.
  expect((await ledger.sign(caseNo(3), "CS_MANAGER", { name: "孙丽", source: "chosen" })).ok).toBe(true);
});

test("a quality manager changes roles and deactivates; a deactivated person is no longer offered as 'I am'", async () => {
  const ledger = await sampleLedger();
  renderPane(ledger, "张伟", { initialTab: "people" });
  const people = await screen.findByTestId("people");
  await user().click(within(people).getByRole("button", { name: "编辑 周婷" }));
  await user().click(within(people).getByRole("button", { name: "停用" }));
  expect(await within(people).findByText("已停用 周婷")).toBeTruthy();
  expect(ledger.people.find((p) => p.name === "周婷")).toMatchObject({ inactive: true, roles: [] });
  const options = [...(document.querySelector("#cl-actor") as HTMLSelectElement).options].map((o) => o.value);
  expect(options).not.toContain("周婷");
  // Someone without the role is told, and nothing is written.
  const rows = ledger.people.length;
  renderPane(ledger, "李娜", { initialTab: "people" });
  expect((await screen.findAllByText("只有品质部经理或总经理可以维护人员表")).length).toBeGreaterThan(0);
  expect(ledger.people).toHaveLength(rows);
});
