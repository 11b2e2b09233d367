/**
 * What the task pane shows, computed from the ledger without React: form
 * values ↔ field values, the lifecycle steps of a case, the work lists. Kept
 * apart from the components so each rule is tested once and the screens stay
 * thin.
 */
import { caseValue, readCase, readValue, type Case, type CellValue } from "../domain/case";
import { serialToIso, toSerial } from "../domain/dates";
import { missingApprovals } from "../domain/disposition";
import { inLang, type Bilingual } from "../domain/errors";
import { requirementsOf, stateApplies, STATE_ORDER, type Requirement, type State } from "../domain/lifecycle";
import { findNamed, FORM, type Policy } from "../domain/policy/policy";
import { actorsOf, STEP_NAMES, STEP_ROLES } from "../domain/actors";
export { closeLines, STEP_NAMES, STEP_ROLES, type CloseLine } from "../domain/actors";
import { caseField, ledgerSchema, STATES, vocabularyOf, yesNo, type CaseKey, type FieldDef } from "../domain/schema";
import { caseClocks, type ClockState } from "../domain/sla";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { cellOf, type CaseRecord } from "../ledger/records";
import type { Actor, CaseRow, Person } from "../ledger/service";
import { caseFacts, isOpen, type CaseFacts } from "../reports/views";
import { perRow } from "./row-cache";

/** What an input holds: text for most fields, a boolean for checkboxes. */
export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

export const fieldDef = (key: CaseKey): FieldDef => caseField(key);

/** The fields a person types when logging a case, in form order (labels, types and "required" come from the schema). */
export const INTAKE_KEYS = [
  "kind",
  "customer",
  "customerClass",
  "market",
  "product",
  "partNo",
  "batch",
  "shipDate",
  "quantity",
  "receivedAt",
  "defect",
  "severity",
  "demand",
  "urgent",
  "replacementFirst",
  "replacementPromisedAt",
  "customerRequests8D",
  "owner",
] as const;

const pad = (n: number) => String(n).padStart(2, "0");

/** A field value (serial, code, boolean, number) as the text an input shows. */
export function toFormValue(field: FieldDef, v: unknown): FormValue {
  if (field.type === "bool") return v === true;
  if (v === undefined || v === null) return "";
  if (field.type === "date" && typeof v === "number") return serialToIso(Math.floor(v));
  if (field.type === "datetime" && typeof v === "number") {
    const minutes = Math.round((v - Math.floor(v)) * 1440);
    return `${serialToIso(Math.floor(v))}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  }
  return String(v);
}

/** A serial as the datetime-local input wants it. */
export const datetimeInput = (serial: number) => toFormValue(fieldDef("receivedAt"), serial) as string;

/**
 * Input text → the field's value, or a bilingual problem. Dates become
 * serials, numbers numbers, enums codes; blank is `undefined`.
 */
export function parseFormValue(field: FieldDef, raw: FormValue, policy: Policy): { value?: unknown; problem?: Bilingual } {
  if (field.type === "bool") return { value: raw === true };
  const text = String(raw).trim();
  if (text === "") return {};
  if (field.type === "date" || field.type === "datetime") {
    const r = toSerial(text);
    if (!r.ok) return { problem: { zh: r.zh, en: r.en } };
    return { value: field.type === "date" ? Math.floor(r.serial) : r.serial };
  }
  const r = readValue(field, text, policy);
  if (r.problem) return { problem: r.problem };
  if ((field.type === "number" || field.type === "money") && (r.value as number) < 0) {
    return { problem: { zh: `${field.zh}不能为负数`, en: `${field.en} cannot be negative` } };
  }
  return { value: r.value };
}

/** Every input problem of a form, by field key; `required` adds "please fill in" for blanks. */
export function formProblems(keys: readonly CaseKey[], values: FormValues, policy: Policy, required: readonly CaseKey[] = []): Record<string, Bilingual> {
  const out: Record<string, Bilingual> = {};
  for (const key of keys) {
    const field = fieldDef(key);
    const raw = values[key] ?? (field.type === "bool" ? false : "");
    if (required.includes(key) && field.type !== "bool" && String(raw).trim() === "") {
      out[key] = { zh: `请填写${field.zh}`, en: `${field.en} is required` };
      continue;
    }
    const p = parseFormValue(field, raw, policy).problem;
    if (p) out[key] = p;
  }
  return out;
}

/** Form values → field values for the service (blanks left out). */
export function formToValues(keys: readonly CaseKey[], values: FormValues, policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const field = fieldDef(key);
    const raw = values[key];
    if (raw === undefined) continue;
    const r = parseFormValue(field, raw, policy);
    if (r.problem) continue;
    if (r.value !== undefined) out[key] = r.value;
    else if (field.type !== "bool") out[key] = null;
  }
  return out;
}

/** The case a record would become with `changes` (field values) applied: for previews before saving. */
export function previewCase(record: CaseRecord, changes: Record<string, unknown>, policy: Policy, defaultYear?: number): Case {
  const schema = ledgerSchema(policy);
  const merged: Record<string, CellValue> = { ...record };
  for (const [k, v] of Object.entries(changes)) {
    const f = schema.find((x) => x.key === k);
    merged[k] = f ? cellOf(f, v, policy) : (v as CellValue);
  }
  return readCase(merged, policy, { defaultYear }).case;
}

// ------------------------------------------------------------------ steps

/**
 * The fields a person fills at each step. A UI convention, not a rule: the
 * rules (what each step requires) stay in domain/lifecycle.ts.
 */
export const STEP_FIELDS: Record<State, CaseKey[]> = {
  RECEIVED: ["loggedAt", "firstResponseAt", "replacementPromisedAt", "replacementShippedAt", "owner"],
  GOODS_BACK: ["goodsBackAt", "quantity"],
  JUDGED: ["judgedAt", "confirmed", "severity", "rootCause", "analysedAt"],
  RESPONSIBILITY: ["responsibilityText", "responsibility", "charge", "cost"],
  DISPOSITION: ["disposition"],
  APPROVED: [],
  EXECUTED: ["executedAt", "supplierNotifiedAt", "supplier8DAt"],
  REPLIED: ["repliedAt", "eightDStatus"],
  // The close date is written by the close action (closeCase), never typed.
  CLOSED: ["cost"],
  FOLLOWED_UP: ["followUpAt", "satisfaction"],
};

/** "optional": a step that does not apply yet but may (a complaint whose goods come back: 客诉 → 客退). */
export type StepStatus = "done" | "current" | "todo" | "skipped" | "optional";

export interface StepView {
  state: State;
  name: Bilingual;
  status: StepStatus;
  /** Filled fields of this step, as "label: value" pairs. */
  done: { field: FieldDef; text: string }[];
  missing: Requirement[];
  clocks: ClockState[];
  /** Roles that must act, and the people who hold them. */
  actors: { role: string; label: Bilingual; people: string[] }[];
}

/** The step a clock belongs to: the step whose fields hold the date that stops it. */
export function stepOfClock(c: ClockState): State {
  for (const s of STATE_ORDER) if (STEP_FIELDS[s].includes(c.clock.endField)) return s;
  return "RECEIVED";
}

/**
 * The lifecycle as a stepper: each applicable step done, current (the first
 * not done) or to do; steps that do not apply to the case are "skipped".
 */
export function caseSteps(c: Case, policy: Policy, cal: WorkCalendar, today: number, people: readonly Person[]): StepView[] {
  const clocks = caseClocks(c, policy, cal, today);
  let currentSeen = false;
  return STATE_ORDER.map((state) => {
    const applies = stateApplies(state, c, policy);
    const missing = applies ? requirementsOf(state, c, policy) : [];
    let status: StepStatus;
    if (!applies) status = state === "GOODS_BACK" && c.kind === "COMPLAINT" ? "optional" : "skipped";
    else if (missing.length === 0 && !currentSeen) status = "done";
    else if (!currentSeen) {
      status = "current";
      currentSeen = true;
    } else status = "todo";
    const done = STEP_FIELDS[state]
      .map((key) => ({ field: fieldDef(key), v: caseValue(c, key) }))
      .filter((x) => x.v !== undefined && x.v !== "")
      .map(({ field, v }) => ({ field, text: displayValue(field, v, policy) }));
    const roles = state === "APPROVED" ? [...new Set(missingApprovals(c, policy).flatMap((m) => m.roles))] : STEP_ROLES[state];
    return {
      state,
      name: STEP_NAMES[state],
      status,
      done,
      missing,
      clocks: clocks.filter((k) => stepOfClock(k) === state),
      actors: actorsOf(roles, policy, people),
    };
  });
}

/** A field value as people read it, in Chinese (labels) — the pane shows the English beside it where it matters. */
export function displayValue(field: FieldDef, v: unknown, policy: Policy, lang: "zh" | "en" = "zh"): string {
  if (v === undefined || v === null) return "";
  if (field.type === "bool") return inLang(yesNo(v === true), lang);
  if ((field.type === "date" || field.type === "datetime") && typeof v === "number") return serialToIso(field.type === "date" ? Math.floor(v) : v);
  if (field.type === "enum" && field.vocabulary) {
    const list = field.vocabulary === "state" ? STATES : undefined;
    const hit = list ? findNamed(list, v) : findNamed(vocabularyFor(field, policy), v);
    if (hit) return inLang(hit, lang);
  }
  return String(v);
}

const vocabularyFor = (field: FieldDef, policy: Policy) => vocabularyOf(field.vocabulary!, policy);

// ------------------------------------------------------------------ work lists

export type ListId = "mine" | "open" | "overdue" | "dueSoon" | "toSign";

export const LIST_NAMES: Record<ListId, Bilingual> = {
  mine: { zh: "我负责的", en: "Mine" },
  open: { zh: "未结案", en: "Open" },
  overdue: { zh: "已逾期", en: "Overdue" },
  dueSoon: { zh: "即将到期", en: "Due soon" },
  toSign: { zh: "待我签核", en: "Waiting for my approval" },
};

export interface WorkItem {
  row: CaseRow;
  /** The earliest running due date, for sorting and showing. */
  nextDue?: number;
  overdue: ClockState[];
  dueSoon: ClockState[];
}

/** Forms signed before any disposition exists: they wait for nobody's judgement. */
const EARLY_FORMS = new Set<string>([FORM.REPLACEMENT_FIRST, FORM.URGENT]);

interface WorkEntry {
  item: WorkItem;
  open: boolean;
  overdue: boolean;
  awaiting: Set<string>;
}

/** What the work lists need of one case, whoever is looking. */
function workEntry(row: CaseRow, policy: Policy, cal: WorkCalendar, today: number): WorkEntry {
  let facts: CaseFacts | undefined;
  try {
    facts = caseFacts(row, policy, cal, today);
  } catch {
    facts = undefined; // a clock without calendar data: listed as open, never as due
  }
  const running = facts?.running ?? [];
  const early = facts?.open
    ? missingApprovals(row.case, policy)
        .filter((m) => EARLY_FORMS.has(m.form.code))
        .flatMap((m) => m.roles)
    : [];
  const item: WorkItem = {
    row,
    nextDue: running.length ? running[0].due : undefined,
    overdue: running.filter((k) => k.status === "OVERDUE"),
    dueSoon: running.filter((k) => k.status === "DUE_SOON"),
  };
  return { item, open: facts?.open ?? isOpen(row.case), overdue: facts?.overdue ?? false, awaiting: new Set([...(facts?.awaiting ?? []), ...early]) };
}

/**
 * The five lists of "My work", each sorted by the earliest running due date.
 * Open, overdue and "waiting for approval" are the managers' views
 * (reports/views.ts caseFacts), so the pane and the sheet's filters agree;
 * "waiting for my approval" adds the approvals that come before a
 * disposition (ship a replacement first, urgent handling), which a manager
 * must sign at once.
 */
export function workLists(
  rows: readonly CaseRow[],
  policy: Policy,
  cal: WorkCalendar,
  today: number,
  actor: Actor | undefined,
  myRoles: readonly string[],
): Record<ListId, WorkItem[]> {
  // Per row and kept per CaseRow (row-cache.ts): after a save only the cases it changed are derived again.
  const items = rows.filter((r) => r.case.caseNo).map((row) => perRow("work", row, policy, cal, today, () => workEntry(row, policy, cal, today)));
  const byDue = (a: WorkItem, b: WorkItem) => (a.nextDue ?? Infinity) - (b.nextDue ?? Infinity);
  const open = items.filter((i) => i.open);
  const me = actor?.name;
  const list = (xs: typeof items) => xs.map((x) => x.item).sort(byDue);
  return {
    mine: list(open.filter((i) => me !== undefined && i.item.row.case.owner === me)),
    open: list(open),
    // Overdue as views.ts defines it (a late follow-up of a closed case counts), so the numbers agree everywhere.
    overdue: list(items.filter((i) => i.overdue)),
    dueSoon: list(items.filter((i) => i.item.dueSoon.length > 0 && !i.overdue)),
    toSign: list(items.filter((i) => myRoles.some((r) => i.awaiting.has(r)))),
  };
}

export { isOpen };

// ------------------------------------------------------------------ closing

// ------------------------------------------------------------------ find

const squash = (s: string) => s.toLowerCase().replace(/[\s\-_/.]+/g, "");

/**
 * Cases matching what was typed, by number, customer, product or part
 * number (case and spaces ignored): the number first (exact, then its
 * tail, so "12" finds KS-2026-0012), then the rest in ledger order. At most
 * `limit`, so a ledger of 50,000 rows never renders 50,000 options.
 */
export function findCases(rows: readonly CaseRow[], query: string, limit = 8): CaseRow[] {
  const q = squash(query);
  if (!q) return [];
  const scored: { row: CaseRow; score: number }[] = [];
  for (const row of rows) {
    const c = row.case;
    if (!c.caseNo) continue;
    const no = squash(c.caseNo);
    let score = 0;
    if (no === q) score = 4;
    else if (/^\d+$/.test(q) && Number(no.match(/(\d+)$/)?.[1]) === Number(q)) score = 3;
    else if (no.includes(q)) score = 2;
    else if ([c.customer, c.product, c.partNo].some((x) => x && squash(x).includes(q))) score = 1;
    if (score) scored.push({ row, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.row.row - b.row.row)
    .slice(0, limit)
    .map((x) => x.row);
}

/** The fields a correction may change after intake: what identifies the case, and when it was received (an adopted date read in the wrong year), re-validated like any edit. */
export const CORRECTION_KEYS = [
  "kind",
  "customer",
  "customerClass",
  "market",
  "product",
  "partNo",
  "batch",
  "shipDate",
  "receivedAt",
  "quantity",
  "defect",
] as const;
