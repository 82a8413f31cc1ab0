import { Alert, Button, type AlertProps } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

interface Props extends Omit<AlertProps, 'color' | 'variant' | 'icon'> {
  /** Adds an inline "Try again" after the message. */
  onRetry?: () => void;
}

/** Something failed, usually with the message main gave: the one red alert every page uses. */
export function ErrorAlert({ onRetry, children, ...props }: Props) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} {...props}>
      {children}
      {onRetry && (
        <Button variant="subtle" size="compact-sm" ml="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  );
}
