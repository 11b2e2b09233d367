/**
 * The page's side of the workbench worker (workbench-worker-core.ts): the
 * worker's workbook as a LedgerStore and an Adopter whose methods are
 * messages, so `Ledger` and the screens use it as they used the in-page
 * store. Nothing here loads exceljs: the page stays light and responsive
 * while the worker parses a large file, and the page says which step it is at.
 */
import type { CellValue } from "../../domain/case";
import { serialToIso } from "../../domain/dates";
import { timeZoneOfRows } from "../../domain/policy/policy-table";
import { DEFAULT_TIME_ZONE, todayIn } from "../../domain/zone";
import type { Bilingual } from "../../domain/errors";
import type { Adopter } from "../../adoption/adopter";
import type { LedgerStore } from "../../ledger/store";
import { fromWire, XLSX_TYPE, type AdopterOp, type Opened, type OpenStep, type Request, type StoreOp, type WireError } from "./protocol";

/** What the page holds of a workbook open in the worker. */
export interface WorkbenchFile {
  name: string;
  /** Set when the workbook holds a ledger. */
  store?: LedgerStore;
  /** Set when it does not: its sheets can be adopted. */
  adopter?: Adopter;
  /** The workbook as .xlsx bytes, for the download button. */
  bytes(): Promise<Blob>;
  /** After adoption: the same workbook opened as a ledger. */
  asLedger(): Promise<WorkbenchFile>;
}

/**
 * A store whose dashboard is worked out off the page's thread (the workbench's worker, which the worker's entry
 * gives the computation: workbench.worker.ts). `T` is the figures' type, which this store does not know.
 */
export interface OffThreadDashboard<T = unknown> {
  offThreadDashboard(today: number): Promise<T>;
}

export function dashboardOffThread<T>(store: LedgerStore): OffThreadDashboard<T> | undefined {
  return typeof (store as Partial<OffThreadDashboard>).offThreadDashboard === "function" ? (store as LedgerStore & OffThreadDashboard<T>) : undefined;
}

/** A worker, or anything that answers like one (tests run the handler in-process). */
export interface Port {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/** Opening a file, step by step (the last step, reading the cases, runs on the page). */
export type ProgressStep = "load" | OpenStep;
export const STEP_TEXT: Record<ProgressStep, Bilingual> = {
  load: { zh: "读取文件", en: "Reading the file" },
  parse: { zh: "解析 .xlsx", en: "Parsing the .xlsx" },
  read: { zh: "读取台账行", en: "Reading the ledger rows" },
  cases: { zh: "计算案件与时效", en: "Working out cases and deadlines" },
};
export const STEP_ORDER: ProgressStep[] = ["load", "parse", "read", "cases"];

export class WorkbenchClient {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  /** Called with each step the worker reports while opening a file. */
  onProgress?: (step: ProgressStep) => void;

  constructor(
    private readonly port: Port,
    private readonly now: () => Date = () => new Date(),
  ) {
    port.onmessage = (e: MessageEvent) => {
      const m = e.data as { id?: number; result?: unknown; error?: WireError; progress?: { step: OpenStep } };
      if (m.progress) {
        this.onProgress?.(m.progress.step);
        return;
      }
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.error) p.reject(fromWire(m.error));
      else p.resolve(m.result);
    };
  }

  private call<T>(req: Request, transfer: Transferable[] = []): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ id, req }, transfer);
    });
  }

  /** The bundled sample ledger, dated up to `now`. */
  async sample(now: Date = this.now()): Promise<WorkbenchFile> {
    return this.file(await this.call<Opened>({ op: "sample", now }));
  }

  /** Opens a file's bytes (transferred to the worker: the page keeps no copy). */
  async open(name: string, bytes: ArrayBuffer): Promise<WorkbenchFile> {
    return this.file(await this.call<Opened>({ op: "open", name, bytes, now: this.now() }, [bytes]));
  }

  private file(o: Opened): WorkbenchFile {
    const { gen } = o;
    const store =
      (method: StoreOp) =>
      (...args: unknown[]) =>
        this.call<never>({ op: "store", gen, method, args, now: this.now() });
    const adopt =
      (method: AdopterOp) =>
      (...args: unknown[]) =>
        this.call<never>({ op: "adopter", gen, method, args, now: this.now() });
    // The dashboard is asked for as soon as the rows are on the page: the worker works it out while
    // the page turns rows into cases, so the first visit finds it ready. One answer per day and write.
    let writes = 0;
    let asked: { today: number; writes: number; figures: Promise<unknown> } | undefined;
    const dashboard = (today: number) => {
      if (!asked || asked.today !== today || asked.writes !== writes) {
        asked = { today, writes, figures: this.call<unknown>({ op: "dashboard", gen, today, now: this.now() }) };
      }
      return asked.figures;
    };
    let prefetched = false;
    const ledgerStore: (LedgerStore & OffThreadDashboard) | undefined = o.ledger
      ? {
          kind: "xlsx",
          // The rows are on the page now; turning them into cases is the last step of opening.
          read: (...args: unknown[]) =>
            store("read")(...args).then((d) => {
              this.onProgress?.("cases");
              if (!prefetched) {
                prefetched = true;
                dashboard(todayIn(this.now(), timeZoneOfRows((d as { policyRows?: CellValue[][] }).policyRows ?? []))).catch(() => undefined); // a failure shows when the dashboard is opened
              }
              return d;
            }),
          readHead: store("readHead"),
          write: (...args: unknown[]) => {
            writes++;
            return store("write")(...args);
          },
          addSheet: store("addSheet"),
          writeSheet: store("writeSheet"),
          offThreadDashboard: dashboard,
        }
      : undefined;
    return {
      name: o.name,
      store: ledgerStore,
      adopter: o.ledger ? undefined : { sheets: adopt("sheets"), grid: adopt("grid"), apply: adopt("apply") },
      bytes: async () => {
        // The worker answers with a Blob (workbench.worker.ts); a port without one (tests' in-process handler) with bytes.
        const r = await this.call<Blob | ArrayBuffer>({ op: "bytes", gen });
        return r instanceof Blob ? r : new Blob([r], { type: XLSX_TYPE });
      },
      asLedger: async () => this.file(await this.call<Opened>({ op: "asLedger", gen, now: this.now() })),
    };
  }
}

/** "台账.xlsx" → "台账-20261126.xlsx" (the date on the ledger's clock): the download never overwrites the original by name. */
export function downloadName(name: string, now: Date, zone: string = DEFAULT_TIME_ZONE): string {
  const stamp = serialToIso(todayIn(now, zone)).replace(/-/g, "");
  const base = name.replace(/^示例台账\s*/, "").replace(/\.xlsx$/i, "");
  return `${base}-${stamp}.xlsx`;
}

let shared: WorkbenchClient | undefined;
/** The page's one worker, started on first use. */
export async function workbenchClient(): Promise<WorkbenchClient> {
  if (!shared) {
    const { spawnWorkbenchWorker } = await import("./spawn-worker");
    shared = new WorkbenchClient(spawnWorkbenchWorker());
  }
  return shared;
}
