import { Group, Paper, Skeleton, Table, Text } from '@mantine/core';
import { useRef } from 'react';
import type { AuditEntry } from '../../../../shared/contract/index.ts';
import { RowCopyButton } from '../../components/RowCopyButton.tsx';
import { formatDateTime } from '../../format/validity.ts';
import type { PagedList } from '../../state/use-paged-list.ts';
import { useVirtualRows } from '../../state/use-virtual-rows.ts';

const HEADER_HEIGHT = 40;
const ROW_HEIGHT = 44;
const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;
const COLUMNS: { label: string; width: string }[] = [
  { label: 'Seq', width: '80px' },
  { label: 'Time', width: '240px' },
  { label: 'Actor', width: '110px' },
  { label: 'Action', width: '170px' },
  { label: 'Subject id', width: '260px' },
  { label: 'Details', width: 'auto' },
];

/** Virtualized like the inventory: an audit log only grows, and every page is a few hundred entries. */
export function AuditTable({ list }: { list: PagedList<AuditEntry> }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = list.total ?? 0;
  const { items, paddingTop, paddingBottom } = useVirtualRows(scrollRef, total, ROW_HEIGHT, HEADER_HEIGHT, list.ensure);

  return (
    <Paper withBorder radius="md" style={{ flex: 1, minHeight: 240, display: 'flex', overflow: 'hidden' }}>
      <div ref={scrollRef} style={{ flex: 1, overflow: 'auto', overscrollBehavior: 'contain' }}>
        <Table
          layout="fixed"
          stickyHeader
          highlightOnHover
          miw={1000}
          aria-label="Audit log, newest first"
          aria-rowcount={total + 1}
          data-testid="audit-table"
        >
          <colgroup>
            {COLUMNS.map((column) => (
              <col key={column.label} style={{ width: column.width }} />
            ))}
          </colgroup>
          <Table.Thead style={{ zIndex: 2 }}>
            <Table.Tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
              {COLUMNS.map((column) => (
                <Table.Th key={column.label} scope="col">
                  {column.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {paddingTop > 0 && <Spacer height={paddingTop} />}
            {items.map((virtual) => {
              const entry = list.item(virtual.index);
              return entry ? (
                <AuditRow key={virtual.key} index={virtual.index} entry={entry} />
              ) : (
                <LoadingRow key={virtual.key} index={virtual.index} />
              );
            })}
            {paddingBottom > 0 && <Spacer height={paddingBottom} />}
          </Table.Tbody>
        </Table>
      </div>
    </Paper>
  );
}

function AuditRow({ index, entry }: { index: number; entry: AuditEntry }) {
  const details = JSON.stringify(entry.details);
  return (
    <Table.Tr
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
      data-testid="audit-row"
      data-seq={entry.seq}
      data-action={entry.action}
    >
      <Table.Td>
        <Text size="sm" ff="monospace">
          {entry.seq}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={ONE_LINE} title={entry.at}>
          {formatDateTime(entry.at)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={ONE_LINE} title={entry.actor}>
          {entry.actor}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500} ff="monospace" style={ONE_LINE} title={entry.action}>
          {entry.action}
        </Text>
      </Table.Td>
      <Table.Td>
        {entry.subjectId ? (
          <Group gap={2} wrap="nowrap">
            <Text size="sm" ff="monospace" style={ONE_LINE} title={entry.subjectId}>
              {entry.subjectId}
            </Text>
            <RowCopyButton value={entry.subjectId} label="subject id" />
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <Text size="xs" ff="monospace" c="dimmed" style={ONE_LINE} title={JSON.stringify(entry.details, null, 2)}>
            {details}
          </Text>
          <RowCopyButton value={JSON.stringify({ ...entry }, null, 2)} label={`entry ${entry.seq} as JSON`} />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function LoadingRow({ index }: { index: number }) {
  return (
    <Table.Tr aria-rowindex={index + 2} aria-busy style={{ height: ROW_HEIGHT }} data-testid="audit-row-loading">
      {COLUMNS.map((column) => (
        <Table.Td key={column.label}>
          <Skeleton height={12} width="60%" radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr aria-hidden style={{ height }}>
      <td colSpan={COLUMNS.length} style={{ padding: 0, border: 0 }} />
    </tr>
  );
}
