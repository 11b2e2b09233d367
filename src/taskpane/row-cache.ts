/**
 * What the pane derives from one case (its facts, its work-list entry, its
 * estimated dues), kept per CaseRow object. The Ledger replaces the CaseRow
 * of each row a write touched and keeps every other one (service.ts
 * applyOwnWrite), so after a save of one case the next snapshot re-derives
 * that case only instead of all 50,000 on the page's main thread. A reload
 * makes new rows, and a new policy, calendar or day misses the cache.
 */
import type { WorkCalendar } from "../domain/calendar/calendar";
import type { Policy } from "../domain/policy/policy";
import type { CaseRow } from "../ledger/service";

interface Kept {
  policy: Policy;
  cal: WorkCalendar;
  today: number;
  value: unknown;
}

// One cache per kind of result; weak, so a dropped ledger takes its entries with it.
const caches = new Map<string, WeakMap<CaseRow, Kept>>();
const derived = new Map<string, number>();

/** `compute()` for this row, kind, policy, calendar and day, once; a thrown error is kept and thrown again. */
export function perRow<T>(kind: string, row: CaseRow, policy: Policy, cal: WorkCalendar, today: number, compute: () => T): T {
  let cache = caches.get(kind);
  if (!cache) caches.set(kind, (cache = new WeakMap()));
  let k = cache.get(row);
  if (!k || k.policy !== policy || k.cal !== cal || k.today !== today) {
    derived.set(kind, (derived.get(kind) ?? 0) + 1);
    let value: unknown;
    try {
      value = compute();
    } catch (e) {
      value = new Thrown(e);
    }
    k = { policy, cal, today, value };
    cache.set(row, k);
  }
  if (k.value instanceof Thrown) throw k.value.error;
  return k.value as T;
}

class Thrown {
  constructor(readonly error: unknown) {}
}

/** How many rows have been derived so far, by kind (for tests: a save of one case derives one). */
export const derivedCount = (kind: string): number => derived.get(kind) ?? 0;
