/** A seeded random generator for the sample ledgers and the benchmarks: the same seed, the same data. */

/**
 * mulberry32: small, fast, seeded; `prng(1)()` is always the same number in [0, 1).
 * `state()` is the seed that continues the sequence from here: `prng(g.state())` draws what `g` would draw next
 * (a streamed sample remakes a case from it instead of holding it).
 */
export function prng(seed: number): (() => number) & { state(): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => a });
}
