import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { TransferImportView } from '../../../../shared/contract/index.ts';

type Item = TransferImportView['items'][number];

const KIND_LABEL: Record<Item['kind'], string> = {
  'sign-request': 'Sign request',
  'revoke-request': 'Revoke request',
  'crl-request': 'CRL request',
  'issued-certificate': 'Issued certificate',
  'ca-certificate': 'CA certificate',
  crl: 'CRL',
  refusal: 'Refusal',
  'audit-entries': 'Audit entries',
};

const DECISION_COLOR: Record<Item['decision'], string> = { pending: 'yellow', approved: 'green', refused: 'red' };

/** `requestId` → "Request id": the review's detail names, readable. */
const detailLabel = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

interface Props {
  item: Item;
  busy: boolean;
  onApprove: () => void;
  onRefuse: () => void;
}

/** One staged item: what approving it does, everything the operator should check, and its decision. */
export function ReviewItemCard({ item, busy, onApprove, onRefuse }: Props) {
  const details = Object.entries(item.details);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="review-item"
      data-item-id={item.id}
      data-kind={item.kind}
      data-decision={item.decision}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs">
            <Badge variant="light">{KIND_LABEL[item.kind]}</Badge>
            <Badge color={DECISION_COLOR[item.decision]} variant="light" data-testid="review-item-decision">
              {item.decision}
            </Badge>
          </Group>
          {item.decision === 'pending' && (
            <Group gap="xs" wrap="nowrap">
              <Button
                size="xs"
                leftSection={<IconCheck size={16} aria-hidden />}
                onClick={onApprove}
                loading={busy}
                aria-label={`Approve: ${item.effect}`}
                data-testid="review-item-approve"
              >
                Approve
              </Button>
              <Button
                size="xs"
                color="red"
                variant="light"
                leftSection={<IconX size={16} aria-hidden />}
                onClick={onRefuse}
                disabled={busy}
                aria-label={`Refuse: ${item.effect}`}
                data-testid="review-item-refuse"
              >
                Refuse…
              </Button>
            </Group>
          )}
        </Group>
        <Text size="sm" fw={500} data-testid="review-item-effect">
          {item.effect}
        </Text>
        {details.length > 0 && (
          <Table withRowBorders={false} verticalSpacing={2} data-testid="review-item-details">
            <Table.Tbody>
              {details.map(([name, value]) => (
                <Table.Tr key={name} data-detail={name}>
                  <Table.Th w={160} fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
                    {detailLabel(name)}
                  </Table.Th>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {item.decision === 'refused' && item.reason && (
          <Text size="sm" c="red" data-testid="review-item-reason">
            Refused ({item.code ?? 'refused'}): {item.reason}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
