/**
 * Long loops over a large ledger, cut into slices so the page's thread is
 * never held for seconds (issue 15: no task over 1 s at 50,000 cases). Each
 * slice runs for about `budgetMs`, then yields to the host: input, rendering
 * and other tasks run in between. A loop that fits in one slice (any ledger
 * of a few thousand rows) never yields, and a frozen clock (fake timers in
 * tests) never makes it yield either.
 */

interface Scheduler {
  yield?: () => Promise<void>;
}

/** Lets the host run other tasks: `scheduler.yield()` where it exists (Chromium), else a message, else a timer. */
export function yieldToHost(): Promise<void> {
  const s = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof s?.yield === "function") return s.yield();
  if (typeof MessageChannel === "function") {
    return new Promise((ok) => {
      const c = new MessageChannel();
      c.port1.onmessage = () => {
        c.port1.close();
        ok();
      };
      c.port2.postMessage(null);
    });
  }
  return new Promise((ok) => setTimeout(ok, 0));
}

const clock = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Calls `work(i)` for i = 0 … n − 1 in order, yielding to the host about every `budgetMs` of work. */
export async function inSlices(n: number, work: (i: number) => void, budgetMs = 40): Promise<void> {
  let start = clock();
  for (let i = 0; i < n; i++) {
    work(i);
    if ((i & 127) === 127 && clock() - start > budgetMs) {
      await yieldToHost();
      start = clock();
    }
  }
}
