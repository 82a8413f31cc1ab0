import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { OutboxItem } from '../../../../shared/contract/index.ts';
import { formatDateTime } from '../../format/validity.ts';
import { OUTBOX_STATE } from './binding-labels.ts';

/** The tenant's recorded changes for Auth0, newest first: what waits, what is stuck, what went through. */
export function OutboxList({ items }: { items: OutboxItem[] }) {
  const sorted = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }} data-testid="outbox-list">
      {sorted.map((item) => {
        const state = OUTBOX_STATE[item.state];
        return (
          <Paper
            key={item.id}
            component="li"
            withBorder
            radius="md"
            p="sm"
            data-testid="outbox-item"
            data-state={item.state}
            data-kind={item.kind}
            data-binding-id={item.bindingId}
            style={item.state === 'blocked' ? { borderLeft: '4px solid var(--mantine-color-red-6)' } : undefined}
          >
            <Stack gap={4}>
              <Group gap="xs" wrap="wrap">
                <Badge color={state.color} variant={item.state === 'blocked' ? 'filled' : 'light'} data-testid="outbox-state">
                  {state.label}
                </Badge>
                <Badge color="gray" variant="outline" tt="none">
                  {item.kind}
                </Badge>
                <Text size="sm" fw={500} style={{ flex: 1, minWidth: 200, wordBreak: 'break-word' }} data-testid="outbox-summary">
                  {item.summary}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                Queued {formatDateTime(item.createdAt)}
                {item.updatedAt !== item.createdAt && <> · updated {formatDateTime(item.updatedAt)}</>} · {item.attempts} attempt
                {item.attempts === 1 ? '' : 's'}
              </Text>
              {item.lastError && (
                <Text size="xs" c={item.state === 'done' ? 'dimmed' : 'red'} data-testid="outbox-last-error">
                  Last error: {item.lastError}
                </Text>
              )}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
