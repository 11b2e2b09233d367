/**
 * The workbench's workbook lives in a Web Worker (issue 15): parsing a
 * 50,000-case .xlsx with exceljs takes seconds of CPU and hundreds of MB,
 * and on the page's own thread it froze the pane for 16–25 s. Here it runs
 * beside the page; the page gets a LedgerStore and an Adopter that are
 * messages to this handler (stores/workbench/client.ts), so the Ledger service and
 * every screen stay as they are.
 *
 * This file has no `self`: workbench.worker.ts wires it to the worker's
 * messages, and tests drive it directly. Every value crossing the boundary
 * is structured-cloneable (cell values, plans, figures, Dates); errors
 * cross as their code and both languages.
 *
 * Time is a parameter: each request carries the page's "now" (a pinned
 * clock in tests), which the stores use for computed columns and audit times.
 *
 * A file holding a ledger table is read by the fast reader (stores/workbench/fast.ts,
 * decision #45): no exceljs workbook until a write the parts cannot take
 * (patch.ts, issue 26) or adoption needs one. Anything the fast reader does not read like exceljs
 * goes to exceljs as before.
 */
import { DomainError } from "../../domain/errors";
import { Ledger } from "../../ledger/service";
import type { LedgerStore } from "../../ledger/store";
import { TABLES } from "../../ledger/workbook-layout";
import { FastReadUnsupported, type Inflater } from "../xlsx/reader/fast-read";
import { XlsxStore } from "../xlsx/store";
import { findTable } from "../xlsx/tables";
import { workbookBuffer } from "../xlsx/workbook";
import type { Workbook } from "exceljs";
import { loadWorkbook, openWorkbook, sampleWorkbook, type OpenedWorkbook } from "./open";
import { FastStore, openLedgerFast, parseFailed } from "./fast";
import { ZipParts, type Deflater } from "./zip-parts";
import { Buffer } from "buffer";
import type { Opened, Progress, Request } from "./protocol";

/** What the worker holds of the open file. */
interface Held {
  name: string;
  store?: LedgerStore;
  adopter?: OpenedWorkbook["adopter"];
  /** The exceljs workbook, parsed on first call where the file was read by the fast path. */
  workbook(): Promise<Workbook>;
  /** The file as it is now, for a download. */
  bytes(): Promise<ArrayBuffer | Uint8Array>;
}

export interface HandlerOptions {
  /** The fast reader's inflater (the browser's DecompressionStream); Node's zlib when absent. */
  inflate?: Inflater;
  /** false: every file through exceljs (the bench's peer, tests of the fallback). */
  fast?: boolean;
  /** Deflates the parts a save changed, for a download (the browser's CompressionStream); stored when absent. */
  deflate?: Deflater;
  /** The dashboard's figures of a loaded ledger, worked out here off the page's thread (given by the worker's entry). */
  offThread?: (ledger: Ledger, today: number) => unknown;
}

/** The exceljs path: the whole workbook parsed now. */
function heldWorkbook(w: OpenedWorkbook): Held {
  return { name: w.name, store: w.store, adopter: w.adopter, workbook: async () => w.workbook, bytes: () => workbookBuffer(w.workbook) };
}

/**
 * The fast path: a ledger's data read, the file kept as its zip parts. Saves of cells, rows, audit entries and
 * meta change those parts (patch.ts); anything else parses the parts as they are then with exceljs.
 */
async function heldFast(name: string, bytes: ArrayBuffer, clock: () => Date, opts: HandlerOptions): Promise<Held | undefined> {
  let read;
  let parts: ZipParts;
  try {
    read = await openLedgerFast(bytes, opts.inflate);
    if (!read) return undefined;
    parts = new ZipParts(Buffer.from(bytes), opts.inflate, opts.deflate);
    // The big sheets a save changes: ready to download around their changes by the time the user has saved.
    parts.prepare([read.places.ledger.sheet, ...(read.places.audit ? [read.places.audit.sheet] : [])]);
  } catch (e) {
    // A refusal (a limit, a damaged zip) stands, in both languages. Anything else — the file is not the
    // fast reader's, or the reader failed in this browser — goes to exceljs, which reads it or says why not.
    if (e instanceof DomainError) throw e;
    if (!(e instanceof FastReadUnsupported)) console.warn("workbench: fast read failed, reading with exceljs", e);
    return undefined;
  }
  const store = new FastStore(
    read.data,
    async () => {
      let wb: Workbook;
      try {
        const now = await parts.bytes();
        wb = await loadWorkbook(now.buffer.byteLength === now.byteLength ? (now.buffer as ArrayBuffer) : (now.slice().buffer as ArrayBuffer));
      } catch (e) {
        throw parseFailed(name, e);
      }
      return new XlsxStore(wb, { now: clock });
    },
    { parts, places: read.places, now: clock },
  );
  return {
    name,
    store,
    workbook: async () => (await store.xlsxStore()).workbook,
    // Unchanged since it was opened: the file itself (a copy: the answer is transferred to the page); saved
    // without exceljs: the parts, unchanged ones as they were stored.
    bytes: async () => {
      await store.idle();
      return store.parsed ? workbookBuffer((await store.xlsxStore()).workbook) : parts.bytes();
    },
  };
}

/** One workbook at a time, as the workbench shows one at a time. */
export function workbenchHandler(progress: (p: Progress) => void = () => undefined, opts: HandlerOptions = {}) {
  let current: (Held & { gen: number }) | undefined;
  let gen = 0;
  // The page's clock as of the request being handled.
  let now = new Date();
  const clock = () => now;

  function opened(w: Held): Opened {
    current = { ...w, gen: ++gen };
    return { name: w.name, gen, ledger: Boolean(w.store) };
  }

  /** The open workbook, if the request is for it. */
  function at(g: number): Held {
    if (!current || current.gen !== g) throw new DomainError("CLOSED", "此工作簿已关闭,请重新打开", "This workbook has been closed; open it again");
    return current;
  }

  return async function handle(req: Request): Promise<unknown> {
    if ("now" in req) now = new Date(req.now.getTime());
    switch (req.op) {
      case "sample":
        return opened(heldWorkbook(await sampleWorkbook(now, clock)));
      case "open": {
        progress({ step: "parse" });
        const fast = opts.fast === false ? undefined : await heldFast(req.name, req.bytes, clock, opts);
        return opened(fast ?? heldWorkbook(await openWorkbook(req.name, req.bytes, clock)));
      }
      case "asLedger": {
        const w = at(req.gen);
        const workbook = await w.workbook();
        if (!findTable(workbook, TABLES.ledger)) throw new DomainError("NO_LEDGER", "工作簿中还没有台账", "The workbook holds no ledger yet");
        return opened(heldWorkbook({ name: w.name, workbook, store: new XlsxStore(workbook, { now: clock }) }));
      }
      case "store": {
        const store = at(req.gen).store;
        if (!store) throw new DomainError("NO_LEDGER", "没有台账", "No ledger");
        if (req.method === "read") progress({ step: "read" });
        const fn = store[req.method] as (...a: unknown[]) => Promise<unknown>;
        return fn.apply(store, req.args);
      }
      case "adopter": {
        const adopter = at(req.gen).adopter;
        if (!adopter) throw new DomainError("NO_ADOPTER", "此工作簿已是台账", "This workbook is already a ledger");
        const fn = adopter[req.method] as (...a: unknown[]) => Promise<unknown>;
        return fn.apply(adopter, req.args);
      }
      case "bytes":
        // Text stored as Excel stores it (_xHHHH_), a too-long cell refused: the same bytes as a saved file.
        return at(req.gen).bytes();
      case "dashboard": {
        const store = at(req.gen).store;
        if (!store) throw new DomainError("NO_LEDGER", "没有台账", "No ledger");
        if (!opts.offThread) throw new DomainError("NO_OFF_THREAD", "此工作区不计算看板", "This workbench works out no dashboard");
        // The same service and computation as the page would run, over the same workbook.
        const ledger = new Ledger(store, { now: clock });
        await ledger.load();
        return opts.offThread(ledger, req.today);
      }
    }
  };
}
