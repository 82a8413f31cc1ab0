import { Alert, Button, Group, PasswordInput, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { MIN_VAULT_PASSPHRASE as MIN_PASSPHRASE, type Failure, type KeyProtection } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAppData, useAppInfo } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { PassphraseWarningModal } from './PassphraseWarningModal.tsx';
import { showVaultToast } from '../../state/vault-toast.ts';

/** The server's minimum; mirrored so the operator learns it before a round trip. */

interface Values {
  protection: KeyProtection;
  passphrase: string;
  confirm: string;
}

const CHOICES: { value: KeyProtection; title: string; text: string }[] = [
  {
    value: 'keychain',
    title: 'OS keychain (recommended)',
    text: 'The key lives in your login keychain (Keychain, Credential Manager or Secret Service) and unlocks with your session. Nothing to type.',
  },
  {
    value: 'passphrase',
    title: 'Passphrase (offline workstation without a keychain)',
    text: 'The key is wrapped under a passphrase (scrypt). You type it each time certdesk starts; nobody can recover it for you.',
  },
];

/** What passphrase mode means, said before the operator chooses it (and always when it is the only choice). */
function PassphraseExplanation() {
  return (
    <Alert color="blue" variant="light" icon={<IconInfoCircle />} data-testid="vault-passphrase-explanation">
      <Text size="sm">
        In passphrase mode certdesk keeps no key anywhere on its own: the key that seals your CA keys is derived from a passphrase you
        choose. You type it when certdesk starts (and after an idle lock). It is never stored, so{' '}
        <Text span fw={700}>
          a forgotten passphrase cannot be recovered
        </Text>{' '}
        by anyone, certdesk included: every key in this store would be lost. Write it down somewhere safe.
      </Text>
    </Alert>
  );
}

/** Shown until a protection is chosen; without a choice the first key silently uses the keychain. */
export function VaultSetup() {
  const call = useCall();
  const { setVault } = useAppData();
  const { vault } = useAppInfo();
  // Pre-select what works here: without a keychain only a passphrase can protect the keys.
  const keychainMissing = vault.keychain.state === 'unavailable';
  const [busy, setBusy] = useState(false);
  const [warning, setWarning] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { protection: keychainMissing ? 'passphrase' : 'keychain', passphrase: '', confirm: '' },
    validate: {
      passphrase: (value, values) =>
        values.protection === 'passphrase' && value.length < MIN_PASSPHRASE ? `Use at least ${MIN_PASSPHRASE} characters` : null,
      confirm: (value, values) => (values.protection === 'passphrase' && value !== values.passphrase ? 'The two passphrases differ' : null),
    },
    validateInputOnBlur: true,
  });
  const passphraseMode = form.values.protection === 'passphrase';

  const initialize = async () => {
    setWarning(false);
    setFailure(null);
    setBusy(true);
    const { protection, passphrase } = form.getValues();
    const result = await call('vault:init', protection === 'passphrase' ? { protection, passphrase } : { protection });
    setBusy(false);
    if (!result.ok) {
      const { field, message } = result.error;
      if (field === 'passphrase' && protection === 'passphrase') form.setFieldError('passphrase', message);
      else if (field === 'protection') form.setFieldError('protection', message);
      else setFailure(result.error);
      return;
    }
    form.setValues({ passphrase: '', confirm: '' });
    setVault(result.value);
    showVaultToast({ title: 'Key protection set up', message: result.value.detail });
  };

  // Passphrase mode is irreversible and unforgiving: confirm the consequence before committing.
  const onSubmit = form.onSubmit((values) => (values.protection === 'passphrase' ? setWarning(true) : void initialize()));

  return (
    <form onSubmit={onSubmit} data-testid="vault-setup" noValidate>
      <Stack gap="md">
        <Text size="sm">
          Choose how to protect the private keys. This is set once per store; the first CA you create uses the OS keychain if you do not
          choose.
        </Text>
        {keychainMissing && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle />}
            title="No OS keychain here"
            data-testid="vault-keychain-missing"
          >
            {vault.keychain.problem ?? 'No keychain answered when certdesk started.'}
          </Alert>
        )}
        {failure && (
          <ErrorAlert data-testid="vault-init-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Radio.Group {...form.getInputProps('protection')} label="Protection" aria-label="Key protection">
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
            {CHOICES.map((choice) => (
              <Radio.Card
                key={choice.value}
                value={choice.value}
                p="md"
                radius="md"
                disabled={busy || (choice.value === 'keychain' && keychainMissing)}
                data-testid={`vault-choice-${choice.value}`}
              >
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Radio.Indicator />
                  <div>
                    <Text fw={600} size="sm">
                      {choice.title}
                    </Text>
                    <Text size="xs" c="dimmed" mt={4}>
                      {choice.value === 'keychain' && keychainMissing
                        ? 'Not available: no keychain answered when certdesk started.'
                        : choice.text}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </SimpleGrid>
        </Radio.Group>

        {passphraseMode && <PassphraseExplanation />}
        {passphraseMode && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <PasswordInput
              label="Passphrase"
              description={`At least ${MIN_PASSPHRASE} characters; a few unrelated words work well.`}
              autoComplete="new-password"
              disabled={busy}
              data-testid="vault-passphrase"
              {...form.getInputProps('passphrase')}
            />
            <PasswordInput
              label="Confirm passphrase"
              autoComplete="new-password"
              disabled={busy}
              data-testid="vault-passphrase-confirm"
              {...form.getInputProps('confirm')}
            />
          </SimpleGrid>
        )}

        <Group justify="flex-end">
          <Button type="submit" loading={busy} data-testid="vault-init-submit">
            {passphraseMode ? 'Protect with passphrase' : 'Use the OS keychain'}
          </Button>
        </Group>
      </Stack>
      <PassphraseWarningModal opened={warning} onCancel={() => setWarning(false)} onConfirm={() => void initialize()} />
    </form>
  );
}
