import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput, Failure, Result } from '../../../shared/contract/index.ts';
import { channelKey, failureOf, FailureError } from './query-client.ts';
import { useCall } from './use-call.ts';

export interface ChannelQuery<T> {
  /** The last successful answer; a refresh that fails keeps it on screen. */
  data: T | undefined;
  /** The last read's failure; `null` once a read succeeds. */
  failure: Failure | null;
  /** The data if there is any, else the failure; `null` until the first answer. */
  result: Result<T> | null;
  /** A read is under way (the first or a refresh). */
  fetching: boolean;
  /** `data` was read (successfully) since this component mounted, not kept from an earlier visit (another process may have changed it since). */
  fresh: boolean;
  /** Reads again; resolves with what this read said. */
  reload: () => Promise<Result<T>>;
}

/**
 * The one way a page reads from main: `call(channel, input)` through TanStack Query, keyed by
 * channel and input, with the shared VAULT_LOCKED recovery of useCall. An answer for a page that
 * is gone is dropped by the query client, so no page keeps "alive" flags.
 */
export function useChannelQuery<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
  options: { enabled?: boolean } = {},
): ChannelQuery<ChannelOutput<C>> {
  const call = useCall();
  const client = useQueryClient();
  const queryKey = channelKey(channel, input);
  const enabled = options.enabled ?? true;
  // A read already under way as the page opens began before it did, perhaps before a change made
  // elsewhere (the terminal, another window): TanStack Query would hand its answer to this page as if
  // just read. Checked once, before this page's own read starts.
  const [readBeforeMount] = useState(() => client.getQueryState(queryKey)?.fetchStatus === 'fetching');
  const query = useQuery({
    queryKey,
    queryFn: async () => {
      const result = await call(channel, input);
      if (!result.ok) throw new FailureError(result.error);
      return result.value;
    },
    enabled,
  });
  const { refetch } = query;
  useEffect(() => {
    // Replaces that earlier read with one of this page's own.
    // cancelQueries, not refetch's cancelRefetch: that one leaves a first read (no data yet) running and adopts it.
    if (readBeforeMount && enabled) void client.cancelQueries({ queryKey, exact: true }).then(() => refetch());
    // Once, as the page opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const reload = useCallback(async (): Promise<Result<ChannelOutput<C>>> => {
    const after = await refetch();
    if (after.status === 'error' && after.error) return { ok: false, error: failureOf(after.error) };
    return { ok: true, value: after.data as ChannelOutput<C> };
  }, [refetch]);

  const failure = query.error ? failureOf(query.error) : null;
  const data = query.data;
  const result: Result<ChannelOutput<C>> | null =
    data !== undefined ? { ok: true, value: data } : failure ? { ok: false, error: failure } : null;
  return { data, failure, result, fetching: query.isFetching, fresh: query.isFetchedAfterMount && !query.isError, reload };
}

/** Marks every read of `channel` (any input) stale and reads again those on screen. */
export function useInvalidateChannel(): (channel: Channel) => Promise<void> {
  const client = useQueryClient();
  return useCallback((channel: Channel) => client.invalidateQueries({ queryKey: channelKey(channel) }), [client]);
}
