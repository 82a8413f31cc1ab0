/**
 * `certdesk target add|list|test|remove|history` and `certdesk deliver`, through the CLI's own
 * parsing and dispatch on a real SQLite store and a real folder, with --json and without.
 */
import { inProcessCliStore } from '../support/cli-store.ts';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetAddResult, TargetView } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

async function store() {
  const { dir, run, human } = await inProcessCliStore();
  const issued = await run('issue', '--ca', 'CLI Issuing', '--cn', 'workload');
  expect(issued.code, issued.stderr).toBe(0);
  return { dir, run, human, cert: (issued.json as { id: string }).id };
}

describe('certdesk target', () => {
  it('adds a folder target with names, mode and a reload argv; delivers; lists, tests and removes it', async () => {
    const { dir, run, human, cert } = await store();
    const folder = join(tempDir(), 'tls');
    const marker = join(dir, 'reloaded');
    const added = await run(
      'target',
      'add',
      cert,
      '--kind',
      'folder',
      '--path',
      folder,
      '--mode',
      '0640',
      '--names',
      'cert=client.crt,key=client.key',
      '--owner',
      String(process.getuid!()),
      '--',
      '/bin/sh',
      '-c',
      `echo x >> '${marker}'`,
    );
    expect(added.code, added.stderr).toBe(0);
    const target = (added.json as TargetAddResult).target;
    expect(target).toMatchObject({
      kind: 'folder',
      approved: true,
      spec: {
        path: folder,
        keyMode: 0o640,
        uid: process.getuid!(),
        fileNames: { cert: 'client.crt', key: 'client.key' },
        reload: ['/bin/sh', '-c', `echo x >> '${marker}'`],
      },
    });

    const delivered = await run('deliver', cert);
    expect(delivered.code, delivered.stderr).toBe(0);
    expect(delivered.json).toMatchObject({
      outcome: 'done',
      deliveries: [{ status: 'done', targetId: target.id }],
    });
    expect(statSync(join(folder, 'current', 'client.key')).mode & 0o777).toBe(0o640);
    expect(openssl(['x509', '-in', join(folder, 'current', 'client.crt'), '-noout', '-subject']).stdout).toContain('workload');
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
    // A second delivery of the same serial skips, and does not reload.
    expect((await run('deliver', cert)).json).toMatchObject({ outcome: 'skip' });
    expect(readFileSync(marker, 'utf8')).toBe('x\n');

    const listed = await run('target', 'list', cert);
    expect((listed.json as TargetView[]).map((t) => t.id)).toEqual([target.id]);
    expect((await human('target', 'list')).stdout).toContain(folder);
    const tested = await run('target', 'test', target.id);
    expect(tested.json).toMatchObject({
      ok: true,
      currentReleaseId: readlinkSync(join(folder, 'current')).slice(9),
    });
    const history = await run('target', 'history', '--target', target.id);
    expect((history.json as { status: string }[]).map((d) => d.status)).toEqual(['skipped', 'done']);

    const refused = await run('target', 'remove', target.id);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED' } });
    expect((await run('target', 'list', cert)).json).toHaveLength(1);
    const removed = await run('target', 'remove', target.id, '--yes');
    expect(removed.code, removed.stderr).toBe(0);
    expect((await run('target', 'list', cert)).json).toEqual([]);
    // The delivered files stay where they are.
    expect(existsSync(join(folder, 'current', 'client.crt'))).toBe(true);
  });

  it('stores ssh and csr-inbox specs; refuses bad input with named errors and nothing stored', async () => {
    const { run, cert } = await store();
    const hostKey = `SHA256:${'Q'.repeat(43)}`;
    const ssh = await run(
      'target',
      'add',
      cert,
      '--kind',
      'ssh',
      '--host',
      'edge.example.com',
      '--port',
      '2222',
      '--user',
      'deploy',
      '--path',
      '/srv/tls',
      '--host-key',
      hostKey,
    );
    expect(ssh.code, ssh.stderr).toBe(0);
    expect((ssh.json as TargetAddResult).target.spec).toMatchObject({
      kind: 'ssh',
      host: 'edge.example.com',
      port: 2222,
      user: 'deploy',
      path: '/srv/tls',
      hostKey,
    });
    const inbox = join(tempDir(), 'inbox');
    const csr = await run('target', 'add', cert, '--kind', 'csr-inbox', '--path', inbox);
    expect(csr.code, csr.stderr).toBe(0);
    expect((csr.json as TargetAddResult).target.spec).toEqual({ v: 1, kind: 'csr-inbox', path: inbox });

    const bad = [
      ['--kind', 'folder'],
      ['--kind', 'folder', '--path', 'relative/tls'],
      ['--kind', 'folder', '--path', join(tempDir(), 'k'), '--mode', '0644'],
      ['--kind', 'ssh', '--host', 'h', '--user', 'u', '--path', '/srv', '--host-key', 'md5:00'],
    ];
    for (const args of bad) {
      const r = await run('target', 'add', cert, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect((r.json as { error: { code: string } }).error.code).toBe('VALIDATION');
    }
    expect((await run('target', 'list')).json).toHaveLength(2);
    // The ssh host does not exist: a named error, recorded as a failed delivery.
    const delivered = await run('deliver', cert);
    expect(delivered.code).toBe(1);
    expect(delivered.json).toMatchObject({ error: { code: 'SSH_UNREACHABLE' } });
    const history = (await run('target', 'history', '--cert', cert)).json as Array<{ status: string; detail: string }>;
    expect(history[0]).toMatchObject({ status: 'failed', detail: expect.stringContaining('SSH_UNREACHABLE') });
  });
});
