import { ActionIcon, UnstyledButton } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { CSSProperties } from 'react';

interface Props {
  value: string;
  /** What is copied, for the title and screen readers: "SHA-256 fingerprint". */
  label: string;
  testId?: string;
}

// A subtle, small ActionIcon drawn as a plain button with ActionIcon's own classes and variables (and
// Mantine's global focus-ring and press classes), gray and teal once copied: a screen of rows has dozens.
const CLASS_NAME = `${UnstyledButton.classes.root} ${ActionIcon.classes.root} mantine-focus-auto mantine-active`;
const ICON_CLASS = ActionIcon.classes.icon;
const subtle = (color: string) =>
  ({
    '--ai-size': 'var(--ai-size-sm)',
    '--ai-bg': 'transparent',
    '--ai-hover': `var(--mantine-color-${color}-light-hover)`,
    '--ai-color': `var(--mantine-color-${color}-light-color)`,
    '--ai-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
  }) as CSSProperties;
const GRAY = subtle('gray');
const TEAL = subtle('teal');

/**
 * CopyValueButton for virtualized rows: a native title instead of a Tooltip, whose positioning
 * hooks made each newly scrolled-in row cost about as much as the rest of the row together.
 */
export function RowCopyButton({ value, label, testId }: Props) {
  const clipboard = useClipboard({ timeout: 1500 });
  return (
    <button
      type="button"
      className={CLASS_NAME}
      style={clipboard.copied ? TEAL : GRAY}
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
      <span className={ICON_CLASS}>{clipboard.copied ? <IconCheck size={16} /> : <IconCopy size={16} />}</span>
    </button>
  );
}
