/**
 * The screens App.tsx loads on demand (React.lazy) are fetched and evaluated
 * ahead, one per idle period after the pane's first render, so a first visit
 * to a tab costs its render only (issue 15: a tab switch ≤ 200 ms, first
 * visits included). The same import() calls as App's, so webpack's chunks
 * and module cache are shared: React.lazy then finds each module loaded.
 *
 * Only where the host has requestIdleCallback (Chromium, Edge WebView2,
 * Firefox); elsewhere the screens load on first visit as before.
 */
import { useEffect } from "react";

const SCREENS: (() => Promise<unknown>)[] = [
  () => import(/* webpackChunkName: "views" */ "./ui/Views"),
  () => import(/* webpackChunkName: "dashboard" */ "./ui/Dashboard"),
  () => import(/* webpackChunkName: "finance" */ "./ui/Finance"),
  () => import(/* webpackChunkName: "case" */ "./ui/CaseView"),
  () => import(/* webpackChunkName: "intake" */ "./ui/Intake"),
  () => import(/* webpackChunkName: "people" */ "./ui/People"),
  () => import(/* webpackChunkName: "calendar" */ "./ui/Calendar"),
];

interface IdleHost {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
}

/** Loads `screens` one per idle period; returns a function that stops what has not started. */
export function prefetchScreens(screens = SCREENS, host: IdleHost = globalThis as IdleHost): () => void {
  const idle = host.requestIdleCallback;
  if (typeof idle !== "function") return () => undefined;
  let i = 0;
  let id: number | undefined;
  const next = () => {
    id = undefined;
    if (i >= screens.length) return;
    // A screen that fails to load now is loaded (and its error shown) when visited.
    screens[i++]().catch(() => undefined).finally(() => {
      if (i < screens.length) id = idle.call(host, next, { timeout: 5000 });
    });
  };
  id = idle.call(host, next, { timeout: 5000 });
  return () => {
    i = screens.length;
    if (id !== undefined) host.cancelIdleCallback?.call(host, id);
  };
}

/** App's one line: prefetch the screens once the pane has rendered. */
export function usePrefetchScreens(): void {
  useEffect(() => prefetchScreens(), []);
}
