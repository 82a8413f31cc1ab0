import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AuthorityView, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { EMPTY_PEM_INPUT, PemInput, pemInputPayload, type PemInputValue } from '../../components/PemInput.tsx';
import { useCall } from '../../state/use-call.ts';
import { MAX_NAME } from './create-authority-form.ts';

interface Values {
  cert: PemInputValue;
  key: PemInputValue;
  passphrase: string;
  name: string;
}

/** Where main's `field` lands in this form. */
const FIELD_OF: Record<string, keyof Values> = {
  certPem: 'cert',
  keyPem: 'key',
  keyPassphrase: 'passphrase',
  passphrase: 'passphrase',
  name: 'name',
};

interface Props {
  opened: boolean;
  onClose: () => void;
  onImported: (authority: AuthorityView) => void;
}

/**
 * An existing CA with its key, as `certdesk ca import` does. The files are read in the page and
 * their content is sent (never a path: in web mode main must not read a file the page names); the
 * key is sealed at once, and the form forgets it on close.
 */
export function ImportAuthorityModal({ opened, onClose, onImported }: Props) {
  return (
    <GuardedModal opened={opened} busy={false} onClose={onClose} size="lg" title="Import a CA" testId="import-ca-dialog">
      {opened && <ImportAuthorityForm onClose={onClose} onImported={onImported} />}
    </GuardedModal>
  );
}

function ImportAuthorityForm({ onClose, onImported }: Omit<Props, 'opened'>) {
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { cert: EMPTY_PEM_INPUT, key: EMPTY_PEM_INPUT, passphrase: '', name: '' },
    validate: {
      cert: (value) => (pemInputPayload(value) ? null : 'CA certificate: paste it, or drop or choose its file.'),
      key: (value) => (pemInputPayload(value, true) ? null : 'Private key: paste it, or drop or choose its file.'),
      name: (value) =>
        value.trim().length > MAX_NAME ? `Name is ${value.trim().length} characters long; the limit is ${MAX_NAME}. Shorten it.` : null,
    },
  });

  const submit = async (values: Values) => {
    setFailure(null);
    setBusy(true);
    const name = values.name.trim();
    const result = await call('ca:import', {
      certPem: pemInputPayload(values.cert),
      keyPem: pemInputPayload(values.key, true),
      ...(values.passphrase ? { keyPassphrase: values.passphrase } : {}),
      ...(name ? { name } : {}),
    });
    setBusy(false);
    if (result.ok) {
      form.reset();
      onImported(result.value);
      return;
    }
    const field = result.error.field ? FIELD_OF[result.error.field] : undefined;
    if (field) form.setFieldError(field, result.error.message);
    else setFailure(result.error);
  };

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          A root, or an issuing CA whose root is already here. The key must belong to the certificate; it is sealed under this store&apos;s
          key protection at once.
        </Text>
        <PemInput
          label="CA certificate"
          value={form.values.cert}
          onChange={(value) => form.setFieldValue('cert', value)}
          error={form.errors.cert}
          disabled={busy}
          accept=".pem,.crt,.cer,.der"
          allowDer
          placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
          testId="import-ca-cert"
          autoFocus
        />
        <PemInput
          label="Private key"
          description="PKCS#8, PKCS#1 or SEC1 PEM, encrypted or not. Drop the file, choose it, or paste it."
          value={form.values.key}
          onChange={(value) => form.setFieldValue('key', value)}
          error={form.errors.key}
          disabled={busy}
          accept=".pem,.key"
          allowDer={false}
          placeholder={'-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----'}
          testId="import-ca-key"
          privateKey
        />
        <Group grow align="flex-start">
          <PasswordInput
            label="Key passphrase"
            description="Only for an encrypted key."
            autoComplete="off"
            disabled={busy}
            data-testid="import-ca-passphrase"
            {...form.getInputProps('passphrase')}
          />
          <TextInput
            label="Name in certdesk"
            description={`Optional; the subject CN otherwise. At most ${MAX_NAME} characters.`}
            disabled={busy}
            data-testid="import-ca-name"
            {...form.getInputProps('name')}
          />
        </Group>
        {failure && (
          <ErrorAlert title="Nothing was imported" data-testid="import-ca-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} onMouseDown={(event) => event.preventDefault()} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} data-testid="import-ca-submit">
            Import CA
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
