/**
 * Answers read from the tenant's Management API, not the store: another process's write leaves them as they
 * are, and reading them again would spend the tenant's rate limit each time the CLI writes.
 */
const fromAuth0 = (channel: unknown) => typeof channel === 'string' && channel.startsWith('auth0:');

/** The part of TanStack's QueryClient used here (no React types: the unit test runs it in Node). */
export interface QueryInvalidator {
  invalidateQueries(filters: { predicate: (query: { queryKey: readonly unknown[] }) => boolean }): Promise<void>;
}

/** Marks every answer read from the store out of date (those on screen are read again at once), and none read from Auth0. */
export function invalidateStoreAnswers(client: QueryInvalidator): Promise<void> {
  return client.invalidateQueries({ predicate: (query) => !fromAuth0(query.queryKey[0]) });
}
