import { Alert, Button, Group, Modal, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { MIN_VAULT_PASSPHRASE as MIN_PASSPHRASE, type Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { showVaultToast } from '../../state/vault-toast.ts';

/** The server's minimum, as at set-up; mirrored so the operator learns it before two scrypt runs. */

interface Values {
  currentPassphrase: string;
  newPassphrase: string;
  confirm: string;
}

const EMPTY: Values = { currentPassphrase: '', newPassphrase: '', confirm: '' };

/** Passphrase mode: wraps the same key under a new passphrase. The old one stops working, so it is confirmed first. */
export function ChangePassphraseForm() {
  const call = useCall();
  const { setVault } = useAppData();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: {
      currentPassphrase: (value) => (value ? null : 'Current passphrase: enter the passphrase that unlocks the keys today'),
      newPassphrase: (value, values) =>
        value.length < MIN_PASSPHRASE
          ? `New passphrase: use at least ${MIN_PASSPHRASE} characters`
          : value === values.currentPassphrase
            ? 'New passphrase: it is the current one; choose a different one'
            : null,
      confirm: (value, values) => (value !== values.newPassphrase ? 'Confirm new passphrase: the two new passphrases differ' : null),
    },
    validateInputOnBlur: true,
  });

  const change = async () => {
    setConfirming(false);
    setFailure(null);
    setBusy(true);
    const { currentPassphrase, newPassphrase } = form.getValues();
    const result = await call('vault:change-passphrase', { currentPassphrase, newPassphrase });
    setBusy(false);
    if (!result.ok) {
      const { field, message } = result.error;
      if (field === 'currentPassphrase' || field === 'newPassphrase') form.setFieldError(field, message);
      else setFailure(result.error);
      return;
    }
    form.setValues(EMPTY);
    setVault(result.value);
    showVaultToast({ title: 'Passphrase changed', message: 'Only the new passphrase unlocks the keys from now on.' });
  };

  return (
    <form onSubmit={form.onSubmit(() => setConfirming(true))} noValidate data-testid="vault-change-passphrase">
      <Stack gap="sm">
        <Title order={4} size="h5">
          Change passphrase
        </Title>
        <Text size="sm" c="dimmed">
          The keys stay as they are; only the passphrase that unlocks them changes.
        </Text>
        {failure && (
          <ErrorAlert data-testid="vault-change-passphrase-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <PasswordInput
          label="Current passphrase"
          autoComplete="current-password"
          disabled={busy}
          data-testid="vault-change-current"
          {...form.getInputProps('currentPassphrase')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PasswordInput
            label="New passphrase"
            description={`At least ${MIN_PASSPHRASE} characters; a few unrelated words work well.`}
            autoComplete="new-password"
            disabled={busy}
            data-testid="vault-change-new"
            {...form.getInputProps('newPassphrase')}
          />
          <PasswordInput
            label="Confirm new passphrase"
            autoComplete="new-password"
            disabled={busy}
            data-testid="vault-change-confirm"
            {...form.getInputProps('confirm')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={busy} data-testid="vault-change-submit">
            Change passphrase
          </Button>
        </Group>
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={<Text fw={600}>Change the passphrase?</Text>}
        attributes={{ content: { 'data-testid': 'vault-change-confirm-dialog' } }}
      >
        <Stack>
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />}>
            The current passphrase stops working at once, here and for the certdesk command line. If the new one is forgotten, every key in
            this store is lost.
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Go back
            </Button>
            <Button color="orange" onClick={() => void change()} data-testid="vault-change-confirm-submit">
              Change passphrase
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
