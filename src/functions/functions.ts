/**
 * Excel custom functions (namespace CL): thin wrappers over src/domain.
 *
 * Conventions shared by every function, in Excel and in Node alike:
 * - dates come in as Excel serial numbers or as text (2026-09-30, 2026/9/30,
 *   2026年9月30日) and go out as serial numbers (1900 date system);
 * - bad input raises an Excel error (#VALUE!, #N/A, #NUM!) whose message
 *   says what is wrong in 中文 and English — never a plausible wrong answer.
 *   Inside Excel that is `new CustomFunctions.Error(code, message)` with
 *   `code` a CustomFunctions.ErrorCode *value* ("#VALUE!", "#N/A", "#NUM!"):
 *   the runtime turns an unknown code into a bare #VALUE! and drops the
 *   message (https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-errors);
 * - an empty cell reaches an `any` parameter as 0 on Windows and Mac and as
 *   null on the web (office-js #4702, #5262). Optional parameters whose 0
 *   means nothing (a class, a severity, a flag, a date: serial 0 is
 *   "1900-01-00") read 0 as blank, so the ledger's formulas give the same
 *   answer on every platform;
 * - rules come from the current policy (the workbook's Policy sheet once
 *   loaded, else the defaults of process.md); `setPolicy` swaps it.
 *
 * JSDoc tags feed custom-functions-metadata-plugin, which writes
 * functions.json and appends the CustomFunctions.associate calls.
 */
/* eslint-disable @typescript-eslint/no-explicit-any --
   `any` is how custom-functions metadata declares a cell that may hold a number or text (dates). */
import type { WorkCalendar } from "../domain/calendar/calendar";
import { toSerial } from "../domain/dates";
import { instantToSerial } from "../domain/zone";
import { approvalsForDisposition, needs8D as domainNeeds8D, slotLabel } from "../domain/disposition";
import { DomainError, inLang } from "../domain/errors";
import { defaultPolicy, findNamed, type Policy } from "../domain/policy/policy";
import { chargeFor, matchResponsibility } from "../domain/responsibility";
import { BOOLS, CHARGES, MARKETS } from "../domain/schema";
import type { ClockDef } from "../domain/policy/policy";
import { calendarFor, clockForMarket, clockOf, dueDate as domainDueDate, SLA_STATUSES, slaStatus as domainSlaStatus } from "../domain/sla";

// Outside Excel (the browser workbench) there is no CustomFunctions runtime;
// the associate calls the build appends below must still not throw.
// CustomFunctions.Error takes the ErrorCode *value* ("#VALUE!", "#N/A", "#NUM!"): an unknown code loses the message.
declare const globalThis: { CustomFunctions?: { associate?: unknown; Error?: new (code: ErrorKind, message: string) => Error } };
if (typeof globalThis.CustomFunctions === "undefined") {
  globalThis.CustomFunctions = { associate: () => undefined };
}

export type ErrorKind = "#VALUE!" | "#N/A" | "#NUM!";

/** The error thrown outside Excel; inside Excel a CustomFunctions.Error is thrown instead. */
export class FunctionError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "FunctionError";
  }
}

function fail(kind: ErrorKind, zh: string, en: string): never {
  const message = `${zh} / ${en}`;
  const cf = globalThis.CustomFunctions;
  // The kind is the ErrorCode value itself (CustomFunctions.ErrorCode.invalidValue === "#VALUE!").
  if (cf && typeof cf.Error === "function") throw new cf.Error(kind, message);
  throw new FunctionError(kind, message);
}

/** An argument Excel passes for an empty cell: null/"" on the web, 0 on desktop (office-js #4702). */
export function isBlankArg(v: unknown): boolean {
  return v === null || v === undefined || v === "" || v === 0;
}

/** Runs a domain computation, turning its bilingual errors into Excel errors. */
function guard<T>(kind: ErrorKind, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof DomainError) fail(e.code === "CAL_NO_DATA" ? "#N/A" : kind, e.zh, e.en);
    throw e;
  }
}

let state: { policy: Policy; calendar?: WorkCalendar } = { policy: defaultPolicy() };

/** Replaces the policy the functions use (e.g. after the Policy sheet changes). */
export function setPolicy(policy: Policy): void {
  state = { policy };
}

/** The policy in force. Read-only: edits must go through `setPolicy`, which also rebuilds the calendar. */
export function currentPolicy(): Policy {
  return state.policy;
}

function calendar(): WorkCalendar {
  // Built lazily: most recalculations reuse the same index.
  if (!state.calendar) state.calendar = guard("#VALUE!", () => calendarFor(state.policy));
  return state.calendar;
}

function date(value: unknown, what: { zh: string; en: string }): number {
  const r = toSerial(value);
  if (!r.ok) fail("#VALUE!", `${what.zh}:${r.zh}`, `${what.en}: ${r.en}`);
  return r.serial;
}

function optionalDate(value: unknown, what: { zh: string; en: string }): number | undefined {
  return isBlankArg(value) ? undefined : date(value, what);
}

function integer(value: unknown, what: { zh: string; en: string }): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n)) fail("#VALUE!", `${what.zh}应为数字`, `${what.en} must be a number`);
  if (Math.abs(n) > 100000) fail("#NUM!", `${what.zh}超出范围`, `${what.en} is out of range`);
  return Math.trunc(n);
}

function optionalBool(value: unknown, what: { zh: string; en: string }): boolean | undefined {
  if (isBlankArg(value)) return undefined;
  if (typeof value === "boolean") return value;
  const hit = findNamed(BOOLS, value);
  if (!hit) fail("#VALUE!", `${what.zh}应为 是/否:"${String(value)}"`, `${what.en} must be yes/no: "${String(value)}"`);
  return hit.code === "YES";
}

const lang = () => state.policy.settings.language;

/**
 * The working day a number of working days before or after a start date, on the company calendar (China public holidays and make-up workdays).
 * @customfunction WORKDAY
 * @param start Start date: a date or text such as 2026-09-30
 * @param days Working days to add; negative goes back
 * @returns The working day, as a date serial number
 */
export function workday(start: any, days: number): number {
  const s = date(start, { zh: "开始日期", en: "start" });
  const n = integer(days, { zh: "天数", en: "days" });
  return guard("#NUM!", () => calendar().workday(s, n));
}

/**
 * Working days from start to end inclusive on the company calendar; negative when end is before start.
 * @customfunction NETWORKDAYS
 * @param start Start date
 * @param end End date
 * @returns Number of working days
 */
export function networkdays(start: any, end: any): number {
  const a = date(start, { zh: "开始日期", en: "start" });
  const b = date(end, { zh: "结束日期", en: "end" });
  return guard("#NUM!", () => calendar().networkdays(a, b));
}

/**
 * Whether a date (or the span from start to it) lies in a year whose public holidays are estimated, not yet published: dates computed there are provisional.
 * @customfunction ESTIMATE
 * @param value A date, e.g. a due date the ledger computed
 * @param [start] Where the computation started, e.g. the received date; blank checks the date alone
 * @returns TRUE when the date is an estimate on a provisional holiday calendar
 */
export function estimate(value: any, start?: any): boolean {
  const d = optionalDate(value, { zh: "日期", en: "date" });
  if (d === undefined) return false;
  const s = optionalDate(start, { zh: "开始日期", en: "start" }) ?? d;
  return calendar().spansProvisional(s, d);
}

/** The market's code for a market-dependent clock: a blank is no market; an unknown word is an error, never a guess. */
function marketCode(def: ClockDef, market: unknown): string | undefined {
  if (isBlankArg(market) || (def.appliesWhen !== "DOMESTIC" && def.appliesWhen !== "INTERNATIONAL")) return undefined;
  const m = findNamed(MARKETS, market);
  if (!m) {
    fail(
      "#VALUE!",
      `未知的市场"${String(market)}"(可用:${MARKETS.map((x) => x.zh).join("、")})`,
      `Unknown market "${String(market)}" (one of: ${MARKETS.map((x) => x.en).join(", ")})`,
    );
  }
  return m.code;
}

/**
 * Due date of a named clock (e.g. REPLY_DOMESTIC, 品质判定) started at a date, per the policy's limits.
 * @customfunction DUEDATE
 * @param start When the clock started (date or date-time)
 * @param clock Clock name or code, e.g. JUDGEMENT or 品质判定
 * @param [customerClass] Customer class A, B or C
 * @param [severity] Severity: 一般/严重 or MINOR/SERIOUS
 * @param [urgent] Urgent handling approved: TRUE/FALSE or 是/否
 * @param [market] Market (国内/国际 or a synonym such as 出口): picks the domestic or international variant of a reply clock
 * @returns Due date (date-time for working-hour clocks) as a serial number
 */
export function dueDate(start: any, clock: string, customerClass?: any, severity?: any, urgent?: any, market?: any): number {
  const s = date(start, { zh: "开始时间", en: "start" });
  const policy = state.policy;
  const named = clockOf(clock, policy);
  if (!named) {
    fail(
      "#N/A",
      `未知的时限"${clock}"(可用:${policy.clocks.map((c) => c.zh).join("、")})`,
      `Unknown clock "${clock}" (one of: ${policy.clocks.map((c) => c.code).join(", ")})`,
    );
  }
  const def = clockForMarket(named, marketCode(named, market), policy);
  const cls = isBlankArg(customerClass) ? undefined : customerClass;
  const sev = isBlankArg(severity) ? undefined : severity;
  if (cls !== undefined && !findNamed(policy.classes, cls)) {
    fail("#VALUE!", `未知的客户等级"${cls}"`, `Unknown customer class "${cls}"`);
  }
  if (sev !== undefined && !findNamed(policy.severities, sev)) {
    fail("#VALUE!", `未知的客诉等级"${sev}"`, `Unknown severity "${sev}"`);
  }
  const u = optionalBool(urgent, { zh: "加急", en: "urgent" });
  return guard("#N/A", () => domainDueDate(s, def, { customerClass: cls, severity: sev, urgent: u }, policy, calendar()));
}

/*
 * Not volatile: in a 10,000-row calculated column a volatile function runs on
 * every edit anywhere in the workbook. The status changes only with its inputs
 * or with the date, so the add-in recalculates the status column once a day
 * (stores/excel/daily.ts) and the column is left alone otherwise.
 */
/**
 * Status of a deadline: on time, due soon, overdue, met or missed.
 * @customfunction SLASTATUS
 * @param due Due date
 * @param [done] Date the step was done; blank while it runs
 * @param [today] The date to judge on; default now on the ledger's clock (Policy timeZone)
 * @returns 按时/即将到期/逾期/按时完成/超时完成 (or English, per policy)
 */
export function slaStatus(due: any, done?: any, today?: any): string {
  const d = date(due, { zh: "到期日", en: "due" });
  const finished = optionalDate(done, { zh: "完成日期", en: "done" });
  // "Now" on the ledger's clock (Policy setting timeZone), not the machine's: Excel runs functions in the user's zone.
  const now = optionalDate(today, { zh: "今天", en: "today" }) ?? instantToSerial(new Date(), state.policy.settings.timeZone);
  const code = guard("#N/A", () => domainSlaStatus(d, finished, now, calendar(), state.policy.settings.dueSoonWorkdays));
  return inLang(findNamed(SLA_STATUSES, code)!, lang());
}

/**
 * Responsibility code from free text as typed in old ledgers, e.g. 供应商来料不良 → SUPPLIER.
 * @customfunction RESPCODE
 * @param text Responsibility or cause as written
 * @returns Responsibility code (DEALER, QC, PROCESS, PRODUCTION, DESIGN, SUPPLIER, LOGISTICS, NO_FAULT)
 */
export function respCode(text: string): string {
  const m = matchResponsibility(text, state.policy);
  if (!m.ok) fail("#N/A", m.zh, m.en);
  return m.code;
}

/**
 * Free or charged for a responsibility code, per policy.
 * @customfunction CHARGE
 * @param code Responsibility code or name, e.g. DEALER or 质量原因
 * @returns 免费/收费 (or FREE/CHARGED, per policy)
 */
export function charge(code: string): string {
  const c = chargeFor(code, state.policy);
  if (!c) {
    fail(
      "#N/A",
      `未知的责任代码"${code}"(可用:${state.policy.responsibilities.map((r) => r.code).join("、")})`,
      `Unknown responsibility code "${code}" (one of: ${state.policy.responsibilities.map((r) => r.code).join(", ")})`,
    );
  }
  // English results are the codes themselves, as finance exports and the sheet's lists use them.
  return inLang({ zh: findNamed(CHARGES, c)!.zh, en: c }, lang());
}

/**
 * Whether an 8D report is required: a serious complaint, or the customer asked for a report.
 * @customfunction NEEDS8D
 * @param severity Severity: 一般/严重 or MINOR/SERIOUS
 * @param [customerRequested] Customer asked for an improvement report: TRUE/FALSE or 是/否
 * @returns TRUE when an 8D report is required; #N/A when the severity is blank and the customer did not ask
 */
export function needs8D(severity: any, customerRequested?: any): boolean {
  const asked = optionalBool(customerRequested, { zh: "客户要求报告", en: "customerRequested" });
  // isBlankArg: an empty cell reaches an `any` parameter as 0 on desktop and null on the web; spaces are blank too.
  const blank = isBlankArg(severity) || String(severity).trim() === "";
  if (blank) {
    // The customer's request alone decides; without it, a missing severity is not "no 8D".
    if (asked === true) return true;
    fail(
      "#N/A",
      "缺少客诉等级:无法判断是否需要8D报告(客户未要求报告)",
      "Severity is missing: cannot tell whether an 8D report is needed (the customer did not ask for one)",
    );
  }
  if (!findNamed(state.policy.severities, severity)) {
    fail("#VALUE!", `未知的客诉等级"${severity}"`, `Unknown severity "${severity}"`);
  }
  return domainNeeds8D(String(severity), asked, state.policy);
}

/**
 * The roles that must sign a disposition, e.g. 报废 → 品质部经理、副总裁或总经理.
 * @customfunction APPROVALS
 * @param disposition Disposition code or name, e.g. SCRAP or 报废
 * @returns The signers, in order; blank when none is needed
 */
export function approvals(disposition: string): string {
  const r = approvalsForDisposition(disposition, state.policy);
  if (!r) {
    fail("#N/A", `未知的处理方式"${disposition}"`, `Unknown disposition "${disposition}"`);
  }
  const labels = r.slots.map((slot) => inLang(slotLabel(slot, state.policy), lang()));
  return labels.join(inLang({ zh: "、", en: ", " }, lang()));
}
