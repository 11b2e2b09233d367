/**
 * What the screens compute over every case (work lists, view counts, the
 * dashboard, finance periods) computed once per ledger snapshot, not once
 * per render or per tab switch: at 50,000 cases each pass costs seconds.
 *
 * A snapshot is the ledger's rows as the pane last saw them, with the day
 * and the rules it was judged by. `Ledger.load()` replaces the rows array;
 * a write patches it in place and the pane bumps `version`: either starts a
 * new snapshot. Each case's facts are kept per row (row-cache.ts), so a new
 * snapshot after a save derives only the cases the save changed. Results are cached per snapshot by a key naming what was
 * computed and its inputs (the list owner, the view and its parameter).
 */
import { useEffect, useState } from "react";
import type { WorkCalendar } from "../domain/calendar/calendar";
import type { Policy } from "../domain/policy/policy";
import type { CaseRow } from "../ledger/service";
import { caseFacts, choicesOfCounts, inView, type CaseFacts, type ChoiceParam, type ViewId } from "../reports/views";
import { caseEstimates, type EstimatedDue } from "../reports/estimates";
import { perRow } from "./row-cache";

/** views.ts's facts of one case, derived again only when its row changed (row-cache.ts). */
export const rowFacts = (row: CaseRow, policy: Policy, cal: WorkCalendar, today: number): CaseFacts =>
  perRow("facts", row, policy, cal, today, () => caseFacts(row, policy, cal, today));

/** estimates.ts's estimatedDues, each case derived again only when its row changed. */
export const estimatesOf = (rows: readonly CaseRow[], policy: Policy, cal: WorkCalendar, today: number): EstimatedDue[] =>
  rows.flatMap((r) => perRow("estimates", r, policy, cal, today, () => caseEstimates(r.case, policy, cal, today)));

export interface Snapshot {
  rows: readonly CaseRow[];
  version: number;
  policy: Policy;
  cal: WorkCalendar;
  today: number;
}

interface Entry {
  version: number;
  policy: Policy;
  cal: WorkCalendar;
  today: number;
  results: Map<string, unknown>;
}

// Keyed weakly by the rows array: a ledger that is dropped takes its cache with it.
const cache = new WeakMap<readonly CaseRow[], Entry>();

function entryOf(s: Snapshot): Entry {
  let e = cache.get(s.rows);
  if (!e || e.version !== s.version || e.policy !== s.policy || e.cal !== s.cal || e.today !== s.today) {
    e = { version: s.version, policy: s.policy, cal: s.cal, today: s.today, results: new Map() };
    cache.set(s.rows, e);
  }
  return e;
}

/** `compute()` once per snapshot and key; later calls return the same object. */
export function memo<T>(s: Snapshot, key: string, compute: () => T): T {
  const e = entryOf(s);
  if (!e.results.has(key)) e.results.set(key, compute());
  return e.results.get(key) as T;
}

/** Facts computed so far for a snapshot: rows before `next` are done. */
interface FactsProgress {
  facts: (CaseFacts | Error)[];
  next: number;
}

const factsProgress = (s: Snapshot) => memo<FactsProgress>(s, "facts", () => ({ facts: new Array(s.rows.length), next: 0 }));

function advance(s: Snapshot, p: FactsProgress, until: number): void {
  for (; p.next < until; p.next++) {
    try {
      p.facts[p.next] = rowFacts(s.rows[p.next], s.policy, s.cal, s.today);
    } catch (e) {
      p.facts[p.next] = e instanceof Error ? e : new Error(String(e));
    }
  }
}

/**
 * views.ts's facts for every row (index = position in `rows`), once per
 * snapshot: the counts, the views and the dashboard's overdue figure share them.
 * A row whose clocks cannot be computed (no calendar data) keeps the error,
 * thrown again by whoever needs its facts, as views.ts would have thrown it.
 * Rows warmFacts has not reached yet are computed now.
 */
export function factsOf(s: Snapshot): (CaseFacts | Error)[] {
  const p = factsProgress(s);
  advance(s, p, s.rows.length);
  return p.facts;
}

/** How many rows' facts are computed so far. */
export const factsReady = (s: Snapshot): number => factsProgress(s).next;

/**
 * Computes the facts in slices of about `sliceMs` between other work, so
 * that at 50,000 cases the first visit to Views or the dashboard finds them
 * ready instead of freezing the page for a second or more. Returns a stop
 * function (for an unmounted screen or a snapshot that changed).
 */
export function warmFacts(s: Snapshot, sliceMs = 40, onDone?: () => void): () => void {
  const p = factsProgress(s);
  let stopped = false;
  const step = () => {
    if (stopped) return;
    const until = performance.now() + sliceMs;
    while (p.next < s.rows.length && performance.now() < until) advance(s, p, Math.min(p.next + 100, s.rows.length));
    if (p.next < s.rows.length) timer = setTimeout(step, 0);
    else onDone?.();
  };
  let timer = setTimeout(step, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * For a screen that needs every row's facts (Views' counts): true when they
 * are ready. A few thousand rows missing are computed at once; more (the
 * first seconds after opening 50,000 cases) are computed in slices while
 * the screen shows without them, and the screen is drawn again when they
 * are done — the tab opens at once instead of after a long task.
 */
export function useFactsReady(s: Snapshot, atOnce = 5000): boolean {
  const { rows, version, policy, cal, today } = s;
  const missing = rows.length - factsReady(s);
  if (missing > 0 && missing <= atOnce) factsOf(s);
  const done = factsReady(s) >= rows.length;
  const [, redraw] = useState(0);
  useEffect(
    () => (done ? undefined : warmFacts({ rows, version, policy, cal, today }, 40, () => redraw((x) => x + 1))),
    [done, rows, version, policy, cal, today],
  );
  return done;
}

function factsAt(facts: (CaseFacts | Error)[], i: number): CaseFacts {
  const f = facts[i];
  if (f instanceof Error) throw f;
  return f;
}

export type CountedView = "all" | "open" | "overdue" | "dueThisWeek" | "serious" | "awaitingApproval";
const COUNTED: CountedView[] = ["all", "open", "overdue", "dueThisWeek", "serious", "awaitingApproval"];

/** views.ts's viewCounts from the shared facts. */
export function snapshotCounts(s: Snapshot): Record<CountedView, number> {
  return memo(s, "counts", () => {
    const facts = factsOf(s);
    const counts = Object.fromEntries(COUNTED.map((v) => [v, 0])) as Record<CountedView, number>;
    s.rows.forEach((r, i) => {
      const f = factsAt(facts, i);
      for (const v of COUNTED) if (inView(v, r, f)) counts[v]++;
    });
    return counts;
  });
}

/** views.ts's applyView from the shared facts: the cases of a view, in ledger order. */
export function snapshotView(s: Snapshot, view: ViewId, param?: string): CaseRow[] {
  return memo(s, `view:${view}:${param ?? ""}`, () => {
    const facts = factsOf(s);
    return s.rows.filter((r, i) => inView(view, r, factsAt(facts, i), param));
  });
}

/** The snapshot a screen of the pane is looking at. */
export function snapshotOf(p: { ledger: { rows: readonly CaseRow[]; policy: Policy }; version: number; cal: WorkCalendar; today: number }): Snapshot {
  return { rows: p.ledger.rows, version: p.version, policy: p.ledger.policy, cal: p.cal, today: p.today };
}

interface Pending<T> {
  value?: T;
  error?: unknown;
  promise?: Promise<void>;
}

/**
 * An answer that arrives later (the workbench's worker), asked once per
 * snapshot and key; the component re-renders when it comes. No `compute`:
 * nothing is asked, and the result stays empty.
 */
export function useSnapshotAsync<T>(s: Snapshot, key: string, compute: (() => Promise<T>) | undefined): Pending<T> {
  const box = memo<Pending<T>>(s, key, () => {
    const b: Pending<T> = {};
    if (compute)
      b.promise = compute().then(
        (v) => {
          b.value = v;
        },
        (e: unknown) => {
          b.error = e ?? new Error("failed");
        },
      );
    return b;
  });
  const [, redraw] = useState(0);
  useEffect(() => {
    let live = true;
    if (box.promise && box.value === undefined && box.error === undefined) void box.promise.then(() => live && redraw((x) => x + 1));
    return () => {
      live = false;
    };
  }, [box]);
  return box;
}

const CHOICE_PARAMS: ChoiceParam[] = ["responsibility", "customer", "product"];
export type Choices = Record<ChoiceParam, { value: string; count: number }[]>;

/** The rows as last counted (a write patches the rows array in place) and the counts by value of each parameter. */
interface Tally {
  seen: CaseRow[];
  counts: Record<ChoiceParam, Map<string, number>>;
}
const tallies = new WeakMap<readonly CaseRow[], Tally>();

function count(t: Tally, r: CaseRow | undefined, by: 1 | -1): void {
  if (!r) return;
  for (const p of CHOICE_PARAMS) {
    const v = r.case[p];
    if (!v) continue;
    const n = (t.counts[p].get(v) ?? 0) + by;
    if (n) t.counts[p].set(v, n);
    else t.counts[p].delete(v);
  }
}

/**
 * views.ts's viewChoices of each "by …" parameter, once per snapshot. After a save only the rows it replaced are
 * counted again: the pane renders the Views screen off-screen after every save (prefetch.tsx's warm-up), and
 * counting 50,000 cases there was a main-thread task of 100–200 ms (issue 26). Rows are compared by identity, as
 * row-cache.ts keys them: a save gives the rows it changed new CaseRow objects.
 */
export function snapshotChoices(s: Snapshot): Choices {
  return memo(s, "viewChoices", () => {
    const rows = s.rows;
    let t = tallies.get(rows);
    if (!t) {
      t = { seen: [], counts: { responsibility: new Map(), customer: new Map(), product: new Map() } };
      tallies.set(rows, t);
    }
    const n = Math.max(rows.length, t.seen.length);
    for (let i = 0; i < n; i++) {
      if (t.seen[i] === rows[i]) continue;
      count(t, t.seen[i], -1);
      count(t, rows[i], 1);
    }
    t.seen = rows.slice();
    const c = t.counts;
    return { responsibility: choicesOfCounts(c.responsibility), customer: choicesOfCounts(c.customer), product: choicesOfCounts(c.product) };
  });
}
