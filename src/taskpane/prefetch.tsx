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
import { lazy, useEffect, useState, type ComponentType } from "react";

const SCREENS: (() => Promise<unknown>)[] = [];

/** React.lazy that renders a loaded module without suspending; registered for prefetching. */
export function lazyScreen<P extends object>(factory: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const load = () => (pending ??= factory().then(
    (m) => {
      loaded = m.default;
      return m;
    },
    (e: unknown) => {
      pending = undefined; // a failed load is tried again on the next visit
      throw e;
    },
  ));
  // React.lazy's props type wraps P in ref attributes; the screens take plain props.
  const Lazy = lazy(load) as unknown as ComponentType<P>;
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
