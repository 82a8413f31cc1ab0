/**
 * Editing a tenant profile through the real CLI (and so the channel schema): a pasted https://
 * prefix and trailing slash are cleaned up, a new secret replaces the stored one (and the next
 * Management API call uses it), and a production tenant is never changed without its name typed.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import type { AuditEntry, TenantView } from '../../src/shared/contract/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

describe('certdesk tenant edit', () => {
  it('cleans domains up, replaces the secret, and refuses what it must with nothing changed', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const dir = tempDir();
    const secretStore = new MemorySecretStore();
    const run = async (args: string[]) => {
      let stdout = '';
      const code = await runCli(['--data-dir', dir, '--json', ...args], {
        stdout: (t) => (stdout += t),
        stderr: () => {},
        fetch: sb.fetch,
        env: { RIGHT: clientSecret, WRONG: 'not-the-secret' },
        secretStore,
      });
      return { code, stdout, json: JSON.parse(stdout) as Record<string, unknown> };
    };
    const tenants = async () => (await run(['tenant', 'list'])).json as unknown as TenantView[];
    const audit = (): Promise<AuditEntry[]> => {
      const t = openTestService({ dataDir: dir, secretStore });
      try {
        return Promise.resolve(t.service.listAudit({ limit: 1000 }).items);
      } finally {
        t.service.close();
      }
    };

    // Pasted from the browser's address bar: cleaned up, not refused.
    const added = await run([
      'tenant',
      'add',
      '--name',
      'Acme',
      '--env',
      'development',
      '--domain',
      `HTTPS://${sb.sandbox.domain}/`,
      '--custom-domain',
      'https://auth.acme.test/',
      '--client-id',
      clientId,
      '--client-secret-env',
      'WRONG',
    ]);
    expect(added.code, added.stdout).toBe(0);
    expect(added.json).toMatchObject({ domain: sb.sandbox.domain, customDomain: 'auth.acme.test' });
    expect((await run(['tenant', 'test', 'Acme'])).json).toMatchObject({ error: { code: 'AUTH0_AUTH_FAILED' } });

    // A new secret, a new name and custom domain: the next call to Auth0 uses the new secret.
    const edited = await run([
      'tenant',
      'edit',
      'Acme',
      '--name',
      'Acme dev',
      '--custom-domain',
      'https://login.acme.test//',
      '--client-secret-env',
      'RIGHT',
    ]);
    expect(edited.code, edited.stdout).toBe(0);
    expect(edited.json).toMatchObject({ name: 'Acme dev', customDomain: 'login.acme.test', domain: sb.sandbox.domain, clientId });
    expect((await run(['tenant', 'test', 'Acme dev'])).json).toMatchObject({ ok: true, missing: [] });
    const entry = (await audit()).find((e) => e.action === 'tenant.update');
    expect(entry?.details).toMatchObject({ changed: ['name', 'customDomain', 'clientSecret'], after: { name: 'Acme dev' } });
    expect(JSON.stringify(await audit())).not.toContain(clientSecret);
    expect((await run(['tenant', 'edit', 'Acme dev', '--no-custom-domain'])).json).toMatchObject({ customDomain: null });

    // Refusals change nothing: no row, no audit entry.
    await run([
      'tenant',
      'add',
      '--name',
      'Other',
      '--env',
      'staging',
      '--domain',
      'other.test',
      '--client-id',
      'x',
      '--client-secret-env',
      'WRONG',
    ]);
    const before = { tenants: await tenants(), audit: (await audit()).length };
    const refusals = [
      [['tenant', 'edit', 'Acme dev', '--name', 'other'], { code: 'CONFLICT', field: 'name' }],
      [['tenant', 'edit', 'Acme dev', '--domain', 'ftp://acme.test'], { code: 'VALIDATION', field: 'domain' }],
      [['tenant', 'edit', 'Acme dev', '--env', 'production'], { code: 'CONFIRMATION_REQUIRED', field: 'confirm' }],
    ] as const;
    for (const [args, error] of refusals) {
      const refused = await run([...args]);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.json).toMatchObject({ error });
    }
    expect({ tenants: await tenants(), audit: (await audit()).length }).toEqual(before);

    // Made production with its name typed; from then on every edit needs it.
    expect((await run(['tenant', 'edit', 'Acme dev', '--env', 'production', '--confirm', 'Acme dev'])).json).toMatchObject({
      environment: 'production',
    });
    const unconfirmed = await run(['tenant', 'edit', 'Acme dev', '--env', 'development']);
    expect(unconfirmed.json).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });
    expect((await tenants()).find((t) => t.name === 'Acme dev')?.environment).toBe('production');
  });
});
