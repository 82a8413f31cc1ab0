import { Code, Modal, Stack, Table, Text } from '@mantine/core';
import type { AuditRow } from '../../../../shared/contract/index.ts';
import { auditDetailLines } from '../../../../shared/audit-details.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { formatDateTime } from '../../format/validity.ts';

/** One entry in full: every detail as `key: value`, nothing cut, and the hash that chains it. */
export function AuditEntryModal({ entry, onClose }: { entry: AuditRow | null; onClose: () => void }) {
  const lines = entry ? auditDetailLines(entry.details) : [];
  return (
    <Modal opened={entry !== null} onClose={onClose} size="lg" title={entry ? `Entry #${entry.seq}: ${entry.action}` : ''}>
      {entry && (
        <Stack gap="sm" data-testid="audit-entry" data-seq={entry.seq}>
          <Text size="sm">
            {formatDateTime(entry.at)} · {entry.actor}
            {entry.subject && <> · {entry.subject.label}</>}
          </Text>
          <Table withRowBorders={false} verticalSpacing={4} data-testid="audit-entry-details">
            <Table.Tbody>
              {lines.length === 0 && (
                <Table.Tr>
                  <Table.Td c="dimmed">No details recorded.</Table.Td>
                </Table.Tr>
              )}
              {lines.map((line) => (
                <Table.Tr key={line.key} data-testid="audit-entry-detail" data-key={line.key}>
                  <Table.Th w={180} style={{ verticalAlign: 'top' }}>
                    <Text size="sm" ff="monospace">
                      {line.key}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                      {line.value}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            Subject id <Code>{entry.subjectId ?? '—'}</Code> · hash <Code style={{ wordBreak: 'break-all' }}>{entry.hash}</Code>
          </Text>
          <CopyValueButton value={JSON.stringify(entry, null, 2)} label="entry as JSON" testId="audit-entry-copy" />
        </Stack>
      )}
    </Modal>
  );
}
