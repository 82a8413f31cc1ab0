import { Alert, Badge, Code, CloseButton, Group, List, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { EdgePublishResult } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { formatDateTime } from '../../format/validity.ts';
import { crlNumbersText } from './EdgePreviewPanel.tsx';

interface Props {
  result: EdgePublishResult;
  dir: string;
  onDismiss: () => void;
}

/** What the last publication wrote and how the reload went; a failed reload is red, since the edge may still run the old bundle. */
export function EdgePublishResultView({ result, dir, onDismiss }: Props) {
  const reload = result.reload;
  const failed = reload !== undefined && reload.status !== 0;
  return (
    <Alert
      color={failed ? 'red' : 'teal'}
      variant="light"
      icon={failed ? <IconAlertTriangle /> : <IconCircleCheck />}
      title={failed ? `Written to ${dir}, but the reload failed` : `Published to ${dir}`}
      data-testid="edge-publish-result"
      data-reload-status={reload?.status}
    >
      <CloseButton size="sm" aria-label="Dismiss" onClick={onDismiss} style={{ position: 'absolute', top: 8, right: 8 }} />
      <Stack gap="sm" mt={4}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DetailField label="Published at" value={formatDateTime(result.at)} mono={false} />
          <DetailField label="CRLs" value={crlNumbersText(result.crlNumbers)} mono={false} testId="edge-publish-crls" />
        </SimpleGrid>
        <DetailField label="Files written">
          <List size="sm" spacing={2} data-testid="edge-publish-files">
            {result.files.map((file) => (
              <List.Item key={file}>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {file}
                </Text>
              </List.Item>
            ))}
          </List>
        </DetailField>
        {reload ? (
          <DetailField label="Reload">
            <Stack gap={6}>
              <Group gap="xs" wrap="nowrap">
                <Badge
                  color={failed ? 'red' : 'teal'}
                  variant={failed ? 'filled' : 'light'}
                  tt="none"
                  data-testid="edge-reload-status"
                  data-status={reload.status}
                >
                  exit {reload.status}
                </Badge>
                <Code style={{ wordBreak: 'break-all' }} title={JSON.stringify(reload.argv)} data-testid="edge-reload-argv-run">
                  {reload.command}
                </Code>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {reload.durationMs} ms{reload.timedOut ? ', timed out' : ''}
                </Text>
              </Group>
              {reload.program && (
                <Text size="xs" c="dimmed">
                  Ran <Code>{reload.program}</Code>, found when the preset was chosen: rotations run exactly this path, never another one on
                  PATH.
                </Text>
              )}
              <Code
                block
                data-testid="edge-reload-output"
                style={{
                  whiteSpace: 'pre-wrap',
                  wordBreak: 'break-all',
                  maxHeight: 240,
                  overflow: 'auto',
                  ...(failed ? { color: 'var(--mantine-color-red-text)', border: '1px solid var(--mantine-color-red-outline)' } : {}),
                }}
              >
                {reload.output.trim() || '(no output)'}
              </Code>
              {failed && (
                <Text size="sm" c="red">
                  The files are in place, but the reload command failed: the edge may still be running the previous bundle. Fix what the
                  output says, then publish again.
                </Text>
              )}
            </Stack>
          </DetailField>
        ) : (
          <Text size="sm" c="dimmed">
            No reload command was run: copy the folder to the edge and reload nginx there.
          </Text>
        )}
        <DetailField label="Bundle SHA-256" value={result.bundleSha256} copyable />
      </Stack>
    </Alert>
  );
}
