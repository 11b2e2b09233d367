/**
 * The pane's screens loaded on demand (issue 15: a tab switch ≤ 200 ms,
 * first visits included). `lazyScreen` is React.lazy that, once its module
 * is loaded, renders it at once: React.lazy alone suspends on every first
 * render — a fallback committed, then the screen in a later task, about
 * 100–200 ms later at 50,000 cases. `usePrefetchScreens` loads every
 * lazyScreen one per idle period after the pane's first render, so a first
 * visit costs its own render only.
 *
 * Prefetching needs requestIdleCallback (Chromium, Edge WebView2, Firefox);
 * elsewhere a screen loads on its first visit, as with React.lazy.
 */
import { FluentProvider, type Theme } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useRef, useState, type ComponentType } from "react";
import { createRoot, type Root } from "react-dom/client";
import { LangContext, type Lang } from "./i18n";
import { PaneContext, type Pane } from "./ui/pane";

const SCREENS: (() => Promise<unknown>)[] = [];

/** React.lazy that renders a loaded module without suspending; registered for prefetching. */
export function lazyScreen<P extends object>(factory: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const load = () =>
    (pending ??= factory().then(
      (m) => {
        loaded = m.default;
        return m;
      },
      (e: unknown) => {
        pending = undefined; // a failed load is tried again on the next visit
        throw e;
      },
    ));
  // React.lazy's props type wraps P in ref attributes; the screens take plain props, which it passes through.
  const lazyLoaded = lazy(load);
  const Lazy: ComponentType<P> = lazyLoaded as typeof lazyLoaded & ComponentType<P>;
  function Screen(props: P) {
    // Decided once per mount: switching from the lazy to the loaded component later would remount it and lose its state.
    const [Loaded] = useState(() => loaded);
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  }
  SCREENS.push(load);
  return Screen;
}

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
    screens[i++]()
      .catch(() => undefined)
      .finally(() => {
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

/**
 * Renders each of the heavy screens once, off the document (a detached
 * root), one per idle period after the ledger changes: their per-snapshot
 * results (snapshot.ts memos) are computed and Fluent inserts their styles,
 * so the first real visit renders like a revisit. Nothing is shown or
 * written; each root is unmounted at the next idle period. Only where the
 * host has requestIdleCallback.
 */
export function useWarmScreens(screens: ComponentType<object>[], pane: Pane, lang: Lang, theme: Theme): void {
  const latest = useRef({ pane, lang, theme });
  latest.current = { pane, lang, theme };
  const { ledger, version } = pane;
  useEffect(() => {
    const host = globalThis as IdleHost;
    const idle = host.requestIdleCallback;
    if (typeof idle !== "function" || typeof document === "undefined") return;
    let i = 0;
    let root: Root | undefined;
    let id: number | undefined;
    const step = () => {
      root?.unmount();
      root = undefined;
      id = undefined;
      if (i >= screens.length) return;
      const Screen = screens[i++];
      const { pane: p, lang: l, theme: t } = latest.current;
      root = createRoot(document.createElement("div"));
      root.render(
        <FluentProvider theme={t}>
          <LangContext.Provider value={l}>
            <PaneContext.Provider value={p}>
              <Suspense fallback={null}>
                <Screen />
              </Suspense>
            </PaneContext.Provider>
          </LangContext.Provider>
        </FluentProvider>,
      );
      id = idle.call(host, step, { timeout: 5000 });
    };
    id = idle.call(host, step, { timeout: 5000 });
    return () => {
      if (id !== undefined) host.cancelIdleCallback?.call(host, id);
      const r = root;
      root = undefined;
      // Not during React's own commit: unmount on the next turn.
      if (r) setTimeout(() => r.unmount(), 0);
    };
  }, [screens, ledger, ledger.rows, version]);
}
