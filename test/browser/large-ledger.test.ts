/**
 * The built workbench on a ledger far larger than its sample (issue 15), in
 * Debian's chromium at 320 px: the file is read in the workbench's worker by
 * the fast reader (DecompressionStream, no exceljs workbook: an unchanged
 * download is the opened file byte for byte; the first write parses it with
 * exceljs and the download holds the write), and however many cases it
 * lists the page holds a bounded number of elements — the lists are
 * virtualized — while each list still tells a screen reader how many cases
 * it has, and the keyboard reaches the last.
 * Elements are counted, never timed (timing is bench/pane-open.js's job).
 * A save of cells goes into the file's parts in the worker, and the download re-deflates only the blocks around
 * the changed rows (decision #117) through Chromium's own DecompressionStream, which refuses what Node's lets pass.
 *
 * The page's clock is pinned to the day the ledger was generated for.
 * Uses dist/ when it is newer than src/ (CI builds it just before the tests),
 * otherwise a production build in a temporary folder. Skipped, saying why,
 * when /usr/bin/chromium is missing.
 */
import { mkdtempSync, readFileSync, rmSync } from "fs";
import type { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser, Page } from "playwright-core";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { generateSample } from "../../src/sample/ledger-sample";
import { Ledger } from "../../src/ledger/service";
import { XlsxStore } from "../../src/stores/xlsx/store";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { loadWorkbook } from "../../src/stores/workbench/open";
import { browserSuite, launchChromium, ownConsoleError, paneDist, serve } from "./harness";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120_000);

const CASES = 5000;
/** The budget for the whole page. */
const MAX_ELEMENTS = 5000;
/** The day the ledger is generated for and the page believes it is. */
const TODAY = shanghai(2026, 5, 30, 10, 0, 0);
const suite = browserSuite();

suite(`workbench on a ${CASES.toLocaleString("en")}-case ledger`, () => {
  let temp: string;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let file: string;
  let d: Awaited<ReturnType<typeof generateSample>>;
  const errors: string[] = [];

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "cl-large-"));
    ({ server, url: base } = await serve(await paneDist(temp)));

    d = await generateSample({ cases: CASES, audit: false });
    const wb = createLedgerWorkbook({
      policy: defaultPolicy(),
      header: d.header,
      rows: d.rows,
      peopleRows: d.peopleRows,
      auditRows: d.auditRows,
      meta: d.meta,
      now: TODAY,
    });
    file = join(temp, "大台账-large.xlsx");
    await wb.xlsx.writeFile(file);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 320, height: 720 }, locale: "zh-CN" });
    await page.clock.install({ time: TODAY });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (ownConsoleError(m)) errors.push(m.text());
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  const elements = () => page.evaluate(() => document.getElementsByTagName("*").length);
  const rows = (testid: string) => page.getByTestId(testid).getByRole("listitem");

  test("opens in the worker and lists every open case with a bounded DOM; End reaches the last case", async () => {
    await page.goto(`${base}taskpane.html`);
    await page.getByText(/示例台账 sample-ledger\.xlsx/).waitFor({ timeout: 60_000 });
    const sampleOpen = Number(await page.getByTestId("count-open").getAttribute("aria-label"));

    await page.setInputFiles('[data-testid="open-xlsx"]', file);
    // The workbench bar names the file once its ledger is on screen (the progress line names it before).
    await page.locator(".cl-file", { hasText: "大台账-large.xlsx" }).waitFor({ timeout: 90_000 });
    const open = Number(await page.getByTestId("count-open").getAttribute("aria-label"));
    expect(open).toBeGreaterThan(sampleOpen * 5);
    expect(open).toBeGreaterThan(500);

    await page.getByTestId("list-open").click();
    const list = page.getByTestId("items-open");
    await list.waitFor();
    expect(await list.getAttribute("data-count")).toBe(String(open));
    const shown = await rows("items-open").count();
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
    // What the list would cost unvirtualized, from its own rows, against what the page holds.
    const perRow = await rows("items-open")
      .first()
      .evaluate((el) => el.getElementsByTagName("*").length + 1);
    expect(perRow * open).toBeGreaterThan(MAX_ELEMENTS);
    expect(await elements()).toBeLessThan(MAX_ELEMENTS);
    expect(await rows("items-open").first().getAttribute("aria-setsize")).toBe(String(open));

    await rows("items-open").first().getByRole("button").focus();
    await page.keyboard.press("End");
    const last = list.locator(`[aria-posinset="${open}"]`);
    await last.waitFor();
    await expect(last.getByRole("button").evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    expect(await rows("items-open").count()).toBeLessThan(40);
    expect(await elements()).toBeLessThan(MAX_ELEMENTS);
    expect(errors).toEqual([]);
  });

  test("views, dashboard and finance stay within the budget too", async () => {
    await page.getByRole("tab", { name: "视图", exact: true }).click();
    await page.getByTestId("view-open").click();
    const listed = page.getByTestId("view-items");
    await listed.waitFor();
    expect(Number(await listed.getAttribute("data-count"))).toBeGreaterThan(500);
    expect(await elements()).toBeLessThan(MAX_ELEMENTS);

    await page.getByRole("tab", { name: "看板", exact: true }).click();
    await page.getByTestId("dash-summary").waitFor();
    expect(Number(await page.getByTestId("dash-cases").textContent())).toBe(CASES);
    expect(await elements()).toBeLessThan(MAX_ELEMENTS);

    await page.getByRole("tab", { name: "财务", exact: true }).click();
    await page.getByTestId("finance-summary").waitFor();
    expect(await elements()).toBeLessThan(MAX_ELEMENTS);
    expect(errors).toEqual([]);
  });

  test("cells saved into the parts in the worker: the download, spliced from the checkpoints in Chromium, holds them and every other row as it was", async () => {
    const p = await browser.newPage();
    const warnings: string[] = [];
    p.on("worker", (w) => w.on("console", (m) => ["warning", "error"].includes(m.type()) && warnings.push(m.text())));
    await p.goto(`${base}functions.html`);
    const header = d.header.map(String);
    const col = header.findIndex((h) => h.startsWith("产品名称"));
    // The first rows, two far on, and the last (its stretch runs to the end of the sheet's deflate stream).
    const edited = new Map([0, 1, 1700, 3400, CASES - 1].map((row) => [row, `浏览器改 ${row}`]));
    const b64 = await p.evaluate(
      async ({ bin, now, updates }) => {
        const bytes = Uint8Array.from(atob(bin), (c) => c.charCodeAt(0));
        const w = new Worker("workbench-worker.js", { name: "workbench-worker" });
        let seq = 0;
        const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
        w.onmessage = (e) => pending.get(e.data.id)?.(e.data);
        const call = <T>(req: object, transfer: Transferable[] = []) =>
          new Promise<T>((ok, fail) => {
            const id = ++seq;
            pending.set(id, (m) => (m.error ? fail(new Error(m.error.message)) : ok(m.result as T)));
            w.postMessage({ id, req }, transfer);
          });
        const o = await call<{ gen: number }>({ op: "open", name: "big.xlsx", bytes: bytes.buffer, now: new Date(now) }, [bytes.buffer]);
        // Two saves, as two clicks: the second's rows merge with the first's.
        for (const half of [updates.slice(0, 2), updates.slice(2)])
          await call({
            op: "store",
            gen: o.gen,
            method: "write",
            args: [{ updates: half, meta: { "browser.test": String(half.length) } }],
            now: new Date(now),
          });
        const blob = await call<Blob>({ op: "bytes", gen: o.gen });
        const out = new Uint8Array(await blob.arrayBuffer());
        let text = "";
        for (let i = 0; i < out.length; i += 32768) text += String.fromCharCode(...out.subarray(i, i + 32768));
        return btoa(text);
      },
      { bin: readFileSync(file).toString("base64"), now: TODAY.getTime(), updates: [...edited].map(([row, value]) => ({ row, col, value })) },
    );
    await p.close();
    expect(warnings).toEqual([]);
    const saved = Buffer.from(b64, "base64");
    const read = async (buf: Buffer) => {
      const l = new Ledger(new XlsxStore(await loadWorkbook(new Uint8Array(buf).slice().buffer)));
      await l.load();
      return l;
    };
    const [before, after] = [await read(readFileSync(file)), await read(saved)];
    expect(after.rows).toHaveLength(CASES);
    expect(after.rows.map((r) => r.case.product)).toEqual(before.rows.map((r, i) => edited.get(i) ?? r.case.product));
    expect(after.rows.map((r) => r.case.caseNo)).toEqual(before.rows.map((r) => r.case.caseNo));
    expect(after.meta["browser.test"]).toBe("3");
  });

  test("read by the fast path: unchanged, the download is the opened file; after a write (a person added) it holds the write", async () => {
    const download = async () => {
      const [d] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 .xlsx" }).click()]);
      return readFileSync((await d.path())!);
    };
    // exceljs would have written the workbook anew (new zip, new timestamps): the same bytes mean it never parsed it.
    expect((await download()).equals(readFileSync(file))).toBe(true);

    await page.selectOption("#cl-actor", "王建国"); // the quality manager maintains People
    await page.getByRole("tab", { name: "人员", exact: true }).click();
    const people = page.getByTestId("people");
    await people.locator('[name="personName"]').fill("郑新");
    await people.getByRole("checkbox", { name: "客服专员", exact: true }).check();
    await people.getByRole("button", { name: "添加", exact: true }).click();
    await people.getByText("已添加 郑新").waitFor({ timeout: 90_000 });

    const saved = await download();
    expect(saved.equals(readFileSync(file))).toBe(false);
    const u8 = new Uint8Array(saved);
    const ledger = new Ledger(new XlsxStore(await loadWorkbook(u8.slice().buffer)));
    await ledger.load();
    expect(ledger.rows).toHaveLength(CASES);
    expect(ledger.people).toEqual(expect.arrayContaining([expect.objectContaining({ name: "郑新", roles: ["CS"] })]));
    expect(ledger.auditEntries().some((e) => e.user === "王建国")).toBe(true);
    expect(errors).toEqual([]);
  });
});
