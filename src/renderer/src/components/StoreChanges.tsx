import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../bridge.ts';
import { invalidateStoreAnswers } from '../state/store-answers.ts';

/**
 * Another process wrote to the store (the CLI issued or revoked, another certdesk rotated): every answer the
 * pages hold from the store may be out of date. The ones on screen are read again now, the others when next
 * shown. The main process sends this only for writes that are not its own (src/main/host/store-watch.ts);
 * web mode's event stream also sends it to itself when it is back after a drop, having missed what was sent.
 */
export function StoreChanges() {
  const client = useQueryClient();
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'store-changed') void invalidateStoreAnswers(client);
      }),
    [client],
  );
  return null;
}
