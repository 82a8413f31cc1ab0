import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REQUIRED_SCOPES, managementClient, testConnection } from '../../src/main/core/auth0/management.ts';
import { tenantSecretAccount } from '../../src/main/core/auth0/tenant-secrets.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import type { CertdeskService } from '../../src/main/core/service.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { createSandboxFetch } from '../../src/sandbox/index.ts';
import type { ChannelInput, Failure, Result } from '../../src/shared/contract/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { openTestService } from '../support/service.ts';

/** Through the validated dispatch, as the UI and CLI call it. */
async function invoke<C extends 'tenants:add' | 'tenants:list' | 'tenants:test' | 'tenants:remove' | 'audit:list'>(
  service: CertdeskService,
  channel: C,
  input: ChannelInput<C>,
): Promise<Result<unknown>> {
  return dispatch(createHandlers(service), channel, input, () => {});
}

function failure(result: Result<unknown>): Failure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** Every byte SQLite wrote: the database, its WAL and shared memory. */
function databaseBytes(dataDir: string): Buffer {
  const base = join(dataDir, DATABASE_FILE);
  return Buffer.concat([base, `${base}-wal`, `${base}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('tenant profiles against the sandbox tenant', () => {
  it('adds, lists and tests a tenant with every scope; the secret is nowhere in SQLite, the audit log or errors', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const { service, dataDir, secretStore } = openTestService({ fetch: sb.fetch });

    const added = value<{ id: string; secretStorage: string }>(
      await invoke(service, 'tenants:add', {
        name: 'Acme Dev',
        environment: 'development',
        domain: sb.sandbox.domain,
        customDomain: 'auth.acme.test',
        clientId,
        clientSecret,
      }),
    );
    expect(added).toMatchObject({ id: expect.stringMatching(/^tenant_[0-9a-f]{20}$/), secretStorage: 'keychain' });
    expect(new TextDecoder().decode((await secretStore.get(tenantSecretAccount(added.id)))!)).toBe(clientSecret);

    const list = value<unknown[]>(await invoke(service, 'tenants:list', {}));
    expect(list).toEqual([
      {
        id: added.id,
        name: 'Acme Dev',
        environment: 'development',
        domain: sb.sandbox.domain,
        customDomain: 'auth.acme.test',
        clientId,
        secretStorage: 'keychain',
        createdAt: expect.any(String),
        diagnostics: null,
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(clientSecret);

    const tested = value<{ ok: boolean; granted: string[]; missing: string[]; tokenExpiresIn: number }>(
      await invoke(service, 'tenants:test', { tenant: 'acme dev' }),
    );
    expect(tested).toMatchObject({ ok: true, missing: [] });
    expect(tested.granted).toEqual(expect.arrayContaining([...REQUIRED_SCOPES]));
    expect(tested.tokenExpiresIn).toBeGreaterThan(0);

    // Errors that involve the secret never repeat it.
    const dup = failure(
      await invoke(service, 'tenants:add', { name: 'ACME DEV', environment: 'staging', domain: sb.sandbox.domain, clientId, clientSecret }),
    );
    expect(dup).toMatchObject({ code: 'CONFLICT', field: 'name' });
    // (A pasted https:// prefix is cleaned up now; another scheme is still refused by field.)
    const bad = failure(
      await invoke(service, 'tenants:add', { name: 'Bad', environment: 'staging', domain: 'http://x.auth0.com', clientId, clientSecret }),
    );
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'domain' });
    const audit = value<{ items: unknown[] }>(await invoke(service, 'audit:list', {}));
    expect(audit.items.length).toBeGreaterThanOrEqual(2);
    for (const text of [JSON.stringify(dup), JSON.stringify(bad), JSON.stringify(audit)]) expect(text).not.toContain(clientSecret);

    expect(databaseBytes(dataDir).includes(Buffer.from(clientSecret))).toBe(false);
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dataDir).includes(Buffer.from(clientSecret))).toBe(false);
  });

  it('names the missing scopes of an M2M application granted fewer', async () => {
    const sb = await startTestSandbox();
    const app = sb.sandbox.admin.createM2mClient({ name: 'narrow', scopes: ['read:clients', 'update:clients', 'read:client_credentials'] });
    const { service } = openTestService({ fetch: sb.fetch });
    value(
      await invoke(service, 'tenants:add', {
        name: 'Narrow',
        environment: 'staging',
        domain: sb.sandbox.domain,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
      }),
    );
    const tested = value<{ ok: boolean; granted: string[]; missing: string[] }>(
      await invoke(service, 'tenants:test', { tenant: 'Narrow' }),
    );
    expect(tested.ok).toBe(false);
    expect(tested.granted.sort()).toEqual(['read:client_credentials', 'read:clients', 'update:clients']);
    expect(tested.missing).toEqual(REQUIRED_SCOPES.filter((s) => !tested.granted.includes(s)));
    expect(tested.missing).toContain('create:client_credentials');
  });

  it('refuses a wrong secret, an unknown client and a wrong domain by field, without echoing the secret', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    // A typo'd domain resolves to a closed local port: a real connection refusal, no internet needed.
    const fetchWithTypo = createSandboxFetch({ domain: 'acme-typo.eu.auth0.com', url: 'http://127.0.0.1:1' }, sb.fetch);
    const { service } = openTestService({ fetch: fetchWithTypo });
    const wrongSecret = `${clientSecret.slice(0, -4)}XXXX`;
    value(
      await invoke(service, 'tenants:add', {
        name: 'Wrong secret',
        environment: 'development',
        domain: sb.sandbox.domain,
        clientId,
        clientSecret: wrongSecret,
      }),
    );
    value(
      await invoke(service, 'tenants:add', {
        name: 'Unknown client',
        environment: 'development',
        domain: sb.sandbox.domain,
        clientId: 'no-such-client',
        clientSecret,
      }),
    );
    value(
      await invoke(service, 'tenants:add', {
        name: 'Wrong domain',
        environment: 'development',
        domain: 'acme-typo.eu.auth0.com',
        clientId,
        clientSecret,
      }),
    );

    const errors = [
      failure(await invoke(service, 'tenants:test', { tenant: 'Wrong secret' })),
      failure(await invoke(service, 'tenants:test', { tenant: 'Unknown client' })),
      failure(await invoke(service, 'tenants:test', { tenant: 'Wrong domain' })),
    ];
    expect(errors[0]).toMatchObject({ code: 'AUTH0_AUTH_FAILED', field: 'clientSecret' });
    expect(errors[1]).toMatchObject({ code: 'AUTH0_AUTH_FAILED', field: 'clientId' });
    expect(errors[2]).toMatchObject({ code: 'AUTH0_UNREACHABLE', field: 'domain' });
    for (const e of errors) {
      expect(e.message).not.toContain(clientSecret);
      expect(e.message).not.toContain(wrongSecret);
    }
    const audit = JSON.stringify(value(await invoke(service, 'audit:list', {})));
    expect(audit).not.toContain(clientSecret);
    expect(audit).not.toContain(wrongSecret);
  });

  it('times out by name when the tenant does not answer', async () => {
    const sb = await startTestSandbox();
    sb.sandbox.setFaults({ latencyMs: 3_000 });
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    await expect(
      testConnection({ domain: sb.sandbox.domain, clientId }, clientSecret, { fetch: sb.fetch, timeoutInSeconds: 1 }),
    ).rejects.toMatchObject({ code: 'AUTH0_TIMEOUT', field: 'domain' });
  });

  it('managementClient drives the real auth0 SDK against the tenant', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const mc = managementClient({ domain: sb.sandbox.domain, clientId }, clientSecret, {
      fetch: sb.fetch,
      maxRetries: 0,
      timeoutInSeconds: 5,
    });
    expect((await mc.clients.get(clientId)).client_id).toBe(clientId);
  });

  it('asks for typed confirmation before removing a production tenant', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const { service, secretStore } = openTestService({ fetch: sb.fetch });
    const prod = value<{ id: string }>(
      await invoke(service, 'tenants:add', {
        name: 'Acme Prod',
        environment: 'production',
        domain: sb.sandbox.domain,
        clientId,
        clientSecret,
      }),
    );
    value(
      await invoke(service, 'tenants:add', {
        name: 'Acme Staging',
        environment: 'staging',
        domain: sb.sandbox.domain,
        clientId,
        clientSecret,
      }),
    );

    expect(failure(await invoke(service, 'tenants:remove', { tenant: 'Acme Prod' }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      field: 'confirm',
    });
    expect(failure(await invoke(service, 'tenants:remove', { tenant: 'Acme Prod', confirm: 'acme prod' }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      field: 'confirm',
    });
    expect(value<unknown[]>(await invoke(service, 'tenants:list', {}))).toHaveLength(2);
    value(await invoke(service, 'tenants:remove', { tenant: 'Acme Staging' }));
    value(await invoke(service, 'tenants:remove', { tenant: prod.id, confirm: 'Acme Prod' }));
    expect(value<unknown[]>(await invoke(service, 'tenants:list', {}))).toEqual([]);
    expect(await secretStore.get(tenantSecretAccount(prod.id))).toBeNull();
    expect(failure(await invoke(service, 'tenants:test', { tenant: 'Acme Prod' }))).toMatchObject({ code: 'NOT_FOUND', field: 'tenant' });
  });

  it('in passphrase mode seals the secret in SQLite instead, and still connects', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const { service, dataDir, secretStore } = openTestService({ fetch: sb.fetch });
    await service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery staple' });
    const added = value<{ id: string; secretStorage: string }>(
      await invoke(service, 'tenants:add', {
        name: 'Sealed',
        environment: 'development',
        domain: sb.sandbox.domain,
        clientId,
        clientSecret,
      }),
    );
    expect(added.secretStorage).toBe('sealed');
    expect(await secretStore.get(tenantSecretAccount(added.id))).toBeNull();
    expect(service.db.prepare('SELECT count(*) AS n FROM tenant_secrets').get()).toEqual({ n: 1 });
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dataDir).includes(Buffer.from(clientSecret))).toBe(false);
    expect(value<{ ok: boolean }>(await invoke(service, 'tenants:test', { tenant: 'Sealed' })).ok).toBe(true);
    service.vault.lock();
    expect(failure(await invoke(service, 'tenants:test', { tenant: 'Sealed' }))).toMatchObject({ code: 'VAULT_LOCKED' });
  });
});

describe('tenant secrets in the real OS keychain (Secret Service)', () => {
  it('stores the secret under tenant-secret:<id>, connects with it, and forgets it on remove', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const { service, dataDir, secretStore } = openTestService({ keychain: true, fetch: sb.fetch });
    const added = value<{ id: string; secretStorage: string }>(
      await invoke(service, 'tenants:add', {
        name: 'Keychain Dev',
        environment: 'development',
        domain: sb.sandbox.domain,
        clientId,
        clientSecret,
      }),
    );
    onTestFinished(async () => {
      await secretStore.delete(tenantSecretAccount(added.id)).catch(() => false);
    });
    expect(added.secretStorage).toBe('keychain');
    expect(new TextDecoder().decode((await secretStore.get(tenantSecretAccount(added.id)))!)).toBe(clientSecret);
    expect(value<{ ok: boolean }>(await invoke(service, 'tenants:test', { tenant: added.id })).ok).toBe(true);
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dataDir).includes(Buffer.from(clientSecret))).toBe(false);
    value(await invoke(service, 'tenants:remove', { tenant: 'Keychain Dev' }));
    expect(await secretStore.get(tenantSecretAccount(added.id))).toBeNull();
  });
});
