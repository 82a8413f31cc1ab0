import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Failure, TargetView } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { targetWhere } from '../../../format/delivery-target.ts';
import { useCall } from '../../../state/use-call.ts';

interface Props {
  /** The target asked about; null when the dialog is closed. */
  target: TargetView | null;
  onClose: () => void;
  onRemoved: (removed: TargetView) => void;
}

/**
 * Removing a target stops deliveries to it for the whole lineage, so the dialog names it and
 * Cancel has the focus: Enter right after opening keeps the target.
 */
export function RemoveTargetModal({ target, onClose, onRemoved }: Props) {
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const close = () => {
    setFailure(null);
    onClose();
  };
  const remove = async () => {
    if (!target) return;
    setBusy(true);
    setFailure(null);
    const result = await call('targets:remove', { target: target.id });
    setBusy(false);
    if (result.ok) {
      onRemoved(result.value);
      close();
    } else setFailure(result.error);
  };
  return (
    <GuardedModal
      opened={target !== null}
      busy={busy}
      onClose={close}
      title="Remove this delivery target?"
      testId="delivery-remove-dialog"
      contentAttributes={{ 'data-target-id': target?.id }}
    >
      {target && (
        <Stack>
          <Text size="sm">
            The {target.kind} target <Code style={{ wordBreak: 'break-all' }}>{targetWhere(target.spec)}</Code> will receive no more
            deliveries, for this certificate and its renewals. The files already delivered stay where they are; its history is kept.
          </Text>
          {target.inheritedFrom && (
            <Text size="sm" c="dimmed">
              It was added to {target.inheritedFrom}, a predecessor of this certificate: it is removed for the whole lineage.
            </Text>
          )}
          {failure && (
            <ErrorAlert title="The target was not removed" data-testid="delivery-remove-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy} data-autofocus data-testid="delivery-remove-cancel">
              Cancel
            </Button>
            <Button color="red" loading={busy} onClick={() => void remove()} data-testid="delivery-remove-confirm">
              Remove target
            </Button>
          </Group>
        </Stack>
      )}
    </GuardedModal>
  );
}
