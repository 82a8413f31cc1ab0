import { useVirtualizer, type VirtualItem, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, type RefObject } from 'react';

export interface VirtualRows {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  items: VirtualItem[];
  /** Heights of the spacer rows above and below the rendered ones. */
  paddingTop: number;
  paddingBottom: number;
}

/**
 * Table virtualization with fixed row heights under a sticky header: the rows in view are
 * rendered, spacer rows stand in for the rest, and `ensure` is asked for the rows coming into view.
 */
export function useVirtualRows(
  scrollRef: RefObject<HTMLDivElement | null>,
  count: number,
  rowHeight: number,
  headerHeight: number,
  ensure: (start: number, end: number) => void,
): VirtualRows {
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // The sticky header sits above the first row and over the top of the viewport.
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) ensure(first, last);
  }, [ensure, first, last, count]);

  const paddingTop = items.length > 0 ? items[0]!.start - headerHeight : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - headerHeight) : 0;
  return { virtualizer, items, paddingTop, paddingBottom };
}
