import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, use, useCallback, useMemo, type ReactNode } from 'react';
import type { AppInfo, AuthorityView, ChannelOutput, Failure, Result, VaultStatus } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';
import { channelKey, failureOf, FailureError } from './query-client.ts';

export interface AppData {
  /** `null` until the first `app:info` has answered. */
  info: Result<AppInfo> | null;
  /** `null` until the first `ca:list` has answered. */
  authorities: Result<AuthorityView[]> | null;
  /** Both first answers are in, whatever they said: what `data-testid="app-ready"` signals. */
  ready: boolean;
  refreshInfo: () => Promise<Result<AppInfo>>;
  refreshAuthorities: () => Promise<Result<AuthorityView[]>>;
  /** Vault calls return the new status; applying it here saves an `app:info` round trip. */
  setVault: (vault: VaultStatus) => void;
}

const AppDataContext = createContext<AppData | null>(null);

export function useAppData(): AppData {
  const value = use(AppDataContext);
  if (!value) throw new Error('useAppData must be used inside <AppDataProvider>');
  return value;
}

/** The app's info as loaded, for components that only render once it is. */
export function useAppInfo(): AppInfo {
  const { info } = useAppData();
  if (!info?.ok) throw new Error('useAppInfo must be used once app:info has succeeded');
  return info.value;
}

/** Reads a channel through TanStack Query with the bridge itself: useCall needs this context, so it cannot be used here. */
function useBootQuery<C extends 'app:info' | 'ca:list'>(channel: C) {
  const query = useQuery({
    queryKey: channelKey(channel, {}),
    queryFn: async () => {
      const result = (await api.invoke(channel, {})) as Result<ChannelOutput<C>>;
      if (!result.ok) throw new FailureError(result.error);
      return result.value;
    },
    // Read once for the app's lifetime; pages ask again through refresh*.
    staleTime: Infinity,
  });
  const { refetch } = query;
  const refresh = useCallback(async (): Promise<Result<ChannelOutput<C>>> => {
    const after = await refetch();
    return after.status === 'error' ? { ok: false, error: failureOf(after.error) } : { ok: true, value: after.data as ChannelOutput<C> };
  }, [refetch]);
  // Only the first answer may put the app into its error screen; a later failure keeps what is shown and is the caller's to report.
  const result: Result<ChannelOutput<C>> | null =
    query.data !== undefined ? { ok: true, value: query.data } : query.error ? { ok: false, error: startFailure(query.error) } : null;
  return { result, refresh };
}

function startFailure(error: unknown): Failure {
  // The bridge never rejects by contract; if a preload does, still leave the loading state.
  if (error instanceof FailureError) return error.failure;
  return { code: 'INTERNAL', message: `certdesk could not start: ${error instanceof Error ? error.message : String(error)}` };
}

export function AppDataProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const { result: info, refresh: refreshInfo } = useBootQuery('app:info');
  const { result: authorities, refresh: refreshAuthorities } = useBootQuery('ca:list');

  const setVault = useCallback(
    (vault: VaultStatus) =>
      client.setQueryData<AppInfo>(channelKey('app:info', {}), (previous) => (previous ? { ...previous, vault } : previous)),
    [client],
  );

  const value = useMemo<AppData>(
    () => ({ info, authorities, ready: info !== null && authorities !== null, refreshInfo, refreshAuthorities, setVault }),
    [info, authorities, refreshInfo, refreshAuthorities, setVault],
  );
  return <AppDataContext value={value}>{children}</AppDataContext>;
}
