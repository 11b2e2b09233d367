/**
 * The task pane's working-day calculator, without any DOM: it takes the two
 * form values as text and returns what to show, so it can be tested in Node.
 * The arithmetic is the custom functions' own (CL.WORKDAY / CL.NETWORKDAYS),
 * so the pane and the sheet can never disagree.
 */
import { networkdays, workday } from "../functions/functions";
import { serialToIso, weekday } from "../domain/dates";
import type { Bilingual } from "../domain/errors";

export type { Bilingual };

export type DueResult =
  | {
      ok: true;
      /** Due date as YYYY-MM-DD. */
      dueIso: string;
      weekday: Bilingual;
      /** A Saturday or Sunday worked in exchange for a holiday (调休上班). */
      makeUpDay: boolean;
      /** Working days from start to due, both ends included (NETWORKDAYS). */
      workingDaysInclusive: number;
    }
  | { ok: false; error: Bilingual };

const WEEKDAYS: Bilingual[] = [
  { zh: "星期日", en: "Sunday" },
  { zh: "星期一", en: "Monday" },
  { zh: "星期二", en: "Tuesday" },
  { zh: "星期三", en: "Wednesday" },
  { zh: "星期四", en: "Thursday" },
  { zh: "星期五", en: "Friday" },
  { zh: "星期六", en: "Saturday" },
];

/**
 * Any thrown value as a bilingual message. Domain errors carry `zh`/`en`;
 * the custom functions throw one message "中文 / English" (an Excel error has
 * a single text), which is split back; anything else shows its message as is.
 */
export function describeError(err: unknown): Bilingual {
  if (err && typeof err === "object") {
    const { zh, en, message } = err as { zh?: unknown; en?: unknown; message?: unknown };
    if (typeof zh === "string" && typeof en === "string") return { zh, en };
    if (typeof message === "string" && message) {
      const cut = message.indexOf(" / ");
      return cut > 0 ? { zh: message.slice(0, cut), en: message.slice(cut + 3) } : { zh: message, en: "" };
    }
  }
  return { zh: "计算失败", en: "Calculation failed" };
}

/**
 * Due date `daysText` working days after `startText`.
 *
 * `computeDue("2026-09-30", "3")` → {ok: true, dueIso: "2026-10-10", …}
 * (the National Day holiday is skipped; Saturday 10 October is a make-up workday).
 */
export function computeDue(startText: string, daysText: string): DueResult {
  if (!startText.trim()) {
    return { ok: false, error: { zh: "请选择开始日期", en: "Choose a start date" } };
  }
  if (!daysText.trim()) {
    return { ok: false, error: { zh: "请输入工作日天数", en: "Enter the number of working days" } };
  }
  try {
    // Validation of the number itself (integer, range) is the function's job.
    const due = workday(startText.trim(), Number(daysText.trim()));
    const dueIso = serialToIso(due).slice(0, 10);
    const dow = weekday(due);
    return {
      ok: true,
      dueIso,
      weekday: WEEKDAYS[dow],
      // WORKDAY only lands on working days, so a weekend result is a make-up day.
      makeUpDay: dow === 0 || dow === 6,
      workingDaysInclusive: networkdays(startText.trim(), due),
    };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}
