// query-core is what @tanstack/react-query runs on, without React's types (which do not belong in a Node program).
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { describe, expect, it, vi } from 'vitest';
import { invalidateStoreAnswers } from '../../src/renderer/src/state/store-answers.ts';

/** As query-client.ts keys a channel's answer. */
const channelKey = (channel: string, input: object) => [channel, input] as const;

/** What the renderer does when another process wrote to the store (StoreChanges.tsx), on a real TanStack QueryClient. */
describe('a store change, in the renderer', () => {
  it("reads the store's answers on screen again and marks the rest out of date, but leaves Auth0's answers alone", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    const reads: Record<string, number> = {};
    const read = (name: string) => async () => {
      reads[name] = (reads[name] ?? 0) + 1;
      return name;
    };
    // Observed queries are the ones on screen; a query with no observer is one a page read earlier.
    const onScreen = (key: readonly unknown[], name: string) =>
      new QueryObserver(client, { queryKey: key, queryFn: read(name) }).subscribe(() => {});
    const stops = [
      onScreen(channelKey('certs:list', { limit: 50 }), 'certs'),
      onScreen(channelKey('app:info', {}), 'info'),
      onScreen(channelKey('auth0:clients', { tenant: 't1' }), 'auth0-clients'),
      onScreen(channelKey('auth0:verify-audience', { tenant: 't1', audience: 'https://api.example/' }), 'auth0-audience'),
    ];
    await client.prefetchQuery({ queryKey: channelKey('audit:list', {}), queryFn: read('audit') });
    await vi.waitFor(() => expect(reads).toEqual({ certs: 1, info: 1, 'auth0-clients': 1, 'auth0-audience': 1, audit: 1 }));

    await invalidateStoreAnswers(client);

    // The store's answers on screen were read again; the one off screen waits, marked, for its page.
    expect(reads).toEqual({ certs: 2, info: 2, 'auth0-clients': 1, 'auth0-audience': 1, audit: 1 });
    const state = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect(state(channelKey('audit:list', {}))).toBe(true);
    expect(state(channelKey('auth0:clients', { tenant: 't1' }))).toBe(false);
    expect(state(channelKey('auth0:verify-audience', { tenant: 't1', audience: 'https://api.example/' }))).toBe(false);
    for (const stop of stops) stop();
    client.clear();
  });
});
