/**
 * The one place that decides where the ledger lives: the open workbook when
 * the pane runs inside Excel, otherwise a workbench store (today a memory
 * store seeded with a small sample; later the bundled sample ledger read by
 * the .xlsx store). Components never ask; they get a `Ledger`.
 */
import { defaultPolicy } from "../domain/policy";
import { MemoryStore } from "../ledger/memory";
import type { LedgerStore } from "../ledger/store";
import { sampleLedgerData } from "./sample";

export interface HostInfo {
  /** "excel" inside Excel; "browser" anywhere else (workbench, tests). */
  kind: "excel" | "browser";
  /** Office's UI language (e.g. "zh-CN"), when Office tells it. */
  displayLanguage?: string;
}

/** Waits for Office when office.js is on the page; never hangs outside Office. */
export async function detectHost(timeoutMs = 5000): Promise<HostInfo> {
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") return { kind: "browser" };
  try {
    const info = await Promise.race([
      Office.onReady(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs)),
    ]);
    if (info && info.host === Office.HostType.Excel) {
      return { kind: "excel", displayLanguage: Office.context?.displayLanguage };
    }
    return { kind: "browser", displayLanguage: info?.host ? Office.context?.displayLanguage : undefined };
  } catch {
    return { kind: "browser" };
  }
}

export interface OpenedStore {
  store: LedgerStore;
  /** Set when the pane could not use the host's ledger and shows the sample instead. */
  notice?: { zh: string; en: string };
}

/**
 * The Excel store, loaded on demand so the browser build does not carry it.
 * Wire src/ledger/excel here when it lands: `return (await import("../ledger/excel")).<factory>()`.
 */
export let excelStoreFactory: (() => Promise<LedgerStore>) | undefined;

/** Lets the Excel adapter (or a test) register itself without this file importing it. */
export function registerExcelStore(factory: () => Promise<LedgerStore>): void {
  excelStoreFactory = factory;
}

/** A memory ledger with a small sample: the workbench outside Office. */
export function workbenchStore(now = new Date()): LedgerStore {
  return new MemoryStore(sampleLedgerData(defaultPolicy(), now));
}

export async function openStore(host: HostInfo, now = new Date()): Promise<OpenedStore> {
  if (host.kind === "excel") {
    if (excelStoreFactory) return { store: await excelStoreFactory() };
    return {
      store: workbenchStore(now),
      notice: { zh: "尚未连接工作簿台账,当前显示示例数据", en: "The workbook ledger is not connected yet; showing sample data" },
    };
  }
  return { store: workbenchStore(now) };
}
