/**
 * Slicing long loops (slices.ts): every index once and in order; other tasks
 * run while a slow loop is under way; a frozen clock (fake timers) never
 * stalls it.
 */
import { inSlices } from "../../src/ledger/slices";
import { shanghai } from "../fakes/clock";

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a slow row
  }
};

describe("inSlices", () => {
  test("visits every index once, in order", async () => {
    const seen: number[] = [];
    await inSlices(1000, (i) => seen.push(i), 0);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test("lets other tasks run during a slow loop, not only after it", async () => {
    let ticks = 0;
    let ticksBeforeEnd = -1;
    const timer = setInterval(() => ticks++, 1);
    try {
      await inSlices(
        256,
        (i) => {
          busy(1);
          if (i === 255) ticksBeforeEnd = ticks;
        },
        20,
      );
    } finally {
      clearInterval(timer);
    }
    expect(ticksBeforeEnd).toBeGreaterThan(0);
  });

  test("a loop that fits in one slice runs to the end without yielding", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let atEnd = -1;
    await inSlices(500, (i) => {
      if (i === 499) atEnd = ticks;
    });
    clearInterval(timer);
    expect(atEnd).toBe(0);
  });

  test("under fake timers (a frozen clock) it completes", async () => {
    jest.useFakeTimers({ now: shanghai(2030, 6, 1) });
    try {
      let n = 0;
      await inSlices(5000, () => n++, 0);
      expect(n).toBe(5000);
    } finally {
      jest.useRealTimers();
    }
  });
});
