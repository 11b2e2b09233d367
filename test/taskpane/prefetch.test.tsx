/** @jest-environment jsdom */
/**
 * Tab switches without waiting (issue 15): the lazy screens are loaded one
 * per idle period after the first render (prefetch.ts), and Views shows at
 * once while the facts behind its counts are still being computed, drawing
 * the counts when they are done (snapshot.ts useFactsReady).
 */
import { act, fireEvent, render, screen } from "@testing-library/react";
import { Suspense, useContext, useEffect, useState } from "react";
import { webLightTheme } from "@fluentui/react-components";
import { todayIn } from "../../src/domain/zone";
import { calendarFor } from "../../src/domain/sla";
import { MemoryStore } from "../../src/stores/memory";
import { generateSample } from "../../src/sample/ledger-sample";
import { Ledger } from "../../src/ledger/service";
import { viewCounts } from "../../src/reports/views";
import { lazyScreen, prefetchScreens, useWarmScreens } from "../../src/taskpane/prefetch";
import { PaneContext, type Pane } from "../../src/taskpane/ui/pane";
import { factsReady, snapshotCounts, useFactsReady, type Snapshot } from "../../src/taskpane/ledger-snapshot";
import { NOW } from "./helpers";

const today = todayIn(NOW);

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

describe("lazyScreen", () => {
  function Counter({ label }: { label: string }) {
    const [n, setN] = useState(0);
    return <button onClick={() => setN(n + 1)}>{`${label} ${n}`}</button>;
  }
  const host = (el: React.ReactNode) => <Suspense fallback={<p>加载中…</p>}>{el}</Suspense>;

  test("not loaded yet: suspends as React.lazy does, then shows the screen", async () => {
    const factory = jest.fn(async () => ({ default: Counter }));
    const Screen = lazyScreen(factory);
    render(host(<Screen label="a" />));
    expect(screen.getByText("加载中…")).toBeTruthy();
    expect(await screen.findByText("a 0")).toBeTruthy();
    expect(factory).toHaveBeenCalledTimes(1);
  });

  test("prefetched: the first visit renders at once, no fallback; its state lives on across renders", async () => {
    const factory = jest.fn(async () => ({ default: Counter }));
    const Screen = lazyScreen(factory);
    const idle: (() => void)[] = [];
    // The registered screens include this one: load them all.
    prefetchScreens(undefined, { requestIdleCallback: (cb) => idle.push(cb) });
    while (idle.length) {
      idle.shift()!();
      await act(async () => undefined);
    }
    expect(factory).toHaveBeenCalledTimes(1);
    const { rerender } = render(host(<Screen label="b" />));
    expect(screen.queryByText("加载中…")).toBeNull();
    fireEvent.click(screen.getByText("b 0"));
    rerender(host(<Screen label="c" />));
    expect(screen.getByText("c 1")).toBeTruthy();
  });

  test("a failed load is not kept: the prefetcher asks again, and the next visit renders the screen", async () => {
    let fail = true;
    const Screen = lazyScreen(async () => {
      if (fail) throw new Error("offline");
      return { default: Counter };
    });
    const onError = jest.spyOn(console, "error").mockImplementation(() => undefined);
    class Catch extends (await import("react")).Component<{ children: React.ReactNode }, { err?: Error }> {
      state: { err?: Error } = {};
      static getDerivedStateFromError(err: Error) {
        return { err };
      }
      render() {
        return this.state.err ? <p>failed</p> : this.props.children;
      }
    }
    const first = render(<Catch>{host(<Screen label="d" />)}</Catch>);
    expect(await screen.findByText("failed")).toBeTruthy();
    first.unmount();
    onError.mockRestore();
    fail = false;
    // The prefetcher asks again (a failed load is not kept); the next visit then renders at once.
    const idle: (() => void)[] = [];
    prefetchScreens(undefined, { requestIdleCallback: (cb) => idle.push(cb) });
    while (idle.length) {
      idle.shift()!();
      await act(async () => undefined);
    }
    render(host(<Screen label="d" />));
    expect(screen.getByText("d 0")).toBeTruthy();
  });
});

describe("useWarmScreens", () => {
  test("renders each screen once off the document, one per idle period, with the pane; unmounts it; again when the ledger changes", async () => {
    const queue: (() => void)[] = [];
    const g = globalThis as { requestIdleCallback?: unknown; cancelIdleCallback?: unknown };
    g.requestIdleCallback = (cb: () => void) => queue.push(cb);
    g.cancelIdleCallback = () => undefined;
    const log: string[] = [];
    const screenOf = (name: string) =>
      function Screen() {
        const pane = useContext(PaneContext);
        useEffect(() => {
          log.push(`mount ${name} v${pane?.version}`);
          return () => void log.push(`unmount ${name}`);
        }, [pane]);
        return <p data-testid={`warm-${name}`}>{name}</p>;
      };
    const screens = [screenOf("views"), screenOf("finance")];
    const ledger = { rows: [] } as unknown as Pane["ledger"];
    function Host({ version }: { version: number }) {
      useWarmScreens(screens, { ledger, version } as Pane, "zh", webLightTheme);
      return <p>host</p>;
    }
    const runIdle = async () => {
      const cb = queue.shift();
      await act(async () => cb?.());
      await act(async () => new Promise((ok) => setTimeout(ok, 0)));
    };
    try {
      const { rerender } = render(<Host version={1} />);
      expect(log).toEqual([]);
      await runIdle();
      expect(log).toEqual(["mount views v1"]);
      expect(screen.queryByTestId("warm-views")).toBeNull(); // never in the document
      await runIdle();
      expect(log).toEqual(["mount views v1", "unmount views", "mount finance v1"]);
      await runIdle();
      expect(log.at(-1)).toBe("unmount finance");
      expect(queue).toHaveLength(0);
      rerender(<Host version={2} />);
      await runIdle();
      expect(log.at(-1)).toBe("mount views v2");
    } finally {
      delete g.requestIdleCallback;
      delete g.cancelIdleCallback;
    }
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
