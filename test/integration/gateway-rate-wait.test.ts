/**
 * A tenant whose rate limit will not reopen for an hour (a daily quota, or a clock far off): the
 * gateway waits no longer than it may, sends nothing more, and says so with a transient error, so
 * the work stays in the outbox (or the rotation waits) instead of hanging.
 */
import { describe, expect, it } from 'vitest';
import { ManagementGateway } from '../../src/main/core/auth0/management-gateway.ts';
import { isTransientError as isTransient } from '../../src/main/core/errors.ts';
import { startTestSandbox } from '../support/sandbox.ts';

describe('Management API gateway and a window that does not reopen', () => {
  it('gives up after maxRateWaitMs with AUTH0_RATE_LIMITED, without sending the waiting call', async () => {
    const sb = await startTestSandbox();
    const app = sb.sandbox.admin.createClient({ name: 'quota app' });
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    // The tenant's answers, as Auth0 sends them when the quota is spent until an hour from now.
    const spent: typeof fetch = async (input, init) => {
      const answer = await sb.fetch(input, init);
      if (!new URL(input instanceof Request ? input.url : String(input)).pathname.startsWith('/api/v2/')) return answer;
      const headers = new Headers(answer.headers);
      headers.set('x-ratelimit-remaining', '0');
      headers.set('x-ratelimit-reset', String(Math.floor(Date.now() / 1000) + 3600));
      return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
    };
    const gateway = new ManagementGateway({ name: 'Quota', domain: sb.sandbox.domain, clientId }, clientSecret, {
      fetch: spent,
      maxRateWaitMs: 200,
      timeoutInSeconds: 5,
    });
    const first = await gateway.call('read the application', (c) => c.clients.get(app.clientId));
    expect(first.value.client_id).toBe(app.clientId);

    const error = await gateway.call('read the application again', (c) => c.clients.get(app.clientId)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUTH0_RATE_LIMITED',
      field: 'tenant',
      message: expect.stringContaining('read the application again'),
    });
    expect(isTransient(error)).toBe(true);
    expect(sb.records.filter((r) => r.api === 'management')).toHaveLength(1);
  });
});
