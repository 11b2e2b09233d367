/**
 * The workbench's workbook lives in a Web Worker (issue 15): parsing a
 * 50,000-case .xlsx with exceljs takes seconds of CPU and hundreds of MB,
 * and on the page's own thread it froze the pane for 16–25 s. Here it runs
 * beside the page; the page gets a LedgerStore and an Adopter that are
 * messages to this handler (workbench-client.ts), so the Ledger service and
 * every screen stay as they are.
 *
 * This file has no `self`: workbench.worker.ts wires it to the worker's
 * messages, and tests drive it directly. Every value crossing the boundary
 * is structured-cloneable (cell values, plans, dashboards, Dates); errors
 * cross as their code and both languages.
 *
 * Time is a parameter: each request carries the page's "now" (a pinned
 * clock in tests), which the stores use for computed columns and audit times.
 */
import { DomainError } from "../domain/errors";
import { calendarFor } from "../domain/sla";
import { buildDashboard } from "../ledger/dashboard";
import { Ledger } from "../ledger/service";
import { TABLES } from "../ledger/layout";
import { XlsxStore } from "../ledger/xlsx/store";
import { findTable } from "../ledger/xlsx/tables";
import { workbookBuffer } from "../ledger/xlsx/workbook";
import { openWorkbook, sampleWorkbook, type OpenedWorkbook } from "./workbench";
import type { Opened, Progress, Request } from "./workbench-protocol";

/** One workbook at a time, as the workbench shows one at a time. */
export function workbenchHandler(progress: (p: Progress) => void = () => undefined) {
  let current: (OpenedWorkbook & { gen: number }) | undefined;
  let gen = 0;
  // The page's clock as of the request being handled.
  let now = new Date();
  const clock = () => now;

  function opened(w: OpenedWorkbook): Opened {
    current = { ...w, gen: ++gen };
    return { name: w.name, gen, ledger: Boolean(w.store) };
  }

  /** The open workbook, if the request is for it. */
  function at(g: number): OpenedWorkbook {
    if (!current || current.gen !== g) throw new DomainError("CLOSED", "此工作簿已关闭,请重新打开", "This workbook has been closed; open it again");
    return current;
  }

  return async function handle(req: Request): Promise<unknown> {
    if ("now" in req) now = new Date(req.now.getTime());
    switch (req.op) {
      case "sample":
        return opened(await sampleWorkbook(now, clock));
      case "open":
        progress({ step: "parse" });
        return opened(await openWorkbook(req.name, req.bytes, clock));
      case "asLedger": {
        const w = at(req.gen);
        if (!findTable(w.workbook, TABLES.ledger)) throw new DomainError("NO_LEDGER", "工作簿中还没有台账", "The workbook holds no ledger yet");
        return opened({ name: w.name, workbook: w.workbook, store: new XlsxStore(w.workbook, { now: clock }) });
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
        return workbookBuffer(at(req.gen).workbook);
      case "dashboard": {
        const store = at(req.gen).store;
        if (!store) throw new DomainError("NO_LEDGER", "没有台账", "No ledger");
        // The same service and buildDashboard as the page would run, over the same workbook.
        const ledger = new Ledger(store, { now: clock });
        await ledger.load();
        return buildDashboard(ledger.rows.map((r) => r.case), ledger.policy, calendarFor(ledger.policy), req.today);
      }
    }
  };
}
