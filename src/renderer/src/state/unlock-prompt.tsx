import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { createContext, use, useCallback, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { GuardedModal } from '../components/GuardedModal.tsx';
import { usePassphraseUnlock } from './use-passphrase-unlock.ts';

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
  const unlock = usePassphraseUnlock();
  const { reset } = unlock;
  const [reason, setReason] = useState<string | null>(null);
  // Every caller that hit the lock while the dialog was open is answered by the same outcome.
  const waiting = useRef<((unlocked: boolean) => void)[]>([]);

  const settle = useCallback(
    (unlocked: boolean) => {
      const resolvers = waiting.current;
      waiting.current = [];
      setReason(null);
      reset();
      for (const resolve of resolvers) resolve(unlocked);
    },
    [reset],
  );

  const requestUnlock = useCallback<RequestUnlock>((why) => {
    setReason(why ?? 'This store keeps its private keys under a passphrase, and it is locked.');
    return new Promise<boolean>((resolve) => waiting.current.push(resolve));
  }, []);

  const submit = async (event: FormEvent) => {
    if (await unlock.submit(event)) settle(true);
  };

  const value = useMemo(() => requestUnlock, [requestUnlock]);
  return (
    <UnlockPromptContext value={value}>
      {children}
      <GuardedModal
        opened={reason !== null}
        busy={unlock.busy}
        onClose={() => settle(false)}
        title={
          <Group gap="xs">
            <IconLock size={18} aria-hidden /> <Text fw={600}>Unlock the keys</Text>
          </Group>
        }
        testId="unlock-prompt"
        zIndex={400}
      >
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Text size="sm">{reason}</Text>
            <Text size="sm" c="dimmed">
              Enter the passphrase to unlock it; then certdesk retries what you were doing.
            </Text>
            <PasswordInput
              label="Passphrase"
              {...unlock.input}
              data-autofocus
              autoComplete="current-password"
              data-testid="unlock-prompt-passphrase"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => settle(false)} disabled={unlock.busy}>
                Cancel
              </Button>
              <Button type="submit" loading={unlock.busy} data-testid="unlock-prompt-submit">
                Unlock and retry
              </Button>
            </Group>
          </Stack>
        </form>
      </GuardedModal>
    </UnlockPromptContext>
  );
}
