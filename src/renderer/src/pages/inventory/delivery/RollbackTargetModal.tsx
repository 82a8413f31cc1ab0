import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Failure, TargetRollbackResult, TargetView } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { targetWhere } from '../../../format/delivery-target.ts';
import { useCall } from '../../../state/use-call.ts';

interface Props {
  /** The target asked about; null when the dialog is closed. */
  target: TargetView | null;
  onClose: () => void;
  onRolledBack: (result: TargetRollbackResult) => void;
}

/**
 * A rollback puts the workload back on the certificate it had before, the one a rotation may be
 * about to revoke: the dialog says so, names the target, and focuses Cancel.
 */
export function RollbackTargetModal({ target, onClose, onRolledBack }: Props) {
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const close = () => {
    setFailure(null);
    onClose();
  };
  const rollback = async () => {
    if (!target) return;
    setBusy(true);
    setFailure(null);
    const result = await call('targets:rollback', { target: target.id });
    setBusy(false);
    if (result.ok) {
      onRolledBack(result.value);
      close();
    } else setFailure(result.error);
  };
  const reload = target && target.spec.kind !== 'csr-inbox' ? target.spec.reload : null;
  return (
    <GuardedModal
      opened={target !== null}
      busy={busy}
      onClose={close}
      title="Roll this target back?"
      testId="delivery-rollback-dialog"
      contentAttributes={{ 'data-target-id': target?.id }}
    >
      {target && (
        <Stack>
          <Text size="sm">
            <Code style={{ wordBreak: 'break-all' }}>{targetWhere(target.spec)}</Code> switches back to its previous release: the workload
            gets the certificate and key it had before this one.
          </Text>
          <Text size="sm">
            If that certificate is superseded or revoked, the workload stops getting tokens once the old credential is removed. Run rollback
            again to return to the release that is current now.
          </Text>
          {reload && (
            <Text size="sm" c="dimmed">
              Then runs the target&apos;s reload: <Code style={{ wordBreak: 'break-all' }}>{JSON.stringify(reload)}</Code>
            </Text>
          )}
          {failure && (
            <ErrorAlert title="The target was not rolled back" data-testid="delivery-rollback-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy} data-autofocus data-testid="delivery-rollback-cancel">
              Cancel
            </Button>
            <Button color="red" loading={busy} onClick={() => void rollback()} data-testid="delivery-rollback-confirm">
              Roll back
            </Button>
          </Group>
        </Stack>
      )}
    </GuardedModal>
  );
}
