import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Failure, Result, TransferDecisionResult } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';

interface Props {
  /** The item's effect, shown so the operator knows what is refused; null: closed. */
  effect: string | null;
  /** Whether the reason travels back to the peer (a signer's refusals do). */
  travels: boolean;
  run: (reason: string) => Promise<Result<TransferDecisionResult>>;
  onDone: (result: TransferDecisionResult) => void;
  onClose: () => void;
}

/** Refusing needs a reason: it is recorded, audited and (from a signer) sent back in the next bundle. */
export function RefuseModal({ effect, travels, run, onDone, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focus = useFocusWhenIdle(form, busy);

  useEffect(() => {
    if (effect === null) return;
    setReason('');
    setReasonError(null);
    setFailure(null);
  }, [effect]);

  const submit = async () => {
    setFailure(null);
    if (reason.trim().length === 0) {
      setReasonError('Reason is required: say why this item is refused.');
      focus('refuse-reason');
      return;
    }
    setReasonError(null);
    setBusy(true);
    const result = await run(reason);
    setBusy(false);
    if (result.ok) return onDone(result.value);
    if (result.error.field === 'reason') {
      setReasonError(result.error.message);
      focus('refuse-reason');
    } else setFailure(result.error);
  };

  return (
    <GuardedModal opened={effect !== null} busy={busy} onClose={onClose} title="Refuse this item" testId="refuse-modal">
      <form
        ref={form}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">{effect}</Text>
          <Textarea
            label="Reason"
            description={
              travels ? 'Recorded in the audit log and sent back to the publisher in the next bundle.' : 'Recorded in the audit log.'
            }
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={reasonError}
            disabled={busy}
            autosize
            minRows={2}
            maxLength={2000}
            data-autofocus
            data-testid="refuse-reason"
          />
          {failure && (
            <ErrorAlert title="Not refused" code={failure.code} data-testid="refuse-error">
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy} data-testid="refuse-submit">
              Refuse
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
