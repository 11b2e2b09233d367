/** @jest-environment jsdom */
/** The pane and schema versions: an older ledger shows what the upgrade adds and asks; a newer one is read-only. */
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { META, SCHEMA_VERSION } from "../../src/ledger/workbook-layout";
import { MemoryStore } from "../../src/stores/memory";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { caseNo, NOW, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(60_000);
const user = () => userEvent.setup();
const NEW_COLUMN = "不良率 Defect rate";

/** The pane's sample as schema 1 wrote it: no defect-rate column, meta saying 1. */
function schemaOne() {
  const data = sampleLedgerData(defaultPolicy(), NOW);
  const drop = data.header.indexOf(NEW_COLUMN);
  data.header.splice(drop, 1);
  for (const r of data.rows) r.splice(drop, 1);
  data.meta = { ...data.meta, [META.schemaVersion]: "1" };
  return new MemoryStore(data);
}

test("an older ledger: the notice lists the changes, asks, upgrades on confirmation (one write), and the notice goes", async () => {
  const store = schemaOne();
  const ledger = await sampleLedger(store);
  renderPane(ledger, "张伟");
  expect(await screen.findByText(new RegExp(`此台账的结构版本为 1,可升级到 ${SCHEMA_VERSION}`))).toBeTruthy();
  const writes = store.writes;
  await user().click(screen.getByTestId("upgrade-ask"));
  const plan = screen.getByTestId("upgrade-plan");
  expect(within(plan).getByText(`台账新增列:${NEW_COLUMN}`)).toBeTruthy();
  expect(store.writes).toBe(writes); // asking writes nothing
  await user().click(within(plan).getByTestId("upgrade-confirm"));
  expect(await screen.findByText(new RegExp(`台账已升级到结构版本 ${SCHEMA_VERSION}`))).toBeTruthy();
  expect(store.writes).toBe(writes + 1);
  expect(store.data.header.at(-1)).toBe(NEW_COLUMN);
  expect(ledger.schema.state).toBe("same");
  // One UPGRADED entry per step: from 1, on to this release's version.
  const upgraded = ledger.auditEntries().filter((e) => e.action === "UPGRADED");
  expect(upgraded[0]).toMatchObject({ user: "张伟", oldValue: "1" });
  expect(upgraded.at(-1)).toMatchObject({ user: "张伟", newValue: SCHEMA_VERSION });
  expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "UPGRADED" });
  expect(screen.queryByTestId("upgrade-ask")).toBeNull();
});

test("a newer ledger: read-only, both versions named; a save from the pane is refused and nothing is written", async () => {
  const data = sampleLedgerData(defaultPolicy(), NOW);
  data.meta = { ...data.meta, [META.schemaVersion]: String(Number(SCHEMA_VERSION) + 1) };
  const store = new MemoryStore(data);
  const ledger = await sampleLedger(store);
  renderPane(ledger, "张伟", { initialTab: "people" });
  expect(await screen.findByText(new RegExp(`结构版本 ${Number(SCHEMA_VERSION) + 1},本程序只认识到 ${SCHEMA_VERSION}`))).toBeTruthy();
  expect(screen.queryByTestId("upgrade-ask")).toBeNull();
  const before = JSON.stringify(store.data);
  await expect(ledger.updateCase(caseNo(1), { remarks: "x" }, { name: "张伟", source: "chosen" })).rejects.toMatchObject({ code: "SCHEMA_NEWER" });
  expect(JSON.stringify(store.data)).toBe(before);
});
