import { createContext, Suspense, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../bridge.ts';
import { lazyNamed } from './load-with-retry.ts';

const UnlockDialog = lazyNamed(
  () => import('../components/UnlockDialog.tsx'),
  (m) => m.UnlockDialog,
);

type RequestUnlock = (reason?: string) => Promise<boolean>;

const UnlockPromptContext = createContext<RequestUnlock | null>(null);

/** Asks for the passphrase; resolves `true` once the vault is unlocked, `false` if the operator cancels. */
export function useRequestUnlock(): RequestUnlock {
  const value = use(UnlockPromptContext);
  if (!value) throw new Error('useRequestUnlock must be used inside <UnlockPromptProvider>');
  return value;
}

/**
 * One unlock dialog for the whole app: any call that meets VAULT_LOCKED waits on it, so a
 * passphrase store behaves like a keychain store that happened to ask for a password. The dialog's
 * chunk is fetched the first time it is needed, then stays mounted so it closes with its transition.
 */
export function UnlockPromptProvider({ children }: { children: ReactNode }) {
  const [reason, setReason] = useState<string | null>(null);
  const [needed, setNeeded] = useState(false);
  // Every caller that hit the lock while the dialog was open is answered by the same outcome.
  const waiting = useRef<((unlocked: boolean) => void)[]>([]);

  const settle = useCallback((unlocked: boolean) => {
    const resolvers = waiting.current;
    waiting.current = [];
    setReason(null);
    for (const resolve of resolvers) resolve(unlocked);
  }, []);

  // Unlocked from another window while this one asks: the dialog closes, and the calls it held run again.
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'vault' && event.vault.state === 'ready' && waiting.current.length > 0) settle(true);
      }),
    [settle],
  );

  const requestUnlock = useCallback<RequestUnlock>((why) => {
    setNeeded(true);
    setReason(why ?? 'This store keeps its private keys under a passphrase, and it is locked.');
    return new Promise<boolean>((resolve) => waiting.current.push(resolve));
  }, []);

  const value = useMemo(() => requestUnlock, [requestUnlock]);
  return (
    <UnlockPromptContext value={value}>
      {children}
      {needed && (
        <Suspense fallback={null}>
          <UnlockDialog reason={reason} onUnlocked={() => settle(true)} onCancel={() => settle(false)} />
        </Suspense>
      )}
    </UnlockPromptContext>
  );
}
