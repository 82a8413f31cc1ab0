import { Group, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';

/** The status mark of one step in a progress list: a spinner while it runs, a coloured icon after. */
export function StepIcon({ running, color, icon }: { running: boolean; color: string; icon: ReactNode }) {
  return running ? (
    <Group w={24} h={24} justify="center" aria-hidden style={{ flexShrink: 0 }}>
      {icon}
    </Group>
  ) : (
    <ThemeIcon size={24} radius="xl" variant="light" color={color} aria-hidden style={{ flexShrink: 0 }}>
      {icon}
    </ThemeIcon>
  );
}
