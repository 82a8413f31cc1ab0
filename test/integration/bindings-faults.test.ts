/**
 * apply under the faults Auth0 and networks really produce: a 429 storm, 5xx answers, timeouts,
 * reset connections, a lost answer to a create, an unreachable tenant, and bad credentials or
 * scopes. It either completes without a duplicate or leaves the work resumable in the outbox, and
 * the M2M secret never shows up anywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { resumeOutbox } from '../../src/main/core/auth0/resume-outbox.ts';
import { CERTDESK_MANAGEMENT_SCOPES, startSandbox } from '../../src/sandbox/index.ts';
import { bindingsRig, PAYMENTS_API, type BindingsRig } from '../support/bindings-rig.ts';
import { watch } from '../support/sandbox.ts';
import { openTestService } from '../support/service.ts';

async function bindOne(rig: BindingsRig, cn = 'fault-client'): Promise<{ id: string; sha256Base64url: string }> {
  const cert = await rig.issue(cn);
  await rig.t.service.bind({ cert: cert.id, tenant: rig.tenant, clientId: rig.appId, api: PAYMENTS_API, pop: true });
  return cert;
}

/** The sandbox's own view: how many credential creates it performed, and what the application holds. */
async function tenantCredentials(rig: BindingsRig): Promise<{ creates: number; thumbprints: (string | undefined)[] }> {
  rig.sb.sandbox.setFaults({ fail5xxShare: 0, fail429Share: 0, resetShare: 0, latencyMs: 0 });
  const creates = rig.sb.records.filter((r) => r.method === 'POST' && r.path.endsWith('/credentials') && r.status === 201).length;
  const list = await rig.sb.management().clients.credentials.list(rig.appId);
  return { creates, thumbprints: list.map((c) => c.thumbprint_sha256) };
}

function databaseBytes(dataDir: string): Buffer {
  const base = join(dataDir, DATABASE_FILE);
  return Buffer.concat([base, `${base}-wal`, `${base}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('apply under faults', () => {
  it('honours a 429 storm through x-ratelimit-reset and completes without duplicates', async () => {
    const rig = await bindingsRig({ sandbox: { faults: { fail429Share: 0.5, seed: 11, appliesTo: 'management' } } });
    const cert = await bindOne(rig);
    const result = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(result.outcome).toBe('applied');
    const records = rig.sb.records;
    const limited = records.filter((r) => r.status === 429);
    expect(limited.length, 'the storm happened').toBeGreaterThan(0);
    for (const r of limited) {
      const reset = Number(r.headers['x-ratelimit-reset']) * 1000;
      const nextSameApi = records.slice(records.indexOf(r) + 1).find((n) => n.api === r.api);
      if (nextSameApi) expect(nextSameApi.receivedAt, 'the next call waited for x-ratelimit-reset').toBeGreaterThanOrEqual(reset);
    }
    expect(await tenantCredentials(rig)).toEqual({ creates: 1, thumbprints: [cert.sha256Base64url] });
  });

  it('paces itself by x-ratelimit-* so that a small rate limit is never overrun (no 429 at all)', async () => {
    const rig = await bindingsRig({ sandbox: { faults: { rateLimitPerSecond: 2 } } });
    await bindOne(rig, 'paced-one');
    await bindOne(rig, 'paced-two');
    const result = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(result.outcome, result.message).toBe('applied');
    const management = rig.sb.records.filter((r) => r.api === 'management');
    expect(management.length, 'enough calls to span several windows').toBeGreaterThan(6);
    expect(management.filter((r) => r.status === 429)).toEqual([]);
    const perSecond = new Map<number, number>();
    for (const r of management) perSecond.set(Math.floor(r.receivedAt / 1000), (perSecond.get(Math.floor(r.receivedAt / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
  });

  it('retries intermittent 5xx answers a bounded number of times and completes without duplicates', async () => {
    const rig = await bindingsRig({ sandbox: { faults: { fail5xxShare: 0.3, seed: 7, appliesTo: 'management' } } });
    const cert = await bindOne(rig);
    const result = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(result.outcome).toBe('applied');
    expect(rig.sb.records.filter((r) => r.injected && r.status === 503).length).toBeGreaterThan(0);
    expect(result.steps.some((s) => s.attempts > 1)).toBe(true);
    expect(await tenantCredentials(rig)).toEqual({ creates: 1, thumbprints: [cert.sha256Base64url] });
  });

  it('leaves the work in the outbox when 5xx answers persist, and resumes it later without loss', async () => {
    const rig = await bindingsRig({ sandbox: { faults: { fail5xxShare: 1, appliesTo: 'management' } } });
    const cert = await bindOne(rig);
    const queued = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(queued.outcome).toBe('queued');
    expect(queued.message).toMatch(/answered 503 4 times .* waits in the outbox/);
    expect(queued.outbox).toEqual([expect.objectContaining({ state: 'pending', attempts: 1, lastError: queued.message })]);
    expect(rig.sb.records.filter((r) => r.api === 'management').length, 'bounded: 4 attempts, then stop').toBe(4);

    rig.sb.sandbox.setFaults({ fail5xxShare: 0 });
    const resumed = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(resumed.outcome).toBe('applied');
    expect(resumed.outbox).toEqual([expect.objectContaining({ state: 'done', attempts: 2, lastError: null })]);
    expect(await tenantCredentials(rig)).toEqual({ creates: 1, thumbprints: [cert.sha256Base64url] });
  });

  it('treats timeouts and reset connections as transient', async () => {
    const rig = await bindingsRig({ sandbox: { faults: { latencyMs: 1500, appliesTo: 'management' } } });
    rig.t.service.close();
    const slow = openTestService({
      dataDir: rig.t.dataDir,
      secretStore: rig.t.secretStore,
      fetch: rig.sb.fetch,
      auth0: { backoffMs: 5, timeoutInSeconds: 1, attempts: 2 },
    });
    const mine = await slow.service.issue({ ca: 'Test Issuing', subject: { commonName: 'slow-client' }, source: { kind: 'generated' } });
    await slow.service.bind({ cert: mine.id, tenant: rig.tenant, clientId: rig.appId });
    const timedOut = await slow.service.bindings.apply({ tenant: rig.tenant });
    expect(timedOut.outcome).toBe('queued');
    expect(timedOut.message).toMatch(/did not answer in time 2 times/);

    rig.sb.sandbox.setFaults({ latencyMs: 0, resetShare: 0.3, seed: 3 });
    let outcome = '';
    for (let i = 0; i < 5 && outcome !== 'applied'; i++) outcome = (await slow.service.bindings.apply({ tenant: rig.tenant })).outcome;
    expect(outcome).toBe('applied');
    expect(rig.sb.records.some((r) => r.reset)).toBe(true);
    expect(await tenantCredentials(rig)).toEqual({ creates: 1, thumbprints: [mine.sha256Base64url] });
  });

  it('does not duplicate a credential when the answer to its create is lost', async () => {
    let dropped = 0;
    const rig = await bindingsRig();
    const lossy: typeof fetch = async (input, init) => {
      const response = await rig.sb.fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if ((init?.method ?? (input instanceof Request ? input.method : 'GET')) === 'POST' && url.endsWith('/credentials') && dropped === 0) {
        dropped += 1;
        await response.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return response;
    };
    rig.t.service.close();
    const t = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: lossy, auth0: { backoffMs: 5 } });
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'lossy-client' }, source: { kind: 'generated' } });
    await t.service.bind({ cert: cert.id, tenant: rig.tenant, clientId: rig.appId });
    const result = await t.service.bindings.apply({ tenant: rig.tenant });
    expect(dropped).toBe(1);
    expect(result.outcome).toBe('applied');
    expect(result.steps[0]).toMatchObject({ kind: 'create-credential', status: 'done', attempts: 1 });
    expect(await tenantCredentials(rig)).toEqual({ creates: 1, thumbprints: [cert.sha256Base64url] });
  });

  it('names the missing scope, and keeps the work blocked in the outbox', async () => {
    const rig = await bindingsRig();
    const weak = rig.sb.sandbox.admin.createM2mClient({
      name: 'weak M2M',
      scopes: CERTDESK_MANAGEMENT_SCOPES.filter((s) => s !== 'create:client_credentials'),
    });
    await rig.t.service.addTenant({
      name: 'Weak',
      environment: 'staging',
      domain: rig.sb.sandbox.domain,
      clientId: weak.clientId,
      clientSecret: weak.clientSecret,
    });
    const cert = await rig.issue('scoped-client');
    await rig.t.service.bind({ cert: cert.id, tenant: 'Weak', clientId: rig.appId });
    const error = await rig.t.service.bindings.apply({ tenant: 'Weak' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUTH0_SCOPE_MISSING',
      field: 'scope',
      message: expect.stringContaining('create:client_credentials'),
    });
    expect(rig.t.service.bindings.listOutbox('Weak')).toEqual([
      expect.objectContaining({ state: 'blocked', lastError: expect.stringContaining('create:client_credentials') }),
    ]);
    expect((await rig.sb.management().clients.credentials.list(rig.appId)).length).toBe(0);
  });

  it('explains a wrong secret, an unknown M2M client id, an unknown application and a wrong domain; the secret is never in the database, audit log or errors', async () => {
    const rig = await bindingsRig();
    const wrongSecret = 'definitely-not-the-secret-4f9a1c';
    await rig.t.service.addTenant({
      name: 'Wrong secret',
      environment: 'development',
      domain: rig.sb.sandbox.domain,
      clientId: rig.sb.sandbox.managementClient!.clientId,
      clientSecret: wrongSecret,
    });
    await rig.t.service.addTenant({
      name: 'Wrong client',
      environment: 'development',
      domain: rig.sb.sandbox.domain,
      clientId: 'no-such-m2m-client',
      clientSecret: wrongSecret,
    });
    await rig.t.service.addTenant({
      name: 'Wrong domain',
      environment: 'development',
      domain: 'no-such-tenant.invalid',
      clientId: 'x',
      clientSecret: wrongSecret,
    });
    const cert = await rig.issue('error-client');
    const messages: string[] = [];
    for (const tenant of ['Wrong secret', 'Wrong client', 'Wrong domain'])
      await rig.t.service.bind({ cert: cert.id, tenant, clientId: rig.appId });

    const secretError = await rig.t.service.bindings.apply({ tenant: 'Wrong secret' }).catch((e: Error) => e);
    expect(secretError).toMatchObject({
      code: 'AUTH0_AUTH_FAILED',
      field: 'clientSecret',
      message: expect.stringContaining('wrong client_secret'),
    });
    const clientError = await rig.t.service.bindings.apply({ tenant: 'Wrong client' }).catch((e: Error) => e);
    expect(clientError).toMatchObject({
      code: 'AUTH0_AUTH_FAILED',
      field: 'clientId',
      message: expect.stringContaining('no-such-m2m-client'),
    });
    const domainResult = await rig.t.service.bindings.apply({ tenant: 'Wrong domain' });
    expect(domainResult).toMatchObject({
      outcome: 'queued',
      message: expect.stringMatching(/no-such-tenant\.invalid could not be reached .*Check the tenant domain/),
    });
    messages.push((secretError as Error).message, (clientError as Error).message, domainResult.message);

    await rig.t.service.bind({ cert: (await rig.issue('ghost')).id, tenant: rig.tenant, clientId: 'no-such-application' });
    const ghost = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(ghost).toMatchObject({
      outcome: 'blocked',
      message: expect.stringContaining('no application with client id no-such-application'),
    });

    const audit = JSON.stringify(rig.t.service.audit.list(0, 1000));
    const outbox = JSON.stringify(rig.t.service.bindings.listOutbox());
    for (const secret of [wrongSecret, rig.sb.sandbox.managementClient!.clientSecret]) {
      expect(databaseBytes(rig.t.dataDir).includes(Buffer.from(secret)), 'not in SQLite').toBe(false);
      expect(audit).not.toContain(secret);
      expect(outbox).not.toContain(secret);
      for (const m of messages) expect(m).not.toContain(secret);
    }
  });

  it('waits in the outbox while the tenant is down, survives a restart, and applies once it is back', async () => {
    const rig = await bindingsRig();
    const cert = await bindOne(rig, 'offline-client');
    const { dir, url } = rig.sb.sandbox;
    await rig.sb.sandbox.stop();
    const queued = await rig.t.service.bindings.apply({ tenant: rig.tenant });
    expect(queued.outcome).toBe('queued');
    expect(queued.message).toMatch(/ECONNREFUSED/);

    const restarted = rig.t.reopen();
    expect(restarted.bindings.listOutbox(rig.tenant)).toEqual([expect.objectContaining({ kind: 'bind', state: 'pending', attempts: 1 })]);
    const back = await startSandbox({ dir, port: Number(new URL(url).port) });
    watch(back);
    const applied = await restarted.bindings.apply({ tenant: rig.tenant });
    expect(applied.outcome).toBe('applied');
    const credentials = await rig.sb.management().clients.credentials.list(rig.appId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([cert.sha256Base64url]);
  });
});

describe('the outbox in the background', () => {
  it('continues an apply that waited for the tenant once it is back, but never one the operator has not started', async () => {
    const rig = await bindingsRig();
    const started = await bindOne(rig, 'started-client');
    const { dir, url } = rig.sb.sandbox;
    await rig.sb.sandbox.stop();
    expect((await rig.t.service.bindings.apply({ tenant: rig.tenant })).outcome).toBe('queued');
    // Back online; then a second application is bound but never applied: it waits for the operator.
    const back = await startSandbox({ dir, port: Number(new URL(url).port) });
    watch(back);
    const later = back.admin.createClient({ name: 'later-app' });
    const untouched = await rig.issue('not-yet-applied');
    await rig.t.service.bind({ cert: untouched.id, tenant: rig.tenant, clientId: later.clientId });

    await resumeOutbox(rig.t.service);
    const outbox = rig.t.service.bindings.listOutbox(rig.tenant);
    expect(outbox.find((o) => o.summary.includes('started-client'))).toMatchObject({ state: 'done' });
    expect(outbox.find((o) => o.summary.includes('not-yet-applied'))).toMatchObject({ state: 'pending', attempts: 0 });
    const mc = rig.sb.management();
    expect((await mc.clients.credentials.list(rig.appId)).map((c) => c.thumbprint_sha256)).toEqual([started.sha256Base64url]);
    expect(await mc.clients.credentials.list(later.clientId)).toEqual([]);
  });
});
