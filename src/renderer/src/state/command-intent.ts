import { useEffect, useRef } from 'react';

/**
 * What the command palette asked a page to do once it is shown ("issue a certificate" opens the
 * Inventory, then its issue dialog). One pending request at a time; the page that handles it takes
 * it, whether it was already on screen or mounts because of the navigation.
 */
export type CommandIntent = 'issue-certificate' | 'new-root-ca' | 'new-issuing-ca' | 'rotate-all-due' | 'publish-edge' | 'run-diagnostics';

let pending: CommandIntent | null = null;
const listeners = new Set<() => void>();

export function requestIntent(intent: CommandIntent): void {
  pending = intent;
  for (const listener of [...listeners]) listener();
}

/**
 * Leaves the request for the page that mounts next, without telling the pages on screen: a page that
 * hands the request to another instance of itself (another tenant's workspace) must not take it back.
 */
export function deferIntent(intent: CommandIntent): void {
  pending = intent;
}

/** `ready`: the page can act on it now (its data is read); until then the request waits. */
export function useCommandIntent(intent: CommandIntent, handler: () => void, ready = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!ready) return;
    const take = () => {
      if (pending !== intent) return;
      pending = null;
      latest.current();
    };
    take();
    listeners.add(take);
    return () => {
      listeners.delete(take);
    };
  }, [intent, ready]);
}
