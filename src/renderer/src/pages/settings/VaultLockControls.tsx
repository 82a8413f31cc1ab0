import { Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { VAULT_IDLE_LOCK_MAX_MINUTES, type Failure, type VaultStatus } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { KEYS_LOCKED, showVaultToast } from '../../state/vault-toast.ts';

/** Passphrase mode: lock the keys now, and how long they may stay unlocked without use. */
export function VaultLockControls({ vault }: { vault: VaultStatus }) {
  const call = useCall();
  const { setVault } = useAppData();
  const [locking, setLocking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // Said beside the field rather than in a toast: a toast in the corner covered the passphrase form below.
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<{ idleLockMinutes: number | string }>({
    mode: 'controlled',
    initialValues: { idleLockMinutes: vault.idleLockMinutes ?? 15 },
    validate: {
      idleLockMinutes: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= VAULT_IDLE_LOCK_MAX_MINUTES
          ? null
          : `Auto-lock: enter whole minutes from 0 (never) to ${VAULT_IDLE_LOCK_MAX_MINUTES}`,
    },
  });

  const lockNow = async () => {
    setFailure(null);
    setLocking(true);
    const result = await call('vault:lock', {});
    setLocking(false);
    if (!result.ok) return setFailure(result.error);
    setVault(result.value);
    showVaultToast(KEYS_LOCKED);
  };

  const save = form.onSubmit(async ({ idleLockMinutes }) => {
    setFailure(null);
    setSaved(null);
    setSaving(true);
    const result = await call('vault:auto-lock', { idleLockMinutes: Number(idleLockMinutes) });
    setSaving(false);
    if (!result.ok) {
      if (result.error.field === 'idleLockMinutes') form.setFieldError('idleLockMinutes', result.error.message);
      else setFailure(result.error);
      return;
    }
    setVault(result.value);
    const minutes = result.value.idleLockMinutes ?? 0;
    setSaved(
      `Auto-lock saved. ${minutes === 0 ? 'The keys stay unlocked until you lock them or quit.' : `The keys lock after ${minutes} idle minutes.`}`,
    );
  });

  return (
    <Stack gap="sm" data-testid="vault-lock-controls">
      {failure && (
        <ErrorAlert data-testid="vault-lock-error" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
      {vault.state === 'ready' && (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">The keys are unlocked in memory. Lock them when you step away; signing then asks for the passphrase.</Text>
          <Button
            variant="default"
            leftSection={<IconLock size={18} />}
            loading={locking}
            onClick={() => void lockNow()}
            data-testid="vault-lock-now"
          >
            Lock now
          </Button>
        </Group>
      )}
      <form onSubmit={save} noValidate data-testid="vault-auto-lock">
        <Group align="flex-start" wrap="nowrap">
          <NumberInput
            label="Auto-lock after idle minutes"
            description={`Locks the keys after this many minutes without signing; 0 = never (at most ${VAULT_IDLE_LOCK_MAX_MINUTES}).`}
            min={0}
            max={VAULT_IDLE_LOCK_MAX_MINUTES}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            disabled={saving}
            style={{ flex: 1 }}
            data-testid="vault-auto-lock-minutes"
            {...form.getInputProps('idleLockMinutes')}
          />
          <Button type="submit" mt={25} variant="default" loading={saving} data-testid="vault-auto-lock-submit">
            Save
          </Button>
        </Group>
        {saved && (
          <Text size="sm" c="teal" mt={4} role="status" data-testid="vault-auto-lock-saved">
            {saved}
          </Text>
        )}
      </form>
    </Stack>
  );
}
