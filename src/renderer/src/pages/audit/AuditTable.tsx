import { ActionIcon, Anchor, Group, Paper, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useRef } from 'react';
import type { AuditRow as AuditRowData, AuditSubject } from '../../../../shared/contract/index.ts';
import { auditDetailLines } from '../../../../shared/audit-details.ts';
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
  { label: 'Subject', width: '260px' },
  { label: 'Details', width: 'auto' },
];

interface Props {
  list: PagedList<AuditRowData>;
  /** Opens what the row concerns: the certificate's or the CA's drawer. */
  onOpenSubject: (subject: AuditSubject) => void;
  /** Shows the entry in full. */
  onOpenEntry: (entry: AuditRowData) => void;
}

/** Virtualized like the inventory: an audit log only grows, and every page is a few hundred entries. */
export function AuditTable({ list, onOpenSubject, onOpenEntry }: Props) {
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
                <AuditRow key={virtual.key} index={virtual.index} entry={entry} onOpenSubject={onOpenSubject} onOpenEntry={onOpenEntry} />
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

function AuditRow({
  index,
  entry,
  onOpenSubject,
  onOpenEntry,
}: { index: number; entry: AuditRowData } & Pick<Props, 'onOpenSubject' | 'onOpenEntry'>) {
  const details = auditDetailLines(entry.details)
    .map((line) => `${line.key}: ${line.value}`)
    .join(' · ');
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
        {entry.subject ? (
          <Group gap={2} wrap="nowrap">
            <SubjectName subject={entry.subject} onOpen={onOpenSubject} />
            <RowCopyButton value={entry.subject.id} label="subject id" />
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <Text size="xs" ff="monospace" c="dimmed" style={{ ...ONE_LINE, flex: 1 }} title={details} data-testid="audit-row-details">
            {details || '—'}
          </Text>
          <Tooltip label="Show every detail" withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={`Show entry ${entry.seq} in full`}
              onClick={() => onOpenEntry(entry)}
              data-testid="audit-row-open"
            >
              <IconListDetails size={16} />
            </ActionIcon>
          </Tooltip>
          <RowCopyButton value={JSON.stringify({ ...entry }, null, 2)} label={`entry ${entry.seq} as JSON`} />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The subject by name; a certificate or CA opens its drawer. */
function SubjectName({ subject, onOpen }: { subject: AuditSubject; onOpen: (subject: AuditSubject) => void }) {
  const kind = subject.kind ?? 'removed or not stored';
  const title = `${subject.label} (${kind}; id ${subject.id})`;
  if (subject.certificateId || subject.caId)
    return (
      <Anchor
        component="button"
        type="button"
        size="sm"
        style={{ ...ONE_LINE, textAlign: 'left', minWidth: 0 }}
        title={title}
        onClick={() => onOpen(subject)}
        data-testid="audit-subject-link"
        data-kind={subject.kind ?? ''}
      >
        {subject.label}
      </Anchor>
    );
  return (
    <Text size="sm" style={ONE_LINE} title={title} data-testid="audit-subject" data-kind={subject.kind ?? ''}>
      {subject.label}
    </Text>
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
