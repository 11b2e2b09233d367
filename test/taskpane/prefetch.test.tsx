/** @jest-environment jsdom */
/**
 * Tab switches without waiting (issue 15): the lazy screens are loaded one
 * per idle period after the first render (prefetch.ts), and Views shows at
 * once while the facts behind its counts are still being computed, drawing
 * the counts when they are done (snapshot.ts useFactsReady).
 */
import { act, render, screen } from "@testing-library/react";
import { dateToSerial } from "../../src/domain/dates";
import { calendarFor } from "../../src/domain/sla";
import { MemoryStore } from "../../src/ledger/memory";
import { generateSample } from "../../src/ledger/sample";
import { Ledger } from "../../src/ledger/service";
import { viewCounts } from "../../src/ledger/views";
import { prefetchScreens } from "../../src/taskpane/prefetch";
import { factsReady, snapshotCounts, useFactsReady, type Snapshot } from "../../src/taskpane/snapshot";
import { NOW } from "./helpers";

const today = Math.floor(dateToSerial(NOW));

describe("prefetching the lazy screens", () => {
  function idleHost() {
    const queue: { id: number; cb: () => void }[] = [];
    let seq = 0;
    return {
      queue,
      requestIdleCallback: (cb: () => void) => {
        queue.push({ id: ++seq, cb });
        return seq;
      },
      cancelIdleCallback: (id: number) => {
        const i = queue.findIndex((q) => q.id === id);
        if (i >= 0) queue.splice(i, 1);
      },
      async runOne() {
        const q = queue.shift();
        q?.cb();
        await act(async () => undefined);
      },
    };
  }

  test("one screen per idle period, in order, nothing before the first idle period", async () => {
    const loaded: number[] = [];
    const screens = [0, 1, 2].map((n) => async () => void loaded.push(n));
    const host = idleHost();
    prefetchScreens(screens, host);
    expect(loaded).toEqual([]);
    await host.runOne();
    expect(loaded).toEqual([0]);
    await host.runOne();
    await host.runOne();
    expect(loaded).toEqual([0, 1, 2]);
    expect(host.queue).toHaveLength(0);
  });

  test("a failed load does not stop the others; stopping cancels what has not started", async () => {
    const loaded: number[] = [];
    const host = idleHost();
    const stop = prefetchScreens([async () => Promise.reject(new Error("offline")), async () => void loaded.push(1), async () => void loaded.push(2)], host);
    await host.runOne();
    await host.runOne();
    expect(loaded).toEqual([1]);
    stop();
    expect(host.queue).toHaveLength(0);
    expect(loaded).toEqual([1]);
  });

  test("without requestIdleCallback nothing is loaded ahead", () => {
    const load = jest.fn(async () => undefined);
    prefetchScreens([load], {});
    expect(load).not.toHaveBeenCalled();
  });
});

describe("useFactsReady", () => {
  async function snap(cases: number): Promise<Snapshot> {
    const ledger = new Ledger(new MemoryStore(await generateSample({ cases, audit: false, today })), { now: () => NOW });
    await ledger.load();
    return { rows: ledger.rows, version: 0, policy: ledger.policy, cal: calendarFor(ledger.policy), today };
  }

  function Counts({ s, atOnce }: { s: Snapshot; atOnce: number }) {
    const ready = useFactsReady(s, atOnce);
    return <p data-testid="counts">{ready ? String(snapshotCounts(s).open) : "…"}</p>;
  }

  test("few rows missing: ready on the first render", async () => {
    const s = await snap(120);
    render(<Counts s={s} atOnce={500} />);
    expect(screen.getByTestId("counts").textContent).toBe(String(viewCounts(s.rows, s.policy, s.cal, today).open));
  });

  test("many rows missing: the screen renders at once, the counts follow when the slices are done", async () => {
    const s = await snap(300);
    render(<Counts s={s} atOnce={10} />);
    expect(screen.getByTestId("counts").textContent).toBe("…");
    expect(factsReady(s)).toBeLessThan(s.rows.length);
    expect(await screen.findByText(String(viewCounts(s.rows, s.policy, s.cal, today).open))).toBeTruthy();
    expect(factsReady(s)).toBe(s.rows.length);
  });
});
