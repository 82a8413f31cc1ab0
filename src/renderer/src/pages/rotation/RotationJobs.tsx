import { Accordion, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { ROTATION_STEP_COUNT, type Failure, type RotationJobView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { atSignerRequest, STATE_META, stepViews } from './rotation-labels.ts';
import { AtSignerNotice } from './AtSignerNotice.tsx';
import { CutoffActions } from './CutoffActions.tsx';
import { RotationStepList } from './RotationStepList.tsx';
import { useRotationEvents } from './use-rotation-events.ts';
import { formatDateTime } from '../../format/validity.ts';

/** Recent rotation jobs, unfinished first: their journal, and Resume / Cancel where it applies. */
export function RotationJobs({ onChanged }: { onChanged: () => void }) {
  const call = useCall();
  const { data, failure: readFailure, reload } = useChannelQuery('rotation:list', {});
  const jobs = useMemo(() => data?.slice(0, 20) ?? null, [data]);
  const [actFailure, setActFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // Cancelling is not undone: a waiting job's new key is destroyed and its unsent request withdrawn.
  const [cancelling, setCancelling] = useState<RotationJobView | null>(null);
  const failure = actFailure ?? readFailure;

  // A job that settles elsewhere (the background resume, another window) shows up here.
  useRotationEvents((event) => {
    if (event.phase !== 'begin') void reload();
  });

  const act = async (job: RotationJobView, action: 'resume' | 'cancel') => {
    setBusy(job.id);
    const result = action === 'resume' ? await call('rotation:resume', { job: job.id }) : await call('rotation:cancel', { job: job.id });
    setBusy(null);
    setActFailure(result.ok ? null : result.error);
    void reload();
    onChanged();
  };

  if (!jobs || (jobs.length === 0 && !failure)) return null;
  return (
    <Paper withBorder radius="lg" p="md" data-testid="rotation-jobs">
      <Stack gap="xs">
        <Title order={3} size="h5">
          Rotations
        </Title>
        {failure && (
          <ErrorAlert title="Rotations" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Accordion variant="separated" chevronPosition="left">
          {jobs.map((job) => {
            const atSigner = atSignerRequest(job);
            return (
              <Accordion.Item
                key={job.id}
                value={job.id}
                data-testid="rotation-job"
                data-state={job.state}
                data-cert-id={job.certificateId}
              >
                <Group wrap="nowrap" pr="sm">
                  <Accordion.Control>
                    <Group gap="sm" wrap="nowrap">
                      <Badge color={STATE_META[job.state].color} variant="light" w={96}>
                        {STATE_META[job.state].label}
                      </Badge>
                      <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                        {job.subject}
                      </Text>
                      {atSigner && (
                        <Badge color="grape" variant="light" data-testid="rotation-at-signer">
                          At the signer
                        </Badge>
                      )}
                      {job.awaitingOperator && (
                        <Badge color="orange" variant="light" data-testid="rotation-awaiting-operator">
                          Needs you
                        </Badge>
                      )}
                      <Text size="xs" c="dimmed">
                        step {job.step}/{ROTATION_STEP_COUNT} · {formatDateTime(job.updatedAt)}
                      </Text>
                    </Group>
                  </Accordion.Control>
                  {(job.state === 'waiting' || job.state === 'failed') && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      leftSection={<IconPlayerPlay size={14} />}
                      loading={busy === job.id}
                      onClick={() => void act(job, 'resume')}
                      data-testid="rotation-resume"
                    >
                      Resume
                    </Button>
                  )}
                  {(job.state === 'waiting' || job.state === 'failed' || job.state === 'running') && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      leftSection={<IconPlayerStop size={14} />}
                      disabled={busy === job.id}
                      onClick={() => setCancelling(job)}
                      data-testid="rotation-cancel"
                    >
                      Cancel
                    </Button>
                  )}
                </Group>
                <Accordion.Panel>
                  <Stack gap="xs">
                    {atSigner && <AtSignerNotice requestId={atSigner} />}
                    {job.message && job.state !== 'done' && !job.awaitingOperator && !atSigner && (
                      <Text size="sm" c={job.state === 'failed' ? 'red' : undefined}>
                        {job.message}
                      </Text>
                    )}
                    <CutoffActions
                      job={job}
                      onChanged={() => {
                        void reload();
                        onChanged();
                      }}
                    />
                    <RotationStepList steps={stepViews(job.journal)} />
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      </Stack>
      <Modal
        opened={cancelling !== null}
        onClose={() => setCancelling(null)}
        title="Cancel this rotation?"
        data-testid="rotation-cancel-confirm"
      >
        <Stack gap="sm">
          <Text size="sm">
            The rotation of {cancelling?.subject} stops where it is and cannot be resumed. A new key made for it and not yet delivered is
            destroyed, and a request not yet carried to the signer is withdrawn. The current certificate stays in use; start a new rotation
            when you are ready.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelling(null)} data-autofocus data-testid="rotation-cancel-keep">
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => {
                const job = cancelling;
                setCancelling(null);
                if (job) void act(job, 'cancel');
              }}
              data-testid="rotation-cancel-go"
            >
              Cancel the rotation
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
