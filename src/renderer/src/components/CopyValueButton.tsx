import { ActionIcon, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { MouseEvent } from 'react';

interface Props {
  value: string;
  /** What is copied, for the tooltip and screen readers: "SHA-256 fingerprint". */
  label: string;
  testId?: string;
}

export function CopyValueButton({ value, label, testId }: Props) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow position="top">
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            size="sm"
            aria-label={`Copy ${label}`}
            data-testid={testId}
            // Copy buttons sit inside clickable table rows; a copy must not also open the row.
            onClick={(event: MouseEvent) => {
              event.stopPropagation();
              copy();
            }}
            onKeyDown={(event) => event.stopPropagation()}
          >
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}
