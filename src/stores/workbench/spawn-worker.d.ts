/** Starts the workbench's Web Worker (workbench.worker.ts). */
export function spawnWorkbenchWorker(): Worker;
