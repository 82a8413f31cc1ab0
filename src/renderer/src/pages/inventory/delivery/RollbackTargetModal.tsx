import { Code, Text } from '@mantine/core';
import type { TargetRollbackResult, TargetView } from '../../../../../shared/contract/index.ts';
import { targetWhere } from '../../../format/delivery-target.ts';
import { useCall } from '../../../state/use-call.ts';
import { ConfirmTargetModal } from './ConfirmTargetModal.tsx';

interface Props {
  /** The target asked about; null when the dialog is closed. */
  target: TargetView | null;
  onClose: () => void;
  onRolledBack: (result: TargetRollbackResult) => void;
}

/** A rollback puts the workload back on the certificate it had before, the one a rotation may be about to revoke. */
export function RollbackTargetModal({ target, onClose, onRolledBack }: Props) {
  const call = useCall();
  return (
    <ConfirmTargetModal
      target={target}
      onClose={onClose}
      title="Roll this target back?"
      testIdPrefix="delivery-rollback"
      confirmLabel="Roll back"
      failureTitle="The target was not rolled back"
      act={(t) => call('targets:rollback', { target: t.id })}
      onDone={onRolledBack}
    >
      {(t) => {
        const reload = t.spec.kind !== 'csr-inbox' ? t.spec.reload : null;
        return (
          <>
            <Text size="sm">
              <Code style={{ wordBreak: 'break-all' }}>{targetWhere(t.spec)}</Code> switches back to its previous release: the workload gets
              the certificate and key it had before this one.
            </Text>
            <Text size="sm">
              If that certificate is superseded or revoked, the workload stops getting tokens once the old credential is removed. Run
              rollback again to return to the release that is current now.
            </Text>
            {reload && (
              <Text size="sm" c="dimmed">
                Then runs the target&apos;s reload: <Code style={{ wordBreak: 'break-all' }}>{JSON.stringify(reload)}</Code>
              </Text>
            )}
          </>
        );
      }}
    </ConfirmTargetModal>
  );
}
