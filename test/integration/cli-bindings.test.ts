import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import type { ApplyResult, BindingView, OutboxItem, TenantPlan } from '../../src/shared/contract/index.ts';
import { PAYMENTS_API } from '../support/bindings-rig.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { tempDir } from '../support/temp.ts';

/** The CLI in-process against the sandbox, on one data folder: a function per command line. */
function cliOn(dir: string, io: { fetch: typeof fetch; env: NodeJS.ProcessEnv; secretStore: MemorySecretStore }) {
  return async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dir, ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...io });
    return { code, stdout, stderr, json: args.includes('--json') ? (JSON.parse(stdout) as unknown) : undefined };
  };
}

describe('certdesk bind | plan | apply | bindings | outbox | unbind', () => {
  it('binds, shows the plan as a diff, applies with per-step output, and says everything with --json too', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    sb.sandbox.admin.createResourceServer({ identifier: PAYMENTS_API });
    const app = sb.sandbox.admin.createClient({ name: 'cli app' });
    const dir = tempDir();
    const run = cliOn(dir, { fetch: sb.fetch, env: { M2M_SECRET: clientSecret }, secretStore: new MemorySecretStore() });
    expect((await run(['ca', 'create', '--name', 'Root'])).code).toBe(0);
    expect((await run(['ca', 'create', '--name', 'Issuing', '--parent', 'Root'])).code).toBe(0);
    const issued = (await run(['--json', 'issue', '--ca', 'Issuing', '--cn', 'cli-client'])).json as { id: string };
    expect(
      (
        await run([
          'tenant',
          'add',
          '--name',
          'Dev',
          '--env',
          'development',
          '--domain',
          sb.sandbox.domain,
          '--client-id',
          clientId,
          '--client-secret-env',
          'M2M_SECRET',
        ])
      ).code,
    ).toBe(0);

    const bound = await run(['bind', issued.id, '--tenant', 'Dev', '--client', app.clientId, '--pop', '--api', PAYMENTS_API]);
    expect(bound.code).toBe(0);
    expect(bound.stdout).toMatch(
      /Queued in the outbox:[\s\S]*proof of possession, API https:\/\/payments\.example\.com\/[\s\S]*certdesk apply --tenant "Dev"/,
    );
    const outbox = (await run(['--json', 'outbox'])).json as OutboxItem[];
    expect(outbox).toEqual([expect.objectContaining({ state: 'pending', kind: 'bind' })]);

    const plan = await run(['plan', '--tenant', 'Dev']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('1. Add cert_subject_dn credential');
    expect(plan.stdout).toMatch(
      /2\. Bind 1 credential with tls_client_auth\n {3}- no client_authentication_methods; token_endpoint_auth_method client_secret_post\n {3}\+ tls_client_auth: \[/,
    );
    expect(((await run(['--json', 'plan', '--tenant', 'Dev'])).json as TenantPlan).steps).toHaveLength(4);

    const applied = await run(['apply', '--tenant', 'Dev']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^Applied 4 changes to "Dev"\.\n1\. done {9}Add cert_subject_dn credential/);
    expect(applied.stderr).toMatch(/\[1\/4\] done {9}Add cert_subject_dn credential/);
    const again = (await run(['--json', 'apply', '--tenant', 'Dev'])).json as ApplyResult;
    expect(again.outcome).toBe('nothing-to-do');

    // Without --tenant: every tenant with bindings; a production one only when --confirm names it.
    const prodApp = sb.sandbox.admin.createClient({ name: 'cli prod app' });
    expect(
      (
        await run([
          'tenant',
          'add',
          '--name',
          'Prod',
          '--env',
          'production',
          '--domain',
          sb.sandbox.domain,
          '--client-id',
          clientId,
          '--client-secret-env',
          'M2M_SECRET',
        ])
      ).code,
    ).toBe(0);
    expect((await run(['bind', issued.id, '--tenant', 'Prod', '--client', prodApp.clientId])).code).toBe(0);
    const everyPlan = await run(['plan']);
    expect(everyPlan.code).toBe(0);
    expect(everyPlan.stdout).toMatch(
      /Plan for "Dev" \(development\)[\s\S]*No changes[\s\S]*Plan for "Prod" \(PRODUCTION\)[\s\S]*1\. Add cert_subject_dn credential/,
    );
    const unconfirmed = await run(['--json', 'apply']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.json).toEqual([
      { tenant: 'Dev', ok: true, value: expect.objectContaining({ outcome: 'nothing-to-do' }) },
      { tenant: 'Prod', ok: false, skipped: expect.stringContaining('--confirm "Prod"') },
    ]);
    const prodCredentialPosts = () =>
      sb.records.filter((r) => r.method === 'POST' && r.path === `/api/v2/clients/${prodApp.clientId}/credentials`).length;
    expect(prodCredentialPosts()).toBe(0);
    const confirmed = await run(['apply', '--confirm', 'Prod']);
    expect(confirmed.code, confirmed.stdout).toBe(0);
    expect(confirmed.stdout).toMatch(/── Prod ──\nApplied \d+ changes to "Prod"/);
    expect(prodCredentialPosts()).toBe(1);

    const list = (await run(['--json', 'bindings', '--tenant', 'Dev'])).json as BindingView[];
    expect(list).toEqual([
      expect.objectContaining({ state: 'active', credentialId: expect.stringMatching(/^cred_/), appliedAt: expect.any(String) }),
    ]);
    const human = await run(['bindings']);
    expect(human.stdout).toContain(`ACTIVE  Dev → ${app.clientId}`);

    const last = await run(['--json', 'unbind', list[0]!.id]);
    expect(last.code).toBe(1);
    expect(last.json).toMatchObject({ error: { code: 'CONFLICT', field: 'binding' } });
    for (const command of ['bind', 'unbind', 'bindings', 'plan', 'apply', 'outbox']) {
      const help = await run([command, '--help']);
      expect(help.stdout, command).toMatch(/^Usage: certdesk /);
    }
  });

  it('names a wrong secret without printing it, and exits 75 (try again later) when the tenant is unreachable, with the work kept in the outbox', async () => {
    const sb = await startTestSandbox();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const app = sb.sandbox.admin.createClient({ name: 'cli app' });
    const dir = tempDir();
    const secretStore = new MemorySecretStore();
    const run = cliOn(dir, { fetch: sb.fetch, env: { M2M_SECRET: clientSecret }, secretStore });
    const ok = async (args: string[]) => {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await ok(['ca', 'create', '--name', 'Root']);
    await ok(['ca', 'create', '--name', 'Issuing', '--parent', 'Root']);
    const issued = JSON.parse((await ok(['--json', 'issue', '--ca', 'Issuing', '--cn', 'offline-client'])).stdout) as { id: string };
    await ok([
      'tenant',
      'add',
      '--name',
      'Dev',
      '--env',
      'development',
      '--domain',
      sb.sandbox.domain,
      '--client-id',
      clientId,
      '--client-secret-env',
      'M2M_SECRET',
    ]);
    await ok(['bind', issued.id, '--tenant', 'Dev', '--client', app.clientId]);
    // A wrong secret: the error names the field, and the secret is in no output, human or --json.
    const wrong = 'wrong-secret-9f3e2d1c';
    const runWrong = cliOn(dir, { fetch: sb.fetch, env: { M2M_SECRET: wrong }, secretStore });
    expect(
      (
        await runWrong([
          'tenant',
          'add',
          '--name',
          'Wrong',
          '--env',
          'development',
          '--domain',
          sb.sandbox.domain,
          '--client-id',
          clientId,
          '--client-secret-env',
          'M2M_SECRET',
        ])
      ).code,
    ).toBe(0);
    await ok(['bind', issued.id, '--tenant', 'Wrong', '--client', app.clientId]);
    for (const args of [
      ['apply', '--tenant', 'Wrong'],
      ['--json', 'apply', '--tenant', 'Wrong'],
      ['plan', '--tenant', 'Wrong'],
      ['--json', 'outbox'],
    ]) {
      const out = await run(args);
      expect(out.stdout + out.stderr, args.join(' ')).not.toContain(wrong);
      expect(out.stdout + out.stderr, args.join(' ')).not.toContain(clientSecret);
    }
    expect((await run(['--json', 'apply', '--tenant', 'Wrong'])).json).toMatchObject({
      error: { code: 'AUTH0_AUTH_FAILED', field: 'clientSecret' },
    });

    // Without --tenant, the tenant that fails is named and the others still get their plan.
    const every = await run(['--json', 'plan']);
    expect(every.code).toBe(1);
    expect(every.json).toEqual([
      { tenant: 'Dev', ok: true, value: expect.objectContaining({ tenantName: 'Dev', blocked: false }) },
      { tenant: 'Wrong', ok: false, error: expect.objectContaining({ code: 'AUTH0_AUTH_FAILED', field: 'clientSecret' }) },
    ]);
    expect(every.stdout).not.toContain(wrong);
    const none = await cliOn(tempDir(), { fetch: sb.fetch, env: {}, secretStore: new MemorySecretStore() })(['plan']);
    expect(none).toMatchObject({ code: 0, stdout: expect.stringContaining('No tenant has bindings yet') });

    await sb.sandbox.stop();
    const queued = await run(['apply', '--tenant', 'Dev']);
    expect(queued.code, queued.stdout).toBe(75);
    expect(queued.stdout).toMatch(/could not be reached \(ECONNREFUSED\)[\s\S]*1 change waits in the outbox/);
  });
});
