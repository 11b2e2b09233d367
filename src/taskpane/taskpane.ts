/**
 * Task pane entry: plain DOM for now (no framework) so it loads fast in
 * Excel's small web view and runs in any browser without Office.
 * All logic lives in calculator.ts; this file only reads inputs and renders.
 */
import { dateToSerial, serialToIso } from "../domain/dates";
import { computeDue, type Bilingual, type DueResult } from "./calculator";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`taskpane.html is missing #${id}`);
  return el as T;
}

/** "中文 English" as DOM nodes; textContent only, so typed text never becomes markup. */
function bilingual(tag: "p" | "span", msg: Bilingual, className?: string): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.append(msg.zh + " ");
  const en = document.createElement("span");
  en.className = "en";
  en.textContent = msg.en;
  el.append(en);
  return el;
}

/** Today as YYYY-MM-DD in the user's local time (what a date input expects). */
function todayIso(): string {
  return serialToIso(Math.floor(dateToSerial(new Date())));
}

function renderResult(box: HTMLElement, result: DueResult): void {
  box.replaceChildren();
  box.classList.toggle("error", !result.ok);
  if (!result.ok) {
    box.append(bilingual("p", result.error));
    return;
  }
  box.append(bilingual("p", { zh: "到期日", en: "Due date" }));
  const due = document.createElement("p");
  due.className = "due";
  due.textContent = result.dueIso;
  box.append(due);
  box.append(
    bilingual(
      "p",
      result.makeUpDay
        ? { zh: `${result.weekday.zh}（调休上班）`, en: `${result.weekday.en} (make-up workday)` }
        : result.weekday,
    ),
  );
  box.append(
    bilingual("p", {
      zh: `期间工作日（含首尾）：${result.workingDaysInclusive}`,
      en: `Working days, both ends included: ${result.workingDaysInclusive}`,
    }),
  );
}

function setHostStatus(inOffice: boolean): void {
  const status = byId<HTMLParagraphElement>("host-status");
  status.replaceChildren(
    bilingual(
      "span",
      inOffice
        ? { zh: "已连接 Excel", en: "Connected to Excel" }
        : { zh: "浏览器模式（未连接 Office）", en: "Browser mode (no Office host)" },
    ),
  );
}

function init(): void {
  const form = byId<HTMLFormElement>("calc-form");
  const start = byId<HTMLInputElement>("calc-start");
  const days = byId<HTMLInputElement>("calc-days");
  const result = byId<HTMLDivElement>("calc-result");
  if (!start.value) start.value = todayIso();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    renderResult(result, computeDue(start.value, days.value));
  });

  // The calculator works without Office; the host only changes the status line.
  // Outside Office, Office.onReady resolves with host null.
  if (typeof Office !== "undefined" && typeof Office.onReady === "function") {
    Office.onReady()
      .then((info) => setHostStatus(Boolean(info && info.host)))
      .catch(() => setHostStatus(false));
  } else {
    setHostStatus(false);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", init);
} else {
  init();
}
