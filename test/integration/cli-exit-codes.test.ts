import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

/** The exit code of a failed command comes from the error-code table: 75 for a failure that may pass by itself, 1 otherwise. */
describe('certdesk exit codes', () => {
  it('exits 75 when Auth0 answers 5xx, and 1 for a validation error', async () => {
    const dir = tempDir();
    // Every request to the sandbox tenant is answered 503: a transient Auth0 failure, nothing for the operator to fix.
    const child = spawn(process.execPath, [bin, 'sandbox', 'start', '--dir', dir, '--fail-5xx-share', '1'], {
      env: { ...process.env, CERTDESK_DATA_DIR: tempDir() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const started = JSON.parse(first) as { domain: string; managementClient: { clientId: string; clientSecret: string } };
    const env = { CERTDESK_SANDBOX_DIR: dir, CERTDESK_DATA_DIR: tempDir(), M2M_SECRET: started.managementClient.clientSecret };
    const add = (domain: string) =>
      runCertdesk(
        [
          '--json',
          'tenant',
          'add',
          '--name',
          'Sandbox',
          '--env',
          'development',
          '--domain',
          domain,
          '--client-id',
          started.managementClient.clientId,
          '--client-secret-env',
          'M2M_SECRET',
        ],
        env,
      );

    const invalid = await add('not a domain');
    expect(invalid.json).toMatchObject({ error: { code: 'VALIDATION', field: 'domain' } });
    expect(invalid.code).toBe(1);

    const added = await add(started.domain);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const tested = await runCertdesk(['--json', 'tenant', 'test', 'Sandbox'], env);
    expect(tested.json).toMatchObject({ error: { code: 'AUTH0_UNREACHABLE' } });
    expect(tested.code).toBe(75);

    const human = await runCertdesk(['tenant', 'test', 'Sandbox'], env);
    expect(human.stderr).toMatch(/^error: .*refused the token request \(503/);
    expect(human.code).toBe(75);
  });
});
