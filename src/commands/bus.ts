/**
 * Ribbon → task pane messages in the shared runtime: which tab to show, a
 * notice, and the view a ribbon button just applied. Carried by a window
 * event (plus the last message on `window`, for a pane that mounts after the
 * click), so the ribbon code and the pane need no module in common at run
 * time and the pane's bundle gains nothing from Office.
 */
import type { Bilingual } from "../domain/errors";
import type { ViewApplied } from "../ledger/store";
import type { ViewId } from "../reports/views";

export const PANE_EVENT = "complaint-ledger:pane";

export interface PaneRequest {
  tab?: "views" | "dashboard" | "finance";
  notice?: Bilingual & { intent?: "success" | "info" | "warning" | "error" };
  /** A view applied from the ribbon (the pane's Views screen shows it as current). */
  applied?: ViewApplied & { view: ViewId; param?: string };
}

declare global {
  interface Window {
    /** The last request, for a pane that mounts after the click. */
    __clPaneRequest?: PaneRequest;
  }
}

export function requestPane(r: PaneRequest): void {
  if (typeof window === "undefined") return;
  window.__clPaneRequest = r;
  window.dispatchEvent(new CustomEvent<PaneRequest>(PANE_EVENT, { detail: r }));
}

/** Calls back with every request, starting with one left before the pane mounted; returns an unsubscribe. */
export function onPaneRequest(cb: (r: PaneRequest) => void): () => void {
  if (typeof window === "undefined") return () => undefined;
  const take = () => {
    const r = window.__clPaneRequest;
    window.__clPaneRequest = undefined;
    if (r) cb(r);
  };
  take();
  window.addEventListener(PANE_EVENT, take);
  return () => window.removeEventListener(PANE_EVENT, take);
}
