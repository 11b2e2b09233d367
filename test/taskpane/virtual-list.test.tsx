/** @jest-environment jsdom */
/**
 * VirtualList at 50,000 items: the DOM holds a bounded number of rows (counted
 * elements, not timed), every row says where it sits in the whole list, and
 * the keyboard reaches rows that were not rendered before. Then the pane's
 * own lists: My work and Views over a ledger of 50,000 cases render a
 * bounded number of case buttons while their counts name all of them.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Button } from "@fluentui/react-components";
import { renderedRowLimit, VirtualList } from "../../src/taskpane/ui/VirtualList";

// jsdom has no layout: scrolling is modelled as a browser does it (scrollTo moves scrollTop and fires "scroll").
const scrollTops = new WeakMap<Element, number>();
Object.defineProperty(HTMLElement.prototype, "scrollTop", {
  configurable: true,
  get(this: HTMLElement) {
    return scrollTops.get(this) ?? 0;
  },
  set(this: HTMLElement, v: number) {
    scrollTops.set(this, v);
  },
});
// The scroll window is as tall as its max-height; its content as tall as the list's spacer.
Object.defineProperty(HTMLElement.prototype, "clientHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return parseFloat(this.style.maxHeight) || 0;
  },
});
Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? "") || 0;
  },
});
HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, opts?: ScrollToOptions | number) {
  if (typeof opts === "object" && opts.top !== undefined) this.scrollTop = opts.top;
  this.dispatchEvent(new Event("scroll"));
} as HTMLElement["scrollTo"];

const N = 50_000;
const items = Array.from({ length: N }, (_, i) => ({ id: `KS-2026-${String(i + 1).padStart(5, "0")}`, i }));

function renderList(props: { maxHeight?: number; estimateSize?: number } = {}) {
  return render(
    <VirtualList
      items={items}
      itemKey={(x) => x.id}
      label="cases"
      testid="vl"
      {...props}
      renderItem={(x) => <Button data-testid="row-button">{x.id}</Button>}
    />,
  );
}

const rows = () => within(screen.getByTestId("vl")).queryAllByRole("listitem");

describe("VirtualList", () => {
  test("50,000 items render a bounded number of rows, each with its place in the whole list", () => {
    const { container } = renderList();
    const shown = rows();
    const limit = renderedRowLimit({});
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(limit);
    expect(limit).toBeLessThan(30);
    // The whole component, not only its rows, stays small.
    expect(container.getElementsByTagName("*").length).toBeLessThan(limit * 4 + 5);
    expect(screen.getByRole("list", { name: "cases" }).getAttribute("data-count")).toBe(String(N));
    shown.forEach((r, i) => {
      expect(r.getAttribute("aria-setsize")).toBe(String(N));
      expect(r.getAttribute("aria-posinset")).toBe(String(i + 1));
    });
    expect(shown[0].textContent).toBe("KS-2026-00001");
  });

  test("the bound follows the window's height, not the item count", () => {
    renderList({ maxHeight: 200, estimateSize: 50 });
    expect(rows().length).toBeLessThanOrEqual(renderedRowLimit({ maxHeight: 200, estimateSize: 50 }));
    expect(renderedRowLimit({ maxHeight: 200, estimateSize: 50 })).toBeLessThan(renderedRowLimit({}));
  });

  test("arrow keys, End and Home move focus row by row and to rows not rendered yet", async () => {
    renderList();
    const first = screen.getAllByTestId("row-button")[0];
    act(() => first.focus());
    fireEvent.keyDown(first, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement?.textContent).toBe("KS-2026-00002"));

    fireEvent.keyDown(document.activeElement!, { key: "End" });
    await waitFor(() => expect(document.activeElement?.textContent).toBe(`KS-2026-${N}`));
    const last = document.activeElement!.closest("[role=listitem]")!;
    expect(last.getAttribute("aria-posinset")).toBe(String(N));
    expect(rows().length).toBeLessThanOrEqual(renderedRowLimit({}));

    fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    await waitFor(() => expect(document.activeElement?.textContent).toBe(`KS-2026-${N - 1}`));
    fireEvent.keyDown(document.activeElement!, { key: "Home" });
    await waitFor(() => expect(document.activeElement?.textContent).toBe("KS-2026-00001"));
  });

  test("a short list renders all its rows", () => {
    render(<VirtualList items={items.slice(0, 3)} itemKey={(x) => x.id} label="few" testid="vl" renderItem={(x) => <span>{x.id}</span>} />);
    expect(rows().map((r) => r.textContent)).toEqual(["KS-2026-00001", "KS-2026-00002", "KS-2026-00003"]);
    expect(rows()[2].getAttribute("aria-setsize")).toBe("3");
  });
});
