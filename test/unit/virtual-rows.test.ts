import { describe, expect, it } from 'vitest';
import { rowsInView, rowsRendered } from '../../src/renderer/src/state/virtual-range.ts';

// The Inventory's table: 56 px rows under a 40 px sticky header.
const ROW = 56;
const HEADER = 40;

describe('virtual rows', () => {
  it('are the rows the viewport shows below its sticky header, partly shown ones included', () => {
    // At the top, a 400 px viewport shows the header and 360 px of rows: rows 0..6 (the 7th only in part).
    expect(rowsInView(0, 400, ROW, HEADER)).toEqual({ from: 0, to: 6 });
    // Scrolled by one row exactly: row 0 is under the header, rows 1..7 show.
    expect(rowsInView(ROW, 400, ROW, HEADER)).toEqual({ from: 1, to: 7 });
    // One pixel less: row 0's last pixel still shows below the header.
    expect(rowsInView(ROW - 1, 400, ROW, HEADER)).toEqual({ from: 0, to: 7 });
    // A viewport no taller than the header shows no row.
    const none = rowsInView(0, HEADER, ROW, HEADER);
    expect(none.to).toBeLessThan(none.from);
  });

  it('render the rows in view and a margin, bounded by the list, in constant work for any length', () => {
    expect(rowsRendered({ from: 0, to: 6 }, 0)).toEqual({ first: 0, end: -1 });
    expect(rowsRendered({ from: 0, to: 6 }, 3)).toEqual({ first: 0, end: 2 });
    expect(rowsRendered({ from: 0, to: 6 }, 100_000)).toEqual({ first: 0, end: 18 });
    // Deep in a 100,000-row list: 12 rows of margin each side.
    const deep = rowsInView(50_000 * ROW, 900, ROW, HEADER);
    expect(rowsRendered(deep, 100_000)).toEqual({ first: 49_988, end: deep.to + 12 });
    // Scrolled past the end (the list shrank under the viewport): the last rows, never an index beyond them.
    expect(rowsRendered(rowsInView(200_000 * ROW, 900, ROW, HEADER), 100_000)).toEqual({ first: 99_999, end: 99_999 });
  });

  it('are the rows in view alone for the first paint (no margin), and one row before the view is measured', () => {
    expect(rowsRendered({ from: 0, to: 6 }, 100_000, 0)).toEqual({ first: 0, end: 6 });
    expect(rowsRendered({ from: 40, to: 46 }, 100_000, 0)).toEqual({ first: 40, end: 46 });
    // Before the viewport is read (the view is empty): one row, which the measured view replaces before paint.
    expect(rowsRendered({ from: 0, to: -1 }, 100_000, 0)).toEqual({ first: 0, end: 0 });
  });
});
