import { Alert, Button, Checkbox, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { CertificateDetail, Failure } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { OperationProgress } from '../../../components/OperationProgress.tsx';
import { useCall } from '../../../state/use-call.ts';
import { useProgress } from '../../../state/use-progress.ts';
import { newProgressId } from '../../authorities/create-authority-form.ts';
import type { Renewability } from './renew-rules.ts';

interface Props {
  opened: boolean;
  certificate: CertificateDetail;
  rules: Renewability;
  onClose: () => void;
  onRenewed: (renewed: CertificateDetail) => void;
}

interface Values {
  sameKey: boolean;
  /** As the NumberInput holds it: empty for the profile's default. */
  days: number | string;
}

export function RenewModal({ opened, certificate, rules, onClose, onRenewed }: Props) {
  const call = useCall();
  const tracker = useProgress(opened, newProgressId);
  // Re-keying is the default: a renewal is the cheap moment to retire a key.
  // No checks of its own: main judges the days and its refusal is shown on the field.
  const form = useForm<Values>({ mode: 'controlled', initialValues: { sameKey: rules.rekeyBlocked !== null, days: '' } });
  const { sameKey } = form.getValues();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const name = certificate.commonName ?? certificate.subject;

  const submit = async ({ sameKey, days }: Values) => {
    setFailure(null);
    setBusy(true);
    const progressId = tracker.begin();
    const result = await call('certs:renew', {
      cert: certificate.id,
      sameKey: rules.rekeyBlocked !== null ? true : sameKey,
      ...(typeof days === 'number' ? { days } : {}),
      progressId,
    });
    tracker.end();
    setBusy(false);
    if (result.ok) onRenewed(result.value);
    else setFailure(result.error);
  };

  return (
    <GuardedModal opened={opened} busy={busy} onClose={onClose} title={`Renew ${name}`} testId="renew-dialog">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack>
          <Text size="sm">
            certdesk issues a new certificate with the same subject, SANs and profile, signed by {certificate.issuerName}. This one becomes
            superseded; it stays valid until it expires or you revoke it, so clients can switch over.
          </Text>
          {failure && (
            <ErrorAlert title="The certificate was not renewed" data-testid="renew-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Checkbox
            label="Keep the same key"
            description={
              rules.rekeyBlocked === null
                ? 'Off: a new key is generated and sealed (recommended). On: the new certificate certifies the current key.'
                : undefined
            }
            checked={rules.rekeyBlocked !== null || sameKey}
            disabled={busy || rules.rekeyBlocked !== null}
            onChange={(event) => form.setFieldValue('sameKey', event.currentTarget.checked)}
            data-testid="renew-same-key"
          />
          {rules.rekeyBlocked !== null && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle />} data-testid="renew-rekey-blocked">
              {rules.rekeyBlocked}
            </Alert>
          )}
          <NumberInput
            label="Validity in days"
            description="Leave empty for the profile's default."
            placeholder={certificate.profile ? `${certificate.profile} default` : 'profile default'}
            {...form.getInputProps('days')}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            disabled={busy}
            error={failure?.field === 'days' ? failure.message : undefined}
            data-testid="renew-days"
          />
          {busy && <OperationProgress progress={tracker.progress} testId="renew-progress" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-autofocus data-testid="renew-submit">
              {rules.rekeyBlocked !== null || sameKey ? 'Renew with the same key' : 'Renew with a new key'}
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
