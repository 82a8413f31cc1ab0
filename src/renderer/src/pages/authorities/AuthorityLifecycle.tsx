import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBan, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { CA_REVOCATION_REASONS, type AuthorityView, type CaRevocationReason, type Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { revocationReasonLabel } from '../../format/revocation-reason.ts';
import { formatDateTime } from '../../format/validity.ts';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';

const REASON_OPTIONS = CA_REVOCATION_REASONS.map((reason) => ({ value: reason, label: revocationReasonLabel(reason) }));

type Pending = { kind: 'retire' | 'reinstate' } | { kind: 'revoke' };

/**
 * Taking a CA out of service: retire it (it signs nothing new; what it signed stays valid) or, for an
 * issuing CA, revoke it under its root (it goes on the root's CRL). Both are confirmed first.
 */
export function AuthorityLifecycle({ authority, parentName }: { authority: AuthorityView; parentName: string | null }) {
  const call = useCall();
  const { refreshAuthorities } = useAppData();
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState<CaRevocationReason>('superseded');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const open = (next: Pending) => {
    setFailure(null);
    setPending(next);
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setFailure(null);
    const result =
      pending.kind === 'revoke'
        ? await call('ca:revoke', { ca: authority.id, reason })
        : await call('ca:retire', { ca: authority.id, retired: pending.kind === 'retire' });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setPending(null);
    await refreshAuthorities();
    notifications.show({
      color: pending.kind === 'revoke' ? 'red' : 'teal',
      title:
        pending.kind === 'revoke'
          ? `${authority.name} revoked`
          : pending.kind === 'retire'
            ? `${authority.name} retired`
            : `${authority.name} back in service`,
      message:
        pending.kind === 'revoke'
          ? `It is on the new CRL of ${parentName ?? 'its root'}; publish that CRL to the edge.`
          : pending.kind === 'retire'
            ? 'It signs nothing new; what it signed stays valid.'
            : 'It signs new certificates again.',
    });
  };

  return (
    <Stack gap="sm" data-testid="ca-lifecycle">
      {authority.revokedAt ? (
        <Text size="sm" data-testid="ca-lifecycle-state">
          Revoked {formatDateTime(authority.revokedAt)} ({authority.revocationReason}); listed on the CRL of {parentName ?? 'its root'}. It
          signs nothing new.
        </Text>
      ) : (
        <>
          <Text size="sm" c="dimmed" data-testid="ca-lifecycle-state">
            {authority.retiredAt
              ? `Retired ${formatDateTime(authority.retiredAt)}: it signs nothing new; what it signed stays valid until it expires or is revoked.`
              : 'In service: it signs new certificates. Retire it to stop that without touching what it already signed.'}
          </Text>
          <Group gap="sm">
            {authority.retiredAt ? (
              <Button
                variant="default"
                leftSection={<IconPlayerPlay size={18} />}
                onClick={() => open({ kind: 'reinstate' })}
                data-testid="ca-reinstate"
              >
                Put back in service
              </Button>
            ) : (
              <Button
                variant="default"
                leftSection={<IconPlayerPause size={18} />}
                onClick={() => open({ kind: 'retire' })}
                data-testid="ca-retire"
              >
                Retire (stop new issuance)
              </Button>
            )}
            {authority.kind === 'issuing' && (
              <Button
                color="red"
                variant="light"
                leftSection={<IconBan size={18} />}
                onClick={() => open({ kind: 'revoke' })}
                data-testid="ca-revoke"
              >
                Revoke under its root…
              </Button>
            )}
          </Group>
        </>
      )}

      <GuardedModal
        opened={pending !== null}
        busy={busy}
        onClose={() => setPending(null)}
        title={
          pending?.kind === 'revoke'
            ? `Revoke ${authority.name}?`
            : pending?.kind === 'retire'
              ? `Retire ${authority.name}?`
              : `Put ${authority.name} back in service?`
        }
        testId="ca-lifecycle-confirm"
      >
        <Stack>
          {pending?.kind === 'revoke' ? (
            <>
              <Alert color="red" variant="light" icon={<IconAlertTriangle />}>
                This cannot be undone. {parentName ?? 'The root'} signs a new CRL listing this CA at once; once that CRL is published to the
                edge, every certificate {authority.name} signed stops being accepted there.
              </Alert>
              <Select
                label="Reason"
                description="Recorded on the CRL (RFC 5280 reason code)."
                data={REASON_OPTIONS}
                value={reason}
                onChange={(value) => value && setReason(value as CaRevocationReason)}
                allowDeselect={false}
                disabled={busy}
                data-testid="ca-revoke-reason"
              />
            </>
          ) : (
            <Text size="sm">
              {pending?.kind === 'retire'
                ? `${authority.name} will sign no new certificate${authority.kind === 'root' ? ' or issuing CA' : ''}; issuing under it is refused by name. What it signed stays valid. You can put it back in service later.`
                : `${authority.name} will sign new certificates again.`}
            </Text>
          )}
          {failure && (
            <ErrorAlert title="Nothing was changed" data-testid="ca-lifecycle-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)} disabled={busy} data-autofocus>
              Cancel
            </Button>
            <Button
              color={pending?.kind === 'revoke' ? 'red' : undefined}
              loading={busy}
              onClick={() => void confirm()}
              data-testid="ca-lifecycle-confirm-submit"
            >
              {pending?.kind === 'revoke' ? 'Revoke' : pending?.kind === 'retire' ? 'Retire' : 'Put back in service'}
            </Button>
          </Group>
        </Stack>
      </GuardedModal>
    </Stack>
  );
}
