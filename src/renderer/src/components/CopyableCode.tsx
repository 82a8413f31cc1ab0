import { Box, Code } from '@mantine/core';
import { CopyValueButton } from './CopyValueButton.tsx';

interface Props {
  /** The text shown and copied, exactly. */
  value: string;
  /** What is copied, for the tooltip and screen readers: "command for stage 3". */
  label: string;
  testId?: string;
  copyTestId?: string;
}

/** A command or other block of text to paste elsewhere, with its copy button in the corner. */
export function CopyableCode({ value, label, testId, copyTestId }: Props) {
  return (
    <Box pos="relative" data-testid={testId}>
      <Code block pr={40} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {value}
      </Code>
      <Box pos="absolute" top={6} right={6}>
        <CopyValueButton value={value} label={label} testId={copyTestId} />
      </Box>
    </Box>
  );
}
