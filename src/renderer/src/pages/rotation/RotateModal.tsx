import { Alert, Badge, Button, Group, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconRotateClockwise2 } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  isPastVerification,
  NO_DELIVERY_TARGET,
  ROTATION_WAIT,
  type Failure,
  type RotationJobView,
  type ScheduleItem,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { OVERLAP_CHOICES, STATE_META, stepViews } from './rotation-labels.ts';
import { VerifySwitch } from './VerifySwitch.tsx';
import { CutoffActions } from './CutoffActions.tsx';
import { RotationStepList } from './RotationStepList.tsx';
import { useRotationEvents } from './use-rotation-events.ts';
import { productionConfirmation } from './production-confirmation.ts';
import { formatDateTime } from '../../format/validity.ts';
import { humanDuration } from '../../../../shared/duration.ts';

interface Props {
  /** The certificate to rotate (a schedule row); null when closed. */
  item: ScheduleItem | null;
  opened: boolean;
  onClose: () => void;
  /** A job ran (whatever its outcome): the schedule and the jobs list refresh. */
  onRotated: (job: RotationJobView) => void;
}

interface Values {
  keyChoice: 'new' | 'same';
  /** Seconds, as the Select's value. */
  overlap: string;
  verify: boolean;
  /** The production tenants' names, typed to confirm. */
  confirm: string;
}

const NO_TENANTS: TenantView[] = [];

/** One-click rotation of one certificate, with its steps shown as they happen. */
export function RotateModal({ item, opened, onClose, onRotated }: Props) {
  const call = useCall();
  // No checks of its own: Rotate stays disabled until every production tenant is typed.
  const form = useForm<Values>({ mode: 'controlled', initialValues: { keyChoice: 'new', overlap: '86400', verify: true, confirm: '' } });
  const { keyChoice, overlap, verify, confirm } = form.getValues();
  const tenants = useChannelQuery('tenants:list', {}, { enabled: opened }).data ?? NO_TENANTS;
  const preview = useChannelQuery('rotation:preview', { cert: item?.id ?? '' }, { enabled: opened && item !== null }).data;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [job, setJob] = useState<RotationJobView | null>(null);
  const [live, setLive] = useState<{ step: number; phase: RotationJobView['journal'][number]['phase']; detail: string }[]>([]);

  useRotationEvents((event) => {
    if (!busy || !item || event.certificateId !== item.id) return;
    setLive((current) => [...current, { step: event.step, phase: event.phase, detail: event.detail }]);
  });

  const { production, confirmed } = productionConfirmation(
    (item?.credentials ?? []).map((c) => c.tenantName),
    tenants,
    confirm,
  );

  const reset = () => {
    setJob(null);
    setLive([]);
    setFailure(null);
    form.setFieldValue('confirm', '');
  };
  const close = () => {
    reset();
    onClose();
  };

  const start = async () => {
    if (!item || !confirmed) return;
    setFailure(null);
    setJob(null);
    setLive([]);
    setBusy(true);
    const result = await call('rotation:start', {
      cert: item.id,
      overlapSeconds: Number(overlap),
      verify,
      ...(keyChoice === 'same' ? { sameKey: true } : {}),
      ...(production.length ? { confirm } : {}),
    });
    setBusy(false);
    if (result.ok) {
      setJob(result.value);
      onRotated(result.value);
    } else setFailure(result.error);
  };

  const steps = stepViews(job ? job.journal : live);
  const bound = item?.credentials ?? [];

  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={close}
      title="Rotate this certificate"
      testId="rotate-dialog"
      size="lg"
      contentAttributes={{ 'data-cert-id': item?.id }}
    >
      <Stack gap="md">
        <div>
          <Text fw={600}>{item?.name}</Text>
          <Text size="sm" c="dimmed">
            {bound.length === 0
              ? 'Bound to no Auth0 application: the successor is issued and the edge updated; nothing changes at Auth0.'
              : `Bound to ${bound.map((c) => `${c.clientId} on ${c.tenantName}`).join(', ')}. The application keeps a working credential throughout.`}
          </Text>
        </div>
        {!job && preview && (
          <Stack gap={4} data-testid="rotate-preview">
            <Text size="sm" data-testid="rotate-delivery-note">
              {preview.csrInbox
                ? `The workload keeps its key: the rotation waits for its new CSR in ${preview.csrInbox}, then answers it in issued/.`
                : preview.deliveryTargets === 0
                  ? `${NO_DELIVERY_TARGET[0]!.toUpperCase()}${NO_DELIVERY_TARGET.slice(1)}, before the old credential is removed.`
                  : `The successor is delivered to ${preview.deliveryTargets} target${preview.deliveryTargets === 1 ? '' : 's'} before anything changes at Auth0.`}
            </Text>
            <Text size="sm" c="dimmed" data-testid="rotate-evidence-note">
              {preview.retireOn === 'evidence'
                ? `The old credential is removed once the edge sees the workload use the successor and the old certificate unused for ${humanDuration(preview.quietSeconds)}; the overlap is the deadline, past which certdesk asks you.`
                : `${ROTATION_WAIT.noEvidence[0]!.toUpperCase()}${ROTATION_WAIT.noEvidence.slice(1)}.`}
            </Text>
          </Stack>
        )}
        {!job && (
          <>
            <Radio.Group label="Key" {...form.getInputProps('keyChoice')}>
              <Group mt={4}>
                <Radio value="new" label="New key (re-key, recommended)" disabled={busy} />
                <Radio value="same" label="Same key (re-certify)" disabled={busy} />
              </Group>
            </Radio.Group>
            <Select
              label="Overlap"
              description="Both credentials stay bound this long, so clients can switch, before the old one is removed."
              data={OVERLAP_CHOICES}
              value={overlap}
              onChange={(v) => form.setFieldValue('overlap', v ?? '86400')}
              allowDeselect={false}
              disabled={busy}
              data-testid="rotate-overlap"
            />
            <VerifySwitch
              label="Verify with a real token before removing the old credential"
              verify={verify}
              onChange={(value) => form.setFieldValue('verify', value)}
              overlap={overlap}
              disabled={busy}
              testId="rotate-verify"
            />
            {production.length > 0 && (
              <TextInput
                label={`Type ${production.join(', ')} to confirm`}
                description="A production tenant: the rotation reaches live clients."
                {...form.getInputProps('confirm')}
                disabled={busy}
                autoComplete="off"
                spellCheck={false}
                data-testid="rotate-confirm"
              />
            )}
          </>
        )}
        {(busy || job || live.length > 0) && <RotationStepList steps={steps} />}
        {failure && (
          <ErrorAlert title="The rotation did not start" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        {job && (
          <Alert
            color={STATE_META[job.state].color}
            variant="light"
            data-testid="rotation-outcome"
            data-state={job.state}
            title={
              <Group gap="xs">
                Rotation <Badge color={STATE_META[job.state].color}>{STATE_META[job.state].label}</Badge>
              </Group>
            }
          >
            {job.state === 'done' &&
              'The successor is bound and verified, the old credential removed and the old certificate revoked as superseded.'}
            {job.state === 'waiting' &&
              (job.awaitingOperator
                ? 'Verified, but the overlap deadline passed without evidence that the workload switched.'
                : job.overlapUntil && isPastVerification(job)
                  ? job.retireOn === 'evidence'
                    ? `Verified. The old credential is removed once the edge shows the workload switched, by ${formatDateTime(job.overlapUntil)} at the latest; certdesk resumes the job by itself.`
                    : `Verified. The old credential is removed after ${formatDateTime(job.overlapUntil)}; certdesk resumes the job by itself.`
                  : job.message)}
            {(job.state === 'failed' || job.state === 'cancelled') && job.message}
          </Alert>
        )}
        {job && (
          <CutoffActions
            job={job}
            onChanged={(next) => {
              setJob(next);
              onRotated(next);
            }}
          />
        )}
        <Group justify="flex-end">
          {job ? (
            <Button onClick={close} data-autofocus>
              Close
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button
                leftSection={<IconRotateClockwise2 size={18} />}
                onClick={() => void start()}
                loading={busy}
                disabled={!confirmed}
                data-testid="rotate-start"
              >
                Rotate
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </GuardedModal>
  );
}
