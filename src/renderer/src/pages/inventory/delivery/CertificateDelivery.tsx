import { Alert, Button, Code, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconTruckDelivery } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { CertificateDetail, DeliverResult, Failure, TargetRollbackResult, TargetView } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { targetWhere } from '../../../format/delivery-target.ts';
import { useCall } from '../../../state/use-call.ts';
import { useChannelQuery } from '../../../state/use-channel-query.ts';
import { AddTargetButton, AddTargetOutcome } from './AddTarget.tsx';
import { DeliveryHistory } from './DeliveryHistory.tsx';
import { RemoveTargetModal } from './RemoveTargetModal.tsx';
import { RollbackOutcome } from './RollbackOutcome.tsx';
import { RollbackTargetModal } from './RollbackTargetModal.tsx';
import { TargetRow } from './TargetRow.tsx';
import { useAddTarget } from './use-add-target.ts';

/** How many attempts the panel shows; the CLI's `certdesk target history` has them all. */
const HISTORY_LIMIT = 10;

interface Props {
  certificate: CertificateDetail;
}

/** Where this certificate goes so the workload picks it up: its targets (its own and inherited), delivery, and the attempts so far. */
export function CertificateDelivery({ certificate }: Props) {
  const call = useCall();
  const targets = useChannelQuery('targets:list', { cert: certificate.id });
  const history = useChannelQuery('targets:history', { cert: certificate.id, limit: HISTORY_LIMIT });
  // The host's word on whether it has a native folder dialog: web mode has none, so it shows the CLI command instead.
  const edgeConfig = useChannelQuery('edge:config-show', {});
  const canChooseFolder = edgeConfig.data?.canChooseFolder ?? false;
  const [removing, setRemoving] = useState<TargetView | null>(null);
  const [rollingBack, setRollingBack] = useState<TargetView | null>(null);
  const [rolledBack, setRolledBack] = useState<TargetRollbackResult | null>(null);
  const [delivering, setDelivering] = useState(false);
  const [delivered, setDelivered] = useState<DeliverResult | null>(null);
  const [deliverFailure, setDeliverFailure] = useState<Failure | null>(null);
  const { reload: reloadTargets } = targets;
  const { reload: reloadHistory } = history;
  const refresh = useCallback(() => Promise.all([reloadTargets(), reloadHistory()]), [reloadTargets, reloadHistory]);
  const add = useAddTarget({ certificateId: certificate.id, canChooseFolder, onAdded: () => void refresh() });

  const deliver = async () => {
    setDelivering(true);
    setDelivered(null);
    setRolledBack(null);
    setDeliverFailure(null);
    const result = await call('certs:deliver', { cert: certificate.id });
    setDelivering(false);
    if (result.ok) setDelivered(result.value);
    else setDeliverFailure(result.error);
    // A failed attempt is recorded too: the history and the targets' last delivery show it.
    void refresh();
  };

  const list = targets.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="cert-delivery" data-count={targets.data?.length}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            Delivery targets
          </Title>
          <Group gap="xs" wrap="nowrap">
            <AddTargetButton state={add} canChooseFolder={canChooseFolder} />
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconTruckDelivery size={14} />}
              onClick={() => void deliver()}
              loading={delivering}
              disabled={list.length === 0}
              aria-label={`Deliver ${certificate.commonName ?? certificate.subject} to its targets now`}
              data-testid="cert-deliver"
            >
              Deliver now
            </Button>
          </Group>
        </Group>
        <AddTargetOutcome certificateId={certificate.id} state={add} />
        {delivering && (
          <Group gap="xs" data-testid="cert-deliver-progress" role="status">
            <Loader size="xs" />
            <Text size="sm">
              Delivering serial {certificate.serialHex} to {list.length} target{list.length === 1 ? '' : 's'}…
            </Text>
          </Group>
        )}
        {delivered && <DeliverOutcome result={delivered} targets={list} />}
        {rolledBack && <RollbackOutcome result={rolledBack} />}
        {deliverFailure && (
          <ErrorAlert title="The delivery failed" data-testid="cert-deliver-error" code={deliverFailure.code}>
            {deliverFailure.message}
          </ErrorAlert>
        )}
        {targets.failure && !targets.data && (
          <ErrorAlert title="The targets could not be loaded" data-testid="delivery-targets-error" code={targets.failure.code}>
            {targets.failure.message}
          </ErrorAlert>
        )}
        {targets.data && list.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="delivery-targets-empty">
            No delivery targets: the workload gets this certificate only by hand (Export). Add a target to deliver it, and its renewals,
            automatically.
          </Text>
        )}
        {list.map((target) => (
          <TargetRow key={target.id} target={target} onRemove={setRemoving} onRollback={setRollingBack} />
        ))}
        <DeliveryHistory records={history.data ?? null} targets={list} failure={history.failure?.message ?? null} />
      </Stack>
      <RemoveTargetModal target={removing} onClose={() => setRemoving(null)} onRemoved={() => void refresh()} />
      <RollbackTargetModal
        target={rollingBack}
        onClose={() => setRollingBack(null)}
        onRolledBack={(result) => {
          setDelivered(null);
          setRolledBack(result);
          void refresh();
        }}
      />
    </Paper>
  );
}

/** What "Deliver now" did: per target, the release written (or why it was skipped). */
function DeliverOutcome({ result, targets }: { result: DeliverResult; targets: TargetView[] }) {
  const where = (id: string) => {
    const target = targets.find((t) => t.id === id);
    return target ? targetWhere(target.spec) : id;
  };
  return (
    <Alert
      color={result.outcome === 'done' ? 'teal' : 'gray'}
      variant="light"
      title={result.outcome === 'done' ? 'Delivered' : 'Nothing to deliver'}
      data-testid="cert-deliver-result"
      data-outcome={result.outcome}
      role="status"
    >
      <Stack gap={4}>
        <Text size="sm">{result.detail}</Text>
        {result.deliveries.map((d) => (
          <Text key={d.id} size="xs" data-testid="cert-deliver-release" data-status={d.status} data-release-id={d.releaseId ?? undefined}>
            {d.status} · <Code style={{ wordBreak: 'break-all' }}>{where(d.targetId)}</Code>
            {d.releaseId ? (
              <>
                {' '}
                · release <Code>{d.releaseId}</Code>
              </>
            ) : null}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
