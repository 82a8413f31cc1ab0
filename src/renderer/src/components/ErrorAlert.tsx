import { Alert, Button, Text, type AlertProps } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { transientNote } from '../format/failure-note.ts';

interface Props extends Omit<AlertProps, 'color' | 'variant' | 'icon'> {
  /** Adds an inline "Try again" after the message. */
  onRetry?: () => void;
  /** The failure's code: set as `data-code`, and a code that may pass by itself says so under the message. */
  code?: string;
}

/** Something failed, usually with the message main gave: the one red alert every page uses. */
export function ErrorAlert({ onRetry, code, children, ...props }: Props) {
  const note = transientNote(code);
  const ref = useRef<HTMLDivElement>(null);
  // Where the eye is: an error that appears out of view (a scrolled dialog, a long page) is brought into it, once.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <Alert
      ref={ref}
      color="red"
      variant="light"
      icon={<IconAlertTriangle />}
      data-code={code}
      data-transient={note ? true : undefined}
      {...props}
    >
      {children}
      {onRetry && (
        <Button variant="subtle" size="compact-sm" ml="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
      {note && (
        <Text size="sm" mt={4} data-testid="error-transient-note">
          {note}
        </Text>
      )}
    </Alert>
  );
}
