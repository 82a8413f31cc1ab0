import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import { useState } from 'react';
import type { Failure, Result, TransferDecisionResult, TransferImportView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { RefuseModal } from './RefuseModal.tsx';
import { ReviewItemCard } from './ReviewItemCard.tsx';

type Item = TransferImportView['items'][number];

interface Props {
  view: TransferImportView;
  onDecided: (result: TransferDecisionResult) => void;
}

/** One staged bundle: who made it, and every item with its effect, decided one by one or all at once. */
export function ImportReview({ view, onDecided }: Props) {
  const call = useCall();
  const [busyItem, setBusyItem] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [refusing, setRefusing] = useState<Item | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const pending = view.items.filter((i) => i.decision === 'pending');

  const approve = async (items: string[] | 'all') => {
    setFailure(null);
    setBusyItem(items === 'all' ? 'all' : items[0]!);
    const result = await call('transfer:approve', { import: view.id, items });
    setBusyItem(null);
    setConfirmAll(false);
    if (result.ok) onDecided(result.value);
    else setFailure(result.error);
  };

  const refuse = (item: Item, reason: string): Promise<Result<TransferDecisionResult>> =>
    call('transfer:refuse', { import: view.id, items: [item.id], reason });

  return (
    <Paper withBorder p="md" radius="md" data-testid="review-import" data-import-id={view.id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600}>
              Bundle {view.sequence} from the {view.creator.role}
            </Text>
            <Text size="xs" c="dimmed">
              Made {view.createdAt} by {view.creator.actor}, key {view.creator.keyFingerprint}; imported {view.importedAt} by{' '}
              {view.importedBy}. {pending.length} of {view.items.length} item(s) wait for a decision.
            </Text>
          </div>
          {pending.length > 0 && (
            <Button
              leftSection={<IconChecks size={18} aria-hidden />}
              onClick={() => setConfirmAll(true)}
              disabled={busyItem !== null}
              data-testid="review-approve-all"
            >
              Approve all ({pending.length})…
            </Button>
          )}
        </Group>
        {failure && (
          <ErrorAlert title="Not decided" code={failure.code} data-testid="review-error">
            {failure.message}
          </ErrorAlert>
        )}
        {view.items.map((item) => (
          <ReviewItemCard
            key={item.id}
            item={item}
            busy={busyItem === item.id || busyItem === 'all'}
            onApprove={() => void approve([item.id])}
            onRefuse={() => setRefusing(item)}
          />
        ))}
      </Stack>

      <GuardedModal
        opened={confirmAll}
        busy={busyItem === 'all'}
        onClose={() => setConfirmAll(false)}
        title="Approve every pending item?"
        testId="approve-all-modal"
      >
        <Stack>
          <Text size="sm">
            Each of these {pending.length} item(s) is applied now, one by one; an item that cannot be applied is refused with its reason.
          </Text>
          <Stack gap={4} component="ul" m={0} pl="md">
            {pending.map((item) => (
              <Text key={item.id} size="sm" component="li">
                {item.effect}
              </Text>
            ))}
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmAll(false)} disabled={busyItem === 'all'}>
              Cancel
            </Button>
            <Button onClick={() => void approve('all')} loading={busyItem === 'all'} data-autofocus data-testid="approve-all-confirm">
              Approve {pending.length} item(s)
            </Button>
          </Group>
        </Stack>
      </GuardedModal>

      <RefuseModal
        effect={refusing?.effect ?? null}
        travels={view.direction === 'to-signer'}
        run={(reason) => refuse(refusing!, reason)}
        onDone={(result) => {
          setRefusing(null);
          onDecided(result);
        }}
        onClose={() => setRefusing(null)}
      />
    </Paper>
  );
}
