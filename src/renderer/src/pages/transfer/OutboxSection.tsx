import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconPackageExport } from '@tabler/icons-react';
import { useState } from 'react';
import type { Failure, TransferExportAgainView, TransferExportView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadBase64 } from '../../format/download.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';

const NO_INPUT = {};

/**
 * What the next bundle carries (a publisher's requests, a signer's answers) and its export: signed
 * under the next sequence and saved as a download (web) or where the desktop app's save dialog says.
 */
export function OutboxSection() {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const outbox = useChannelQuery('transfer:outbox', NO_INPUT);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [exported, setExported] = useState<TransferExportView | null>(null);
  const [again, setAgain] = useState<TransferExportAgainView | null>(null);

  // The items of an exported bundle count as sent: a download lost on the way is written again, never re-queued.
  const exportAgain = async () => {
    setFailure(null);
    setExported(null);
    setAgain(null);
    setBusy(true);
    const result = await call('transfer:export-again', {});
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    if (result.value.contentBase64) downloadBase64(result.value.filename, result.value.contentBase64);
    setAgain(result.value);
  };

  const exportBundle = async () => {
    setFailure(null);
    setAgain(null);
    setExported(null);
    setBusy(true);
    const result = await call('transfer:export', {});
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    if (result.value.contentBase64) downloadBase64(result.value.filename, result.value.contentBase64);
    setExported(result.value);
    await invalidate('transfer:outbox');
  };

  const view = outbox.data;
  const peer = view?.role === 'publisher' ? 'signer' : 'publisher';
  const count = view?.items.length ?? 0;

  return (
    <Stack gap="sm" data-testid="transfer-outbox">
      <Title order={3} size="h4">
        {view?.role === 'publisher' ? 'Queued for the signer' : 'Queued for the publisher'}
      </Title>
      {outbox.failure && (
        <ErrorAlert title="The queue could not be read" code={outbox.failure.code} data-testid="outbox-read-error">
          {outbox.failure.message}
        </ErrorAlert>
      )}
      {view && (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="xs">
            <Group justify="space-between">
              <Group gap="xs">
                <Text size="sm">Next bundle:</Text>
                <Badge variant="light" data-testid="outbox-sequence" data-sequence={view.nextSequence}>
                  sequence {view.nextSequence}
                </Badge>
                <Badge variant="light" color={count > 0 ? 'blue' : 'gray'} data-testid="outbox-count" data-count={count}>
                  {count} item(s)
                </Badge>
                {view.auditEntries > 0 && (
                  <Badge variant="light" color="gray">
                    + {view.auditEntries} audit entries
                  </Badge>
                )}
              </Group>
              <Button
                leftSection={<IconPackageExport size={18} aria-hidden />}
                onClick={() => void exportBundle()}
                loading={busy}
                disabled={count === 0 || view.peerFingerprint === null}
                data-testid="outbox-export"
              >
                Export bundle {view.nextSequence}
              </Button>
            </Group>
            {view.lastExport && (
              <Group gap="xs" data-testid="outbox-last-export" data-sequence={view.lastExport.sequence}>
                <Text size="sm" c="dimmed">
                  Last exported: bundle {view.lastExport.sequence}, {view.lastExport.items} item(s), {view.lastExport.createdAt}. Its file
                  lost on the way?
                </Text>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconDownload size={14} aria-hidden />}
                  onClick={() => void exportAgain()}
                  loading={busy}
                  data-testid="outbox-export-again"
                >
                  Download bundle {view.lastExport.sequence} again
                </Button>
              </Group>
            )}
            {view.peerFingerprint === null && (
              <Text size="sm" c="dimmed">
                Pair with the {peer} first: a bundle is signed for one recipient.
              </Text>
            )}
            {count === 0 ? (
              <Text size="sm" c="dimmed" data-testid="outbox-empty">
                Nothing is queued for the {peer}.
              </Text>
            ) : (
              <Table verticalSpacing={4} data-testid="outbox-items">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>What</Table.Th>
                    <Table.Th>Queued</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.items.map((item) => (
                    <Table.Tr key={item.id} data-testid="outbox-item" data-kind={item.kind}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{item.kind}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>{item.summary}</Table.Td>
                      <Table.Td>{item.queuedAt}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Paper>
      )}
      {failure && (
        <ErrorAlert title="No bundle was exported" code={failure.code} data-testid="outbox-export-error">
          {failure.message}
        </ErrorAlert>
      )}
      {again && (
        <Alert color="green" variant="light" data-testid="outbox-exported-again" data-sequence={again.sequence}>
          Bundle {again.sequence} ({again.direction}){' '}
          {again.writtenTo ? `written again to ${again.writtenTo}` : `downloaded again as ${again.filename}`}, byte for byte: SHA-256{' '}
          {again.sha256}. The {peer} accepts it once.
        </Alert>
      )}
      {exported && (
        <Alert color="green" variant="light" data-testid="outbox-exported" data-sequence={exported.sequence}>
          Bundle {exported.sequence} ({exported.direction}, {exported.items.length} item(s)){' '}
          {exported.writtenTo ? `written to ${exported.writtenTo}` : `downloaded as ${exported.filename}`}. SHA-256 {exported.sha256}. Carry
          it to the {peer}.{exported.remaining > 0 && ` ${exported.remaining} item(s) did not fit and wait for the next bundle.`}
        </Alert>
      )}
    </Stack>
  );
}
