import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { OVERSCAN, rowsInView, rowsRendered } from './virtual-range.ts';

/** One rendered row: its index in the list (also its React key). */
export interface VirtualRow {
  index: number;
  key: number;
}

export interface VirtualRows {
  items: VirtualRow[];
  /** Heights of the spacer rows above and below the rendered ones. */
  paddingTop: number;
  paddingBottom: number;
  /** Scrolls the fewest pixels that bring row `index` fully into view below the sticky header. */
  scrollToIndex: (index: number) => void;
  scrollToTop: () => void;
}

/**
 * Table virtualization with fixed row heights under a sticky header: the rows in view are
 * rendered, spacer rows stand in for the rest, and `ensure` is asked for the rows coming into view.
 * With every row the same height, which rows are in view is arithmetic on the scroll offset, so
 * the cost is the same for 100 rows as for 100,000: nothing is kept per row (a measuring
 * virtualizer builds an entry for each one, every time the count changes).
 */
export function useVirtualRows(
  scrollRef: RefObject<HTMLDivElement | null>,
  count: number,
  rowHeight: number,
  headerHeight: number,
  ensure: (start: number, end: number) => void,
): VirtualRows {
  // The first and last rows the viewport shows (the header covers its top: row i spans
  // [headerHeight + i·rowHeight, +rowHeight) of the scrolled content). Re-read on scroll and on resize;
  // a scroll within the same rows renders nothing.
  const [view, setView] = useState({ from: 0, to: -1 });
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const read = () => {
      const { from, to } = rowsInView(element.scrollTop, element.clientHeight, rowHeight, headerHeight);
      setView((current) => (current.from === from && current.to === to ? current : { from, to }));
    };
    read();
    element.addEventListener('scroll', read, { passive: true });
    const resized = new ResizeObserver(read);
    resized.observe(element);
    return () => {
      element.removeEventListener('scroll', read);
      resized.disconnect();
    };
  }, [scrollRef, rowHeight, headerHeight]);

  // The first rows are painted without the margin: those beyond the viewport follow a frame later, so
  // opening the page waits for the rows it shows and no more. A scroll before then still renders the view.
  const [overscan, setOverscan] = useState(0);
  useEffect(() => {
    if (overscan > 0 || count === 0) return;
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setOverscan(OVERSCAN), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [overscan, count]);

  const { first, end } = rowsRendered(view, count, overscan);
  const last = count - 1;
  const items: VirtualRow[] = [];
  for (let index = first; index <= end; index++) items.push({ index, key: index });

  useEffect(() => {
    if (count > 0) ensure(first, end);
  }, [ensure, first, end, count]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const top = index * rowHeight;
      const bottom = headerHeight + (index + 1) * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (bottom > element.scrollTop + element.clientHeight) element.scrollTop = bottom - element.clientHeight;
    },
    [scrollRef, rowHeight, headerHeight],
  );
  const scrollToTop = useCallback(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [scrollRef]);

  return {
    items,
    paddingTop: first * rowHeight,
    paddingBottom: Math.max(0, last - end) * rowHeight,
    scrollToIndex,
    scrollToTop,
  };
}
