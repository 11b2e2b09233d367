/**
 * The pane's charts in a real browser (issue 23): the BUILT workbench on its sample ledger, 320 px wide like
 * Excel's task pane, the page's clock pinned. The Review tab opens on the previous month, draws its Pareto,
 * trend and on-time charts (SVG with drawn shapes), fits the width in both languages, and writes its sheet; the
 * Dashboard draws its figures too. Screenshots go to build/artifacts/ (30-…) for people to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import type { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { ARTIFACTS, browserSuite, launchChromium, ownConsoleError, paneDist, serve } from "./harness";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120_000);

const suite = browserSuite();

suite("charts in chromium at 320 px", () => {
  let out: string;
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  /** Tuesday 10 March 2026 on the ledger's clock: the review opens on 2026-02. */
  const NOW = shanghai(2026, 2, 10, 9, 30);

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "cl-charts-"));
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, url: base } = await serve(await paneDist(out)));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 320, height: 720 }, deviceScaleFactor: 2, locale: "zh-CN" });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (ownConsoleError(m)) errors.push(m.text());
    });
    await page.clock.install({ time: NOW });
    await page.goto(`${base}taskpane.html`);
    await page.getByRole("tab", { name: "我的工作" }).waitFor({ timeout: 30_000 });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  /** A chart drawn: an SVG inside the box, as wide as its box and no wider, with `shape`s that have a size. */
  async function drawn(box: Locator, shape: string): Promise<number> {
    const svg = box.locator("svg").first();
    await svg.waitFor();
    const sizes = await svg.evaluate((el, sel) => {
      const r = el.getBoundingClientRect();
      const shapes = Array.from(el.querySelectorAll(sel)).map((s) => (s as SVGGraphicsElement).getBBox());
      return { width: r.width, height: r.height, right: r.right, shapes: shapes.filter((b) => b.width > 0 || b.height > 0).length };
    }, shape);
    expect(sizes.width).toBeGreaterThan(200);
    expect(sizes.height).toBeGreaterThan(100);
    expect(sizes.right).toBeLessThanOrEqual(320);
    return sizes.shapes;
  }

  test("the Review tab: previous month, Pareto, trend and on-time charts drawn, no horizontal overflow, both languages, the sheet written", async () => {
    await page.getByRole("tab", { name: "检讨", exact: true }).click();
    const month = page.getByTestId("review-month");
    await month.waitFor();
    expect(await month.inputValue()).toBe("2026-02");
    const received = Number(await page.getByTestId("review-received").textContent());
    expect(received).toBeGreaterThan(0);
    const paretoRows = await page.getByTestId("review-pareto-table").locator("tbody tr").count();
    expect(paretoRows).toBeGreaterThan(0);
    // One bar per Pareto line, and the cumulative line's path.
    expect(await drawn(page.getByTestId("review-pareto-chart"), "rect")).toBeGreaterThanOrEqual(paretoRows);
    expect(await drawn(page.getByTestId("review-pareto-chart"), "path")).toBeGreaterThan(0);
    expect(await drawn(page.getByTestId("review-trend-chart"), "path")).toBeGreaterThan(0);
    expect(await drawn(page.getByTestId("review-ontime-chart"), "rect")).toBeGreaterThan(0);
    await fits();
    await page.screenshot({ path: join(ARTIFACTS, "30-review-tab.png"), fullPage: true });

    // The table switch shows the Pareto's figures; still within the width.
    await page.getByTestId("review-pareto-table-switch").click();
    await page.getByTestId("review-pareto-table").locator("tbody tr").first().waitFor({ state: "visible" });
    await fits();

    // Keyboard: Tab reaches the chart's bars (Fluent's focus group).
    await page.getByTestId("review-pareto-of").focus();
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => !!document.activeElement?.closest('[data-testid="review-pareto-chart"]'));
    }
    expect(reached).toBe(true);

    await page.getByTestId("review-write").click();
    await page.getByText(/已写入工作表/).waitFor({ timeout: 30_000 });

    await page.getByTestId("lang-switch").click();
    await page.getByText("12-month trend").waitFor();
    expect(await page.getByTestId("review-trend-chart").locator("svg").textContent()).toMatch(/Feb/);
    await fits();
    await page.screenshot({ path: join(ARTIFACTS, "31-review-tab-en.png"), fullPage: true });
    await page.getByTestId("lang-switch").click();
    expect(errors).toEqual([]);
  });

  test("the Dashboard draws its on-time and defect figures as charts within 320 px", async () => {
    await page.getByRole("tab", { name: "看板", exact: true }).click();
    const defects = page.getByTestId("dash-chart-defects-chart");
    await defects.waitFor({ timeout: 30_000 });
    expect(await drawn(defects, "rect")).toBeGreaterThan(0);
    expect(await drawn(page.getByTestId("dash-chart-trend-chart"), "path")).toBeGreaterThan(0);
    await fits();
    await page.screenshot({ path: join(ARTIFACTS, "32-dashboard-charts.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
