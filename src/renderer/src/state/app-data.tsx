import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo, AuthorityView, Failure, Result, VaultStatus } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';

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

export function AppDataProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<Result<AppInfo> | null>(null);
  const [authorities, setAuthorities] = useState<Result<AuthorityView[]> | null>(null);

  const refreshInfo = useCallback(async () => {
    const result = await api.invoke('app:info', {});
    // Only the first answer may put the app into its error screen; a later failure is the caller's to report.
    setInfo((previous) => (result.ok || !previous?.ok ? result : previous));
    return result;
  }, []);

  const refreshAuthorities = useCallback(async () => {
    const result = await api.invoke('ca:list', {});
    // A failed refresh keeps the table the operator is looking at; the first failure has nothing to keep.
    setAuthorities((previous) => (result.ok || !previous?.ok ? result : previous));
    return result;
  }, []);

  const setVault = useCallback((vault: VaultStatus) => {
    setInfo((previous) => (previous?.ok ? { ok: true, value: { ...previous.value, vault } } : previous));
  }, []);

  useEffect(() => {
    void Promise.all([refreshInfo(), refreshAuthorities()]).catch((error: unknown) => {
      // The bridge never rejects by contract; if a preload does, still leave the loading state.
      const failure: Failure = {
        code: 'INTERNAL',
        message: `certdesk could not start: ${error instanceof Error ? error.message : String(error)}`,
      };
      setInfo((previous) => previous ?? { ok: false, error: failure });
      setAuthorities((previous) => previous ?? { ok: false, error: failure });
    });
  }, [refreshInfo, refreshAuthorities]);

  const value = useMemo<AppData>(
    () => ({ info, authorities, ready: info !== null && authorities !== null, refreshInfo, refreshAuthorities, setVault }),
    [info, authorities, refreshInfo, refreshAuthorities, setVault],
  );
  return <AppDataContext value={value}>{children}</AppDataContext>;
}
