import { Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** "Reading …" while a list or detail loads: a small spinner and a dimmed line, announced as a status. */
export function LoadingLine({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Group gap="sm" role="status" data-testid={testId}>
      <Loader size="sm" />
      <Text size="sm" c="dimmed">
        {children}
      </Text>
    </Group>
  );
}
