import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useEffect, type FormEvent } from 'react';
import { usePassphraseUnlock } from '../state/use-passphrase-unlock.ts';
import { GuardedModal } from './GuardedModal.tsx';

interface Props {
  /** Why the keys are needed; null while the dialog is closed. */
  reason: string | null;
  onUnlocked: () => void;
  onCancel: () => void;
}

/**
 * The unlock dialog of state/unlock-prompt.tsx, in a chunk of its own (with the form and password field it
 * needs): most sessions never see it, so it is fetched the first time a call meets the lock.
 */
export function UnlockDialog({ reason, onUnlocked, onCancel }: Props) {
  const unlock = usePassphraseUnlock();
  const { reset } = unlock;
  const opened = reason !== null;
  // Each closing drops what was typed and the last error, whatever closed it.
  useEffect(() => {
    if (!opened) reset();
  }, [opened, reset]);

  const submit = async (event: FormEvent) => {
    if (await unlock.submit(event)) onUnlocked();
  };

  return (
    <GuardedModal
      opened={opened}
      busy={unlock.busy}
      onClose={onCancel}
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
            <Button variant="default" onClick={onCancel} disabled={unlock.busy}>
              Cancel
            </Button>
            <Button type="submit" loading={unlock.busy} data-testid="unlock-prompt-submit">
              Unlock and retry
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
