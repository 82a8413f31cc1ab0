import { Alert, Badge, Button, Group, NumberInput, Progress, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlayerStop, IconRotateClockwise2 } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  isLastStep,
  rotationStepName,
  type BulkRotationSummary,
  type Failure,
  type RotationState,
  type ScheduleItem,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { OVERLAP_CHOICES, STATE_META, STEP_LABEL } from './rotation-labels.ts';
import { useRotationEvents } from './use-rotation-events.ts';
import { VerifySwitch } from './VerifySwitch.tsx';
import { productionConfirmation } from './production-confirmation.ts';

interface Props {
  /** The due and overdue certificates the schedule shows. */
  due: ScheduleItem[];
  opened: boolean;
  onClose: () => void;
  onFinished: () => void;
}

interface ItemProgress {
  step: number;
  state: RotationState;
  detail: string;
}

interface Values {
  /** As the NumberInput holds it: a number, or the text while it is not one. */
  concurrency: number | string;
  /** Seconds, as the Select's value. */
  overlap: string;
  verify: boolean;
  /** The production tenants' names, typed to confirm. */
  confirm: string;
}

const NO_TENANTS: TenantView[] = [];

/** "Rotate all due": bounded concurrency, a progress bar, per-certificate status, cancel, and a summary. */
export function RotateAllModal({ due: dueNow, opened, onClose, onFinished }: Props) {
  const call = useCall();
  // What was due when the run started: the schedule refreshes underneath as certificates are rotated.
  const [started, setStarted] = useState<ScheduleItem[] | null>(null);
  const due = started ?? dueNow;
  // No checks of its own: Rotate stays disabled until every production tenant is typed; a bad concurrency falls back to 4.
  const form = useForm<Values>({ mode: 'controlled', initialValues: { concurrency: 4, overlap: '86400', verify: true, confirm: '' } });
  const { concurrency, overlap, verify, confirm } = form.getValues();
  const tenants = useChannelQuery('tenants:list', {}, { enabled: opened }).data ?? NO_TENANTS;
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [batchId, setBatchId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, ItemProgress>>({});
  const [summary, setSummary] = useState<BulkRotationSummary | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  useRotationEvents((event) => {
    if (!busy || event.batchId === null) return;
    setBatchId((current) => current ?? event.batchId);
    setProgress((current) => {
      const finished =
        event.state === 'cancelled'
          ? 'cancelled'
          : event.phase === 'fail'
            ? 'failed'
            : isLastStep(event.step) && event.phase === 'end'
              ? 'done'
              : event.phase === 'wait'
                ? 'waiting'
                : 'running';
      return { ...current, [event.certificateId]: { step: event.step, state: finished, detail: event.detail } };
    });
  });

  const { production, confirmed } = productionConfirmation(
    due.flatMap((i) => i.credentials.map((c) => c.tenantName)),
    tenants,
    confirm,
  );
  const settled = Object.values(progress).filter((p) => p.state !== 'running').length;
  const percent = due.length ? Math.round((settled / due.length) * 100) : 0;

  const close = () => {
    setStarted(null);
    setSummary(null);
    setProgress({});
    setBatchId(null);
    setFailure(null);
    form.setFieldValue('confirm', '');
    onClose();
  };

  const start = async () => {
    setFailure(null);
    setSummary(null);
    setProgress({});
    setBatchId(null);
    setStarted(dueNow);
    setBusy(true);
    const result = await call('rotation:bulk', {
      concurrency: Number(concurrency) || 4,
      overlapSeconds: Number(overlap),
      verify,
      ...(production.length ? { confirm } : {}),
    });
    setBusy(false);
    setCancelling(false);
    if (result.ok) setSummary(result.value);
    else setFailure(result.error);
    onFinished();
  };

  const cancel = async () => {
    if (!batchId) return;
    setCancelling(true);
    const result = await call('rotation:cancel', { batch: batchId });
    if (!result.ok) setFailure(result.error);
  };

  const rows = due.map((item) => {
    const job = summary?.jobs.find((j) => j.certificateId === item.id);
    const skipped = summary?.skipped.find((s) => s.certificateId === item.id);
    const live = progress[item.id];
    const state: RotationState | 'skipped' | 'queued' = job?.state ?? (skipped ? 'skipped' : (live?.state ?? 'queued'));
    const detail =
      skipped?.reason ?? job?.message ?? (live && live.step > 0 ? `Step ${live.step}: ${STEP_LABEL[rotationStepName(live.step)]}` : '');
    return { item, state, detail };
  });

  return (
    <GuardedModal opened={opened} busy={busy} onClose={close} title={`Rotate all due (${due.length})`} testId="rotate-all-dialog" size="lg">
      <Stack gap="md">
        {!busy && !summary && (
          <>
            <Text size="sm" c="dimmed">
              Every due or overdue certificate is rotated as its own journaled job. A few run at a time; Auth0 calls stay within each
              tenant’s rate limit.
            </Text>
            <Group grow align="flex-start">
              <NumberInput
                label="At a time"
                min={1}
                max={16}
                allowDecimal={false}
                {...form.getInputProps('concurrency')}
                data-testid="rotate-all-concurrency"
              />
              <Select
                label="Overlap"
                data={OVERLAP_CHOICES}
                value={overlap}
                onChange={(v) => form.setFieldValue('overlap', v ?? '86400')}
                allowDeselect={false}
                data-testid="rotate-all-overlap"
              />
            </Group>
            <VerifySwitch
              label="Verify each new certificate with a real token"
              verify={verify}
              onChange={(value) => form.setFieldValue('verify', value)}
              overlap={overlap}
              testId="rotate-all-verify"
            />
            {production.length > 0 && (
              <TextInput
                label={`Type ${production.join(', ')} to confirm`}
                description="Production tenants are involved."
                {...form.getInputProps('confirm')}
                autoComplete="off"
                spellCheck={false}
                data-testid="rotate-all-confirm"
              />
            )}
          </>
        )}
        {(busy || summary) && (
          <Stack gap={4}>
            <Progress
              value={summary ? 100 : Math.max(percent, 3)}
              animated={busy}
              striped={busy}
              aria-label={`${settled} of ${due.length} finished`}
              data-testid="rotate-all-progress"
            />
            <Text size="xs" c="dimmed" aria-live="polite">
              {summary ? 'Finished.' : `${settled} of ${due.length} finished${cancelling ? ' — cancelling after the current steps…' : ''}`}
            </Text>
          </Stack>
        )}
        {(busy || summary) && (
          <Table verticalSpacing={4} data-testid="rotate-all-items">
            <Table.Tbody>
              {rows.map(({ item, state, detail }) => (
                <Table.Tr key={item.id} data-testid="rotate-all-item" data-state={state} data-cert-id={item.id}>
                  <Table.Td w={110}>
                    <Badge color={state === 'skipped' || state === 'queued' ? 'gray' : STATE_META[state].color} variant="light">
                      {state === 'skipped' ? 'Not started' : state === 'queued' ? 'Queued' : STATE_META[state].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {item.name}
                    </Text>
                    {detail && (
                      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                        {detail}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {summary && (
          <Alert
            color={summary.failed ? 'red' : summary.cancelled ? 'gray' : 'teal'}
            variant="light"
            data-testid="rotate-all-summary"
            data-done={summary.done}
            data-failed={summary.failed}
          >
            {summary.done} done, {summary.waiting} waiting, {summary.failed} stopped, {summary.cancelled} cancelled,{' '}
            {summary.skipped.length} not started (of {summary.total}).
          </Alert>
        )}
        {failure && (
          <ErrorAlert title="Bulk rotation" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Group justify="flex-end">
          {busy ? (
            <Button
              color="red"
              variant="light"
              leftSection={<IconPlayerStop size={18} />}
              onClick={() => void cancel()}
              disabled={!batchId || cancelling}
              data-testid="rotate-all-cancel"
            >
              Cancel the rest
            </Button>
          ) : summary ? (
            <Button onClick={close} data-autofocus>
              Close
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                leftSection={<IconRotateClockwise2 size={18} />}
                onClick={() => void start()}
                disabled={!confirmed || due.length === 0}
                data-testid="rotate-all-start"
              >
                Rotate {due.length}
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </GuardedModal>
  );
}
