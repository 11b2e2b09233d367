/* global Worker, URL */
// Plain JavaScript on purpose: `import.meta.url` is how webpack 5 finds a
// worker's entry, and the CommonJS tsconfig used by tsc and ts-jest rejects
// import.meta in TypeScript. Only the webpack build loads this file.
export function spawnWorkbenchWorker() {
  return new Worker(new URL("./workbench.worker.ts", import.meta.url), { name: "workbench-worker" });
}
