/**
 * The BUILT task pane in a real browser (Debian's chromium through
 * playwright-core), 320 px wide like Excel's task pane, outside Office (so on
 * the workbench sample ledger): an intake, a disposition and an approval, a
 * case's whole life from complaint to closed, and people added to a freshly
 * adopted workbook, with screenshots saved to build/artifacts/ for people to
 * look at. Each test has its own browser context (page, clock, errors), and
 * the page's clock is pinned: nothing depends on the day the suite runs.
 *
 * The production build (harness.ts: dist/ when current, else a temporary
 * one) is served by a tiny http server. Skipped, saying why, when
 * /usr/bin/chromium is missing (CI installs it: see .ci/run).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import type { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { ARTIFACTS, browserSuite, launchChromium, ownConsoleError, paneDist, serve } from "./harness";
import { shanghai } from "../fakes/clock";
import { inflatePart, unzipParts } from "../stores/xlsx/zip-kit";

jest.setTimeout(90_000);

const suite = browserSuite();

suite("task pane in chromium at 320 px", () => {
  let out: string;
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let errors: string[];
  /** The pane's "today": a Tuesday in a year with official holiday data. */
  const NOW = shanghai(2026, 2, 10, 9, 30);
  const TODAY = "2026-03-10";

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "cl-pane-"));
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, url: base } = await serve(await paneDist(out)));
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** A fresh page of its own: new context, pinned clock, its own error list. */
  async function open(path: string): Promise<void> {
    context = await browser.newContext({ viewport: { width: 320, height: 720 }, deviceScaleFactor: 2, locale: "zh-CN", acceptDownloads: true });
    page = await context.newPage();
    // A step that cannot happen fails on its own locator, well before the test's time is up.
    page.setDefaultTimeout(15_000);
    errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (ownConsoleError(m)) errors.push(m.text());
    });
    await page.clock.install({ time: NOW });
    await page.goto(`${base}${path}`);
    await page.getByRole("tab", { name: "我的工作" }).waitFor({ timeout: 20_000 });
  }

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const iAm = (name: string) => page.selectOption("#cl-actor", name);
  const tab = (name: string) => page.getByRole("tab", { name, exact: true }).click();
  const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  /** Finds a case from the header's search box, keyboard only. */
  async function find(text: string, caseNo?: string) {
    await page.getByTestId("find").fill(text);
    await page.locator("#cl-find-list [role=option]").first().waitFor();
    await page.getByTestId("find").press("Enter");
    if (caseNo) await page.getByRole("heading", { name: caseNo }).waitFor();
  }

  test("loads outside Office on the small demo ledger, in Chinese, with the work lists", async () => {
    await open("taskpane.html?sample=small");
    await iAm("赵总");
    await page.getByTestId("count-toSign").filter({ hasText: "1" }).waitFor();
    // No horizontal scrolling at the task pane's narrowest.
    await fits();
    await shot("01-my-work");
    expect(errors).toEqual([]);
  });

  test("intake: required fields refused inline, then a case is logged", async () => {
    await open("taskpane.html?sample=small");
    await iAm("王芳");
    await tab("登记");
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.getByText("请填写客户").waitFor();
    await shot("02-intake-errors");
    await page.selectOption('[name="kind"]', "COMPLAINT");
    await page.fill('[name="customer"]', "苏州精工");
    await page.selectOption('[name="customerClass"]', "A");
    await page.fill('[name="product"]', "电机支架");
    await page.fill('[name="quantity"]', "12");
    await page.fill('[name="defect"]', "孔位偏移 2mm,无法装配");
    await page.getByRole("checkbox", { name: "先补发" }).check();
    await page.getByTestId("replacement-first").waitFor();
    await page.getByTestId("intake-clocks").waitFor();
    await shot("03-intake-filled");
    const next = await page.getByTestId("next-case-no").textContent();
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.getByText(`已登记 ${next}`).waitFor();
    await shot("04-intake-saved");
    expect(errors).toEqual([]);
  });

  test("judgement, responsibility and disposition of a returned lot; a role not held is refused, the quality manager signs", async () => {
    await open("taskpane.html?sample=small");
    await iAm("李娜");
    await page.getByTestId("list-open").click();
    const caseNo = (await page.locator(".cl-item", { hasText: "深圳恒通" }).first().locator("strong").textContent())!;
    await page.locator(".cl-item", { hasText: "深圳恒通" }).first().click();
    await page.getByRole("heading", { name: caseNo }).waitFor();
    const judged = page.getByTestId("step-JUDGED");
    await judged.getByRole("radio", { name: "属实", exact: true }).check();
    await judged.locator('[name="rootCause"]').fill("外箱压损,运输途中损坏");
    await judged.locator('[name="severity"]').selectOption("MINOR");
    await judged.getByRole("button", { name: "保存判定" }).click();
    await page.getByText('已保存,状态更新为"已判定"').waitFor();
    const resp = page.getByTestId("step-RESPONSIBILITY");
    await resp.locator('[name="responsibilityText"]').fill("物流运输途中损坏");
    await resp.getByRole("button", { name: "物流", exact: true }).click();
    await resp.getByTestId("charge-explained").waitFor();
    await resp.getByRole("button", { name: "保存责任" }).click();
    await page.getByText('已保存,状态更新为"已定责"').waitFor();
    const disp = page.getByTestId("step-DISPOSITION");
    await disp.getByRole("radio", { name: /^报废/ }).check();
    await disp
      .getByTestId("approvals-needed")
      .getByText(/报废申请单/)
      .waitFor();
    await shot("05-disposition");
    await disp.getByRole("button", { name: "保存处理方案" }).click();
    await page.getByText('已保存,状态更新为"已定方案"').waitFor();
    expect(await page.getByTestId("step-APPROVED").getAttribute("data-status")).toBe("current");
    await shot("06-case-stepper");

    await iAm("张伟");
    const appr = page.getByTestId("step-APPROVED");
    await appr.locator('[name="signRole"]').selectOption("VP");
    await appr.getByRole("button", { name: "签核", exact: true }).click();
    await appr.getByText("签核被拒绝").waitFor();
    await shot("07-sign-refused");
    await appr.locator('[name="signRole"]').selectOption("QUALITY_MANAGER");
    await appr.locator('[name="signComment"]').fill("同意报废");
    await appr.getByRole("button", { name: "签核", exact: true }).click();
    await appr.getByText(/已以品质部经理身份签核/).waitFor();
    expect(await appr.getByTestId("unsigned-count").textContent()).toBe("仍有 1 处未签核");
    await shot("08-signed");
    // Another person: the message about the last signature does not stay behind.
    await iAm("赵总");
    await appr.getByTestId("unsigned-count").waitFor();
    expect(await appr.getByText(/已以品质部经理身份签核/).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test("8D for the serious case, blocked by confidential terms; English switch", async () => {
    await open("taskpane.html?sample=small");
    await iAm("李娜");
    await page.locator(".cl-item", { hasText: "华东机电" }).filter({ hasText: "控制器外壳" }).first().click();
    const replied = page.getByTestId("step-REPLIED");
    await replied.getByRole("button", { name: /回复客户/ }).click();
    await replied.getByTestId("eightd").waitFor();
    expect(await replied.getByTestId("confidential-hit").count()).toBe(2);
    expect(await replied.getByRole("button", { name: "下载 8D .docx" }).isDisabled()).toBe(true);
    await replied.getByTestId("confidential").screenshot({ path: join(ARTIFACTS, "09-8d-confidential.png") });
    await page.getByTestId("lang-switch").click();
    await page.getByRole("tab", { name: "My work" }).waitFor();
    // The workbench bar above the pane follows the switch too.
    await page
      .getByRole("toolbar", { name: "Workbench" })
      .getByText(/^Workbench: /)
      .waitFor();
    await shot("10-english");
    expect(errors).toEqual([]);
  });

  test("a case's whole life: complaint → goods back → scrap with the VP's signature → 8D refused, then exported → close refused with the checklist → completed → closed", async () => {
    await open("taskpane.html?sample=small");
    // The warehouse receives a complaint's goods: found by part number from the search box.
    await iAm("刘强");
    await find("HK-220");
    const caseNo = (await page.locator(".cl-casehead h2").textContent())!;
    const goods = page.getByTestId("step-GOODS_BACK");
    expect(await goods.getAttribute("data-status")).toBe("optional");
    await goods.getByRole("button", { name: /退货回厂/ }).click();
    await goods.locator('[name="goodsBackAt"]').fill(TODAY);
    await goods.getByRole("button", { name: "登记回厂" }).click();
    await goods.getByText("已保存").waitFor();
    expect(await goods.getAttribute("data-status")).toBe("done");

    // The CQE may now scrap: a disposition that needs the goods back.
    await iAm("李娜");
    const disp = page.getByTestId("step-DISPOSITION");
    await disp.getByRole("radio", { name: /^报废/ }).check();
    await disp.getByRole("button", { name: "保存处理方案" }).click();
    await page.getByText('已保存,状态更新为"已定方案"').waitFor();
    await shot("13-complaint-goods-back-scrap");

    // The VP signs the scrap application.
    await iAm("赵总");
    const appr = page.getByTestId("step-APPROVED");
    await appr.locator('[name="signRole"]').selectOption("VP");
    await appr.getByRole("button", { name: "签核", exact: true }).click();
    await appr.getByText(/已以副总裁身份签核/).waitFor();

    // The 8D cannot leave before the quality manager and the department head sign.
    await iAm("李娜");
    let replied = page.getByTestId("step-REPLIED");
    await replied.getByRole("button", { name: /回复客户/ }).click();
    const blockers = replied.getByTestId("eightd-blockers");
    await blockers.waitFor();
    expect(await blockers.textContent()).toMatch(/品质部经理.*部长/);
    expect(await replied.getByRole("button", { name: "下载 8D .docx" }).isDisabled()).toBe(true);
    await replied.getByTestId("eightd").screenshot({ path: join(ARTIFACTS, "14-8d-refused.png") });

    await iAm("张伟");
    // A signature approves one named document (issue 21): the quality manager and the department head each sign
    // the documents of the approvals step that wait for them, one click a document.
    expect(await signEveryDocument(appr)).toEqual(["DEPT_HEAD", "QUALITY_MANAGER"]);
    await appr.getByText("全部已签核").waitFor();

    // The 8D states only what is recorded (issue 22): the containment check goes on record before it can leave.
    const details = page.getByTestId("evidence-details");
    await details.locator("summary").click();
    const ev = details.getByTestId("evidence");
    await ev.locator('[name="evidence-kind"]').selectOption("CONTAINMENT");
    await ev.locator('[name="evidence-scope"]').selectOption("STOCK");
    await ev.locator('[name="evidence-checked"]').fill("400");
    await ev.locator('[name="evidence-defective"]').fill("0");
    await ev.locator('[name="evidence-result"]').fill("库存排查合格");
    await ev.getByRole("button", { name: "记录" }).click();
    await ev.getByText("已记录证据").waitFor();

    // Signed: confidential terms replaced, the unfilled sections acknowledged, then downloaded.
    replied = page.getByTestId("step-REPLIED");
    await replied.getByRole("button", { name: /回复客户/ }).click();
    const eightd = replied.getByTestId("eightd");
    await eightd.waitFor();
    expect(await replied.getByTestId("eightd-blockers").count()).toBe(0);
    while (await eightd.getByTestId("confidential-hit").count()) {
      await eightd.getByTestId("confidential-hit").first().getByRole("button", { name: "替换为 ***" }).click();
    }
    await eightd.getByTestId("eightd-unfilled").getByRole("checkbox").check();
    const [download] = await Promise.all([page.waitForEvent("download"), eightd.getByRole("button", { name: "下载 8D .docx" }).click()]);
    expect(download.suggestedFilename()).toBe(`8D-${caseNo}-zh.docx`);
    // The Word file's text: its document part, tags dropped.
    const docx = unzipParts(readFileSync((await download.path())!));
    const html = inflatePart(docx.find((x) => x.name === "word/document.xml")!).replace(/<[^>]+>/g, "");
    expect(html).toContain("D4 根本原因分析");
    expect(html).not.toMatch(/宏达塑胶|保压/);
    expect(html).toContain("案件尚未结案");

    // Closing now is refused, with what is missing and who must act.
    const closed = page.getByTestId("step-CLOSED");
    await closed.getByRole("button", { name: /结案/ }).first().click();
    const panel = closed.getByTestId("close-panel");
    await panel.getByRole("button", { name: "结案", exact: true }).click();
    await panel.getByText("不能结案").waitFor();
    const checklist = await panel.getByTestId("close-checklist").textContent();
    expect(checklist).toMatch(/执行.*缺少执行完成日期/);
    expect(checklist).toMatch(/回复客户.*缺少回复日期/);
    expect(checklist).toContain("8D");
    expect(checklist).toMatch(/缺少费用/);
    await fits();
    await shot("15-close-refused");

    // Complete the steps, then close.
    const executed = page.getByTestId("step-EXECUTED");
    await executed.locator('[name="executedAt"]').fill(TODAY);
    await executed.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByText('已保存,状态更新为"已执行"').waitFor();
    replied = page.getByTestId("step-REPLIED");
    // Every reply's measures are reviewed by the quality manager and the department head (REPLY_REVIEW, issue 21).
    expect(await signEveryDocument(replied)).toEqual(["DEPT_HEAD", "QUALITY_MANAGER"]);
    expect(await replied.getByTestId("unsigned-count").textContent()).toBe("全部已签核");
    await replied.locator('[name="repliedAt"]').fill(TODAY);
    await replied.locator('[name="eightDStatus"]').selectOption("SENT");
    await replied
      .locator("form")
      .filter({ has: page.locator('[name="repliedAt"]') })
      .getByRole("button", { name: "保存", exact: true })
      .click();
    await page.getByText('已保存,状态更新为"已回复"').waitFor();
    await closed.locator('[name="cost"]').fill("1500");
    await closed
      .locator("form")
      .filter({ has: page.locator('[name="cost"]') })
      .getByRole("button", { name: "保存", exact: true })
      .click();
    await closed.getByTestId("close-ready").waitFor();
    await closed.getByTestId("close-panel").getByRole("button", { name: "结案", exact: true }).click();
    await page.getByText("本案已结案").waitFor();
    expect(await page.locator(".cl-casehead .fui-Badge").first().textContent()).toBe("已结案");
    await shot("16-closed");
    expect(errors).toEqual([]);
  });

  test("workbench: the bundled sample ledger; a hand-kept .xlsx adopted with a corrected mapping; a person added, who then signs; the result downloaded", async () => {
    await open("taskpane.html");
    await page.getByText(/示例台账 sample-ledger\.xlsx/).waitFor();
    expect(Number(await page.getByTestId("count-open").getAttribute("aria-label"))).toBeGreaterThan(20);
    await shot("11-workbench-sample");

    // A hand-kept ledger: merged title, Chinese headers, a repeated number, a total row.
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("2025客诉");
    ws.addRow(["2025年客诉处置台账"]);
    ws.mergeCells("A1:I1");
    ws.addRow(["序号", "投诉日期", "客户名称", "品名", "不良描述", "责任单位", "是否加急", "金额", "跟单员"]);
    ws.addRow(["KS-2025-0001", "2025/3/5", "华为", "支架", "划伤", "供应商来料不良", "Y", "1,200元", "王芳"]);
    ws.addRow(["KS-2025-0001", "3月6日", '=HYPERLINK("x")', "壳体", "裂纹", "搬运损坏", "否", 30, "李娜"]);
    ws.addRow(["合计", null, null, null, null, null, null, 1230, null]);
    const input = join(out, "hand-kept.xlsx");
    await wb.xlsx.writeFile(input);

    await page.setInputFiles('[data-testid="open-xlsx"]', input);
    await page.getByRole("heading", { name: "接管现有台账" }).waitFor();
    await page.getByText("案件 2").waitFor();
    await page.locator('[name="map-8"]').selectOption("owner");
    await page.getByRole("checkbox", { name: /分配新单号/ }).check();
    await fits();
    await shot("12-adopt-mapping");
    await page.getByRole("button", { name: /确认接管 2 条案件/ }).click();
    await page.getByRole("tab", { name: "我的工作" }).waitFor({ timeout: 20_000 });

    // Nobody who may sign is on the People sheet yet (adoption may have listed the sheet's own names, without roles).
    await tab("人员");
    const people = page.getByTestId("people");
    await people.locator('[name="personName"]').fill("赵总");
    await people.getByRole("checkbox", { name: "副总裁", exact: true }).check();
    await people.getByRole("checkbox", { name: /这是我/ }).check();
    await fits();
    await shot("17-people-add");
    await people.getByRole("button", { name: "添加", exact: true }).click();
    await people.getByText("已添加 赵总").waitFor();
    expect(await page.locator("#cl-actor").inputValue()).toBe("赵总");
    await shot("18-people-added");

    // Signing as the new person: the urgent case needs a leader's approval.
    await find("KS-2025-0001", "KS-2025-0001");
    const appr = page.getByTestId("step-APPROVED");
    await appr.locator(".cl-steptitle").click();
    await appr.locator('[name="signRole"]').selectOption("VP");
    await appr.getByRole("form", { name: "签核" }).getByRole("button", { name: "签核" }).click();
    await appr.getByText(/已以副总裁身份签核/).waitFor();
    await shot("19-new-person-signed");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 .xlsx" }).click()]);
    const saved = join(out, "downloaded.xlsx");
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/^hand-kept-\d{8}\.xlsx$/);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(saved);
    expect(back.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["2025客诉", "备份 2025客诉", "导入问题 Problems", "审计 Audit"]));
    const { XlsxStore } = await import("../../src/stores/xlsx/store");
    const { Ledger } = await import("../../src/ledger/service");
    const ledger = new Ledger(new XlsxStore(back as never));
    await ledger.load();
    expect(ledger.rows.map((r) => [r.case.caseNo, r.case.owner, r.case.customer])).toEqual([
      ["KS-2025-0001", "王芳", "华为"],
      ["KS-2025-0002", "李娜", '=HYPERLINK("x")'],
    ]);
    expect(ledger.people).toEqual(expect.arrayContaining([expect.objectContaining({ name: "赵总", roles: ["VP"] })]));
    expect(ledger.find("KS-2025-0001")!.case.signatures.VP?.name).toBe("赵总");
    expect(ledger.auditEntries().map((e) => e.action)).toEqual(expect.arrayContaining(["PERSON_ADDED", "SIGNED"]));
    expect((await ledger.verifyAudit()).ok).toBe(true);
    expect(errors).toEqual([]);
  });

  /** The first year without bundled holiday data: derived, so the test moves on when the data does. */
  const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;

  test.each([
    [`${EST - 1}-12-28`, true],
    [`${EST}-01-04`, true],
    [`${EST}-06-15`, true],
  ])("workbench with the page clock at %s: case lists, due dates, the estimate banner", async (day, estimated) => {
    const p = await browser.newPage({ viewport: { width: 320, height: 720 }, deviceScaleFactor: 2, locale: "zh-CN" });
    const own: string[] = [];
    p.on("pageerror", (e) => own.push(String(e)));
    p.on("console", (m) => {
      if (ownConsoleError(m)) own.push(m.text());
    });
    try {
      await p.clock.setFixedTime(new Date(`${day}T10:00:00`));
      await p.goto(`${base}taskpane.html`);
      await p.getByRole("tab", { name: "我的工作" }).waitFor({ timeout: 30_000 });
      expect(Number(await p.getByTestId("count-open").getAttribute("aria-label"))).toBeGreaterThan(20);
      const banner = p.getByText(new RegExp(`${EST} 年的放假安排尚未公布或未导入`));
      expect(await banner.count()).toBe(estimated ? 1 : 0);
      await p.screenshot({ path: join(ARTIFACTS, `20-clock-${day}.png`), fullPage: true });
      if (day.endsWith("12-28")) {
        await p.getByTestId("estimate-import").click();
        await p.getByTestId(`year-source-${EST}`).filter({ hasText: "估算" }).waitFor();
        await p.screenshot({ path: join(ARTIFACTS, "21-calendar-tab.png"), fullPage: true });
      }
      expect(own).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

/**
 * Signs, one click a document, every sign-off a step's approvals panel still waits for, as the roles it offers
 * first (a signature approves one named document, issue 21); the roles signed as, sorted.
 */
async function signEveryDocument(step: Locator): Promise<string[]> {
  const count = step.getByTestId("unsigned-count");
  const signedAs = new Set<string>();
  for (let i = 0; i < 8 && (await count.textContent()) !== "全部已签核"; i++) {
    const before = (await count.textContent())!;
    const role = (await step.locator('[name="signRole"] option').first().getAttribute("value"))!;
    await step.locator('[name="signRole"]').selectOption(role);
    await step.getByRole("button", { name: "签核", exact: true }).click();
    await count.filter({ hasNotText: before }).waitFor();
    signedAs.add(role);
  }
  return [...signedAs].sort();
}
