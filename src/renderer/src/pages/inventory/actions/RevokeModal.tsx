import { Alert, Button, Code, Group, Select, Stack, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { CertificateDetail, Failure, RevocationReason } from '../../../../../shared/contract/index.ts';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { REVOCATION_REASON_OPTIONS } from '../../../format/revocation-reason.ts';
import { useCall } from '../../../state/use-call.ts';

interface Props {
  opened: boolean;
  certificate: CertificateDetail;
  onClose: () => void;
  onRevoked: (revoked: CertificateDetail) => void;
}

interface Values {
  reason: RevocationReason;
  /** The certificate's name (or serial), typed to confirm. */
  typed: string;
}

/** Revocation cannot be undone, so the operator types the name of what they are about to break. */
export function RevokeModal({ opened, certificate, onClose, onRevoked }: Props) {
  const call = useCall();
  // A certificate without a CN is confirmed by its serial, which is as unique and as visible.
  const expected = certificate.commonName ?? certificate.serialHex;
  // Judged as typed: a wrong name is flagged as soon as it stops being the start of the right one.
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { reason: 'unspecified', typed: '' },
    validateInputOnChange: ['typed'],
    validate: {
      typed: (typed) =>
        typed.length > 0 && typed.trim() !== expected && !expected.startsWith(typed.trim())
          ? 'That is not the name of this certificate'
          : null,
    },
  });
  const { reason, typed } = form.getValues();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const confirmed = typed.trim() === expected;

  const submit = async () => {
    if (!confirmed) return;
    setFailure(null);
    setBusy(true);
    const result = await call('certs:revoke', { cert: certificate.id, reason });
    setBusy(false);
    if (result.ok) onRevoked(result.value);
    else setFailure(result.error);
  };

  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={onClose}
      title={`Revoke ${certificate.commonName ?? 'this certificate'}?`}
      testId="revoke-dialog"
    >
      <form onSubmit={form.onSubmit(() => void submit())} noValidate>
        <Stack>
          <Alert color="red" variant="light" icon={<IconAlertTriangle />}>
            Revocation is permanent. The certificate goes on the next CRL of {certificate.issuerName}, and every client still using it is
            refused once the edge has that CRL. Generate and publish the CRL from the Authorities page.
          </Alert>
          {failure && (
            <Alert color="red" variant="outline" title="The certificate was not revoked" data-testid="revoke-error">
              {failure.message}
            </Alert>
          )}
          <Select
            label="Reason"
            description="Recorded in the CRL; keyCompromise tells relying parties to distrust signatures made with the key. There is no hold: revocation cannot be released."
            data={REVOCATION_REASON_OPTIONS}
            value={reason}
            onChange={(value) => value && form.setFieldValue('reason', value as RevocationReason)}
            allowDeselect={false}
            disabled={busy}
            data-testid="revoke-reason"
          />
          <TextInput
            label={
              <>
                Type <Code>{expected}</Code> to confirm
              </>
            }
            {...form.getInputProps('typed')}
            autoComplete="off"
            spellCheck={false}
            disabled={busy}
            data-autofocus
            data-testid="revoke-confirm-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!confirmed} loading={busy} data-testid="revoke-submit">
              Revoke certificate
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
