import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

describe('certdesk sandbox start | status | stop', () => {
  it('runs the emulator in the foreground; status finds it; stop ends it', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [bin, 'sandbox', 'start', '--dir', dir], {
      env: { ...process.env, CERTDESK_DATA_DIR: tempDir() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const started = JSON.parse(first) as { url: string; domain: string; managementClient: { clientId: string; clientSecret: string } };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = await fetch(`${started.url}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const status = await runCertdesk(['--json', 'sandbox', 'status', '--dir', dir]);
    expect(status.json).toMatchObject({ running: true, url: started.url, pid: child.pid });
    expect(status.json).toMatchObject({ domain: started.domain });

    // Another certdesk process reaches the running sandbox by its tenant domain (no DNS for it needed).
    const env = { CERTDESK_SANDBOX_DIR: dir, CERTDESK_DATA_DIR: tempDir(), M2M_SECRET: started.managementClient.clientSecret };
    const added = await runCertdesk(
      [
        '--json',
        'tenant',
        'add',
        '--name',
        'Sandbox',
        '--env',
        'development',
        '--domain',
        started.domain,
        '--client-id',
        started.managementClient.clientId,
        '--client-secret-env',
        'M2M_SECRET',
      ],
      env,
    );
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const tested = await runCertdesk(['--json', 'tenant', 'test', 'Sandbox'], env);
    expect(tested.json).toMatchObject({ ok: true, missing: [] });

    const again = await runCertdesk(['--json', 'sandbox', 'start', '--dir', dir]);
    expect(again.json).toMatchObject({ error: { code: 'CONFLICT', field: 'dir' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const stopped = await runCertdesk(['--json', 'sandbox', 'stop', '--dir', dir]);
    expect(stopped.json).toMatchObject({ stopped: true, pid: child.pid });
    expect(await exited).toBe(0);
    expect((await runCertdesk(['--json', 'sandbox', 'status', '--dir', dir])).json).toEqual({ running: false });
    expect((await runCertdesk(['--json', 'sandbox', 'stop', '--dir', dir])).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
