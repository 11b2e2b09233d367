/**
 * A list that renders only the rows in view (plus a few either side), so a
 * ledger of 50,000 cases costs the page a screenful of elements, not
 * 50,000 (issue 15: ≤ 5,000 DOM elements in the whole pane).
 *
 * The windowing is @tanstack/react-virtual (headless, measures each row as
 * it renders, so rows may wrap at 320 px); the markup is ours: role=list
 * with listitems that carry aria-setsize / aria-posinset, so a screen
 * reader announces "item 3 of 50,000" although only a few rows exist.
 * Arrow keys, Page Up/Down, Home and End move focus from row to row,
 * scrolling the row into existence first.
 */
import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface VirtualListProps<T> {
  items: readonly T[];
  /** A stable key per item (case number, row index). */
  itemKey: (item: T, index: number) => string | number;
  renderItem: (item: T, index: number) => ReactNode;
  /** The list's accessible name. */
  label: string;
  /** Expected row height in px before a row is measured. */
  estimateSize?: number;
  /** Height of the scrolling window in px; a shorter list takes only its own height. */
  maxHeight?: number;
  /** Rows rendered beyond each edge of the window. */
  overscan?: number;
  testid?: string;
}

/** Rows a virtual list renders at most: the window's rows at their estimated height, plus the overscan either side. */
export function renderedRowLimit(p: { maxHeight?: number; estimateSize?: number; overscan?: number }): number {
  const { maxHeight, estimateSize, overscan } = withDefaults(p);
  return Math.ceil(maxHeight / estimateSize) + 1 + 2 * overscan;
}

const withDefaults = (p: { maxHeight?: number; estimateSize?: number; overscan?: number }) => ({
  maxHeight: p.maxHeight ?? 420,
  estimateSize: p.estimateSize ?? 64,
  overscan: p.overscan ?? 4,
});

/** Keys that move focus, and where to. */
function target(key: string, from: number, count: number, page: number): number | undefined {
  switch (key) {
    case "ArrowDown":
      return Math.min(count - 1, from + 1);
    case "ArrowUp":
      return Math.max(0, from - 1);
    case "PageDown":
      return Math.min(count - 1, from + page);
    case "PageUp":
      return Math.max(0, from - page);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, itemKey, renderItem, label, testid } = props;
  const { maxHeight, estimateSize, overscan } = withDefaults(props);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState<number>();

  const virtualizer: Virtualizer<HTMLDivElement, Element> = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    getItemKey: (i) => itemKey(items[i], i),
    overscan,
    // Before layout (a tab not yet shown, jsdom) the window measures 0 px; count on the height it will get.
    observeElementRect: (instance, cb) => {
      const el = instance.scrollElement;
      if (!el) return;
      const report = () => {
        const r = el.getBoundingClientRect();
        cb({ width: Math.round(r.width), height: Math.round(r.height) || maxHeight });
      };
      report();
      const RO = instance.targetWindow?.ResizeObserver;
      if (!RO) return;
      const ro = new RO(report);
      ro.observe(el);
      return () => ro.disconnect();
    },
    initialRect: { width: 0, height: maxHeight },
    // A row not laid out measures 0 px, which would let every row into the window: keep the estimate then.
    measureElement: (el) => Math.round(el.getBoundingClientRect().height) || estimateSize,
  });

  // Focus follows the keyboard once the target row has been rendered: after every render on purpose
  // (the row may appear only after a later render), so no dependency list.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (focusIndex === undefined) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    const focusable = row?.querySelector<HTMLElement>("button, input, [tabindex]:not([tabindex='-1'])") ?? row;
    if (focusable) {
      focusable.focus({ preventScroll: true });
      setFocusIndex(undefined);
    }
  });

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>("[data-index]");
      if (!row) return;
      const page = Math.max(1, Math.floor(maxHeight / estimateSize) - 1);
      const to = target(e.key, Number(row.dataset.index), items.length, page);
      if (to === undefined) return;
      e.preventDefault();
      virtualizer.scrollToIndex(to, { align: "auto" });
      setFocusIndex(to);
    },
    [items.length, maxHeight, estimateSize, virtualizer],
  );

  const rows = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  return (
    <div ref={scrollRef} className="cl-vlist" style={{ maxHeight, overflowY: "auto", overflowAnchor: "none" }} onKeyDown={onKeyDown}>
      <div role="list" aria-label={label} data-testid={testid} data-count={items.length} style={{ height: total, position: "relative", width: "100%" }}>
        {rows.map((v) => (
          <div
            key={v.key}
            role="listitem"
            aria-setsize={items.length}
            aria-posinset={v.index + 1}
            data-index={v.index}
            ref={virtualizer.measureElement}
            style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${v.start}px)`, paddingBottom: 2 }}
          >
            {renderItem(items[v.index], v.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
