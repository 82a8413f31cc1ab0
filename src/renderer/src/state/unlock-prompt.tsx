import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { createContext, use, useCallback, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../bridge.ts';
import { useAppData } from './app-data.tsx';

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
 * passphrase store behaves like a keychain store that happened to ask for a password.
 */
export function UnlockPromptProvider({ children }: { children: ReactNode }) {
  const { setVault } = useAppData();
  const [reason, setReason] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Every caller that hit the lock while the dialog was open is answered by the same outcome.
  const waiting = useRef<((unlocked: boolean) => void)[]>([]);

  const settle = useCallback((unlocked: boolean) => {
    const resolvers = waiting.current;
    waiting.current = [];
    setReason(null);
    setPassphrase('');
    setError(null);
    for (const resolve of resolvers) resolve(unlocked);
  }, []);

  const requestUnlock = useCallback<RequestUnlock>((why) => {
    setReason(why ?? 'This store keeps its private keys under a passphrase, and it is locked.');
    return new Promise<boolean>((resolve) => waiting.current.push(resolve));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passphrase) {
      setError('Enter the passphrase.');
      return;
    }
    setBusy(true);
    const result = await api.invoke('vault:unlock', { passphrase });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setVault(result.value);
    settle(true);
  };

  const value = useMemo(() => requestUnlock, [requestUnlock]);
  return (
    <UnlockPromptContext value={value}>
      {children}
      <Modal
        opened={reason !== null}
        onClose={() => !busy && settle(false)}
        closeOnEscape={!busy}
        closeOnClickOutside={!busy}
        title={<Group gap="xs"><IconLock size={18} aria-hidden /> <Text fw={600}>Unlock the keys</Text></Group>}
        attributes={{ content: { 'data-testid': 'unlock-prompt' } }}
        zIndex={400}
      >
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Text size="sm">{reason}</Text>
            <Text size="sm" c="dimmed">Enter the passphrase to unlock it; then certdesk retries what you were doing.</Text>
            <PasswordInput
              label="Passphrase"
              value={passphrase}
              onChange={(event) => {
                setPassphrase(event.currentTarget.value);
                setError(null);
              }}
              error={error}
              disabled={busy}
              data-autofocus
              autoComplete="current-password"
              data-testid="unlock-prompt-passphrase"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => settle(false)} disabled={busy}>Cancel</Button>
              <Button type="submit" loading={busy} data-testid="unlock-prompt-submit">Unlock and retry</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </UnlockPromptContext>
  );
}
