import { ActionIcon } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy } from '@tabler/icons-react';

interface Props {
  value: string;
  /** What is copied, for the title and screen readers: "SHA-256 fingerprint". */
  label: string;
  testId?: string;
}

/**
 * CopyValueButton for virtualized rows: a native title instead of a Tooltip, whose positioning
 * hooks made each newly scrolled-in row cost about as much as the rest of the row together.
 */
export function RowCopyButton({ value, label, testId }: Props) {
  const clipboard = useClipboard({ timeout: 1500 });
  return (
    <ActionIcon
      variant="subtle"
      color={clipboard.copied ? 'teal' : 'gray'}
      size="sm"
      title={clipboard.copied ? 'Copied' : `Copy ${label}`}
      aria-label={`Copy ${label}`}
      data-testid={testId}
      // Copy buttons sit inside clickable rows; a copy must not also open the row.
      onClick={(event) => {
        event.stopPropagation();
        clipboard.copy(value);
      }}
      onKeyDown={(event) => event.stopPropagation()}
    >
      {clipboard.copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
    </ActionIcon>
  );
}
