import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconClockPlus, IconScissors } from '@tabler/icons-react';
import { useState } from 'react';
import { rotationStep, type Failure, type Result, type RotationJobView, type TenantView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { productionConfirmation } from './production-confirmation.ts';

const EXTEND_CHOICES = [
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
];

const NO_TENANTS: TenantView[] = [];

/** Whether a job waits to remove the old credential: the operator may force that, or move its deadline. */
export function waitsForCutoff(job: RotationJobView): boolean {
  return job.state === 'waiting' && job.step === rotationStep('verify');
}

/**
 * Force cut-off (after a confirmation, with production tenants typed again) and Extend, for a job
 * that waits for the edge's evidence that the workload switched.
 */
export function CutoffActions({ job, onChanged }: { job: RotationJobView; onChanged: (job: RotationJobView) => void }) {
  const call = useCall();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [extendBy, setExtendBy] = useState('3600');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const tenants = useChannelQuery('tenants:list', {}, { enabled: confirming }).data ?? NO_TENANTS;
  const { production, confirmed } = productionConfirmation(job.boundTenants, tenants, typed);
  if (!waitsForCutoff(job)) return null;

  const settle = (result: Result<RotationJobView>) => {
    setBusy(false);
    setFailure(result.ok ? null : result.error);
    if (result.ok) {
      setConfirming(false);
      setTyped('');
      onChanged(result.value);
    }
  };
  const force = async () => {
    setBusy(true);
    settle(await call('rotation:force-cutoff', { job: job.id, ...(production.length ? { confirm: typed } : {}) }));
  };
  const extend = async () => {
    setBusy(true);
    settle(await call('rotation:extend', { job: job.id, seconds: Number(extendBy) }));
  };

  return (
    <Stack gap="xs" data-testid="rotation-cutoff">
      {job.awaitingOperator && (
        <Alert color="yellow" variant="light" title="The overlap deadline passed without evidence" data-testid="rotation-evidence-wait">
          {job.message}
        </Alert>
      )}
      <Group gap="xs">
        <Button
          size="compact-sm"
          color="red"
          variant="light"
          leftSection={<IconScissors size={14} />}
          onClick={() => setConfirming(true)}
          disabled={busy}
          data-testid="rotation-force-cutoff"
        >
          Force cut-off
        </Button>
        {job.retireOn === 'evidence' && (
          <>
            <Select
              size="xs"
              w={130}
              data={EXTEND_CHOICES}
              value={extendBy}
              onChange={(v) => setExtendBy(v ?? '3600')}
              allowDeselect={false}
              aria-label="Extend the deadline by"
              data-testid="rotation-extend-by"
            />
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconClockPlus size={14} />}
              loading={busy && !confirming}
              onClick={() => void extend()}
              data-testid="rotation-extend"
            >
              Extend
            </Button>
          </>
        )}
      </Group>
      {failure && !confirming && (
        <ErrorAlert title="The rotation did not change" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Force the cut-off?" data-testid="rotation-force-confirm">
        <Stack gap="sm">
          <Text size="sm">
            The old credential is removed now and the old certificate revoked, whether or not the workload has switched
            {job.retireOn === 'evidence' ? ': the edge has not shown that it did' : ''}. A workload still presenting it stops getting
            tokens.
          </Text>
          {production.length > 0 && (
            <TextInput
              label={`Type ${production.join(', ')} to confirm`}
              description="A production tenant: the cut-off reaches live clients."
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="rotation-force-typed"
            />
          )}
          {failure && (
            <ErrorAlert title="The cut-off did not run" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={busy} data-autofocus data-testid="rotation-force-keep">
              Keep waiting
            </Button>
            <Button color="red" onClick={() => void force()} loading={busy} disabled={!confirmed} data-testid="rotation-force-go">
              Force cut-off
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
