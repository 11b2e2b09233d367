/** @jest-environment jsdom */
/**
 * Issue 28: every tab of the pane, and the adoption screen, rendered and read as a person reads them: no
 * raw code (STATE_INCOMPLETE, FREE|4043.15) or internal key (caseNo) in the text, no duplicate element id,
 * no label pointing at another input or at nothing, and no React error on the console.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CASE_FIELDS } from "../../src/domain/schema";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { ledgerSheet2025 } from "../../src/sample/handkept";
import type { Adopter } from "../../src/adoption/adopter";
import { Adopt } from "../../src/taskpane/ui/Adopt";
import { FluentProvider } from "@fluentui/react-components";
import { LangContext } from "../../src/taskpane/i18n";
import { caseNo, hostStore, now, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(120000);

/** camelCase keys of the schema: a person never reads them. */
const INTERNAL_KEYS = CASE_FIELDS.map((f) => f.key).filter((k) => /[a-z][A-Z]/.test(k));
const RAW_CODE = /\b[A-Z][A-Z0-9]+_[A-Z0-9_]+\b|\b(?:FREE|CHARGED)\|/;

/** Everything wrong with the page as it stands, as readable lines (empty: nothing). */
function pageFaults(where: string): string[] {
  const faults: string[] = [];
  const text = document.body.textContent ?? "";
  const raw = RAW_CODE.exec(text);
  if (raw) faults.push(`${where}: raw code "${raw[0]}" in "${text.slice(Math.max(0, raw.index - 30), raw.index + 30)}"`);
  for (const k of INTERNAL_KEYS) {
    const at = text.search(new RegExp(`\\b${k}\\b`));
    if (at >= 0) faults.push(`${where}: internal key "${k}" in "${text.slice(Math.max(0, at - 30), at + 30)}"`);
  }
  const seen = new Map<string, number>();
  for (const el of Array.from(document.querySelectorAll("[id]"))) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) faults.push(`${where}: id "${id}" used ${n} times`);
  for (const label of Array.from(document.querySelectorAll("label[for]"))) {
    const target = document.getElementById(label.getAttribute("for")!);
    if (!target) faults.push(`${where}: label "${label.textContent}" points at no element (#${label.getAttribute("for")})`);
    else if (!/^(INPUT|SELECT|TEXTAREA|BUTTON|METER|OUTPUT|PROGRESS)$/.test(target.tagName))
      faults.push(`${where}: label "${label.textContent}" points at a ${target.tagName}, not an input`);
  }
  return faults;
}

let errors: string[] = [];
let spy: jest.SpyInstance;
beforeEach(() => {
  errors = [];
  spy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(" "));
  });
});
afterEach(() => spy.mockRestore());

const TABS: [string, RegExp][] = [
  ["我的工作", /我的工作|待我/],
  ["登记", /客户/],
  ["视图", /视图|未结/],
  ["看板", /看板|未结/],
  ["检讨", /检讨|接收/],
  ["财务", /财务|收费/],
  ["日历", /日历|节假日|工作日/],
  ["人员", /人员|姓名/],
];

describe("every tab reads clean (issue 28)", () => {
  test("each tab, and a case, in 中文 and English: no raw code, internal key, duplicate id, stray label or console error", async () => {
    const ledger = await sampleLedger(hostStore());
    renderPane(ledger, "王芳", { initialCase: caseNo(1) });
    const faults: string[] = [];
    await screen.findByRole("tab", { name: "案件" }, { timeout: 20000 }).catch(() => screen.findByRole("tab", { name: /#\d+/ }));
    await waitFor(() => expect(document.body.textContent).toContain(caseNo(1)), { timeout: 20000 });
    faults.push(...pageFaults("case"));
    // A My-work section collapsed and opened again (Fluent's closing panel was inert={true}: a React error).
    await userEvent.setup().click(screen.getByRole("tab", { name: "我的工作" }));
    const header = await screen.findByTestId("list-toSign", {}, { timeout: 20000 });
    const button = header.querySelector("button") ?? header;
    await userEvent.setup().click(button);
    await userEvent.setup().click(button);
    for (const lang of ["zh", "en"] as const) {
      for (const [tab, shows] of TABS) {
        const name = lang === "zh" ? tab : undefined;
        const el = name
          ? screen.getByRole("tab", { name })
          : screen.getAllByRole("tab")[TABS.findIndex(([x]) => x === tab) + (TABS.findIndex(([x]) => x === tab) >= 2 ? 1 : 0)];
        await userEvent.setup().click(el);
        if (lang === "zh") await waitFor(() => expect(document.body.textContent).toMatch(shows), { timeout: 20000 });
        else await act(() => new Promise((r) => setTimeout(r, 300)));
        faults.push(...pageFaults(`${lang}/${tab}`));
      }
      if (lang === "zh") await userEvent.setup().click(screen.getByTestId("lang-switch"));
    }
    faults.push(...errors.map((e) => `console.error: ${e.slice(0, 200)}`));
    expect(faults).toEqual([]);
  });

  test("the adoption screen of the 2025 ledger: its plan, progress map and check read clean", async () => {
    const sheet = ledgerSheet2025(320);
    const adopter: Adopter = {
      sheets: async () => [sheet.name],
      grid: async () => ({ name: sheet.name, values: sheet.values }),
      apply: async () => ({ backup: "备份", cases: 0 }),
    };
    for (const lang of ["zh", "en"] as const) {
      const view = render(
        <LangContext.Provider value={lang}>
          <FluentProvider>
            <Adopt adopter={adopter} policy={defaultPolicy()} user="王芳" now={now} onDone={() => undefined} />
          </FluentProvider>
        </LangContext.Provider>,
      );
      await screen.findByText(lang === "zh" ? /接管后检查/ : /Check after adoption/, undefined, { timeout: 30000 });
      expect(document.body.textContent).toMatch(lang === "zh" ? /待回复/ : /Executed/);
      expect(pageFaults(`adopt/${lang}`)).toEqual([]);
      view.unmount();
    }
    expect(errors).toEqual([]);
  });
});
