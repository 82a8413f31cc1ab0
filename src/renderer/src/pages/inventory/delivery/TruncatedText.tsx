import { Text, Tooltip, type TextProps } from '@mantine/core';

interface Props extends Omit<TextProps, 'truncate' | 'children'> {
  value: string;
  testId?: string;
}

/**
 * A path or host that may be far longer than the panel: one line cut with an ellipsis, the whole
 * value in a tooltip. It is a tab stop so keyboard users can read it too (the tooltip opens on focus).
 */
export function TruncatedText({ value, testId, ...props }: Props) {
  return (
    <Tooltip
      label={value}
      withArrow
      multiline
      maw={560}
      events={{ hover: true, focus: true, touch: true }}
      style={{ wordBreak: 'break-all' }}
    >
      <Text
        ff="monospace"
        size="sm"
        truncate="end"
        tabIndex={0}
        aria-label={value}
        data-testid={testId}
        data-full={value}
        // min-width 0 lets a flex child shrink below its text's width, which is what makes the ellipsis appear.
        style={{ minWidth: 0, flex: '1 1 auto' }}
        {...props}
      >
        {value}
      </Text>
    </Tooltip>
  );
}
