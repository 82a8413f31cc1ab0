import { Code, Text } from '@mantine/core';
import type { TargetView } from '../../../../../shared/contract/index.ts';
import { targetWhere } from '../../../format/delivery-target.ts';
import { useCall } from '../../../state/use-call.ts';
import { ConfirmTargetModal } from './ConfirmTargetModal.tsx';

interface Props {
  /** The target asked about; null when the dialog is closed. */
  target: TargetView | null;
  onClose: () => void;
  onRemoved: (removed: TargetView) => void;
}

/** Removing a target stops deliveries to it for the whole lineage. */
export function RemoveTargetModal({ target, onClose, onRemoved }: Props) {
  const call = useCall();
  return (
    <ConfirmTargetModal
      target={target}
      onClose={onClose}
      title="Remove this delivery target?"
      testIdPrefix="delivery-remove"
      confirmLabel="Remove target"
      failureTitle="The target was not removed"
      act={(t) => call('targets:remove', { target: t.id })}
      onDone={onRemoved}
    >
      {(t) => (
        <>
          <Text size="sm">
            The {t.kind} target <Code style={{ wordBreak: 'break-all' }}>{targetWhere(t.spec)}</Code> will receive no more deliveries, for
            this certificate and its renewals. The files already delivered stay where they are; its history is kept.
          </Text>
          {t.inheritedFrom && (
            <Text size="sm" c="dimmed">
              It was added to {t.inheritedFrom}, a predecessor of this certificate: it is removed for the whole lineage.
            </Text>
          )}
        </>
      )}
    </ConfirmTargetModal>
  );
}
