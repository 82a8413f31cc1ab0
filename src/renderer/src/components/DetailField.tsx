import { Box, Code, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyValueButton } from './CopyValueButton.tsx';

interface Props {
  label: string;
  /** The text shown; also what is copied when `copyable`, unless `copyValue` says otherwise. */
  value?: string;
  copyable?: boolean;
  copyValue?: string;
  /** Multi-line values (PEM, subject lines) read better as a block. */
  block?: boolean;
  mono?: boolean;
  children?: ReactNode;
  testId?: string;
}

/** One labelled value of a details panel, copyable where an operator would paste it elsewhere. */
export function DetailField({ label, value, copyable = false, copyValue, block = false, mono = true, children, testId }: Props) {
  const copy = copyable ? (copyValue ?? value) : undefined;
  return (
    <Stack gap={4} data-testid={testId}>
      <Group gap={4} justify="space-between" wrap="nowrap">
        <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
          {label}
        </Text>
        {copy !== undefined && <CopyValueButton value={copy} label={label} />}
      </Group>
      {value !== undefined &&
        (block ? (
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {value}
          </Code>
        ) : (
          // Identifiers and paths may break anywhere; prose breaks between words.
          <Text size="sm" ff={mono ? 'monospace' : undefined} style={{ wordBreak: mono ? 'break-all' : 'break-word' }}>
            {value}
          </Text>
        ))}
      {children && <Box>{children}</Box>}
    </Stack>
  );
}
