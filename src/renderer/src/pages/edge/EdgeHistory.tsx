import { Badge, Group, Paper, Stack, Table, Text, ThemeIcon, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import type { AuthorityView, EdgePublication } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RowCopyButton } from '../../components/RowCopyButton.tsx';
import { formatDateTime } from '../../format/validity.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { crlNumbersText } from './EdgePreviewPanel.tsx';
import { LoadingLine } from '../../components/LoadingLine.tsx';

const HISTORY_LIMIT = 50;

interface Props {
  authorities: AuthorityView[];
}

/** What went to the edge, newest first: when, which CA, where, which CRLs, and whether the reload worked. */
export function EdgeHistory({ authorities }: Props) {
  // A failed refresh keeps the rows already shown; the error appears above them. Each publication invalidates `edge:history`.
  const { data, failure, reload } = useChannelQuery('edge:history', { limit: HISTORY_LIMIT });
  const rows = data ?? null;

  const names = new Map(authorities.map((authority) => [authority.id, authority.name]));

  return (
    <Paper withBorder radius="lg" p="lg" data-testid="edge-history-section">
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h4">
            Publication history
          </Title>
          {rows && rows.length > 0 && (
            <Text size="xs" c="dimmed">
              {rows.length >= HISTORY_LIMIT ? `the latest ${HISTORY_LIMIT}` : `${rows.length} publication${rows.length === 1 ? '' : 's'}`},
              newest first
            </Text>
          )}
        </Group>
        {failure && (
          <ErrorAlert
            title="The history could not be read"
            data-testid="edge-history-error"
            onRetry={() => void reload()}
            code={failure.code}
          >
            {failure.message}
          </ErrorAlert>
        )}
        {rows === null && !failure && <LoadingLine>Loading the history…</LoadingLine>}
        {rows && rows.length === 0 && (
          <Stack align="center" gap={6} py="md" ta="center" data-testid="edge-history-empty">
            <ThemeIcon size={40} radius="xl" variant="light" color="gray" aria-hidden>
              <IconHistory size={22} />
            </ThemeIcon>
            <Text size="sm" fw={600}>
              Nothing published yet
            </Text>
            <Text size="sm" c="dimmed" maw={460}>
              Each publication is recorded here (and in the audit log) with its CRL numbers and the reload command's outcome.
            </Text>
          </Stack>
        )}
        {rows && rows.length > 0 && (
          <Table.ScrollContainer minWidth={1000}>
            <Table verticalSpacing="xs" highlightOnHover aria-label="Edge publications, newest first" data-testid="edge-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={210}>When</Table.Th>
                  <Table.Th>CA</Table.Th>
                  <Table.Th>Server name</Table.Th>
                  <Table.Th w="28%">Folder</Table.Th>
                  <Table.Th>CRLs</Table.Th>
                  <Table.Th w={96}>Reload</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr
                    key={row.id}
                    data-testid="edge-history-row"
                    data-publication-id={row.id}
                    data-reload-status={row.reloadStatus ?? undefined}
                  >
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }} title={row.at}>
                        {formatDateTime(row.at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{row.authorityIds.map((id) => names.get(id) ?? id).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {row.serverName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap">
                        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                          {row.dir}
                        </Text>
                        <RowCopyButton value={row.dir} label="folder" />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{crlNumbersText(row.crlNumbers)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ReloadStatus publication={row} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

function ReloadStatus({ publication }: { publication: EdgePublication }) {
  if (publication.reloadStatus === null) {
    return (
      <Text size="sm" c="dimmed">
        not run
      </Text>
    );
  }
  const ok = publication.reloadStatus === 0;
  const output = publication.reloadOutput?.trim();
  // The argv exactly as it ran (JSON: every argument's bounds visible), then how it ended.
  const argv = publication.reloadArgv ? JSON.stringify(publication.reloadArgv) : (publication.reloadCommand ?? '');
  const timing =
    publication.reloadDurationMs === null
      ? ''
      : ` in ${publication.reloadDurationMs} ms${publication.reloadTimedOut ? ' (timed out)' : ''}`;
  const detail = `${argv}\n→ exit ${publication.reloadStatus}${timing}${output ? `\n\n${output}` : ', no output'}`;
  return (
    <Tooltip
      label={detail}
      multiline
      maw={480}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
      styles={{ tooltip: { whiteSpace: 'pre-wrap', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
    >
      {/* Focusable, so the command and its output are reachable from the keyboard. */}
      <UnstyledButton
        aria-label={`Reload: exit ${publication.reloadStatus}. ${detail}`}
        style={{ borderRadius: 'var(--mantine-radius-xl)' }}
      >
        <Badge
          data-argv={argv}
          color={ok ? 'teal' : 'red'}
          variant={ok ? 'light' : 'filled'}
          tt="none"
          style={{ cursor: 'help', overflow: 'visible' }}
          data-testid="edge-history-reload"
        >
          exit {publication.reloadStatus}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
