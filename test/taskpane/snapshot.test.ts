/**
 * snapshot.ts: what the screens compute over every case, once per ledger
 * snapshot. The shared facts give views.ts's own counts and views; a result
 * is computed once and kept until the snapshot changes (a write bumps
 * `version`); warmFacts computes the facts in slices between timers and
 * stops when told to.
 */
import { todayIn } from "../../src/domain/zone";
import { calendarFor } from "../../src/domain/sla";
import { applyView, caseFacts, viewCounts } from "../../src/reports/views";
import { factsOf, factsReady, memo, snapshotCounts, snapshotView, warmFacts, type Snapshot } from "../../src/taskpane/ledger-snapshot";
import { MemoryStore } from "../../src/stores/memory";
import { generateSample } from "../../src/sample/ledger-sample";
import { Ledger } from "../../src/ledger/service";
import { NOW } from "./helpers";

const today = todayIn(NOW);

/** 600 generated cases: more than one slice's worth. */
async function snap(version = 0): Promise<Snapshot> {
  const ledger = new Ledger(new MemoryStore(await generateSample({ cases: 600, audit: false, today })), { now: () => NOW });
  await ledger.load();
  return { rows: ledger.rows, version, policy: ledger.policy, cal: calendarFor(ledger.policy), today };
}

describe("ledger snapshot", () => {
  test("counts and views from the shared facts are views.ts's own", async () => {
    const s = await snap();
    expect(snapshotCounts(s)).toEqual(viewCounts(s.rows, s.policy, s.cal, today));
    for (const v of ["open", "overdue", "dueThisWeek", "serious", "awaitingApproval"] as const) {
      expect(snapshotView(s, v).map((r) => r.row)).toEqual(applyView(s.rows, v, s.policy, s.cal, today).rows.map((r) => r.row));
    }
    const customer = s.rows[0].case.customer!;
    const mine = snapshotView(s, "byCustomer", customer);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.case.customer === customer)).toBe(true);
  });

  test("computed once per snapshot; a new version computes again", async () => {
    const s = await snap();
    const compute = jest.fn(() => ({ n: s.rows.length }));
    const a = memo(s, "k", compute);
    expect(memo({ ...s }, "k", compute)).toBe(a);
    expect(compute).toHaveBeenCalledTimes(1);
    const b = memo({ ...s, version: 1 }, "k", compute);
    expect(b).not.toBe(a);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  test("warmFacts works in slices between timers, and stops when told", async () => {
    const s = await snap();
    jest.useFakeTimers({ now: NOW });
    try {
      // A clock that moves 1 ms per reading: a 5 ms slice covers a few batches, never all 200 rows.
      let t = 0;
      const spy = jest.spyOn(performance, "now").mockImplementation(() => ++t);
      const stop = warmFacts(s, 5);
      expect(factsReady(s)).toBe(0); // nothing on the caller's own turn
      jest.advanceTimersToNextTimer();
      const one = factsReady(s);
      expect(one).toBeGreaterThan(0);
      expect(one).toBeLessThan(s.rows.length);
      jest.advanceTimersToNextTimer();
      const two = factsReady(s);
      expect(two).toBeGreaterThan(one);
      stop();
      jest.runAllTimers();
      expect(factsReady(s)).toBe(two);
      expect(factsReady({ ...s, version: 99 })).toBe(0); // another snapshot is untouched
      spy.mockRestore();
      const facts = factsOf(s);
      expect(facts).toHaveLength(s.rows.length);
      s.rows.forEach((r, i) => expect(facts[i]).toEqual(caseFacts(r, s.policy, s.cal, today)));
    } finally {
      jest.useRealTimers();
    }
  });
});
