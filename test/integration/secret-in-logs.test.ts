/**
 * The M2M secret in the running app's own output: the real web host (web/main.ts, as `npm run web`
 * starts it) in a child process, driven over its HTTP bridge through a tenant with a wrong secret
 * and one with the right secret. Everything the process printed, and every file in its data folder,
 * is searched for both secrets.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Channel, ChannelInput, Result } from '../../src/shared/contract/index.ts';
import { writeRunning } from '../../src/main/host/sandbox.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { tempDir } from '../support/temp.ts';

const webMain = fileURLToPath(new URL('../../src/main/web/main.ts', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the M2M secret in the app process output', () => {
  it('appears in nothing the web host prints or stores, through wrong-secret failures and a successful apply', async () => {
    const sb = await startTestSandbox();
    writeRunning(sb.sandbox.dir, sb.sandbox);
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    const wrongSecret = 'wrong-secret-in-logs-7c1e9a3b';
    const app = sb.sandbox.admin.createClient({ name: 'logs app' });

    const dataDir = tempDir();
    const child = spawn(process.execPath, [webMain, '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, CERTDESK_SANDBOX_DIR: sb.sandbox.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    onTestFinished(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    output += first;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const url = new URL((JSON.parse(first) as { url: string }).url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    const rpc = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<unknown>> => {
      const response = await fetch(new URL(`/rpc/${channel}`, url.origin), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await response.json()) as Result<unknown>;
    };
    const ok = async <C extends Channel>(channel: C, input: ChannelInput<C>) => {
      const result = await rpc(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as { id: string };
    };

    const root = await ok('ca:create', { name: 'Logs Root', keyType: 'ec-p256' });
    await ok('ca:create', { name: 'Logs Issuing', parent: root.id, keyType: 'ec-p256' });
    const cert = await ok('certs:issue', { ca: 'Logs Issuing', subject: { commonName: 'logs-client' }, source: { kind: 'generated' } });
    const failures: unknown[] = [];
    await ok('tenants:add', { name: 'Wrong', environment: 'development', domain: sb.sandbox.domain, clientId, clientSecret: wrongSecret });
    failures.push(await rpc('tenants:test', { tenant: 'Wrong' }));
    await ok('bindings:create', { cert: cert.id, tenant: 'Wrong', clientId: app.clientId });
    failures.push(
      await rpc('auth0:plan', { tenant: 'Wrong' }),
      await rpc('auth0:apply', { tenant: 'Wrong' }),
      await rpc('auth0:clients', { tenant: 'Wrong' }),
    );
    for (const failure of failures)
      expect(failure).toMatchObject({ ok: false, error: { code: 'AUTH0_AUTH_FAILED', field: 'clientSecret' } });
    await ok('tenants:add', { name: 'Right', environment: 'development', domain: sb.sandbox.domain, clientId, clientSecret });
    await ok('bindings:create', { cert: cert.id, tenant: 'Right', clientId: app.clientId });
    expect(await ok('auth0:apply', { tenant: 'Right' })).toMatchObject({ outcome: 'applied' });
    // An input the schema refuses is answered by its field, without echoing (or logging) the values.
    expect(
      await rpc('tenants:add', { name: 'Bad', environment: 'nowhere', domain: sb.sandbox.domain, clientId, clientSecret } as never),
    ).toMatchObject({ ok: false, error: { field: 'environment' } });

    child.kill('SIGTERM');
    await exited;
    expect(output, 'the host printed its link').toContain('certdesk web mode');
    const files = filesUnder(dataDir);
    expect(
      files.some((f) => f.endsWith('.sqlite3')),
      'the data folder holds the database',
    ).toBe(true);
    for (const secret of [wrongSecret, clientSecret]) {
      expect(output.includes(secret), 'in the host output').toBe(false);
      expect(JSON.stringify(failures).includes(secret), 'in an answer').toBe(false);
      for (const file of files) expect(readFileSync(file).includes(Buffer.from(secret)), file).toBe(false);
    }
  });
});
