/** @jest-environment jsdom */
/**
 * The responsibility step explains free/charged from the policy: the rule it shows is read from
 * the same Policy rows the domain decides by, so a renamed responsibility or a changed charge shows.
 */
import { fireEvent, render, screen } from "@testing-library/react";
import { calendarFor } from "../../src/domain/sla";
import { defaultPolicy, type Policy } from "../../src/domain/policy/policy";
import { chargeFor } from "../../src/domain/responsibility";
import { todayIn } from "../../src/domain/zone";
import { MemoryStore } from "../../src/stores/memory";
import type { Ledger } from "../../src/ledger/service";
import { LangContext, type Lang } from "../../src/taskpane/i18n";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { JudgementPanel, ResponsibilityPanel } from "../../src/taskpane/ui/case/Judgement";
import { PaneContext, type Pane } from "../../src/taskpane/ui/pane";
import { caseNo, NOW, now, sampleLedger } from "./helpers";

jest.setTimeout(30_000);

function paneOf(ledger: Ledger): Pane {
  return {
    ledger,
    myRoles: [],
    today: todayIn(NOW),
    now,
    cal: calendarFor(ledger.policy),
    version: 0,
    refresh: () => undefined,
    openCase: () => undefined,
    chooseActor: () => undefined,
  };
}

async function ruleShown(policy: Policy, lang: Lang, code: string): Promise<{ rule: string; explained: string }> {
  const ledger = await sampleLedger(new MemoryStore(sampleLedgerData(policy, NOW)));
  // The edited rows must read back as they were written: otherwise the pane would run on the defaults.
  expect(ledger.policyProblems).toEqual([]);
  const view = render(
    <LangContext.Provider value={lang}>
      <PaneContext.Provider value={paneOf(ledger)}>
        <ResponsibilityPanel c={ledger.find(caseNo(2))!.case} />
      </PaneContext.Provider>
    </LangContext.Provider>,
  );
  fireEvent.change(document.querySelector('[name="responsibility"]')!, { target: { value: code } });
  const out = { rule: screen.getByTestId("charge-rule").textContent ?? "", explained: screen.getByTestId("charge-explained").textContent ?? "" };
  view.unmount();
  return out;
}

/** The part of the rule text naming who may be marked free, and who charged. */
const sides = (rule: string) => {
  const zh = /免费须为以下责任之一:(.*);收费须为以下责任之一:(.*?)。/.exec(rule)!;
  const en = /Free needs one of: (.*?)\. Charged needs one of: (.*?)\./.exec(rule)!;
  return { freeZh: zh[1], chargedZh: zh[2], freeEn: en[1], chargedEn: en[2] };
};

test("the default policy: logistics is on the charged side, quality on the free side", async () => {
  const { rule, explained } = await ruleShown(defaultPolicy(), "zh", "LOGISTICS");
  const s = sides(rule);
  expect(s.chargedZh).toContain("物流");
  expect(s.freeZh).not.toContain("物流");
  expect(s.freeZh).toContain("质量原因");
  expect(s.chargedEn).toContain("Logistics / carrier");
  expect(explained).toContain("收费");
});

test("renaming a responsibility and changing its charge on the Policy sheet changes the rule shown, in both languages", async () => {
  const policy = defaultPolicy();
  const logistics = policy.responsibilities.find((r) => r.code === "LOGISTICS")!;
  Object.assign(logistics, { zh: "承运商责任", en: "Carrier's fault", synonyms: [], charge: "FREE" });
  // The domain decides by the same rows: what the text says is what the ledger does.
  expect(chargeFor("LOGISTICS", policy)).toBe("FREE");
  for (const lang of ["zh", "en"] as const) {
    const { rule, explained } = await ruleShown(policy, lang, "LOGISTICS");
    const s = sides(rule);
    expect(s.freeZh).toContain("承运商责任");
    expect(s.freeEn).toContain("Carrier's fault");
    expect(s.chargedZh).not.toContain("承运商责任");
    expect(rule).not.toContain("物流");
    expect(explained).toContain("免费");
  }
});

test("P1-10 in the pane: the judgement shows the severity the Policy criteria suggest, with the reason, and leaves the choice alone", async () => {
  const ledger = await sampleLedger(new MemoryStore(sampleLedgerData(defaultPolicy(), NOW)));
  const c = { ...ledger.find(caseNo(2))!.case, defect: "3个模具刻字错误", severity: undefined };
  const view = render(
    <LangContext.Provider value="zh">
      <PaneContext.Provider value={paneOf(ledger)}>
        <JudgementPanel c={c} />
      </PaneContext.Provider>
    </LangContext.Provider>,
  );
  expect(screen.getByTestId("severity-suggestion").textContent).toMatch(/建议等级.*模具刻字错误.*严重/);
  expect((document.querySelector('[name="severity"]') as HTMLSelectElement).value).toBe("");
  view.unmount();
});
