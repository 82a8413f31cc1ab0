/** Rows rendered beyond each edge of the viewport, so a scroll shows rows already drawn. */
export const OVERSCAN = 12;

/**
 * The rows a viewport shows, partly or wholly: row i spans [headerHeight + i·rowHeight, +rowHeight)
 * of the scrolled content, and the sticky header covers the viewport's top `headerHeight` pixels.
 * `to` may pass the list's end; rowsRendered bounds it.
 */
export function rowsInView(scrollTop: number, clientHeight: number, rowHeight: number, headerHeight: number): { from: number; to: number } {
  return {
    from: Math.floor(scrollTop / rowHeight),
    to: Math.ceil((scrollTop + clientHeight - headerHeight) / rowHeight) - 1,
  };
}

/** The rows to render for a view: those in it and `overscan` more each side, within 0..count-1 (none when empty). */
export function rowsRendered(view: { from: number; to: number }, count: number, overscan = OVERSCAN): { first: number; end: number } {
  if (count === 0) return { first: 0, end: -1 };
  const first = Math.min(Math.max(view.from - overscan, 0), count - 1);
  return { first, end: Math.min(Math.max(view.to + overscan, first), count - 1) };
}
