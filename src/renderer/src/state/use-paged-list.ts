import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ChannelInput, ChannelOutput, Failure } from '../../../shared/contract/index.ts';
import { channelKey, failureOf, FailureError } from './query-client.ts';
import { useCall, type Call } from './use-call.ts';

/** The channels that answer offset/limit pages of `{ total, items }`. */
type PagedChannel = 'audit:list' | 'certs:list';
type Row<C extends PagedChannel> = ChannelOutput<C>['items'][number];
/** The channel's input without the window: what makes one list differ from another. */
type ListInput<C extends PagedChannel> = Omit<ChannelInput<C>, 'offset' | 'limit'>;

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

/**
 * Offset/limit paging for a virtualized table: only the pages the viewport touches are fetched,
 * so 100,000 rows cost a few requests of `pageSize`. Each page is an entry of the one query client,
 * keyed below the channel's own key (`[channel, input, 'page', size, n]`), so invalidating the
 * channel (useInvalidateChannel) refreshes the table like any other reader. A new input is a new
 * key: an answer for an older filter lands under its own key and never paints over the newer one.
 * Pages stay cached while the table is mounted (the rows scrolled past) and are dropped with it.
 */
export function usePagedList<C extends PagedChannel>(channel: C, input: ListInput<C>, pageSize = 200): PagedList<Row<C>> {
  const call = useCall();
  const client = useQueryClient();
  const cache = client.getQueryCache();
  const listKey = useMemo(() => pagedListKey(channel, input, pageSize), [channel, input, pageSize]);
  const range = useRef<[number, number]>([0, 0]);

  const pageKey = useCallback((page: number) => [...listKey, page], [listKey]);
  const ownQueries = useCallback(() => cache.findAll({ queryKey: listKey }), [cache, listKey]);

  const load = useCallback(
    (page: number) => {
      const query = cache.find({ queryKey: pageKey(page), exact: true });
      if (query) {
        const { status, fetchStatus, isInvalidated } = query.state;
        // Failed pages are not retried on every scroll; `reload` (the "Try again" button) marks them invalid.
        if (fetchStatus === 'fetching' || (status !== 'pending' && !isInvalidated)) return;
      }
      client.fetchQuery(pageQuery(call, channel, input, pageSize, page)).catch(() => undefined);
    },
    [cache, client, call, channel, input, pageKey, pageSize],
  );

  const ensure = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      // Page 0 always: it carries the total even when the viewport is further down.
      load(0);
      for (let page = Math.floor(Math.max(start, 0) / pageSize); page <= Math.floor(Math.max(end, 0) / pageSize); page++) load(page);
    },
    [load, pageSize],
  );

  // Re-render on any change to this list's pages; an invalidation (reload, or the channel's) refetches what is on screen.
  const subscribe = useCallback(
    (onChange: () => void) =>
      cache.subscribe((event) => {
        if (!isOwn(event.query, listKey)) return;
        onChange();
        if (event.type === 'updated' && event.action.type === 'invalidate') queueMicrotask(() => ensure(...range.current));
      }),
    [cache, listKey, ensure],
  );
  // The pages' state itself, not a count of the events seen: React compares it once it has subscribed, so a
  // page that answered between the first render and the subscription (a navigation's prefetch) is shown too.
  // A count bumped only by the subscription missed that answer, and the table stayed on its loading rows.
  const snapshot = useCallback(() => pagesState(ownQueries()), [ownQueries]);
  useSyncExternalStore(subscribe, snapshot, snapshot);

  useEffect(() => {
    range.current = [0, 0];
    // A page that failed before this table was there (a navigation's prefetch while the host was away) is asked
    // again: the table starts from what the host says now, as if it had asked first.
    for (const query of ownQueries()) if (query.state.status === 'error') cache.remove(query);
    ensure(0, 0);
    return () => client.removeQueries({ queryKey: listKey });
  }, [cache, client, listKey, ensure, ownQueries]);

  const reload = useCallback(() => {
    // A failed page is forgotten at once (its alert goes); the rows on screen stay until their new version arrives.
    for (const query of ownQueries()) if (query.state.status === 'error') cache.remove(query);
    void client.invalidateQueries({ queryKey: listKey, refetchType: 'none' });
    ensure(...range.current);
  }, [cache, client, listKey, ownQueries, ensure]);

  const item = useCallback(
    (index: number) => {
      const page = Math.floor(index / pageSize);
      const data = client.getQueryData<ChannelOutput<C>>(pageKey(page));
      return data?.items[index - page * pageSize] as Row<C> | undefined;
    },
    [client, pageKey, pageSize],
  );

  // The newest answer decides: its total, or its failure (cleared by the next page that loads).
  const latest = newest(ownQueries());
  const newestData = ownQueries()
    .filter((q) => q.state.data !== undefined)
    .sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt)[0]?.state.data as ChannelOutput<C> | undefined;
  const error = latest && latest.state.status === 'error' && latest.state.error ? failureOf(latest.state.error) : null;
  return { total: newestData?.total ?? null, item, ensure, reload, error };
}

/** The key every page of one list is kept under (its pages add their number). */
function pagedListKey<C extends PagedChannel>(channel: C, input: ListInput<C>, pageSize: number): unknown[] {
  return [...channelKey(channel, input as ChannelInput<C>), 'page', pageSize];
}

/** One page of a list, as usePagedList fetches it and as a navigation asks for it ahead (prefetchFirstPage). */
function pageQuery<C extends PagedChannel>(call: Call, channel: C, input: ListInput<C>, pageSize: number, page: number) {
  return {
    queryKey: [...pagedListKey(channel, input, pageSize), page],
    queryFn: async () => {
      const result = await call(channel, { ...input, offset: page * pageSize, limit: pageSize } as ChannelInput<C>);
      if (!result.ok) throw new FailureError(result.error);
      return result.value as ChannelOutput<C>;
    },
    // Kept while the table is mounted (its cleanup drops them); refreshed only when invalidated.
    gcTime: Infinity,
    staleTime: Infinity,
  };
}

/**
 * Asks for a list's first page as the operator goes to its page, so the rows travel while the page's
 * chunk loads and renders; the table, once mounted, finds the page on its way and does not ask again.
 * What an earlier visit left is dropped first: every visit reads afresh. The shell calls it only for a page
 * not on screen (AppLayout's `go`), so no mounted table loses its pages to it; a failed prefetch is asked
 * again by the table when it mounts.
 */
export function prefetchFirstPage<C extends PagedChannel>(
  client: QueryClient,
  call: Call,
  channel: C,
  input: ListInput<C>,
  pageSize: number,
): void {
  client.removeQueries({ queryKey: pagedListKey(channel, input, pageSize) });
  client.prefetchQuery(pageQuery(call, channel, input, pageSize, 0)).catch(() => undefined);
}

/** What a list's rows and errors depend on, as one comparable string: each page's (by its number) data, failure and fetch state. */
function pagesState(queries: Query[]): string {
  return queries
    .map(
      (q) =>
        `${String(q.queryKey.at(-1))}:${q.state.status}:${q.state.dataUpdateCount}:${q.state.errorUpdateCount}:${q.state.fetchStatus}:${q.state.isInvalidated}`,
    )
    .join('|');
}

function isOwn(query: Query, listKey: readonly unknown[]): boolean {
  return listKey.every((part, i) => JSON.stringify(query.queryKey[i]) === JSON.stringify(part));
}

function newest(queries: Query[]): Query | undefined {
  const at = (q: Query) => Math.max(q.state.dataUpdatedAt, q.state.errorUpdatedAt);
  return queries.filter((q) => at(q) > 0).sort((a, b) => at(b) - at(a))[0];
}
