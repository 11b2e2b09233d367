/** @jest-environment jsdom */
/**
 * The pane when a year's holidays are only estimated: the banner naming the
 * year, the 估算 marks on due dates, and the notice imported in one step.
 * "Now" is late December of the last year with bundled data, so open cases'
 * deadlines run into the first year without it (derived from the data).
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { serialToIso } from "../../src/domain/dates";
import { todayIn } from "../../src/domain/zone";
import { calendarFor } from "../../src/domain/sla";
import { estimatedDues } from "../../src/reports/estimates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { statutoryDays } from "../../src/domain/calendar/provisional";
import { MemoryStore } from "../../src/stores/memory";
import { Ledger } from "../../src/ledger/service";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { renderPane } from "./helpers";
import { shanghai } from "../fakes/clock";
import { calendarYear } from "../../src/domain/sla";

jest.setTimeout(30000);
const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;
const NOW = shanghai(EST - 1, 11, 24, 10, 0, 0);
const now = () => NOW;

async function ledgerAtYearEnd(): Promise<Ledger> {
  const ledger = new Ledger(new MemoryStore(sampleLedgerData(defaultPolicy(), NOW)), { now });
  await ledger.load();
  return ledger;
}

const md = (s: number) => `${+serialToIso(s).slice(5, 7)}月${+serialToIso(s).slice(8)}日`;
const day = (year: number, zh: string) => statutoryDays(year).find((d) => d.name.startsWith(zh))!.serial;

/** A stand-in for the year's notice, every statutory festival in it. */
function notice(year: number): string {
  const eve = day(year, "春节");
  return `国务院办公厅关于${year}年部分节假日安排的通知
一、元旦:1月1日至3日放假调休,共3天。
二、春节:${md(eve)}至${md(eve + 8)}放假调休,共9天。${md(eve - 1)}上班。
三、清明节:${md(day(year, "清明"))}放假1天。
四、劳动节:5月1日至5日放假调休,共5天。
五、端午节:${md(day(year, "端午"))}放假1天。
六、中秋节:${md(day(year, "中秋"))}放假1天。
七、国庆节:10月1日至7日放假调休,共7天。`;
}

describe("an estimated year in the pane", () => {
  test("a banner names the year; due dates in it are marked 估算", async () => {
    const ledger = await ledgerAtYearEnd();
    const dues = estimatedDues(ledger.rows, ledger.policy, calendarFor(ledger.policy), todayIn(NOW));
    expect(dues.length).toBeGreaterThan(0);
    renderPane(ledger, "王芳", { now, initialCase: dues[0].caseNo });
    expect(await screen.findByText(new RegExp(`${EST} 年的放假安排尚未公布或未导入`))).toBeTruthy();
    expect((await screen.findAllByTestId("estimate-mark")).length).toBeGreaterThan(0);
  });

  test("no banner and no mark where every date is firm", async () => {
    const ledger = new Ledger(new MemoryStore(sampleLedgerData(defaultPolicy(), shanghai(EST - 1, 2, 10, 10))), { now: () => shanghai(EST - 1, 2, 10, 10) });
    await ledger.load();
    renderPane(ledger, "王芳", { now: () => shanghai(EST - 1, 2, 10, 10) });
    await screen.findByRole("tab", { name: "日历" });
    expect(screen.queryByText(/尚未公布或未导入/)).toBeNull();
    expect(screen.queryAllByTestId("estimate-mark")).toHaveLength(0);
  });

  test("paste the notice, check the month view, confirm: Policy sheet written, audited, functions told, estimate gone", async () => {
    const ledger = await ledgerAtYearEnd();
    const written = jest.fn(async () => undefined);
    renderPane(ledger, "王芳", { now, onPolicyWritten: written });
    await userEvent.setup().click(await screen.findByTestId("estimate-import"));
    const years = await screen.findByTestId("calendar-years");
    expect(within(years).getByTestId(`year-source-${EST}`).textContent).toBe("估算");
    expect(within(years).getByTestId(`year-source-${EST - 1}`).textContent).toBe("已公布(内置)");

    fireEvent.change(screen.getByTestId("notice-text").querySelector("textarea") ?? screen.getByTestId("notice-text"), { target: { value: notice(EST) } });
    fireEvent.click(screen.getByTestId("notice-read"));
    const result = await screen.findByTestId("notice-result");
    const jan = within(result).getByTestId(`month-${EST}-1`);
    expect([...jan.querySelectorAll('[data-day="off"]')].map((c) => c.textContent).slice(0, 3)).toEqual(["1", "2", "3"]);
    expect(result.querySelectorAll('[data-day="on"]')).toHaveLength(1);

    const auditBefore = ledger.auditEntries().length;
    fireEvent.click(within(result).getByTestId("notice-confirm"));
    expect(await screen.findByText(new RegExp(`${EST} 年放假安排已写入设置表`))).toBeTruthy();
    expect(written).toHaveBeenCalledTimes(1);
    expect(ledger.policy.settings.extraCalendarYears).toContain(EST);
    expect(ledger.policy.calendar.filter((r) => r.date === `${EST}-01-02`)).toMatchObject([{ kind: "OFF", scope: "OFFICIAL" }]);
    expect(ledger.auditEntries().slice(auditBefore)).toMatchObject([{ action: "CALENDAR_IMPORTED", user: "王芳", newValue: String(EST) }]);
    await waitFor(() => expect(screen.getByTestId(`year-source-${EST}`).textContent).toBe("已导入设置表"));
    expect(screen.queryByText(/尚未公布或未导入/)).toBeNull();
  });

  test("a notice holding only 元旦 is not imported whole: the missing festivals are named, and a merge keeps 春节 and 国庆 as estimates", async () => {
    const ledger = await ledgerAtYearEnd();
    const store = ledger.store as MemoryStore;
    renderPane(ledger, "王芳", { now, initialTab: "calendar" });
    const box = await screen.findByTestId("notice-text");
    // Pasted on one line, as from a chat app.
    fireEvent.change(box.querySelector("textarea") ?? box, { target: { value: `国务院办公厅关于${EST}年部分节假日安排的通知一、元旦:1月1日放假1天。` } });
    fireEvent.click(screen.getByTestId("notice-read"));
    const partial = await screen.findByTestId("notice-partial");
    expect(partial.textContent).toMatch(/春节、清明节、劳动节、端午节、中秋节、国庆节/);
    expect(screen.queryByTestId("notice-confirm")).toBeNull();
    expect(store.writes).toBe(0);

    fireEvent.click(screen.getByTestId("notice-merge"));
    expect(await screen.findByText(/仍按估算/)).toBeTruthy();
    expect(ledger.policy.settings.extraCalendarYears).not.toContain(EST);
    const y = calendarYear(ledger.policy, EST);
    expect(y.source).toBe("provisional");
    for (const d of [day(EST, "春节"), day(EST, "春节") + 1, day(EST, "国庆")]) expect(y.off).toContain(serialToIso(d));
    expect(y.off).toContain(`${EST}-01-01`);
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "CALENDAR_IMPORTED", user: "王芳" });
    expect(ledger.auditEntries().at(-1)!.reason).toMatch(/still estimated/);
    expect(calendarFor(ledger.policy).spansProvisional(day(EST, "国庆"), day(EST, "国庆"))).toBe(true);
  });

  test("text with no arrangement is refused in both languages and nothing is written", async () => {
    const ledger = await ledgerAtYearEnd();
    const store = ledger.store as MemoryStore;
    renderPane(ledger, "王芳", { now, initialTab: "calendar" });
    const box = await screen.findByTestId("notice-text");
    fireEvent.change(box.querySelector("textarea") ?? box, { target: { value: "放假通知还没来" } });
    fireEvent.click(screen.getByTestId("notice-read"));
    expect(await screen.findByText(/没有读到任何放假安排|没有找到年份/)).toBeTruthy();
    expect(screen.queryByTestId("notice-confirm")).toBeNull();
    expect(store.writes).toBe(0);
  });

  test("without an identity the import is refused: it is audited under a name", async () => {
    const ledger = await ledgerAtYearEnd();
    renderPane(ledger, undefined, { now, initialTab: "calendar" });
    const box = await screen.findByTestId("notice-text");
    fireEvent.change(box.querySelector("textarea") ?? box, { target: { value: notice(EST) } });
    fireEvent.click(screen.getByTestId("notice-read"));
    fireEvent.click(await screen.findByTestId("notice-confirm"));
    expect(await screen.findByText(/请先在上方"我是"中选择身份/)).toBeTruthy();
    expect(ledger.policy.settings.extraCalendarYears).not.toContain(EST);
  });
});
