/** @jest-environment jsdom */
/**
 * English mode, every screen: no Chinese outside data values (what people
 * typed: customers, products, defects, names; and text deliberately marked
 * lang="zh-CN", such as the Chinese line of a bilingual refusal or the
 * language switch), and no raw codes (RESTOCK, FREE, QUALITY_MANAGER…) in
 * what the pane says. The scan reads the rendered text nodes, so a label
 * added later in Chinese only fails here.
 */
import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CHARGES, EIGHT_D_STATUSES, KINDS, ledgerSchema, MARKETS, SATISFACTION, STATES } from "../../src/domain/schema";
import type { Ledger } from "../../src/ledger/service";
import { caseNo, hostStore, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(180_000);
const user = () => userEvent.setup();
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g;

/**
 * Every string a person typed into the ledger as free text (customer,
 * product, defect, root cause…) and the people's names: the data English
 * mode shows as it is. Coded columns (kind, responsibility, status…) are not
 * data here: the pane must say them in English.
 */
function dataValues(ledger: Ledger): string[] {
  const out = new Set<string>();
  const free = new Set<string>(
    ledgerSchema(ledger.policy)
      .filter((f) => f.type === "text" || f.type === "longtext")
      .map((f) => f.key),
  );
  for (const r of ledger.rows) for (const [k, v] of Object.entries(r.record)) if (free.has(k) && typeof v === "string") out.add(v);
  for (const r of ledger.rows) for (const sig of Object.values(r.case.signatures)) if (sig.comment) out.add(sig.comment);
  for (const p of ledger.people) out.add(p.name);
  for (const t of ledger.policy.confidentialTerms) out.add(t);
  return [...out];
}

/** Codes of the policy and the fixed vocabularies that a person should never read as such. */
function codes(ledger: Ledger): RegExp {
  const p = ledger.policy;
  const all = [
    ...p.dispositions,
    ...p.responsibilities,
    ...p.forms,
    ...p.roles,
    ...p.severities,
    ...p.clocks,
    ...KINDS,
    ...MARKETS,
    ...CHARGES,
    ...EIGHT_D_STATUSES,
    ...SATISFACTION,
    ...STATES,
  ]
    .map((x) => x.code)
    .filter((c) => /^[A-Z][A-Z_]{2,}$/.test(c));
  return new RegExp(`\\b(${[...new Set(all)].join("|")})\\b`);
}

/** What English mode shows that it should not, on the screen as rendered now. */
function scan(where: string, data: string[], code: RegExp): string[] {
  const bad: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let words = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent ?? "";
    if (/[A-Za-z]{3}/.test(text)) words++;
    const el = n.parentElement;
    if (!el || el.closest('[lang^="zh"]') || el.closest("script,style")) continue;
    for (const run of text.match(CJK) ?? []) {
      if (!data.some((d) => d.includes(run))) bad.push(`${where}: Chinese "${run}" in "${text.trim()}"`);
    }
    const m = text.match(code);
    if (m && !data.some((d) => d.includes(m[0]))) bad.push(`${where}: code ${m[0]} in "${text.trim()}"`);
  }
  // Not passing by not looking: a screen with no English on it has not rendered.
  if (words < 5) bad.push(`${where}: nothing rendered to scan (${words} English texts)`);
  return bad;
}

async function openSteps() {
  // Open every step that is closed, so each panel is rendered and scanned.
  for (const b of screen.getAllByRole("button", { expanded: false })) {
    if (b.closest(".cl-stepper")) await user().click(b);
  }
}

test("English mode: no Chinese outside data values, no raw codes, on every screen", async () => {
  const ledger = await sampleLedger(hostStore());
  const data = dataValues(ledger);
  const code = codes(ledger);
  renderPane(ledger, "张伟", { initialLang: "en" });
  const found: string[] = [];
  const tab = async (name: string) => user().click(await screen.findByRole("tab", { name }));

  await screen.findByRole("tab", { name: "My work" });
  found.push(...scan("my work", data, code));

  await tab("Intake");
  await user().click(await screen.findByRole("button", { name: "Log case" }));
  await screen.findByText("Customer is required");
  fireEvent.change(document.querySelector('[name="kind"]')!, { target: { value: "RETURN" } });
  await user().click(screen.getByRole("checkbox", { name: "Replacement first" }));
  found.push(...scan("intake", data, code));

  for (const n of [1, 2, 3, 4]) {
    const box = screen.getByTestId("find");
    await user().type(box, caseNo(n));
    await user().keyboard("{Enter}");
    await screen.findByRole("heading", { name: caseNo(n) });
    await openSteps();
    await user().click(screen.getByText("Correct the case details"));
    const close = screen.queryByTestId("close-panel");
    if (close) await user().click(within(close).getByRole("button", { name: "Close case" }));
    if (n === 1) await within(screen.getByTestId("step-REPLIED")).findByTestId("eightd", {}, { timeout: 8000 });
    found.push(...scan(`case ${n}`, data, code));
  }

  await tab("Views");
  await screen.findAllByRole("button");
  found.push(...scan("views", data, code));
  await tab("Dashboard");
  await screen.findByTestId("dash-overdue");
  found.push(...scan("dashboard", data, code));
  await tab("Finance");
  // The lazy Finance screen: wait until it shows its period totals, never a fixed time (a scan of nothing finds nothing).
  await screen.findByTestId("finance-summary", {}, { timeout: 15000 });
  found.push(...scan("finance", data, code));
  await tab("Calendar");
  await screen.findByTestId("calendar-years");
  found.push(...scan("calendar", data, code));
  await tab("People");
  await screen.findByText("People and roles");
  await user().click(screen.getAllByRole("button", { name: /^Edit / })[0]);
  await user().click(screen.getByRole("button", { name: "Save" }));
  found.push(...scan("people", data, code));

  expect(found).toEqual([]);
});
