import { Button, Group, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Failure, Result, TargetView } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';

interface Props<T> {
  /** The target asked about; null when the dialog is closed. */
  target: TargetView | null;
  onClose: () => void;
  title: string;
  /** `delivery-remove` → delivery-remove-dialog, -cancel, -confirm, -error. */
  testIdPrefix: string;
  confirmLabel: string;
  failureTitle: string;
  act: (target: TargetView) => Promise<Result<T>>;
  onDone: (value: T) => void;
  /** What the action does to this target, above the buttons. */
  children: (target: TargetView) => ReactNode;
}

/**
 * A destructive action on one delivery target: the dialog names it, Cancel has the focus (Enter right
 * after opening changes nothing), and a refusal stays in the dialog beside the buttons.
 */
export function ConfirmTargetModal<T>({
  target,
  onClose,
  title,
  testIdPrefix,
  confirmLabel,
  failureTitle,
  act,
  onDone,
  children,
}: Props<T>) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const close = () => {
    setFailure(null);
    onClose();
  };
  const confirm = async () => {
    if (!target) return;
    setBusy(true);
    setFailure(null);
    const result = await act(target);
    setBusy(false);
    if (result.ok) {
      onDone(result.value);
      close();
    } else setFailure(result.error);
  };
  return (
    <GuardedModal
      opened={target !== null}
      busy={busy}
      onClose={close}
      title={title}
      testId={`${testIdPrefix}-dialog`}
      contentAttributes={{ 'data-target-id': target?.id }}
    >
      {target && (
        <Stack>
          {children(target)}
          {failure && (
            <ErrorAlert title={failureTitle} data-testid={`${testIdPrefix}-error`} code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy} data-autofocus data-testid={`${testIdPrefix}-cancel`}>
              Cancel
            </Button>
            <Button color="red" loading={busy} onClick={() => void confirm()} data-testid={`${testIdPrefix}-confirm`}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </GuardedModal>
  );
}
