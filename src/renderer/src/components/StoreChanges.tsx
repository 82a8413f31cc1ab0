import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../bridge.ts';

/**
 * Another process wrote to the store (the CLI issued or revoked, another certdesk rotated): every answer the
 * pages hold may be out of date. The ones on screen are read again now, the others when next shown. The
 * main process sends this only for writes that are not its own (src/main/host/store-watch.ts).
 */
export function StoreChanges() {
  const client = useQueryClient();
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'store-changed') void client.invalidateQueries();
      }),
    [client],
  );
  return null;
}
