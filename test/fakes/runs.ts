/**
 * How many cases a property test tries. Under Stryker (`npm run mutate`, which sets STRYKER_MUTATOR_WORKER in
 * its test runners) each mutant reruns every property that reaches it, so a fifth of the runs (at least 20)
 * keeps a file's run within the hour on two shared cores; the examples beside each property do the targeted
 * killing. `npm test` and CI run the full count.
 */
export function propertyRuns(n: number, env: NodeJS.ProcessEnv = process.env): number {
  return env.STRYKER_MUTATOR_WORKER === undefined ? n : Math.min(n, Math.max(20, Math.ceil(n / 5)));
}
