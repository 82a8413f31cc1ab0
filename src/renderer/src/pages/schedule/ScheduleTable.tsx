import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangleFilled, IconInfoCircle, IconRotateClockwise2 } from '@tabler/icons-react';
import { useState, type KeyboardEvent } from 'react';
import type { AuthorityView, ScheduleEdgeFlag, ScheduleItem } from '../../../../shared/contract/index.ts';
import { DAYS_COLOR, relativeDays } from '../../format/relative-days.ts';
import { SCHEDULE_STATE_META, hasCascadeWarning, isCascadeWarning } from '../../format/schedule-state.ts';
import { formatDate } from '../../format/validity.ts';
import { ScheduleStateBadge } from './ScheduleStateBadge.tsx';

/** Rendered at first and added per "Show more": the most urgent are on top, and a long tail costs nothing until asked for. */
const PAGE = 100;
const countFormat = new Intl.NumberFormat();

interface Props {
  items: ScheduleItem[];
  /** For a CA's kind (root or issuing). */
  authorities: AuthorityView[];
  onOpen: (item: ScheduleItem) => void;
  /** One-click rotation of a certificate row. */
  onRotate?: (item: ScheduleItem) => void;
}

/** The schedule in the order `schedule:list` returns it: most urgent first, then by renewal time. */
export function ScheduleTable({ items, authorities, onOpen, onRotate }: Props) {
  const [shown, setShown] = useState(PAGE);
  const kinds = new Map(authorities.map((authority) => [authority.id, authority.kind]));
  const visible = items.slice(0, shown);

  return (
    <Stack gap="sm">
      {/* Fixed layout in shares of the width: at 1024 px every column fits its cell (long text truncates with a
          tooltip, dates and warnings wrap); only below ~700 px of table does the container scroll. */}
      <Table.ScrollContainer minWidth={700}>
        <Table
          layout="fixed"
          highlightOnHover
          verticalSpacing="sm"
          aria-label="Rotation schedule, most urgent first"
          data-testid="schedule-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="14%">State, kind</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th w="13%">Issuer</Table.Th>
              <Table.Th w="12%">Renew on</Table.Th>
              <Table.Th w="12%">Expires</Table.Th>
              <Table.Th w={onRotate ? '17%' : '22%'}>Warnings</Table.Th>
              {onRotate && <Table.Th w="12%">Rotate</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visible.map((item) => (
              <ScheduleRow
                key={`${item.kind}:${item.id}`}
                item={item}
                caKind={item.kind === 'ca' ? kinds.get(item.id) : undefined}
                onOpen={onOpen}
                onRotate={onRotate}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {items.length > shown && (
        <Group justify="center" gap="sm">
          <Text size="sm" c="dimmed">
            Showing {countFormat.format(shown)} of {countFormat.format(items.length)}, most urgent first.
          </Text>
          <Button variant="light" size="compact-sm" onClick={() => setShown((value) => value + PAGE * 5)} data-testid="schedule-show-more">
            Show {countFormat.format(Math.min(PAGE * 5, items.length - shown))} more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

interface RowProps {
  item: ScheduleItem;
  caKind: AuthorityView['kind'] | undefined;
  onOpen: (item: ScheduleItem) => void;
  onRotate: ((item: ScheduleItem) => void) | undefined;
}

function ScheduleRow({ item, caKind, onOpen, onRotate }: RowProps) {
  const renew = relativeDays(item.renewAt);
  const expires = relativeDays(item.notAfter);
  const cascade = hasCascadeWarning(item);
  const kind = item.kind === 'ca' ? (caKind === 'root' ? 'Root CA' : caKind === 'issuing' ? 'Issuing CA' : 'CA') : 'Certificate';

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(item);
    }
  };

  return (
    <Table.Tr
      tabIndex={0}
      aria-haspopup="dialog"
      aria-label={`${item.name}, ${kind}, ${SCHEDULE_STATE_META[item.state].label}. Renew ${renew.text}, expires ${formatDate(item.notAfter)}.${
        item.warnings.length > 0 ? ` ${item.warnings.length} warning${item.warnings.length === 1 ? '' : 's'}.` : ''
      } Press Enter for details.`}
      onClick={() => onOpen(item)}
      onKeyDown={onKeyDown}
      data-testid="schedule-row"
      data-schedule-state={item.state}
      data-schedule-kind={item.kind}
      data-schedule-name={item.name}
      data-schedule-id={item.id}
      data-cascade={cascade || undefined}
      data-edge-flag={item.edge?.flag ?? undefined}
      style={{
        cursor: 'pointer',
        // A CA expiring under what it signed is the one warning that takes every client down at once.
        ...(cascade ? { boxShadow: 'inset 4px 0 0 var(--mantine-color-red-6)', backgroundColor: 'var(--mantine-color-red-light)' } : {}),
      }}
    >
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <ScheduleStateBadge state={item.state} />
          <Badge
            variant="outline"
            color={item.kind === 'ca' ? (caKind === 'root' ? 'grape' : 'blue') : 'gray'}
            size="sm"
            tt="none"
            maw="100%"
            title={kind}
          >
            {kind}
          </Badge>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600} truncate="end" title={item.name}>
          {item.name}
        </Text>
        {item.profile && (
          <Text size="xs" c="dimmed" truncate="end" title={item.profile}>
            {item.profile}
          </Text>
        )}
        {item.edge?.flag && <EdgeFlag flag={item.edge.flag} lastSeen={item.edge.lastSeen} />}
        {item.credentials.map((c) => (
          <Text
            key={`${c.tenantName}:${c.clientId}`}
            size="xs"
            c="dimmed"
            style={{ overflowWrap: 'anywhere' }}
            data-testid="schedule-credential"
          >
            Auth0: {c.clientId} on {c.tenantName}
            {c.expiresAt ? `, expires_at ${formatDate(c.expiresAt)}` : ', not applied yet'}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        <Text size="sm" truncate="end" title={item.issuerName}>
          {item.kind === 'ca' && item.issuerName === item.name ? 'self-signed' : item.issuerName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={item.renewAt}>
          {formatDate(item.renewAt)}
        </Text>
        <Text size="xs" c={item.state === 'ok' ? 'dimmed' : DAYS_COLOR[renew.tone]} data-testid="schedule-renew-relative">
          {renew.text}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={item.notAfter}>
          {formatDate(item.notAfter)}
        </Text>
        <Text size="xs" c={DAYS_COLOR[expires.tone]}>
          {expires.text}
        </Text>
      </Table.Td>
      <Table.Td>
        {item.warnings.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Stack gap={4}>
            {item.warnings.map((warning) => (
              <Warning key={warning} text={warning} />
            ))}
          </Stack>
        )}
      </Table.Td>
      {onRotate && (
        <Table.Td>
          {item.kind === 'leaf' && item.trackingOnly && (
            <Text
              size="xs"
              c="dimmed"
              data-testid="schedule-rotate-unavailable"
              title="certdesk holds no key and no CA for it: renew it at the CA that issued it"
            >
              Imported for tracking only
            </Text>
          )}
          {item.kind === 'leaf' && !item.trackingOnly && (
            <Button
              size="compact-sm"
              variant={item.state === 'ok' ? 'subtle' : 'light'}
              leftSection={<IconRotateClockwise2 size={14} />}
              onClick={(event) => {
                event.stopPropagation();
                onRotate(item);
              }}
              onKeyDown={(event) => event.stopPropagation()}
              aria-label={`Rotate ${item.name}`}
              maw="100%"
              data-testid="schedule-rotate"
            >
              Rotate
            </Button>
          )}
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** What the edge's access log says: perhaps unused, or a workload still presenting a retired certificate. */
function EdgeFlag({ flag, lastSeen }: { flag: ScheduleEdgeFlag; lastSeen: string | null }) {
  return (
    <Badge
      variant="light"
      color={flag === 'still-presented' ? 'red' : 'yellow'}
      size="sm"
      tt="none"
      mt={4}
      maw="100%"
      title={lastSeen ? `Last seen at the edge ${lastSeen}` : 'Never seen at the edge'}
      data-testid="schedule-edge-flag"
      data-flag={flag}
    >
      {flag === 'still-presented' ? 'Still presented at the edge' : 'Never seen at the edge'}
    </Badge>
  );
}

function Warning({ text }: { text: string }) {
  const cascade = isCascadeWarning(text);
  const Icon = cascade ? IconAlertTriangleFilled : IconInfoCircle;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="schedule-warning" data-cascade={cascade}>
      <Icon
        size={16}
        aria-label={cascade ? 'CA expiry warning' : 'Note'}
        color={cascade ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-dimmed)'}
        style={{ flexShrink: 0, marginTop: 2 }}
      />
      <Text size="sm" c={cascade ? 'red' : undefined} fw={cascade ? 600 : undefined} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
        {text}
      </Text>
    </Group>
  );
}
