import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { CertificateDetail, Failure } from '../../../../shared/contract.ts';
import { EMPTY_PEM_INPUT, PemInput, pemInputPayload } from '../../components/PemInput.tsx';
import { useCall } from '../../state/use-call.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  onImported: (certificate: CertificateDetail) => void;
}

/** Tracking only: certificates issued elsewhere join the inventory so their expiry is watched too. */
export function ImportCertificateModal({ opened, onClose, onImported }: Props) {
  const call = useCall();
  const [pem, setPem] = useState(EMPTY_PEM_INPUT);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const payload = pemInputPayload(pem);
    if (!payload) {
      setFailure({ code: 'VALIDATION', message: 'Paste the certificate, or drop or choose its file.', field: 'pem' });
      return;
    }
    setFailure(null);
    setBusy(true);
    const result = await call('certs:import', { pem: payload });
    setBusy(false);
    if (result.ok) onImported(result.value);
    else setFailure(result.error);
  };

  const fieldError = failure?.field === 'pem' ? failure.message : undefined;
  return (
    <Modal
      opened={opened}
      onClose={() => !busy && onClose()}
      closeOnEscape={!busy}
      closeOnClickOutside={!busy}
      size="lg"
      title={<Text fw={600} size="lg">Import a certificate for tracking</Text>}
      attributes={{ content: { 'data-testid': 'import-dialog' } }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            The certificate is added to the inventory so its expiry and status are tracked. certdesk gets no private key with it, so it cannot
            export its key or re-key it.
          </Text>
          {failure && !fieldError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle />} title="Nothing was imported" data-testid="import-error">
              {failure.message}
            </Alert>
          )}
          <PemInput
            label="Certificate (PEM)"
            value={pem}
            onChange={(value) => {
              setPem(value);
              if (fieldError) setFailure(null);
            }}
            error={fieldError}
            disabled={busy}
            accept=".pem,.crt,.cer"
            allowDer={false}
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            testId="import-pem"
            autoFocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="import-submit">
              Import
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
