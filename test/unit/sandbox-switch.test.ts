/**
 * CERTDESK_NO_SANDBOX=1 leaves the sandbox tenant out of a production install: the emulator
 * (src/sandbox) is never loaded, and the sandbox's channels and commands fail with a named error.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { leftOutSandbox, sandboxLeftOut } from '../../src/main/core/sandbox-tenant/sandbox-left-out.ts';
import { openSandboxHost } from '../../src/main/host/sandbox-switch.ts';
import { tempDir } from '../support/temp.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `certdesk <args>` in a fresh node process that records every module it loads; gives the
 * exit code, what it printed and which of the loaded files lie under src/sandbox/.
 */
function cliLoading(args: string[], env: Record<string, string>): { code: number; stdout: string; sandboxFiles: string[] } {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    const { runCli } = await import(${JSON.stringify(new URL('src/main/cli/program.ts', `file://${ROOT}`).href)});
    let stdout = '';
    const code = await runCli(${JSON.stringify(args)}, { stdout: (t) => (stdout += t), stderr: () => {}, env: ${JSON.stringify(env)} });
    const sandboxFiles = loaded.filter((u) => u.includes('/src/sandbox/'));
    process.stdout.write(JSON.stringify({ code, stdout, sandboxFiles }));
    process.exit(0);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { code: number; stdout: string; sandboxFiles: string[] };
}

describe('CERTDESK_NO_SANDBOX', () => {
  it('is on only when set to 1', () => {
    expect(sandboxLeftOut({ CERTDESK_NO_SANDBOX: '1' })).toBe(true);
    expect(sandboxLeftOut({})).toBe(false);
    expect(sandboxLeftOut({ CERTDESK_NO_SANDBOX: '0' })).toBe(false);
  });

  it('gives the hosts no sandbox, and a port whose start and stop fail by name while nothing runs', async () => {
    expect(await openSandboxHost({ CERTDESK_NO_SANDBOX: '1', CERTDESK_SANDBOX_DIR: tempDir() }, () => [])).toBeNull();
    const port = leftOutSandbox();
    expect(port.status()).toMatchObject({ running: false, owner: null, pid: null, url: null });
    expect(port.refreshTrust({ authorities: [], caBundlePem: '', crlPems: [] })).toBe(false);
    for (const attempt of [port.start(), port.stop()]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertdeskError);
      expect((error as CertdeskError).toFailure()).toMatchObject({
        code: 'FORBIDDEN',
        field: 'sandbox',
        message: expect.stringContaining('CERTDESK_NO_SANDBOX=1'),
      });
    }
  });

  it('in a real CLI process: the sandbox commands fail by name and src/sandbox is never loaded', () => {
    const dir = tempDir();
    const off = cliLoading(['--json', 'sandbox', 'status', '--dir', dir], { CERTDESK_NO_SANDBOX: '1', CERTDESK_SANDBOX_DIR: dir });
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout)).toMatchObject({ error: { code: 'FORBIDDEN', field: 'sandbox' } });
    expect(off.sandboxFiles).toEqual([]);

    // The same command without the switch loads the emulator: the probe sees it when it is there.
    const on = cliLoading(['--json', 'sandbox', 'status', '--dir', dir], { CERTDESK_SANDBOX_DIR: dir });
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toEqual({ running: false });
    expect(on.sandboxFiles).toContain(new URL('src/sandbox/index.ts', `file://${ROOT}`).href);
  });
});
