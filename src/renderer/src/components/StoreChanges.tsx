import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../bridge.ts';

/**
 * Answers read from the tenant's Management API, not the store: another process's write leaves them as they
 * are, and reading them again would spend the tenant's rate limit each time the CLI writes.
 */
const fromAuth0 = (channel: unknown) => typeof channel === 'string' && channel.startsWith('auth0:');

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
        if (event.type === 'store-changed') void client.invalidateQueries({ predicate: (query) => !fromAuth0(query.queryKey[0]) });
      }),
    [client],
  );
  return null;
}
