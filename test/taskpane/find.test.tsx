/** @jest-environment jsdom */
/** Finding a case from the header, keyboard first, and the list never longer than eight. */
import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { findCases } from "../../src/taskpane/model";
import { caseNo, hostStore, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(30_000);
const user = () => userEvent.setup();

test("findCases: number (whole or its tail), customer, product, part number; spaces and case ignored; at most `limit`", async () => {
  const ledger = await sampleLedger();
  const nos = (q: string, limit?: number) => findCases(ledger.rows, q, limit).map((r) => r.case.caseNo);
  expect(nos(caseNo(2))).toEqual([caseNo(2)]);
  expect(nos("3")[0]).toBe(caseNo(3));
  expect(nos("hk 220")).toEqual([caseNo(1)]);
  expect(nos("华东机电")).toEqual([caseNo(1), caseNo(4)]);
  expect(nos("电源适配器")).toEqual([caseNo(2)]);
  expect(nos("ks", 2)).toHaveLength(2);
  expect(nos("   ")).toEqual([]);
  expect(nos("不存在")).toEqual([]);
});

test("the header's search box: type, arrow down, Enter opens the case and moves the sheet's cursor; Escape clears", async () => {
  const store = hostStore();
  const ledger = await sampleLedger(store);
  renderPane(ledger, "李娜");
  const box = await screen.findByTestId("find");
  await user().type(box, "华东机电");
  const list = screen.getByRole("listbox");
  expect(
    within(list)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual([expect.stringContaining(caseNo(1)), expect.stringContaining(caseNo(4))]);
  expect(within(list).getAllByRole("option")[0].getAttribute("aria-selected")).toBe("true");
  await user().keyboard("{ArrowDown}{Enter}");
  expect(await screen.findByRole("heading", { name: caseNo(4) })).toBeTruthy();
  expect(store.selected).toEqual([ledger.find(caseNo(4))!.row]);
  expect(screen.queryByRole("listbox")).toBeNull();
  await user().type(box, "zzz");
  expect(screen.getByText("没有匹配的案件")).toBeTruthy();
  fireEvent.keyDown(box, { key: "Escape" });
  expect((box as HTMLInputElement).value).toBe("");
  // The case tab has no long chooser any more: no <select> listing every case.
  expect(document.querySelectorAll("option").length).toBeLessThan(60);
});
