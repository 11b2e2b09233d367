/** @jest-environment jsdom */
/**
 * The task pane against a real Ledger over a MemoryStore: what a user does
 * (fill, click, pick) and what ends up in the ledger and its audit log.
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { caseNo, hostStore, renderPane, sampleLedger } from "./helpers";

// A busy machine compiles the lazy screens slowly on first use.
jest.setTimeout(30_000);
const user = () => userEvent.setup();

/** Fills a text input, textarea or select found by its field name. */
function fill(name: string, value: string) {
  const el = document.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  if (!el) throw new Error(`no input named ${name}`);
  fireEvent.change(el, { target: { value } });
}

describe("intake 登记", () => {
  test("blank required fields are refused next to the field in both languages; nothing is written", async () => {
    const ledger = await sampleLedger();
    const store = ledger.store as unknown as { writes: number };
    renderPane(ledger, "王芳", { initialTab: "intake" });
    const submit = await screen.findByRole("button", { name: "登记" });
    await user().click(submit);
    expect(await screen.findByText("请填写客户")).toBeTruthy();
    expect(screen.getByText("Customer is required")).toBeTruthy();
    expect(screen.getByText("请填写不良现象")).toBeTruthy();
    expect(store.writes).toBe(0);
    // The first field in error gets the focus, so the keyboard user lands on it.
    expect(document.activeElement?.getAttribute("name")).toBe("kind");
    // A bad number is caught inline too.
    fill("quantity", "-3");
    fireEvent.blur(document.querySelector('[name="quantity"]')!);
    expect(await screen.findByText("数量不能为负数")).toBeTruthy();
  });

  test("a filled form logs the case under the next number, with its due dates shown before saving", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "王芳", { initialTab: "intake" });
    expect((await screen.findByTestId("next-case-no")).textContent).toBe(caseNo(5));
    fill("kind", "COMPLAINT");
    fill("customer", "苏州精工");
    fill("product", "电机支架");
    fill("defect", "孔位偏移 2mm");
    fill("receivedAt", "2026-03-10T09:00");
    // First response: 1 working day after Tuesday 10 March → Wednesday 11 March.
    const clocks = await screen.findByTestId("intake-clocks");
    expect(
      within(clocks)
        .getByText(/首次响应/)
        .closest("li")!.textContent,
    ).toContain("2026-03-11");
    await user().click(screen.getByRole("button", { name: "登记" }));
    expect(await screen.findByText(`已登记 ${caseNo(5)}`)).toBeTruthy();
    const row = ledger.find(caseNo(5))!;
    expect(row.case).toMatchObject({ customer: "苏州精工", kind: "COMPLAINT", status: "RECEIVED", owner: "王芳" });
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "CASE_ADDED", caseNo: caseNo(5), user: "王芳" });
    // The form is ready for the next case and the number moved on.
    expect(screen.getByTestId("next-case-no").textContent).toBe(caseNo(6));
  });

  test("ship a replacement first: a non-manager is told who approves; the CS manager approves while saving", async () => {
    const ledger = await sampleLedger();
    const first = renderPane(ledger, "王芳", { initialTab: "intake" });
    await user().click(await screen.findByRole("checkbox", { name: "先补发" }));
    const callout = screen.getByTestId("replacement-first");
    expect(callout.textContent).toContain("客服经理");
    expect(callout.textContent).toContain("陈静");
    expect(within(callout).queryByRole("checkbox")).toBeNull();
    first.unmount();

    renderPane(ledger, "陈静", { initialTab: "intake" });
    await user().click(await screen.findByRole("checkbox", { name: "先补发" }));
    const confirm = within(screen.getByTestId("replacement-first")).getByRole("checkbox");
    expect((confirm as HTMLInputElement).checked).toBe(true);
    fill("kind", "COMPLAINT");
    fill("customer", "Baltic Tools");
    fill("customerClass", "A");
    fill("product", "电动螺丝刀");
    fill("defect", "No power");
    fill("receivedAt", "2026-03-10T09:00");
    // Class A: the promised delivery date is due the same day (1 day, day 1 = the day received).
    expect(
      within(await screen.findByTestId("intake-clocks"))
        .getByText(/承诺到货/)
        .closest("li")!.textContent,
    ).toContain("2026-03-10");
    await user().click(screen.getByRole("button", { name: "登记" }));
    expect(await screen.findByText(/已签核:先补发确认/)).toBeTruthy();
    const c = ledger.find(caseNo(5))!.case;
    expect(c.replacementFirst).toBe(true);
    expect(c.signatures.CS_MANAGER?.name).toBe("陈静");
    const signed = ledger.auditEntries().find((e) => e.action === "SIGNED" && e.caseNo === caseNo(5))!;
    expect(signed).toMatchObject({ user: "陈静", field: "sign_CS_MANAGER" });
    expect(signed.reason).toContain("手动选择身份");
  });
});

describe("case view 案件", () => {
  test("judgement, responsibility with derived charge, only fitting dispositions and their approvals", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "李娜", { initialCase: caseNo(2) });
    // A return with its goods back: judgement is the current step, received and goods back are done.
    const judged = await screen.findByTestId("step-JUDGED");
    expect(judged.dataset.status).toBe("current");
    expect(screen.getByTestId("step-GOODS_BACK").dataset.status).toBe("done");
    expect(within(judged).getByText("缺少判定日期")).toBeTruthy();
    expect(within(judged).getByText(/CQE.*李娜/)).toBeTruthy();

    await user().click(within(judged).getByRole("radio", { name: "属实" }));
    fill("rootCause", "外箱压损,运输途中损坏");
    fill("severity", "MINOR");
    await user().click(screen.getByRole("button", { name: "保存判定" }));
    expect(await screen.findByText(/已保存,状态更新为"已判定"/)).toBeTruthy();
    expect(ledger.find(caseNo(2))!.case).toMatchObject({ confirmed: true, status: "JUDGED", judgedAt: 46091 });

    // Responsibility: suggested from the words, charge derived and explained.
    const resp = await screen.findByTestId("step-RESPONSIBILITY");
    await waitFor(() => expect(resp.dataset.status).toBe("current"));
    fill("responsibilityText", "物流运输途中损坏");
    await user().click(within(resp).getByRole("button", { name: "物流" }));
    const explained = within(resp).getByTestId("charge-explained");
    expect(explained.textContent).toContain("收费");
    expect(explained.textContent).toContain("承运商");
    await user().click(within(resp).getByRole("button", { name: "保存责任" }));
    await waitFor(() => expect(ledger.find(caseNo(2))!.case).toMatchObject({ responsibility: "LOGISTICS", charge: "CHARGED", status: "RESPONSIBILITY" }));

    // Disposition: return-to-supplier needs a supplier fault, so it is not offered (and we say why).
    const disp = await screen.findByTestId("step-DISPOSITION");
    await waitFor(() => expect(disp.dataset.status).toBe("current"));
    expect(within(disp).queryByRole("radio", { name: /退供应商/ })).toBeNull();
    expect(within(disp).getByText("退供应商")).toBeTruthy();
    await user().click(within(disp).getByRole("radio", { name: /^报废/ }));
    expect(within(disp).getByTestId("approvals-needed").textContent).toMatch(/报废申请单: 品质部经理、副总裁或总经理/);
    await user().click(within(disp).getByRole("button", { name: "保存处理方案" }));
    await waitFor(() => expect(ledger.find(caseNo(2))!.case).toMatchObject({ disposition: "SCRAP", status: "DISPOSITION" }));
    // Approvals are now the current step and name who must sign.
    const appr = screen.getByTestId("step-APPROVED");
    await waitFor(() => expect(appr.dataset.status).toBe("current"));
    expect(within(appr).getByText(/副总裁.*赵总/)).toBeTruthy();
  });

  test("a refused save shows the rules' reasons and writes nothing", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "李娜", { initialCase: caseNo(4) });
    // Execution before the VP/GM has signed the scrap application: refused by enforce.ts.
    const exec = await screen.findByTestId("step-EXECUTED");
    await user().click(within(exec).getByRole("button", { name: /执行/ }));
    fill("executedAt", "2026-03-10");
    const before = ledger.auditEntries().length;
    await user().click(within(exec).getByRole("button", { name: "保存" }));
    expect(await within(exec).findByText(/缺少副总裁或总经理签核,不能执行/)).toBeTruthy();
    expect(within(exec).getByText(/lacks the sign-off of Vice president or General manager/)).toBeTruthy();
    expect(ledger.find(caseNo(4))!.case.executedAt).toBeUndefined();
    expect(ledger.auditEntries().length).toBe(before);
  });
});

describe("approvals 签核", () => {
  test("signing for a role one does not hold is refused and logged; the holder signs and the case moves on", async () => {
    const ledger = await sampleLedger();
    const r = renderPane(ledger, "李娜", { initialCase: caseNo(4) });
    const appr = await screen.findByTestId("step-APPROVED");
    expect(within(appr).getByTestId("unsigned-count").textContent).toBe("仍有 1 处未签核");
    // The QM's signature is shown with name, time and comment.
    expect(within(appr).getByText(/张伟/).closest("li")!.textContent).toMatch(/张伟 2026-03-\d\d \d\d:\d\d · 同意报废/);
    fill("signRole", "VP");
    await user().click(within(appr).getByRole("button", { name: "签核" }));
    expect(await within(appr).findByText("签核被拒绝")).toBeTruthy();
    expect(within(appr).getByText(/李娜 在人员表中没有"副总裁"角色/)).toBeTruthy();
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "SIGN_REFUSED", user: "李娜", caseNo: caseNo(4) });
    expect(ledger.find(caseNo(4))!.case.signatures.VP).toBeUndefined();
    r.unmount();

    renderPane(ledger, "赵总", { initialCase: caseNo(4) });
    const appr2 = await screen.findByTestId("step-APPROVED");
    fill("signComment", "同意");
    await user().click(within(appr2).getByRole("button", { name: "签核" }));
    expect(await screen.findByText(/已以副总裁身份签核/)).toBeTruthy();
    const c = ledger.find(caseNo(4))!.case;
    expect(c.signatures.VP).toMatchObject({ name: "赵总", comment: "同意" });
    expect(c.status).toBe("APPROVED");
    expect(ledger.auditEntries().some((e) => e.action === "SIGNED" && e.user === "赵总" && e.field === "sign_VP")).toBe(true);
    await waitFor(() => expect(screen.getByTestId("step-APPROVED").dataset.status).toBe("done"));
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });

  test("the Office account names the signer; the signature says it came from Office", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, undefined, { initialCase: caseNo(4), account: { name: "Zhao", account: "ZHAO@example.cn" } });
    expect(await screen.findByText("已由 Microsoft 365 登录验证")).toBeTruthy();
    expect((document.getElementById("cl-actor") as HTMLSelectElement).disabled).toBe(true);
    const appr = screen.getByTestId("step-APPROVED");
    await user().click(within(appr).getByRole("button", { name: "签核" }));
    await screen.findByText(/已以副总裁身份签核/);
    const e = ledger.auditEntries().find((x) => x.action === "SIGNED")!;
    expect(e.user).toBe("赵总");
    expect(e.reason).toContain("Office 账号");
  });
});

describe("my work 我的工作", () => {
  test("lists with counts; a click selects the row in the sheet and opens the case", async () => {
    const store = hostStore();
    const ledger = await sampleLedger(store);
    renderPane(ledger, "赵总");
    // 赵总 (VP/GM) must sign the scrap application of case 4.
    expect((await screen.findByTestId("count-toSign")).textContent).toBe("1");
    // Case 1 was received 8 working days ago: its 7-day reply is overdue.
    expect(Number(screen.getByTestId("count-overdue").textContent)).toBeGreaterThanOrEqual(1);
    expect(screen.getByTestId("count-open").textContent).toBe("4");
    expect(screen.getByTestId("count-mine").textContent).toBe("0");
    const overdue = screen.getByTestId("list-overdue").closest(".fui-AccordionItem") as HTMLElement;
    await user().click(within(overdue).getByRole("button", { name: new RegExp(caseNo(1)) }));
    expect(store.selected).toEqual([0]);
    expect(await screen.findByRole("heading", { name: caseNo(1) })).toBeTruthy();
  });

  test("a replacement waiting for the CS manager is in her list before any disposition", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "陈静");
    const item = screen.getByTestId("list-toSign").closest(".fui-AccordionItem") as HTMLElement;
    expect(await within(item).findByText(caseNo(3))).toBeTruthy();
    expect(screen.getByTestId("count-toSign").textContent).toBe("1");
  });

  test("selecting a row in the sheet opens its case", async () => {
    const store = hostStore();
    const ledger = await sampleLedger(store);
    renderPane(ledger, "王芳");
    await waitFor(() => expect(store.rowListener).toBeDefined());
    act(() => store.rowListener!(1));
    expect(await screen.findByRole("heading", { name: caseNo(2) })).toBeTruthy();
  });
});

describe("8D report", () => {
  test("refused before the quality manager and department head sign, with who is missing; the refusal is not silent", async () => {
    const ledger = await sampleLedger(hostStore());
    renderPane(ledger, "李娜", { initialCase: caseNo(1) });
    const replied = await screen.findByTestId("step-REPLIED");
    await user().click(within(replied).getByRole("button", { name: /回复客户/ }));
    const panel = await within(replied).findByTestId("eightd", {}, { timeout: 5000 });
    const blockers = within(panel).getByTestId("eightd-blockers");
    expect(blockers.textContent).toMatch(/品质部经理.*部长/s);
    for (const h of within(panel).getAllByTestId("confidential-hit")) await user().click(within(h).getByRole("button", { name: "确认保留" }));
    await user().click(within(within(panel).getByTestId("eightd-unfilled")).getByRole("checkbox"));
    expect((within(panel).getByRole("button", { name: "生成工作表" }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(panel).getByRole("button", { name: "下载 8D .docx" }) as HTMLButtonElement).disabled).toBe(true);
    // No containment record on the case: named among the blockers.
    expect(blockers.textContent).toContain("缺少围堵记录");
    // The term list the check uses is on screen.
    expect(within(panel).getByTestId("confidential-terms").textContent).toMatch(/宏达塑胶.*保压/);
  });

  test("confidential terms block export until redacted or kept; the sheet gets the report, the audit log the decision", async () => {
    const store = hostStore();
    const ledger = await sampleLedger(store);
    for (const role of ["QUALITY_MANAGER", "DEPT_HEAD"]) {
      expect((await ledger.sign(caseNo(1), role, { name: "张伟", source: "chosen" }, undefined, "EXTERNAL_8D")).ok).toBe(true);
    }
    const check = { caseNo: caseNo(1), kind: "CONTAINMENT" as const, at: 46090, scope: "STOCK" as const, checked: 400, defective: 0, result: "合格" };
    expect((await ledger.addEvidence(check, { name: "李娜", source: "chosen" })).ok).toBe(true);
    renderPane(ledger, "李娜", { initialCase: caseNo(1) });
    const replied = await screen.findByTestId("step-REPLIED");
    await user().click(within(replied).getByRole("button", { name: /回复客户/ }));
    const panel = await within(replied).findByTestId("eightd", {}, { timeout: 5000 });
    const hits = within(panel).getAllByTestId("confidential-hit");
    expect(hits.map((h) => h.textContent)).toEqual([expect.stringContaining("宏达塑胶"), expect.stringContaining("保压")]);
    const sheetButton = within(panel).getByRole("button", { name: "生成工作表" }) as HTMLButtonElement;
    expect(sheetButton.disabled).toBe(true);
    expect(within(panel).getByText(/还有 2 处保密词未处理/)).toBeTruthy();

    await user().click(within(hits[0]).getByRole("button", { name: "替换为 ***" }));
    expect(within(panel).getAllByTestId("confidential-hit")).toHaveLength(1);
    expect((within(panel).getByRole("button", { name: "生成工作表" }) as HTMLButtonElement).disabled).toBe(true);
    await user().click(within(panel).getByRole("button", { name: "确认保留" }));
    // Sections still "(待填写)" are listed; exporting them anyway is a deliberate, audited choice.
    const gaps = within(panel).getByTestId("eightd-unfilled");
    expect(gaps.textContent).toContain("D5、D6、D7");
    expect((within(panel).getByRole("button", { name: "生成工作表" }) as HTMLButtonElement).disabled).toBe(true);
    await user().click(within(gaps).getByRole("checkbox"));
    const enabled = within(panel).getByRole("button", { name: "生成工作表" }) as HTMLButtonElement;
    expect(enabled.disabled).toBe(false);
    await user().click(enabled);
    expect(await within(panel).findByText(/已添加工作表/)).toBeTruthy();
    expect(store.sheets).toHaveLength(1);
    expect(store.sheets[0].name).toBe(`8D ${caseNo(1)}`);
    const text = JSON.stringify(store.sheets[0].rows);
    expect(text).not.toContain("宏达塑胶");
    expect(text).toContain("***");
    expect(text).toContain("D4 根本原因分析");
    const e = ledger.auditEntries().at(-1)!;
    expect(e).toMatchObject({ action: "EIGHT_D_EXPORTED", caseNo: caseNo(1), user: "李娜" });
    expect(e.reason).toContain("D4:保压");
    expect(e.reason).toContain("Sections left unfilled: D5, D6, D7");
  });

  test("the report is drafted in English on request", async () => {
    const ledger = await sampleLedger(hostStore());
    renderPane(ledger, "李娜", { initialCase: caseNo(1) });
    const replied = await screen.findByTestId("step-REPLIED");
    await user().click(within(replied).getByRole("button", { name: /回复客户/ }));
    const panel = await within(replied).findByTestId("eightd", {}, { timeout: 5000 });
    await user().click(within(panel).getByRole("radio", { name: "English" }));
    expect(within(panel).getByText("D2 Problem description")).toBeTruthy();
  });
});

describe("8D drafts are never lost (issue 22)", () => {
  const d4 = () => document.querySelector('[name="eightd-D4"]') as HTMLTextAreaElement;
  const openEightD = async () => {
    const replied = await screen.findByTestId("step-REPLIED");
    await user().click(within(replied).getByRole("button", { name: /回复客户/ }));
    return within(replied).findByTestId("eightd", {}, { timeout: 5000 });
  };

  test("typing in D4, signing (the case view re-renders and remounts) and switching 中文/English keep the text; saving records it with the case", async () => {
    const ledger = await sampleLedger(hostStore());
    const first = renderPane(ledger, "张伟", { initialCase: caseNo(1) });
    let panel = await openEightD();
    fill("eightd-D4", "根因:注塑保压不足(已复现)");
    // Mid-edit, the case is signed: the ledger changes and the pane is drawn again from it.
    await act(async () => {
      // Signatures are by document (issue 21): the quality manager signs the review of the measures every reply needs.
      expect(await ledger.sign(caseNo(1), "QUALITY_MANAGER", { name: "张伟", source: "chosen" }, undefined, "REPLY_REVIEW")).toMatchObject({ ok: true });
    });
    first.unmount();
    renderPane(ledger, "张伟", { initialCase: caseNo(1) });
    panel = await openEightD();
    expect(d4().value).toBe("根因:注塑保压不足(已复现)");
    // English is its own draft; coming back to 中文 shows the edit, not a fresh draft.
    await user().click(within(panel).getByRole("radio", { name: "English" }));
    expect(d4().value).toMatch(/^Root cause/);
    fill("eightd-D4", "Root cause: holding pressure too low");
    await user().click(within(panel).getByRole("radio", { name: "中文" }));
    expect(d4().value).toBe("根因:注塑保压不足(已复现)");
    await user().click(within(panel).getByRole("radio", { name: "English" }));
    expect(d4().value).toBe("Root cause: holding pressure too low");
    await user().click(within(panel).getByRole("radio", { name: "中文" }));
    // Saved with the case: a STATEMENT record for D4 in Chinese, and the audit entry.
    await user().click(within(panel).getByRole("button", { name: "保存草稿" }));
    expect(await within(panel).findByText(/草稿已随案件保存/)).toBeTruthy();
    const saved = ledger.evidenceOf(caseNo(1)).filter((e) => e.kind === "STATEMENT");
    expect(saved).toEqual([expect.objectContaining({ section: "D4:zh", caption: "根因:注塑保压不足(已复现)", by: "张伟" })]);
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "EVIDENCE_ADDED", caseNo: caseNo(1), user: "张伟" });
  });

  test("redrafting from the case asks before discarding unsaved text", async () => {
    const ledger = await sampleLedger(hostStore());
    renderPane(ledger, "张伟", { initialCase: caseNo(1) });
    const replied = await screen.findByTestId("step-REPLIED");
    await user().click(within(replied).getByRole("button", { name: /回复客户/ }));
    const panel = await within(replied).findByTestId("eightd", {}, { timeout: 5000 });
    fill("eightd-D4", "手写的原因");
    const confirm = jest.spyOn(window, "confirm").mockReturnValue(false);
    await user().click(within(panel).getByRole("button", { name: "按案件重新起草" }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(d4().value).toBe("手写的原因");
    confirm.mockReturnValue(true);
    await user().click(within(panel).getByRole("button", { name: "按案件重新起草" }));
    expect(d4().value).not.toBe("手写的原因");
    confirm.mockRestore();
  });
});

describe("language", () => {
  test("中文 by default; the switch turns the pane to English and back", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "王芳");
    expect(await screen.findByRole("tab", { name: "我的工作" })).toBeTruthy();
    await user().click(screen.getByTestId("lang-switch"));
    expect(screen.getByRole("tab", { name: "My work" })).toBeTruthy();
    expect(screen.getByText("Waiting for my approval")).toBeTruthy();
    await user().click(screen.getByTestId("lang-switch"));
    expect(screen.getByRole("tab", { name: "我的工作" })).toBeTruthy();
  });

  test("an English pane still shows refusals in both languages", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "王芳", { initialTab: "intake", initialLang: "en" });
    await user().click(await screen.findByRole("button", { name: "Log case" }));
    expect(await screen.findByText("Customer is required")).toBeTruthy();
    expect(screen.getByText("请填写客户")).toBeTruthy();
  });
});

describe("corrections and closing", () => {
  test("core fields are corrected in the case view, audited old → new; a correction that breaks a rule is refused", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "李娜", { initialCase: caseNo(2) });
    const box = await screen.findByTestId("corrections");
    await user().click(within(box).getByText("更正登记信息"));
    fill("customer", "深圳恒通电子");
    fill("partNo", "PA-65W-B");
    await user().click(within(box).getByRole("button", { name: "保存更正" }));
    expect(await within(box).findByText("已保存")).toBeTruthy();
    const entries = ledger.auditEntries().filter((e) => e.action === "CORRECTED");
    expect(entries.map((e) => [e.field, e.oldValue, e.newValue])).toEqual([
      ["customer", "深圳恒通", "深圳恒通电子"],
      ["partNo", "PA-65W", "PA-65W-B"],
    ]);
    // A ship date after the receipt is refused next to the field, and not written.
    fill("shipDate", "2030-01-01");
    await user().click(within(box).getByRole("button", { name: "保存更正" }));
    expect(await within(box).findByText(/晚于接收时间/)).toBeTruthy();
    expect(ledger.find(caseNo(2))!.case.shipDate).toBeUndefined();
  });

  test("接收时间 is corrected like the other core fields, audited (an adopted date read in the wrong year, issue 28)", async () => {
    const ledger = await sampleLedger();
    const before = ledger.find(caseNo(2))!.case.receivedAt!;
    renderPane(ledger, "李娜", { initialCase: caseNo(2) });
    const box = await screen.findByTestId("corrections");
    await user().click(within(box).getByText("更正登记信息"));
    const input = box.querySelector('[name="receivedAt"]') as HTMLInputElement;
    expect(input).toBeTruthy();
    // One day earlier, same time: the input shows the stored value, so edit its date part.
    const earlier = new Date(Date.UTC(1899, 11, 30) + Math.round((before - 1) * 86400000));
    fireEvent.change(input, { target: { value: earlier.toISOString().slice(0, 16) } });
    await user().click(within(box).getByRole("button", { name: "保存更正" }));
    expect(await within(box).findByText("已保存")).toBeTruthy();
    expect(Math.round(ledger.find(caseNo(2))!.case.receivedAt! * 1440)).toBe(Math.round((before - 1) * 1440));
    const entry = ledger
      .auditEntries()
      .filter((e) => e.action === "CORRECTED")
      .at(-1)!;
    expect(entry).toMatchObject({ field: "receivedAt", caseNo: caseNo(2), user: "李娜" });
  });

  test("结案 lists what is missing with who must act, and is refused (and logged) until nothing is", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "李娜", { initialCase: caseNo(4) });
    const closed = await screen.findByTestId("step-CLOSED");
    await user().click(within(closed).getByRole("button", { name: /结案/ }));
    const panel = await within(closed).findByTestId("close-panel");
    const list = within(panel).getByTestId("close-checklist").textContent!;
    expect(list).toMatch(/签核.*副总裁或总经理.*赵总/);
    expect(list).toMatch(/执行.*缺少执行完成日期/);
    await user().click(within(panel).getByRole("button", { name: "结案" }));
    expect(await within(panel).findByText("不能结案")).toBeTruthy();
    expect(ledger.find(caseNo(4))!.case.closedAt).toBeUndefined();
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "CLOSE_REFUSED", caseNo: caseNo(4), user: "李娜" });
  });
});

describe("calendar-day clocks", () => {
  test("a 承诺到货 due date on a public holiday is flagged, a working day is not", async () => {
    const { offDay } = await import("../../src/taskpane/ui/common");
    const { defaultPolicy } = await import("../../src/domain/policy/policy");
    const { calendarFor } = await import("../../src/domain/sla");
    const { ymdToSerial } = await import("../../src/domain/dates");
    const policy = defaultPolicy();
    const cal = calendarFor(policy);
    const clock = policy.clocks.find((c) => c.code === "REPLACEMENT_PROMISE")!;
    const first = policy.clocks.find((c) => c.code === "FIRST_RESPONSE")!;
    expect(offDay({ clock, due: ymdToSerial(2026, 10, 1) } as never, cal)).toBe(true); // National Day
    expect(offDay({ clock, due: ymdToSerial(2026, 3, 10) } as never, cal)).toBe(false);
    // Working-day clocks never land on a day off: nothing to flag.
    expect(offDay({ clock: first, due: ymdToSerial(2026, 10, 1) } as never, cal)).toBe(false);
  });
});

describe("inline errors and the next click", () => {
  test("leaving a bad field for another field shows its error; leaving it for a button does not move the button first", async () => {
    const ledger = await sampleLedger();
    renderPane(ledger, "王芳", { initialTab: "intake" });
    const qty = (await screen.findByRole("spinbutton", { name: "数量" })) as HTMLInputElement;
    fill("quantity", "-3");
    // Focus leaves for the submit button (its mousedown): no message yet, so the button stays where the pointer is.
    fireEvent.blur(qty, { relatedTarget: screen.getByRole("button", { name: "登记" }) });
    expect(screen.queryByText("数量不能为负数")).toBeNull();
    // Leaving for another field: the message shows at once.
    fireEvent.blur(qty, { relatedTarget: document.querySelector('[name="customer"]') });
    expect(await screen.findByText("数量不能为负数")).toBeTruthy();
  });
});
