import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import type { TenantTestResult, TenantView } from '../../src/shared/contract/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { tempDir } from '../support/temp.ts';

/** The CLI in-process, so its Auth0 calls can be pointed at the sandbox (a child process cannot take a fetch). */
function cli(io: { fetch: typeof fetch; env: NodeJS.ProcessEnv; secretStore: MemorySecretStore }) {
  return async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...io });
    return {
      code,
      stdout,
      stderr,
      json: stdout.trim().startsWith('{') || stdout.trim().startsWith('[') ? (JSON.parse(stdout) as unknown) : undefined,
    };
  };
}

describe('certdesk tenant add | list | test | remove', () => {
  it('adds a tenant from a secret in the environment, lists it and tests it with --json', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const dir = tempDir();
    const run = cli({ fetch: sb.fetch, env: { M2M_SECRET: clientSecret }, secretStore: new MemorySecretStore() });

    const added = await run([
      '--data-dir',
      dir,
      '--json',
      'tenant',
      'add',
      '--name',
      'Acme Prod',
      '--env',
      'production',
      '--domain',
      sb.sandbox.domain,
      '--custom-domain',
      'auth.acme.test',
      '--client-id',
      clientId,
      '--client-secret-env',
      'M2M_SECRET',
    ]);
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({
      name: 'Acme Prod',
      environment: 'production',
      customDomain: 'auth.acme.test',
      clientId,
      secretStorage: 'keychain',
    });
    expect(added.stdout).not.toContain(clientSecret);

    const list = await run(['--data-dir', dir, '--json', 'tenant', 'list']);
    expect((list.json as TenantView[]).map((t) => t.name)).toEqual(['Acme Prod']);

    const tested = await run(['--data-dir', dir, '--json', 'tenant', 'test', 'Acme Prod']);
    expect(tested.code).toBe(0);
    expect(tested.json).toMatchObject({ ok: true, missing: [] } satisfies Partial<TenantTestResult>);

    const refused = await run(['--data-dir', dir, '--json', 'tenant', 'remove', 'Acme Prod']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });
    const removed = await run(['--data-dir', dir, '--json', 'tenant', 'remove', 'Acme Prod', '--confirm', 'Acme Prod']);
    expect(removed.json).toMatchObject({ removed: { name: 'Acme Prod' } });

    const human = await run(['--data-dir', dir, 'tenant', 'list']);
    expect(human.stdout).toContain('No tenants yet');
  });

  it('refuses a missing secret variable by field, and every tenant command has --help', async () => {
    const sb = await startTestSandbox();
    const dir = tempDir();
    const run = cli({ fetch: sb.fetch, env: {}, secretStore: new MemorySecretStore() });
    const missing = await run([
      '--data-dir',
      dir,
      '--json',
      'tenant',
      'add',
      '--name',
      'x',
      '--env',
      'development',
      '--domain',
      sb.sandbox.domain,
      '--client-id',
      'c',
      '--client-secret-env',
      'NOPE',
    ]);
    expect(missing.json).toMatchObject({ error: { code: 'VALIDATION', field: 'clientSecret' } });
    const badEnv = await run([
      '--data-dir',
      dir,
      '--json',
      'tenant',
      'add',
      '--name',
      'x',
      '--env',
      'qa',
      '--domain',
      sb.sandbox.domain,
      '--client-id',
      'c',
      '--client-secret-env',
      'NOPE',
    ]);
    expect(badEnv.json).toMatchObject({ error: { code: 'VALIDATION', field: 'env' } });
    for (const command of ['add', 'list', 'test', 'remove']) {
      const help = await run(['tenant', command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: certdesk tenant ${command}`);
    }
  });
});
