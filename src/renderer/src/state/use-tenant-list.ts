import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Failure, TenantView } from '../../../shared/contract/index.ts';
import { channelKey } from './query-client.ts';
import { useChannelQuery } from './use-channel-query.ts';

export interface TenantList {
  /** null until the first answer; a failed refresh keeps the last list. */
  tenants: TenantView[] | null;
  failure: Failure | null;
  reload: () => void;
  /** Applies a change main has just confirmed, saving a `tenants:list` round trip. */
  setTenants: (update: (current: TenantView[] | null) => TenantView[] | null) => void;
}

/** The tenant profiles, read with `tenants:list`; `reload` reads them again. */
export function useTenantList(): TenantList {
  const { data, failure, reload } = useChannelQuery('tenants:list', {});
  const client = useQueryClient();
  const setTenants = useCallback(
    (update: (current: TenantView[] | null) => TenantView[] | null) =>
      client.setQueryData<TenantView[]>(channelKey('tenants:list', {}), (current) => update(current ?? null) ?? undefined),
    [client],
  );
  const again = useCallback(() => void reload(), [reload]);
  return { tenants: data ?? null, failure, reload: again, setTenants };
}
