import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLockOpen } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api } from '../../bridge.ts';
import { useAppData } from '../../state/app-data.tsx';

export function VaultUnlockForm() {
  const { setVault } = useAppData();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      // Every unlock failure is about the passphrase, whatever field the server named.
      setError(result.error.message);
      return;
    }
    setPassphrase('');
    setVault(result.value);
    notifications.show({ color: 'teal', title: 'Keys unlocked', message: 'certdesk can sign again until it is closed.' });
  };

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="vault-unlock" noValidate>
      <Stack gap="sm">
        <Text size="sm">The keys are locked. Enter the passphrase to sign with them.</Text>
        <Group align="flex-start" wrap="nowrap">
          <PasswordInput
            label="Passphrase"
            value={passphrase}
            onChange={(event) => {
              setPassphrase(event.currentTarget.value);
              setError(null);
            }}
            error={error}
            disabled={busy}
            autoComplete="current-password"
            style={{ flex: 1 }}
            data-testid="vault-unlock-passphrase"
          />
          <Button type="submit" mt={25} loading={busy} leftSection={<IconLockOpen size={18} />} data-testid="vault-unlock-submit">
            Unlock
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
