import { Button, Group, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { LintResult } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { LintChecklist } from '../../components/LintChecklist.tsx';
import { PemInput } from '../../components/PemInput.tsx';
import { useCall } from '../../state/use-call.ts';
import { useCertificatePem } from './use-certificate-pem.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
}

/** Checks a certificate from anywhere against the Auth0 mTLS rules, storing nothing. */
export function LintCertificateModal({ opened, onClose }: Props) {
  const call = useCall();
  const [lint, setLint] = useState<LintResult | null>(null);
  // A result belongs to the certificate it was run on: an edit clears it.
  const certificate = useCertificatePem(
    (pem) => call('certs:lint', { pem }),
    () => setLint(null),
  );

  const submit = async (event: FormEvent) => {
    setLint(await certificate.submit(event));
  };

  return (
    <GuardedModal opened={opened} busy={certificate.busy} onClose={onClose} size="lg" title="Lint a certificate" testId="lint-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            Runs the same checks as the inventory (key strength, clientAuth EKU, subject, validity, chain) on any certificate. Nothing is
            stored.
          </Text>
          {certificate.failure && (
            <ErrorAlert title="The certificate could not be checked" data-testid="lint-error" code={certificate.failure.code}>
              {certificate.failure.message}
            </ErrorAlert>
          )}
          <PemInput {...certificate.input} testId="lint-pem" autoFocus />
          {lint && <LintChecklist lint={lint} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={certificate.busy}>
              Close
            </Button>
            <Button type="submit" loading={certificate.busy} data-testid="lint-submit">
              {lint ? 'Check again' : 'Check'}
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
