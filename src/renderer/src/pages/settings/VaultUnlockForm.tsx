import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import type { FormEvent } from 'react';
import { usePassphraseUnlock } from '../../state/use-passphrase-unlock.ts';
import { showVaultToast } from '../../state/vault-toast.ts';

export function VaultUnlockForm() {
  const unlock = usePassphraseUnlock();

  const submit = async (event: FormEvent) => {
    if (await unlock.submit(event)) {
      showVaultToast({ title: 'Keys unlocked', message: 'certdesk can sign again until it is closed.' });
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="vault-unlock" noValidate>
      <Stack gap="sm">
        <Text size="sm">The keys are locked. Enter the passphrase to sign with them.</Text>
        <Group align="flex-start" wrap="nowrap">
          <PasswordInput
            label="Passphrase"
            {...unlock.input}
            autoComplete="current-password"
            style={{ flex: 1 }}
            data-testid="vault-unlock-passphrase"
          />
          <Button type="submit" mt={25} loading={unlock.busy} leftSection={<IconLockOpen size={18} />} data-testid="vault-unlock-submit">
            Unlock
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
