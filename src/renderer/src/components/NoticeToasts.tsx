import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import type { NoticeEvent } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';

const COLOR: Record<NoticeEvent['tone'], string> = { success: 'teal', info: 'blue', warning: 'yellow', error: 'red' };

/**
 * Main's notices (a rotation finished, stopped, was cancelled or waits) as toasts. In web mode they
 * stand in for the OS notifications Electron shows; they also cover jobs resumed in the background.
 */
export function NoticeToasts() {
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'notice') return;
        notifications.show({
          color: COLOR[event.tone],
          title: event.title,
          message: event.body,
          autoClose: event.tone === 'error' ? false : 8000,
          withBorder: true,
        });
      }),
    [],
  );
  return null;
}
