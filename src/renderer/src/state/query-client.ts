import { QueryClient } from '@tanstack/react-query';
import type { Channel, ChannelInput, Failure } from '../../../shared/contract/index.ts';

/** A failed channel answer, thrown inside a query function so TanStack Query keeps the last good data. */
export class FailureError extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.failure = failure;
  }
}

export function failureOf(error: unknown): Failure {
  if (error instanceof FailureError) return error.failure;
  // The bridge never rejects by contract; a preload that does still ends the loading state with a message.
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * One client for the whole renderer. Each page reads afresh when it opens (gcTime 0, nothing cached
 * once the last reader unmounts) and only when asked again: by a mutation, a main event or the
 * operator. No retries: a failure is shown at once, as the pages always did.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, gcTime: 0, staleTime: 0, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

/**
 * The query key of a channel read: the channel, then its input. A key of just the channel matches every input.
 * An entry under exactly [channel, input] holds that channel's output as is; a reader that stores something
 * else appends its own element, so readers sharing a key always agree on its shape.
 */
export function channelKey<C extends Channel>(channel: C, input?: ChannelInput<C>): readonly unknown[] {
  return input === undefined ? [channel] : [channel, input];
}
