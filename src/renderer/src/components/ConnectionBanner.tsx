import { Alert, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useSyncExternalStore } from 'react';
import { webConnection } from '../web/web-api.ts';

const TEXT = {
  lost: {
    title: 'The certdesk web host is not answering',
    body: 'Is `npm run web` still running? Nothing you do here is saved until it is back; this page reconnects on its own.',
  },
  'token-rejected': {
    title: 'The certdesk web host was restarted',
    body: 'This page’s access token belongs to the previous run. Open the new link the host printed.',
  },
} as const;

/**
 * Web mode only: says at once, above everything (dialogs included), that the host went away, and
 * goes when it is back. Electron has no such gap: its main process is the page's own.
 */
export function ConnectionBanner() {
  const state = useSyncExternalStore(
    (listener) => webConnection.subscribe(listener),
    () => webConnection.state,
  );
  if (state === 'online') return null;
  const text = TEXT[state];
  return (
    <Alert
      role="alert"
      color="red"
      variant="filled"
      icon={<IconPlugConnectedX />}
      title={text.title}
      data-testid="connection-banner"
      data-connection-state={state}
      style={{
        position: 'fixed',
        top: 8,
        left: '50%',
        transform: 'translateX(-50%)',
        zIndex: 10_000,
        maxWidth: 560,
        width: 'calc(100% - 16px)',
      }}
    >
      <Text size="sm">{text.body}</Text>
    </Alert>
  );
}
