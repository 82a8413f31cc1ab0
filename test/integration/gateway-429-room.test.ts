/**
 * A 429 inside a window that still has room (a fault, or another limit than the window's count):
 * the refused call retries as soon as a call that went through shows room, but only once; refused
 * again, or told by `Retry-After` to wait longer than the window, it waits the whole time.
 */
import { describe, expect, it } from 'vitest';
import { ManagementGateway } from '../../src/main/core/auth0/management-gateway.ts';
import { startTestSandbox } from '../support/sandbox.ts';

const pathOf = (input: Parameters<typeof fetch>[0]) => new URL(input instanceof Request ? input.url : String(input)).pathname;

/** A 429 as Auth0 sends it, for the window ending at `reset` (epoch seconds). */
function refusal(reset: number, retryAfter?: number): { response: Response; resetAtMs: number } {
  const headers = new Headers({
    'content-type': 'application/json',
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(reset),
  });
  if (retryAfter !== undefined) headers.set('retry-after', String(retryAfter));
  const body = JSON.stringify({ statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' });
  return { response: new Response(body, { status: 429, headers }), resetAtMs: reset * 1000 };
}

async function rig(refusals: Array<{ retryAfter?: number }>) {
  const sb = await startTestSandbox();
  const refused = sb.sandbox.admin.createClient({ name: 'refused app' });
  const other = sb.sandbox.admin.createClient({ name: 'other app' });
  const { clientId, clientSecret } = sb.sandbox.managementClient!;
  // The tenant's window, as every answer tells it: one that ends a few seconds from now (then the
  // emulator's own), so a retry on evidence is told from one at the reset. The refused application's
  // first reads are answered 429; the other application's answer is held until told to go.
  const windowEnd = Math.floor(Date.now() / 1000) + 4;
  const resetNow = () => Math.max(windowEnd, Math.floor(Date.now() / 1000) + 1);
  const attempts: Array<{ at: number; refusedUntil?: number }> = [];
  const holds: Array<() => void> = [];
  let holdOther = false;
  const scripted: typeof fetch = async (input, init) => {
    const path = pathOf(input);
    if (path === `/api/v2/clients/${refused.clientId}`) {
      const next = refusals[attempts.length];
      if (next) {
        const { response, resetAtMs } = refusal(resetNow(), next.retryAfter);
        attempts.push({ at: Date.now(), refusedUntil: Math.max(resetAtMs, Date.now() + (next.retryAfter ?? 0) * 1000) });
        return response;
      }
      attempts.push({ at: Date.now() });
    }
    const tenant = await sb.fetch(input, init);
    const headers = new Headers(tenant.headers);
    if (path.startsWith('/api/v2/')) headers.set('x-ratelimit-reset', String(resetNow()));
    const answer = new Response(tenant.body, { status: tenant.status, statusText: tenant.statusText, headers });
    if (holdOther && path === `/api/v2/clients/${other.clientId}`) await new Promise<void>((resolve) => holds.push(resolve));
    return answer;
  };
  const gateway = new ManagementGateway({ name: 'Scripted', domain: sb.sandbox.domain, clientId }, clientSecret, {
    fetch: scripted,
    timeoutInSeconds: 10,
  });
  // One call first, so the pacer knows the window and the next two go out side by side.
  await gateway.call('read the other application', (c) => c.clients.get(other.clientId));
  holdOther = true;
  /** Sends the other read, and returns once the tenant has it: it is out when the refusal comes back. */
  const otherOut = async () => {
    const seen = sb.records.filter((rec) => rec.path.split('?')[0] === `/api/v2/clients/${other.clientId}`).length;
    const read = gateway.call('read the other application', (c) => c.clients.get(other.clientId));
    await expect
      .poll(() => sb.records.filter((rec) => rec.path.split('?')[0] === `/api/v2/clients/${other.clientId}`).length)
      .toBe(seen + 1);
    // Wrapped: an async function's returned promise would be awaited with it.
    return { read };
  };
  /** Lets the `n`th held read (from 0) answer. */
  const release = async (n: number) => {
    await expect.poll(() => holds.length).toBeGreaterThan(n);
    holds[n]!();
  };
  return { gateway, refused, attempts, release, otherOut };
}

describe('Management API gateway, a 429 while the window has room', () => {
  it('retries once as soon as an answer shows room, and sits out the window when refused again', async () => {
    const r = await rig([{}, {}]);
    // Two other reads are out and held; the refused read is answered 429 meanwhile.
    const { read: firstOther } = await r.otherOut();
    const { read: secondOther } = await r.otherOut();
    const refusedRead = r.gateway.call('read the refused application', (c) => c.clients.get(r.refused.clientId));
    await expect.poll(() => r.attempts.length).toBe(1);
    // One held answer comes back and says the window has room: the retry goes, and is refused again.
    await r.release(0);
    await firstOther;
    await expect.poll(() => r.attempts.length).toBe(2);
    // The other says so too, but a call refused twice no longer takes that word for it.
    await r.release(1);
    await secondOther;
    const result = await refusedRead;
    expect(result.value.client_id).toBe(r.refused.clientId);
    expect(result.attempts).toBe(3);
    const [first, second, third] = r.attempts;
    expect(second!.at, 'the first retry went on the evidence, before the reset').toBeLessThan(first!.refusedUntil!);
    expect(third!.at, 'refused again: it waited for the reset').toBeGreaterThanOrEqual(second!.refusedUntil!);
  });

  it('waits out a Retry-After longer than the window, whatever the window says', async () => {
    const r = await rig([{ retryAfter: 6 }]);
    const { read: otherRead } = await r.otherOut();
    const refusedRead = r.gateway.call('read the refused application', (c) => c.clients.get(r.refused.clientId));
    await expect.poll(() => r.attempts.length).toBe(1);
    await r.release(0);
    await otherRead;
    const result = await refusedRead;
    expect(result.attempts).toBe(2);
    const [first, second] = r.attempts;
    expect(second!.at, 'Retry-After was honoured').toBeGreaterThanOrEqual(first!.refusedUntil!);
  });
});
