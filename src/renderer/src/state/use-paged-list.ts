import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Failure, Result } from '../../../shared/contract/index.ts';

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Result<Page<T>>>;

export interface PagedList<T> {
  /** Rows matching the current query; `null` until its first page has answered. */
  total: number | null;
  /** The row at `index`, or `undefined` while its page is on the way. */
  item: (index: number) => T | undefined;
  /** Asks for the pages covering rows `start..end`; loaded, loading and failed pages are skipped. */
  ensure: (start: number, end: number) => void;
  /** Refetches what is on screen, keeping the rows shown until their new version arrives. */
  reload: () => void;
  /** The last failure; cleared by the next page that loads. */
  error: Failure | null;
}

interface Cache<T> {
  generation: number;
  pages: Map<number, T[]>;
  /** Pages from before a `reload`: shown until replaced, so a refresh does not blank the table. */
  stale: Map<number, T[]>;
  inflight: Set<number>;
  /** Failed pages are not retried on every scroll; `reload` (the "Try again" button) clears them. */
  failed: Set<number>;
  range: [number, number];
}

/**
 * Offset/limit paging for a virtualized table: only the pages the viewport touches are fetched,
 * so 100,000 rows cost a few requests of `pageSize`. A new `queryKey` starts over; answers for an
 * older query or reload are dropped, so a slow response never paints over a newer filter.
 */
export function usePagedList<T>(fetchPage: PageFetcher<T>, queryKey: string, pageSize = 200): PagedList<T> {
  const cache = useRef<Cache<T>>({
    generation: 0,
    pages: new Map(),
    stale: new Map(),
    inflight: new Set(),
    failed: new Set(),
    range: [0, 0],
  });
  const fetchRef = useRef(fetchPage);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<Failure | null>(null);
  const [, setVersion] = useState(0);

  useLayoutEffect(() => {
    fetchRef.current = fetchPage;
  }, [fetchPage]);

  const load = useCallback(
    (page: number) => {
      const state = cache.current;
      if (state.pages.has(page) || state.inflight.has(page) || state.failed.has(page)) return;
      state.inflight.add(page);
      const generation = state.generation;
      void fetchRef.current(page * pageSize, pageSize).then((result) => {
        if (generation !== state.generation) return;
        state.inflight.delete(page);
        if (result.ok) {
          state.pages.set(page, result.value.items);
          state.stale.delete(page);
          setTotal(result.value.total);
          setError(null);
        } else {
          state.failed.add(page);
          setError(result.error);
        }
        setVersion((version) => version + 1);
      });
    },
    [pageSize],
  );

  const ensure = useCallback(
    (start: number, end: number) => {
      cache.current.range = [start, end];
      for (let page = Math.floor(Math.max(start, 0) / pageSize); page <= Math.floor(Math.max(end, 0) / pageSize); page++) load(page);
    },
    [load, pageSize],
  );

  const restart = useCallback(
    (keepStale: boolean) => {
      const state = cache.current;
      state.generation += 1;
      state.stale = keepStale ? new Map([...state.stale, ...state.pages]) : new Map();
      state.pages = new Map();
      state.inflight.clear();
      state.failed.clear();
      // Page 0 always: it carries the total even when the viewport is further down.
      load(0);
      ensure(...state.range);
    },
    [load, ensure],
  );

  useEffect(() => {
    setTotal(null);
    setError(null);
    cache.current.range = [0, 0];
    restart(false);
  }, [queryKey, restart]);

  const reload = useCallback(() => {
    setError(null);
    restart(true);
  }, [restart]);

  const item = useCallback(
    (index: number) => {
      const page = Math.floor(index / pageSize);
      const state = cache.current;
      return (state.pages.get(page) ?? state.stale.get(page))?.[index - page * pageSize];
    },
    [pageSize],
  );

  return { total, item, ensure, reload, error };
}
