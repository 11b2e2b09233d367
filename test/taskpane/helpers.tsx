/**
 * Rendering the task pane in jsdom over a MemoryStore + Ledger, with the
 * workbench sample dated from a fixed "now". jsdom lacks Web Crypto's subtle
 * (the audit chain hashes with it) and a few browser APIs Fluent touches:
 * they are filled in from Node here.
 */
import { configure, render } from "@testing-library/react";
import { webcrypto } from "crypto";
import { TextDecoder, TextEncoder } from "util";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { MemoryStore } from "../../src/stores/memory";
import { Ledger } from "../../src/ledger/service";
import type { LedgerStore } from "../../src/ledger/store";
import { App, type AppProps } from "../../src/taskpane/App";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { shanghai } from "../fakes/clock";

const g = globalThis as unknown as Record<string, unknown>;
if (!(g.crypto as Crypto | undefined)?.subtle) Object.defineProperty(globalThis, "crypto", { value: webcrypto, configurable: true });
if (!g.TextEncoder) g.TextEncoder = TextEncoder;
if (!g.TextDecoder) g.TextDecoder = TextDecoder;
if (typeof window !== "undefined" && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as unknown as MediaQueryList;
}

/** Tuesday 10 March 2026, 10:00 local: a working day with working days around it. */
export const NOW = shanghai(2026, 2, 10, 10, 0, 0);
export const now = () => NOW;

export class TestStore extends MemoryStore {
  selected: number[] = [];
  sheets: { name: string; rows: unknown[][] }[] = [];
  rowListener?: (row: number) => void;
}

/** A store with the host extras (select, onSelectRow, addSheet), as Excel has them. */
export function hostStore(): TestStore {
  const s = new TestStore(sampleLedgerData(defaultPolicy(), NOW));
  const ext = s as unknown as Required<Pick<LedgerStore, "select" | "onSelectRow" | "addSheet">>;
  ext.select = async (row) => {
    s.selected.push(row);
  };
  ext.onSelectRow = async (cb) => {
    s.rowListener = cb;
    return () => {
      s.rowListener = undefined;
    };
  };
  ext.addSheet = async (name, rows) => {
    s.sheets.push({ name, rows });
    return name;
  };
  return s;
}

export async function sampleLedger(store: LedgerStore = new MemoryStore(sampleLedgerData(defaultPolicy(), NOW))): Promise<Ledger> {
  const ledger = new Ledger(store, { now });
  await ledger.load();
  return ledger;
}

/** Renders the pane as `who` (chosen from People; remembered the way the pane remembers a choice). */
export function renderPane(ledger: Ledger, who: string | undefined, props: Partial<AppProps> = {}) {
  if (who) localStorage.setItem("complaint-ledger.actor", who);
  else localStorage.removeItem("complaint-ledger.actor");
  return render(<App ledger={ledger} initialLang="zh" now={now} {...props} />);
}

export const caseNo = (n: number) => `KS-2026-${String(n).padStart(4, "0")}`;

// Lazy screens are compiled by ts-jest on first import: give them time.
configure({ asyncUtilTimeout: 8000 });
