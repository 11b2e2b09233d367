/** @jest-environment jsdom */
/**
 * The pane's charts (issue 23) in jsdom: bars and points drawn for known figures, the table beside each chart with
 * the same figures, labels in the pane's language, an empty period said in words; the Dashboard tab draws its
 * figures. jsdom lays nothing out, so the boxes are given a size (getBoundingClientRect) as a 320 px pane would.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { buildDashboard } from "../../src/reports/dashboard";
import { calendarFor } from "../../src/domain/sla";
import { todayIn } from "../../src/domain/zone";
import { LangContext, type Lang } from "../../src/taskpane/i18n";
import { OnTimeChart, ParetoChart, TrendChart } from "../../src/taskpane/ui/charts/Charts";
import { monthTick, monthTicks, onTimeOverall, paretoBars } from "../../src/taskpane/ui/charts/chart-data";
import { monthlyReview, monthOf, shiftMonth } from "../../src/reports/monthly-review";
import type { SheetLayout } from "../../src/ledger/generated-sheet";
import { hostStore, NOW, renderPane, sampleLedger } from "./helpers";

jest.setTimeout(60_000);

beforeAll(() => {
  // A 300 × 260 box for every element (the chart area of a 320 px pane); no canvas for text measuring in jsdom.
  jest
    .spyOn(Element.prototype, "getBoundingClientRect")
    .mockImplementation(() => ({ x: 0, y: 0, top: 0, left: 0, right: 300, bottom: 260, width: 300, height: 260, toJSON: () => ({}) }));
  jest.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(() => null);
});
afterAll(() => jest.restoreAllMocks());

const inPane = (lang: Lang, node: React.ReactNode) => (
  <FluentProvider theme={webLightTheme}>
    <LangContext.Provider value={lang}>{node}</LangContext.Provider>
  </FluentProvider>
);

/** The bars of a bar chart: Fluent draws each as a focusable rect. */
const barsIn = (box: HTMLElement) => box.querySelectorAll("svg rect[tabindex], svg rect[role='img'], svg g rect");
const rowsIn = (box: HTMLElement) => within(box).getAllByRole("row").slice(1);

const lines = [
  { key: "A", zh: "划伤", en: "Scratch", cases: 6, cost: 0 },
  { key: "B", zh: "尺寸", en: "Size", cases: 3, cost: 0 },
  { key: "C", zh: "色差", en: "Colour", cases: 1, cost: 0 },
];

describe("chart data", () => {
  test("pareto bars carry the running share of the listed total, or of a total given", () => {
    expect(paretoBars(lines, "zh").map((b) => [b.label, b.cumulative])).toEqual([
      ["划伤", 0.6],
      ["尺寸", 0.9],
      ["色差", 1],
    ]);
    expect(paretoBars(lines, "en", 20).map((b) => [b.label, b.cumulative])).toEqual([
      ["Scratch", 0.3],
      ["Size", 0.45],
      ["Colour", 0.5],
    ]);
    // A share already worked out (the monthly review's, of all the month's cases) is kept.
    expect(paretoBars([{ key: "(rest)", zh: "其余", en: "Rest", cases: 2, cumulative: 0.99 }], "en")[0]).toMatchObject({ label: "Rest", cumulative: 0.99 });
  });

  test("months read as short ticks in each language, every other one when narrow; the on-time history adds every clock", () => {
    expect(monthTick("2026-03", "zh")).toBe("3月");
    expect(monthTick("2026-12", "en")).toBe("Dec");
    expect(monthTicks(12, 600)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(monthTicks(12, 300)).toEqual([1, 3, 5, 7, 9, 11]);
    const h = onTimeOverall([
      { clock: "R", zh: "回复", en: "Reply", month: "2026-02", met: 1, missed: 1, rate: 0.5 },
      { clock: "R", zh: "回复", en: "Reply", month: "2026-01", met: 1, missed: 0, rate: 1 },
      { clock: "C", zh: "结案", en: "Close", month: "2026-02", met: 3, missed: 1, rate: 0.75 },
    ]);
    expect(h).toEqual({ months: ["2026-01", "2026-02"], rates: [1, 0.6667] });
  });
});

describe("charts", () => {
  test("a Pareto draws a bar per line and its table the same figures", () => {
    render(inPane("zh", <ParetoChart testid="p" title={{ zh: "不良", en: "Defects" }} bars={paretoBars(lines, "zh")} />));
    const box = screen.getByTestId("p");
    const svg = within(box).getByTestId("p-chart").querySelector("svg")!;
    expect(svg.getAttribute("aria-label")).toContain("3 项");
    expect(barsIn(screen.getByTestId("p-chart")).length).toBeGreaterThanOrEqual(3);
    // The cumulative line: one point per bar.
    expect(svg.querySelectorAll("circle").length).toBe(3);
    expect(rowsIn(screen.getByTestId("p-table")).map((r) => r.textContent)).toEqual(["划伤660.0%", "尺寸390.0%", "色差1100.0%"]);
  });

  test("four bars for four lines", () => {
    const four = [...lines, { key: "D", zh: "异响", en: "Noise", cases: 1, cost: 0 }];
    render(inPane("zh", <ParetoChart testid="p4" title={{ zh: "不良", en: "Defects" }} bars={paretoBars(four, "zh")} />));
    const chart = screen.getByTestId("p4-chart");
    expect(chart.querySelectorAll("svg circle").length).toBe(4);
    expect(chart.querySelector("svg")!.getAttribute("aria-label")).toContain("4 项");
  });

  test("the table switch shows the figures and says so to assistive technology", async () => {
    render(
      inPane(
        "en",
        <OnTimeChart testid="o" title={{ zh: "准时率", en: "On time" }} clocks={[{ clock: "R", zh: "回复", en: "Reply", met: 3, missed: 1, rate: 0.75 }]} />,
      ),
    );
    const sw = screen.getByTestId("o-table-switch");
    expect(sw.getAttribute("aria-expanded")).toBe("false");
    expect(screen.getByTestId("o-table").getAttribute("style")).toContain("position: absolute");
    await userEvent.setup().click(sw);
    expect(sw.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("o-table").getAttribute("style") ?? "").not.toContain("position: absolute");
    expect(rowsIn(screen.getByTestId("o-table"))[0].textContent).toBe("Reply75.0%3/4");
  });

  test("the trend draws a point per month and line, with month ticks in the pane's language", () => {
    const months = ["2026-01", "2026-02", "2026-03"].map((month, i) => ({ month, received: i + 1, closed: i, openAtEnd: 1 }));
    const { rerender } = render(inPane("zh", <TrendChart testid="t" title={{ zh: "趋势", en: "Trend" }} months={months} />));
    const svg = () => screen.getByTestId("t-chart").querySelector("svg")!;
    expect(svg().textContent).toContain("3月");
    expect(svg().getAttribute("aria-label")).toContain("3 个月");
    expect(rowsIn(screen.getByTestId("t-table")).length).toBe(3);
    rerender(inPane("en", <TrendChart testid="t" title={{ zh: "趋势", en: "Trend" }} months={months} />));
    expect(svg().textContent).toContain("Mar");
    expect(svg().getAttribute("aria-label")).toContain("3 months");
    expect(screen.getAllByText("Received").length).toBeGreaterThan(0);
  });

  test("an empty period says so instead of drawing", () => {
    render(inPane("en", <ParetoChart testid="e" title={{ zh: "不良", en: "Defects" }} bars={[]} />));
    expect(screen.getByTestId("e").textContent).toContain("No figures for this period");
    expect(screen.queryByTestId("e-chart")).toBeNull();
  });
});

test("the Dashboard tab draws its figures: a bar per top defect and per clock of the latest month", async () => {
  const ledger = await sampleLedger();
  const d = buildDashboard(
    ledger.rows.map((r) => r.case),
    ledger.policy,
    calendarFor(ledger.policy),
    todayIn(NOW, ledger.policy.settings.timeZone),
  );
  expect(d.topDefects.length).toBeGreaterThan(0);
  renderPane(ledger, undefined, { initialTab: "dashboard" });
  const defects = await screen.findByTestId("dash-chart-defects-chart");
  await act(async () => undefined);
  expect(defects.querySelectorAll("svg circle").length).toBe(d.topDefects.length);
  expect(rowsIn(screen.getByTestId("dash-chart-defects-table")).length).toBe(d.topDefects.length);
  const last = d.onTime[d.onTime.length - 1]?.month;
  const clocks = d.onTime.filter((o) => o.month === last);
  expect(rowsIn(screen.getByTestId("dash-chart-ontime-table")).length).toBe(clocks.length);
  expect(screen.getByTestId("dash-chart-trend-chart").querySelector("svg path")).toBeTruthy();
  // Four charts on one screen: Fluent's fixed chart ids are made unique per box.
  const ids = Array.from(document.querySelectorAll("[id]")).map((e) => e.id);
  expect(ids.filter((id) => id.startsWith("chart_")).length).toBe(4);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
});

describe("the Review tab", () => {
  test("opens on the previous month on the ledger's clock, draws its Pareto, trend and on-time figures, and follows the month picker", async () => {
    const ledger = await sampleLedger(hostStore());
    const today = todayIn(NOW, ledger.policy.settings.timeZone);
    const month = shiftMonth(monthOf(today), -1);
    const r = monthlyReview(
      ledger.rows.map((x) => x.case),
      month,
      ledger.policy,
      { audit: ledger.auditEntries(), costLines: ledger.costLines, today: ledger.today() },
    );
    renderPane(ledger, undefined, { initialTab: "review" });
    const picker = (await screen.findByTestId("review-month")) as HTMLSelectElement;
    expect(picker.value).toBe(month);
    expect(screen.getByTestId("review-received").textContent).toBe(String(r.received));
    expect(screen.getByTestId("review-open").textContent).toBe(String(r.openAtEnd));
    expect(screen.getByTestId("review-debits").textContent).toMatch(new RegExp(`^${r.money.debitsToBook.length} · `));
    await act(async () => undefined);
    // A bar (a point of the cumulative line) per Pareto line, the rest line included; a table row each.
    const pareto = screen.queryByTestId("review-pareto-chart");
    if (r.pareto.defects.length) {
      expect(pareto!.querySelectorAll("svg circle").length).toBe(r.pareto.defects.length);
      expect(rowsIn(screen.getByTestId("review-pareto-table")).length).toBe(r.pareto.defects.length);
    } else expect(pareto).toBeNull();
    expect(rowsIn(screen.getByTestId("review-trend-table")).length).toBe(12);
    expect(screen.getByTestId("review-trend-chart").querySelectorAll("svg path").length).toBeGreaterThan(0);
    // Another dimension: the customers' Pareto.
    await userEvent.setup().selectOptions(screen.getByTestId("review-pareto-of"), "customers");
    expect(rowsIn(screen.getByTestId("review-pareto-table")).length).toBe(r.pareto.customers.length);
    // An empty month (two years back: the sample has nothing then) says so, drawing nothing.
    const empty = shiftMonth(monthOf(today), -23);
    expect(
      monthlyReview(
        ledger.rows.map((x) => x.case),
        empty,
        ledger.policy,
      ).received,
    ).toBe(0);
    await userEvent.setup().selectOptions(picker, empty);
    expect(screen.getByTestId("review-received").textContent).toBe("0");
    expect(screen.getByTestId("review-pareto").textContent).toContain("本期无数据");
    expect(screen.getByTestId("review-ontime").textContent).toContain("本期无数据");
    expect(screen.getByTestId("review-pareto").querySelector("svg")).toBeNull();
  });

  test("in English, and writes the 月度检讨 Review sheet of the chosen month", async () => {
    const store = hostStore();
    const written: string[] = [];
    (store as unknown as { writeSheet: (l: SheetLayout) => Promise<string> }).writeSheet = async (l) => {
      written.push(JSON.stringify(l.blocks[0].rows));
      return l.name;
    };
    const ledger = await sampleLedger(store);
    const month = shiftMonth(monthOf(todayIn(NOW, ledger.policy.settings.timeZone)), -1);
    renderPane(ledger, undefined, { initialTab: "review", initialLang: "en" });
    await screen.findByTestId("review-month");
    expect(screen.getByTestId("review-summary").textContent).toContain("Received");
    expect(screen.getByTestId("review-trend").textContent).toContain("12-month trend");
    await userEvent.setup().click(screen.getByTestId("review-write"));
    await screen.findByText(/Wrote the worksheet/);
    expect(written.length).toBe(1);
    expect(written[0]).toContain(month);
  });
});
