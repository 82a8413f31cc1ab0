import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Failure, LintResult } from '../../../../shared/contract.ts';
import { LintChecklist } from '../../components/LintChecklist.tsx';
import { EMPTY_PEM_INPUT, PemInput, pemInputPayload } from '../../components/PemInput.tsx';
import { useCall } from '../../state/use-call.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
}

/** Checks a certificate from anywhere against the Auth0 mTLS rules, storing nothing. */
export function LintCertificateModal({ opened, onClose }: Props) {
  const call = useCall();
  const [pem, setPem] = useState(EMPTY_PEM_INPUT);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [lint, setLint] = useState<LintResult | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const payload = pemInputPayload(pem);
    if (!payload) {
      setFailure({ code: 'VALIDATION', message: 'Paste the certificate, or drop or choose its file.', field: 'pem' });
      return;
    }
    setFailure(null);
    setBusy(true);
    const result = await call('certs:lint', { pem: payload });
    setBusy(false);
    if (result.ok) setLint(result.value);
    else {
      setLint(null);
      setFailure(result.error);
    }
  };

  const fieldError = failure?.field === 'pem' ? failure.message : undefined;
  return (
    <Modal
      opened={opened}
      onClose={() => !busy && onClose()}
      size="lg"
      title={<Text fw={600} size="lg">Lint a certificate</Text>}
      attributes={{ content: { 'data-testid': 'lint-dialog' } }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            Runs the same checks as the inventory (key strength, clientAuth EKU, subject, validity, chain) on any certificate. Nothing is stored.
          </Text>
          {failure && !fieldError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle />} title="The certificate could not be checked" data-testid="lint-error">
              {failure.message}
            </Alert>
          )}
          <PemInput
            label="Certificate (PEM)"
            value={pem}
            onChange={(value) => {
              setPem(value);
              // A result belongs to the certificate it was run on.
              setLint(null);
              if (fieldError) setFailure(null);
            }}
            error={fieldError}
            disabled={busy}
            accept=".pem,.crt,.cer"
            allowDer={false}
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            testId="lint-pem"
            autoFocus
          />
          {lint && <LintChecklist lint={lint} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Close
            </Button>
            <Button type="submit" loading={busy} data-testid="lint-submit">
              {lint ? 'Check again' : 'Check'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
