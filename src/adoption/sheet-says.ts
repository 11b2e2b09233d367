/**
 * What a hand-kept sheet says beyond its columns (issue 28): the kind each
 * row's evidence names (goods back, a disposition that needs the goods, the
 * number's prefix, the sheet's title), the state its progress column names
 * (held to what the row's data supports), and the year of a date typed
 * without one (the year that keeps the row in order).
 */
import { caseNoShape, isBlank, readCase, readValue, type CellValue } from "../domain/case";
import { dispositionOf } from "../domain/disposition";
import { serialToYmd, toSerial } from "../domain/dates";
import { reachedState, STATE_ORDER, type State } from "../domain/lifecycle";
import { findNamed } from "../domain/policy/policy";
import { OPEN } from "../domain/progress-words";
import { KINDS, STATES } from "../domain/schema";
import { validateCase } from "../domain/validate";
import { cellOf } from "../ledger/records";
import type { AdoptPlan, KindSource, Planning, RowsRead } from "./planning";
import { cellText as text } from "../domain/text";

/** Case-number prefixes that name a kind: the pinyin initials of 客诉 / 客退 / 客换 / 客借. */
const PREFIX_KIND: Record<string, string> = { KS: "COMPLAINT", TS: "COMPLAINT", KT: "RETURN", TH: "RETURN", KH: "EXCHANGE", KJ: "LOAN" };

/** The kind a sheet's name and title rows name, when they name one kind only. */
function titleKind(p: Planning): string | undefined {
  const words = [p.grid.name, ...p.values.slice(0, p.headerRow).flatMap((r) => r.map(text))].join(" ");
  const found = KINDS.filter((k) => [k.zh, ...(k.synonyms ?? [])].some((w) => /[\u4e00-\u9fff]/.test(w) && words.includes(w)));
  return found.length === 1 ? found[0].code : undefined;
}

/**
 * Every case gets a kind: the sheet's own column, else the row's evidence, else the one answer asked for
 * the whole sheet (`opts.kind`, default 客诉), never blank. Returns how many came from where.
 */
export function inferKinds(p: Planning, read: RowsRead): AdoptPlan["kinds"] {
  const field = p.schema.find((f) => f.key === "kind")!;
  const fromTitle = titleKind(p);
  const chosen = p.opts.kind && findNamed(KINDS, p.opts.kind)?.code;
  const asked = chosen ?? "COMPLAINT";
  const from: Record<KindSource, number> = { goods: 0, disposition: 0, prefix: 0, title: 0, asked: 0 };
  const { cases } = read;
  for (let i = 0; i < cases.length; i++) {
    if (!isBlank(cases.get(i, "kind") ?? null)) continue;
    const shape = caseNoShape(text(cases.get(i, "caseNo") ?? null));
    const prefixKind = shape ? PREFIX_KIND[shape.letters] : undefined;
    let kind: string;
    let source: KindSource;
    if (!isBlank(cases.get(i, "goodsBackAt") ?? null)) [kind, source] = ["RETURN", "goods"];
    else if (dispositionOf(cases.get(i, "disposition"), p.policy)?.needsGoods) [kind, source] = ["RETURN", "disposition"];
    else if (prefixKind) [kind, source] = [prefixKind, "prefix"];
    else if (fromTitle) [kind, source] = [fromTitle, "title"];
    else [kind, source] = [asked, "asked"];
    cases.set(i, "kind", cellOf(field, kind, p.policy));
    from[source]++;
  }
  return { from, asked: from.asked > 0 || chosen ? { rows: from.asked, default: "COMPLAINT", chosen } : undefined, title: fromTitle };
}

const CLOSED = new Set<string>(["CLOSED", "FOLLOWED_UP"]);

/**
 * Each case's status: closed history when the sheet says so (a close date, a finishing result, 是 to 是否结案,
 * or a progress text naming the close); otherwise the state its progress column names, held to what its
 * data supports (a text says 待回复 but no step is recorded: written at the furthest recorded step), or,
 * without a progress text, that furthest step. Every progress text and where its rows went is reported.
 */
export function decideStatuses(p: Planning, read: RowsRead, defaultYear: number) {
  const { policy } = p;
  const statusField = p.schema.find((f) => f.key === "status")!;
  const states: Record<string, number> = {};
  const progress = new Map<string, { text: string; state?: string; rows: number; written: Record<string, number> }>();
  let statusInferred = 0;
  let history = 0;
  const { cases } = read;
  for (let i = 0; i < cases.length; i++) {
    const says = read.progress[i];
    let state: string;
    if (isBlank(cases.get(i, "status") ?? null)) {
      const { case: c } = readCase(cases.record(i), policy, { defaultYear });
      const closedBySheet = says?.state ? CLOSED.has(says.state) : c.closedAt !== undefined || read.finishedRows.has(i);
      if (closedBySheet) {
        state = says?.state === "FOLLOWED_UP" || (c.followUpAt !== undefined && c.satisfaction !== undefined) ? "FOLLOWED_UP" : "CLOSED";
      } else {
        const reached = reachedState(c, policy);
        // 未结案 names no step: the row's data says where it is.
        const named = says?.state && says.state !== OPEN ? (says.state as State) : undefined;
        state = named && STATE_ORDER.indexOf(named) <= STATE_ORDER.indexOf(reached) ? named : reached;
        // Data that already claims the close is history too, unless the sheet's progress says it is open.
        if (!named && CLOSED.has(reached)) state = reached;
      }
      if (CLOSED.has(state)) history++;
      cases.set(i, "status", cellOf(statusField, findNamed(STATES, state)!.code, policy));
      statusInferred++;
    }
    const status = cases.get(i, "status");
    const code = findNamed(STATES, status)?.code ?? String(status);
    states[code] = (states[code] ?? 0) + 1;
    if (says) {
      const entry = progress.get(says.text) ?? { text: says.text, state: says.state, rows: 0, written: {} };
      entry.rows++;
      entry.written[code] = (entry.written[code] ?? 0) + 1;
      progress.set(says.text, entry);
    }
  }
  return { statusInferred, history, states, progress: [...progress.values()].sort((a, b) => b.rows - a.rows) };
}

const ORDER_CODES = new Set(["DATE_BEFORE_RECEIPT", "SHIP_DATE_AFTER_RECEIPT", "DATE_ORDER"]);

/** Date-order violations of a record, as check will see them. */
function orderViolations(rec: Record<string, CellValue>, p: Planning): string[] {
  const { case: c } = readCase(rec, p.policy);
  return validateCase(c, p.policy)
    .filter((v) => ORDER_CODES.has(v.code))
    .map((v) => `${v.code}:${v.field}`);
}

/**
 * A date typed without a year (「1月18日」) takes the sheet's year when that keeps the row in order
 * (shipment ≤ receipt ≤ steps ≤ close), else the year of the row's other dates, the year before or the
 * year after, the first that does; when none does, it is kept as typed and listed, never guessed against the row.
 */
export function fitYearlessDates(p: Planning, rec: Record<string, CellValue>, row: readonly CellValue[], r: number, sheetYear: number): void {
  const dateCols = p.columns.filter((c) => ["date", "datetime"].includes(p.fieldOf(c.key)?.type ?? ""));
  const yearless = dateCols.filter((c) => {
    const raw = row[c.index];
    return typeof raw === "string" && !toSerial(raw).ok && toSerial(raw, { defaultYear: sheetYear }).ok;
  });
  if (yearless.length === 0) return;
  const rowYears = dateCols
    .filter((c) => !yearless.includes(c))
    .map((c) => toSerial(row[c.index]))
    .filter((x) => x.ok)
    .map((x) => (x.ok ? serialToYmd(Math.floor(x.serial)).year : sheetYear));
  const candidates = [...new Set([sheetYear, ...rowYears, sheetYear - 1, sheetYear + 1])];
  // The receipt first (the other dates are judged against it), then the shipment, then the steps; a date not yet
  // given its year does not take part in judging another's.
  const rank = (key: string | null) => (key === "receivedAt" ? 0 : key === "shipDate" ? 1 : 2);
  yearless.sort((a, b) => rank(a.key) - rank(b.key));
  const base: Record<string, CellValue> = { ...rec };
  for (const c of yearless) base[p.fieldOf(c.key)!.key] = null;
  for (const c of yearless) {
    const field = p.fieldOf(c.key)!;
    const raw = row[c.index];
    const before = new Set(orderViolations(base, p));
    const fits = candidates.find((y) => {
      const v = readValue(field, raw, p.policy, { defaultYear: y });
      if (v.problem) return false;
      const trial = { ...base, [field.key]: cellOf(field, v.value, p.policy) };
      return orderViolations(trial, p).every((x) => before.has(x));
    });
    if (fits !== undefined) {
      rec[field.key] = base[field.key] = cellOf(field, readValue(field, raw, p.policy, { defaultYear: fits }).value, p.policy);
      continue;
    }
    rec[field.key] = raw;
    p.problems.push({
      row: p.sheetRow(r),
      column: c.letter,
      header: c.header,
      value: raw,
      kind: "BAD_VALUE",
      zh: `日期"${text(raw)}"没有年份,${candidates.join("、")} 年都与本行其他日期的先后不符(出货 ≤ 接收 ≤ 结案),原样保留`,
      en: `Date "${text(raw)}" has no year, and none of ${candidates.join(", ")} keeps the row in order (shipment ≤ receipt ≤ close); kept as typed`,
    });
  }
}
