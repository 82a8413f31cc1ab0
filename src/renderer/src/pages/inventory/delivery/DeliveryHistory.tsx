import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { DeliveryRecord, TargetView } from '../../../../../shared/contract/index.ts';
import { DELIVERY_STATUS_COLORS, targetWhere } from '../../../format/delivery-target.ts';
import { formatDateTime } from '../../../format/validity.ts';
import { TruncatedText } from './TruncatedText.tsx';

interface Props {
  records: DeliveryRecord[] | null;
  /** Every target the history may name, removed ones included, to show where rather than an id. */
  targets: TargetView[];
  failure: string | null;
}

/** The last delivery attempts for this certificate, newest first: done, skipped (already current) or failed, and why. */
export function DeliveryHistory({ records, targets, failure }: Props) {
  const where = (id: string) => {
    const target = targets.find((t) => t.id === id);
    return target ? targetWhere(target.spec) : id;
  };
  return (
    <Stack gap={6} data-testid="delivery-history" data-count={records?.length}>
      <Title order={4} size="h6">
        Delivery history
      </Title>
      {failure && (
        <Text size="sm" c="red" data-testid="delivery-history-error">
          {failure}
        </Text>
      )}
      {records && records.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="delivery-history-empty">
          No delivery attempts yet.
        </Text>
      )}
      {records?.map((record) => (
        <Stack
          key={record.id}
          gap={2}
          data-testid="delivery-history-row"
          data-status={record.status}
          data-target-id={record.targetId}
          data-serial={record.serialHex}
          data-release-id={record.releaseId ?? undefined}
        >
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge size="sm" variant="light" color={DELIVERY_STATUS_COLORS[record.status]} style={{ flex: 'none' }}>
              {record.status}
            </Badge>
            <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
              {formatDateTime(record.at)}
            </Text>
            <TruncatedText value={where(record.targetId)} size="xs" testId="delivery-history-where" />
          </Group>
          <Text size="xs" style={{ wordBreak: 'break-word' }} data-testid="delivery-history-detail">
            serial {record.serialHex}
            {record.releaseId ? `, release ${record.releaseId}` : ''}: {record.detail}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}
