import { Management, ManagementError, ManagementTimeoutError } from 'auth0';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/sandbox/faults.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

async function managementToken(ts: TestSandbox): Promise<string> {
  const m = ts.sandbox.managementClient!;
  const res = await ts.fetch(`https://${ts.sandbox.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m.clientId,
      client_secret: m.clientSecret,
      audience: `https://${ts.sandbox.domain}/api/v2/`,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox rate limits and fault injection', () => {
  it('sends x-ratelimit-* headers, answers 429 past the limit, and the SDK retries after x-ratelimit-reset', async () => {
    let clock = Date.now();
    const ts = await startTestSandbox({ now: () => clock, faults: { rateLimitPerSecond: 2 } });
    const app = ts.sandbox.admin.createClient({ name: 'limited' });
    const mc = ts.management();
    const second = Math.floor(clock / 1000);

    const first = await mc.clients.get(app.clientId).withRawResponse();
    expect(first.rawResponse.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.rawResponse.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.rawResponse.headers.get('x-ratelimit-reset')).toBe(String(second + 1));
    await mc.clients.get(app.clientId);
    const limited = await mc.clients.get(app.clientId, undefined, { maxRetries: 0 }).then(
      () => expect.unreachable('no 429'),
      (e: unknown) => e as ManagementError,
    );
    expect(limited).toBeInstanceOf(Management.TooManyRequestsError);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Global limit has been reached',
      errorCode: 'too_many_requests',
    });
    expect(limited.rawResponse?.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.rawResponse?.headers.get('x-ratelimit-reset'));
    expect(reset).toBe(second + 1);

    // With retries, the SDK waits for x-ratelimit-reset; the tenant's window moves on when it answers 429.
    const moved = ts.next((r) => r.status === 429).then(() => (clock += 1000));
    const retried = await mc.clients.get(app.clientId, undefined, { maxRetries: 2 }).withRawResponse();
    await moved;
    expect(retried.data.client_id).toBe(app.clientId);
    const attempts = ts.records.filter((r) => r.path === `/api/v2/clients/${app.clientId}`).slice(-2);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.receivedAt).toBeGreaterThanOrEqual(reset * 1000);
  });

  it('answers the token endpoint past its limit with too_many_requests', async () => {
    const ts = await startTestSandbox({ now: () => 1_800_000_000_000, faults: { rateLimitPerSecond: 1 } });
    expect((await managementToken(ts)).length).toBeGreaterThan(0);
    const res = await ts.fetch(`https://${ts.sandbox.domain}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: 'too_many_requests', error_description: 'Global limit has been reached' });
    expect(res.headers.get('x-ratelimit-reset')).toBe('1800000001');
  });

  it('fails a seeded, reproducible share of requests with 5xx, and the SDK retries them', async () => {
    const ts = await startTestSandbox();
    const token = await managementToken(ts);
    const seed = 42;
    const share = 0.3;
    ts.sandbox.setFaults({ fail5xxShare: share, seed, appliesTo: 'management' });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await ts.fetch(`https://${ts.sandbox.domain}/api/v2/tenants/settings`, { headers: { authorization: `Bearer ${token}` } });
      statuses.push(res.status);
    }
    const random = mulberry32(seed);
    const expected = statuses.map(() => (random() < share ? 503 : 200));
    expect(statuses).toEqual(expected);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 503).length).toBeLessThan(35);

    // A seed whose first draw fails and second passes: the SDK's one retry turns a 503 into a 200.
    let retrySeed = 1;
    for (; ; retrySeed++) {
      const r = mulberry32(retrySeed);
      if (r() < 0.5 && r() >= 0.5) break;
    }
    ts.sandbox.setFaults({ fail5xxShare: 0.5, seed: retrySeed });
    const mc = ts.management(undefined, { maxRetries: 1 });
    await mc.clients.get(ts.sandbox.managementClient!.clientId);
    const last = ts.records.slice(-2);
    expect(last.map((r) => [r.status, r.injected])).toEqual([
      [503, true],
      [200, false],
    ]);

    ts.sandbox.setFaults({ fail5xxShare: 1 });
    const failed = await ts
      .management(undefined, { maxRetries: 0 })
      .clients.get('x')
      .then(
        () => expect.unreachable('no 5xx'),
        (e: unknown) => e as ManagementError,
      );
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', errorCode: 'injected_fault' });
  });

  it('resets connections and delays answers on demand', async () => {
    const ts = await startTestSandbox();
    const mc = ts.management(undefined, { timeoutInSeconds: 0.2 });
    await mc.tenants.settings.get();

    ts.sandbox.setFaults({ resetShare: 1 });
    const reset = ts.next((r) => r.reset);
    const dropped = await mc.tenants.settings.get().then(
      () => expect.unreachable('answered'),
      (e: unknown) => e,
    );
    expect(dropped).toBeInstanceOf(ManagementError);
    expect((await reset).path).toBe('/api/v2/tenants/settings');

    // Far longer than the SDK waits: the call times out; stopping the sandbox cancels the delay.
    // On Node 24's fetch the SDK's own timeout (an abort with the string reason "timeout") surfaces as a
    // ManagementError mentioning "timeout", not as ManagementTimeoutError.
    ts.sandbox.setFaults({ resetShare: 0, latencyMs: 600_000 });
    const late = await mc.tenants.settings.get().then(
      () => expect.unreachable('answered'),
      (e: unknown) => e as Error,
    );
    expect(late instanceof ManagementTimeoutError || (late instanceof ManagementError && /timeout/.test(late.message))).toBe(true);
  });
});
