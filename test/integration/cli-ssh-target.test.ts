/**
 * An ssh target end to end through the CLI and the core, against a real OpenSSH server on 127.0.0.1:
 * the host key shown and refused until pinned, the target's own client key installed from the line
 * `target add` prints, delivery over SFTP checked by openssl, a no-op second delivery, a renewal
 * swapping `current`, the remote reload, and a re-keyed host refused with nothing written.
 */
import { inProcessCliStore } from '../support/cli-store.ts';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import type { DeliverResult, TargetAddResult, TargetTestResult } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';

const running: RunningSshd[] = [];
afterEach(async () => {
  for (const sshd of running.splice(0)) await sshd.stop();
});

async function sshd(port?: number): Promise<RunningSshd> {
  const started = await startSshd(port === undefined ? {} : { port });
  running.push(started);
  return started;
}

async function store() {
  const { dir, run, human } = await inProcessCliStore('SSH');
  const issued = await run('issue', '--ca', 'SSH Issuing', '--cn', 'remote-workload');
  expect(issued.code, issued.stderr).toBe(0);
  const authorities = (await run('ca', 'list')).json as Array<{ name: string; pem: string }>;
  const rootPath = join(tempDir(), 'root.pem');
  writeFileSync(rootPath, authorities.find((a) => a.name === 'SSH Root')!.pem);
  const count = (table: string) => {
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  return { run, human, count, rootPath, cert: issued.json as { id: string; serialHex: string } };
}

/** Every path under `dir` with its link target or content: what the remote host holds. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(dir, rel, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (name === 'current' || name === 'previous') out[join(rel, name)] = `-> ${readlinkSync(path)}`;
      else if (info?.isDirectory()) walk(join(rel, name));
      else out[join(rel, name)] = readFileSync(path, 'utf8');
    }
  };
  walk('');
  return out;
}

function verifyRelease(folder: string, rootPath: string, serialHex: string): void {
  const current = join(folder, 'current');
  const chain = openssl(['verify', '-CAfile', rootPath, '-untrusted', join(current, 'chain.pem'), join(current, 'cert.pem')]);
  expect(chain.output).toContain(': OK');
  // fullchain.pem is the leaf, then the chain: the leaf verifies with fullchain as its untrusted intermediates.
  const full = openssl(['verify', '-CAfile', rootPath, '-untrusted', join(current, 'fullchain.pem'), join(current, 'fullchain.pem')]);
  expect(full.output).toContain(': OK');
  const certKey = openssl(['x509', '-in', join(current, 'cert.pem'), '-noout', '-pubkey']).stdout;
  const keyPub = openssl(['pkey', '-in', join(current, 'key.pem'), '-pubout']).stdout;
  expect(keyPub).toBe(certKey);
  expect(statSync(join(current, 'key.pem')).mode & 0o777).toBe(0o600);
  const serial = openssl(['x509', '-in', join(current, 'cert.pem'), '-noout', '-serial']).stdout.trim();
  const bare = (hex: string) => hex.toLowerCase().replace(/^0+/, '');
  expect(bare(serial.replace(/^serial=/, ''))).toBe(bare(serialHex));
}

describe('an ssh target through the CLI', () => {
  it('pins the host key, installs its client key, delivers, renews, and refuses a re-keyed host', async () => {
    const host = await sshd();
    const { run, human, count, rootPath, cert } = await store();
    const remote = join(tempDir('certdesk-remote-'), 'tls');
    mkdirSync(remote);
    const marker = join(tempDir(), 'reloaded');
    const where = ['--host', host.host, '--port', String(host.port), '--user', host.user, '--path', remote];
    const reload = ['--', '/bin/sh', '-c', `echo reloaded >> '${marker}'`];
    const keysBefore = count('keys');

    // Without a pin: the presented fingerprint, and nothing stored.
    const probed = await run('target', 'add', cert.id, '--kind', 'ssh', ...where, ...reload);
    expect(probed.code).toBe(1);
    const failure = (probed.json as { error: { code: string; message: string; field: string } }).error;
    expect(failure).toMatchObject({ code: 'CONFIRMATION_REQUIRED', field: 'hostKey' });
    expect(failure.message).toContain(`--host-key ${host.hostKeyFingerprint}`);
    const told = await human('target', 'add', cert.id, '--kind', 'ssh', ...where);
    expect(told.code).toBe(1);
    expect(told.stderr).toContain(host.hostKeyFingerprint);
    expect(count('delivery_targets')).toBe(0);
    expect(count('keys')).toBe(keysBefore);

    const added = await run('target', 'add', cert.id, '--kind', 'ssh', ...where, '--host-key', host.hostKeyFingerprint, ...reload);
    expect(added.code, added.stderr).toBe(0);
    const result = added.json as TargetAddResult;
    expect(result.authorizedKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* certdesk:tgt_/);
    expect(result.clientKeyFingerprint).toMatch(/^SHA256:/);
    expect(result.target.spec).toMatchObject({
      kind: 'ssh',
      hostKey: host.hostKeyFingerprint,
      path: remote,
      clientKeyId: expect.any(String),
    });
    expect(count('keys')).toBe(keysBefore + 1);
    const targetId = result.target.id;

    // Not installed yet: the host refuses the key, nothing is written.
    const refused = await run('deliver', cert.id);
    expect(refused.json).toMatchObject({ error: { code: 'SSH_AUTH_REFUSED' } });
    expect(readdirSync(remote)).toEqual([]);

    host.authorize([result.authorizedKey!]);
    const tested = await run('target', 'test', targetId);
    expect(tested.code, tested.stdout).toBe(0);
    expect(tested.json).toMatchObject({ ok: true, currentSerial: null });

    const first = await run('deliver', cert.id);
    expect(first.code, first.stdout).toBe(0);
    expect((first.json as DeliverResult).deliveries).toMatchObject([{ status: 'done', targetId }]);
    verifyRelease(remote, rootPath, cert.serialHex);
    expect(readFileSync(marker, 'utf8')).toBe('reloaded\n');
    expect((await run('target', 'test', targetId)).json).toMatchObject({ ok: true, currentSerial: cert.serialHex });

    const before = tree(remote);
    const again = await run('deliver', cert.id);
    expect(again.json).toMatchObject({ outcome: 'skip', deliveries: [{ status: 'skipped' }] });
    expect(tree(remote)).toEqual(before);
    expect(readFileSync(marker, 'utf8')).toBe('reloaded\n');

    const renewed = (await run('renew', cert.id)).json as { id: string; serialHex: string };
    const swapped = await run('deliver', renewed.id);
    expect(swapped.code, swapped.stdout).toBe(0);
    verifyRelease(remote, rootPath, renewed.serialHex);
    const oldRelease = before['current']!.replace('-> ', '');
    expect(readlinkSync(join(remote, 'previous'))).toBe(oldRelease);
    expect(readFileSync(marker, 'utf8')).toBe('reloaded\nreloaded\n');

    // The host comes back on the same address with another host key.
    await host.stop();
    running.splice(running.indexOf(host), 1);
    const impostor = await sshd(host.port);
    expect(impostor.hostKeyFingerprint).not.toBe(host.hostKeyFingerprint);
    impostor.authorize([result.authorizedKey!]);
    const third = (await run('renew', renewed.id)).json as { id: string };
    const snapshot = tree(remote);
    const failed = await run('deliver', third.id);
    expect(failed.code).toBe(1);
    const changed = (failed.json as { error: { code: string; message: string } }).error;
    expect(changed.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(changed.message).toContain(host.hostKeyFingerprint);
    expect(changed.message).toContain(impostor.hostKeyFingerprint);
    expect(tree(remote)).toEqual(snapshot);
    expect(readFileSync(marker, 'utf8')).toBe('reloaded\nreloaded\n');
    // Refused before authentication: the impostor never saw the client key's signature.
    expect(impostor.log()).not.toMatch(/Accepted publickey/);
    const history = (await run('target', 'history', '--target', targetId)).json as Array<{
      status: string;
      certificateId: string;
      detail: string;
    }>;
    expect(history[0]).toMatchObject({
      status: 'failed',
      certificateId: third.id,
      detail: expect.stringContaining('SSH_HOST_KEY_CHANGED'),
    });
    const probeAgain = (await run('target', 'test', targetId)).json as TargetTestResult;
    expect(probeAgain.ok).toBe(false);
  });
});
