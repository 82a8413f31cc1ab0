import { Button, Group, Stack, Text } from '@mantine/core';
import type { FormEvent } from 'react';
import type { CertificateDetail } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { PemInput } from '../../components/PemInput.tsx';
import { useCall } from '../../state/use-call.ts';
import { useCertificatePem } from './use-certificate-pem.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  onImported: (certificate: CertificateDetail) => void;
}

/** Tracking only: certificates issued elsewhere join the inventory so their expiry is watched too. */
export function ImportCertificateModal({ opened, onClose, onImported }: Props) {
  const call = useCall();
  const certificate = useCertificatePem((pem) => call('certs:import', { pem }));

  const submit = async (event: FormEvent) => {
    const imported = await certificate.submit(event);
    if (imported) onImported(imported);
  };

  return (
    <GuardedModal
      opened={opened}
      busy={certificate.busy}
      onClose={onClose}
      size="lg"
      title="Import a certificate for tracking"
      testId="import-dialog"
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            The certificate is added to the inventory so its expiry and status are tracked. certdesk gets no private key with it, so it
            cannot export its key or re-key it.
          </Text>
          {certificate.failure && (
            <ErrorAlert title="Nothing was imported" data-testid="import-error" code={certificate.failure.code}>
              {certificate.failure.message}
            </ErrorAlert>
          )}
          <PemInput {...certificate.input} testId="import-pem" autoFocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={certificate.busy}>
              Cancel
            </Button>
            <Button type="submit" loading={certificate.busy} data-testid="import-submit">
              Import
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
