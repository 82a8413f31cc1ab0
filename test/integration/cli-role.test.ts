/** `certdesk role` and `certdesk role set` in a real process, and what an offline signer's CLI refuses before any socket. */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const PASSPHRASE = 'offline signer workstation passphrase';

/** A data folder on a passphrase store without any keychain, as an air-gapped machine has. */
function store() {
  const dir = tempDir();
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, CERTDESK_PASSPHRASE: PASSPHRASE };
  return {
    dir,
    run: (args: string[], extra: NodeJS.ProcessEnv = {}) => runCertdesk(['--data-dir', dir, '--json', ...args], { ...env, ...extra }),
    human: (args: string[]) => runCertdesk(['--data-dir', dir, ...args], env),
  };
}

async function countingListener(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, connections: () => connections };
}

describe('certdesk role (CLI)', () => {
  it('shows standalone by default, sets signer only when typed twice, and records role.set', async () => {
    const { dir, run, human } = store();
    expect(await run(['role'])).toMatchObject({ code: 0, json: { role: 'standalone', setAt: null, setBy: null } });

    const unconfirmed = await run(['role', 'set', 'signer']);
    expect(unconfirmed).toMatchObject({ code: 1, json: { error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } } });
    expect((unconfirmed.json as { error: { message: string } }).error.message).toContain('certdesk role set signer --confirm signer');
    expect(await run(['role', 'set', 'airgap', '--confirm', 'airgap'])).toMatchObject({
      code: 1,
      json: { error: { code: 'VALIDATION', field: 'role' } },
    });

    expect(await run(['role', 'set', 'signer', '--confirm', 'signer'])).toMatchObject({
      code: 0,
      json: { role: 'signer', from: 'standalone', changed: true, setBy: expect.stringContaining('@') },
    });
    const text = await human(['role', 'show']);
    expect(text.stdout).toContain('Role: signer (set by');
    expect(text.stdout).toContain('opens no network connection');

    const db = new BetterSqlite3(join(dir, DATABASE_FILE), { readonly: true });
    const entries = db.prepare("SELECT details FROM audit_log WHERE action = 'role.set'").all() as { details: string }[];
    db.close();
    expect(entries.map((e) => JSON.parse(e.details) as unknown)).toEqual([{ from: 'standalone', to: 'signer' }]);
  });

  it("refuses publisher for the signer's folder once it holds a CA key", async () => {
    const { run } = store();
    expect((await run(['vault', 'init', '--protection', 'passphrase'])).code).toBe(0);
    expect((await run(['role', 'set', 'signer', '--confirm', 'signer'])).code).toBe(0);
    // The signer makes its CA: a CA key is what it is for.
    expect((await run(['ca', 'create', '--name', 'Offline Root'])).code).toBe(0);
    const refused = await run(['role', 'set', 'publisher', '--confirm', 'publisher']);
    expect(refused).toMatchObject({ code: 1, json: { error: { code: 'ROLE_PUBLISHER_HOLDS_CA_KEY', field: 'role' } } });
    expect((refused.json as { error: { message: string } }).error.message).toContain('"Offline Root"');
    expect(await run(['role'])).toMatchObject({ json: { role: 'signer' } });
  });

  it('on a signer, tenant add, target add, an ssh usage source and the sandbox are refused before any connection', async () => {
    const { run } = store();
    expect((await run(['role', 'set', 'signer', '--confirm', 'signer'])).code).toBe(0);
    const listener = await countingListener();
    const offline = { code: 1, json: { error: { code: 'ROLE_OFFLINE', field: 'role' } } };

    expect(
      await run(
        [
          'tenant',
          'add',
          '--name',
          'Acme',
          '--env',
          'development',
          '--domain',
          'acme.test',
          '--client-id',
          'cid',
          '--client-secret-env',
          'SECRET',
        ],
        {
          SECRET: 'not-sent',
        },
      ),
    ).toMatchObject(offline);
    // Without --host-key the CLI would first probe the host's key: refused before that probe.
    expect(
      await run([
        'target',
        'add',
        'any-cert',
        '--kind',
        'ssh',
        '--host',
        '127.0.0.1',
        '--port',
        String(listener.port),
        '--user',
        'edge',
        '--path',
        '/srv/app',
      ]),
    ).toMatchObject(offline);
    expect(await run(['usage', '--source', `ssh://edge@127.0.0.1:${listener.port}/var/log/nginx/access.log`])).toMatchObject(offline);
    const sandboxDir = join(tempDir(), 'sandbox');
    expect(await run(['sandbox', 'start', '--dir', sandboxDir])).toMatchObject(offline);

    expect(listener.connections()).toBe(0);
    expect(existsSync(join(sandboxDir, 'running.json'))).toBe(false);
    expect(await run(['tenant', 'list'])).toMatchObject({ code: 0, json: [] });
  });
});
