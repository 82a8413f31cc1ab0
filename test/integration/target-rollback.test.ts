/**
 * `certdesk target rollback TARGET` through the CLI's own parsing and dispatch, on a real SQLite
 * store: a folder target swaps `current` back (and forth) while a real reader process checks every
 * pair it reads, the reload runs after each switch, each rollback is audited and in the history; a
 * target with no previous release is refused by name with nothing changed. The ssh half runs
 * against a real OpenSSH server on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import type { DeliveryRecord, TargetAddResult, TargetRollbackResult, TargetView } from '../../src/shared/contract/index.ts';
import { inProcessCliStore } from '../support/cli-store.ts';
import { openssl } from '../support/openssl.ts';
import { startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';

const reader = fileURLToPath(new URL('../support/release-reader.mjs', import.meta.url));

const running: RunningSshd[] = [];
afterEach(async () => {
  for (const sshd of running.splice(0)) await sshd.stop();
});

async function store(prefix = 'Rollback') {
  const { dir, run, human } = await inProcessCliStore(prefix);
  const issued = await run('issue', '--ca', `${prefix} Issuing`, '--cn', 'rollback-workload');
  expect(issued.code, issued.stderr).toBe(0);
  const db = <T>(read: (db: Database.Database) => T): T => {
    const handle = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      return read(handle);
    } finally {
      handle.close();
    }
  };
  const count = (table: string) => db((d) => (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  const audited = (action: string) =>
    db((d) => d.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as Array<{ details: string }>).map(
      (r) => JSON.parse(r.details) as Record<string, unknown>,
    );
  return { dir, run, human, count, audited, cert: issued.json as { id: string; serialHex: string } };
}

/** Where the links point and every file's bytes: the whole visible state of a release tree. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(dir, rel, name);
      if (name === 'current' || name === 'previous') out[join(rel, name)] = `-> ${readlinkSync(path)}`;
      else if (statSync(path).isDirectory()) walk(join(rel, name));
      else out[join(rel, name)] = readFileSync(path, 'utf8');
    }
  };
  walk('');
  return out;
}

function currentSerial(dir: string): string {
  const printed = openssl(['x509', '-in', join(dir, 'current', 'cert.pem'), '-noout', '-serial']).stdout.trim();
  return printed.replace(/^serial=/, '').toLowerCase();
}

const bare = (hex: string) => hex.toLowerCase().replace(/^0+/, '');

describe('certdesk target rollback', () => {
  it('swaps a folder target back and forth atomically, reloads, audits, and records it', async () => {
    const { run, human, count, audited, cert } = await store();
    const folder = join(tempDir(), 'tls');
    const marker = join(tempDir(), 'reloaded');
    const added = await run('target', 'add', cert.id, '--kind', 'folder', '--path', folder, '--', '/bin/sh', '-c', `echo r >> '${marker}'`);
    expect(added.code, added.stderr).toBe(0);
    const targetId = (added.json as TargetAddResult).target.id;
    expect((await run('deliver', cert.id)).code).toBe(0);
    const first = readlinkSync(join(folder, 'current'));
    const renewed = (await run('renew', cert.id)).json as { id: string; serialHex: string };
    expect((await run('deliver', renewed.id)).code).toBe(0);
    const second = readlinkSync(join(folder, 'current'));
    expect(readFileSync(marker, 'utf8')).toBe('r\nr\n');

    // A workload reads its pair the whole time: each read resolves `current` once and checks the key matches the certificate.
    const child = spawn(process.execPath, [reader, folder], { stdio: ['pipe', 'pipe', 'inherit'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');

    const rolled = await run('target', 'rollback', targetId);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.json).toEqual({
      target: targetId,
      releaseId: first.slice('releases/'.length),
      serialHex: cert.serialHex,
      certificateId: cert.id,
      rolledBackFrom: second.slice('releases/'.length),
      reload: ['/bin/sh', '-c', `echo r >> '${marker}'`],
    } satisfies TargetRollbackResult);
    expect(readlinkSync(join(folder, 'current'))).toBe(first);
    expect(readlinkSync(join(folder, 'previous'))).toBe(second);
    expect(bare(currentSerial(folder))).toBe(bare(cert.serialHex));
    expect(readFileSync(marker, 'utf8')).toBe('r\nr\nr\n');

    // Again: back to the successor (and the reload again); then a few more swaps under the reader.
    const human1 = await human('target', 'rollback', targetId);
    expect(human1.code, human1.stderr).toBe(0);
    expect(human1.stdout).toContain(`release ${second.slice('releases/'.length)} (serial ${renewed.serialHex}) is current again`);
    expect(human1.stdout).toContain('run this again to return to it');
    expect(readlinkSync(join(folder, 'current'))).toBe(second);
    for (let i = 0; i < 10; i++) expect((await run('target', 'rollback', targetId)).code).toBe(0);
    expect(readlinkSync(join(folder, 'current'))).toBe(second);

    child.stdin.write('stop\n');
    const tally = JSON.parse((await lines.next()).value as string) as { reads: number; mismatches: number; serials: string[] };
    expect(tally.mismatches).toBe(0);
    expect(tally.reads).toBeGreaterThan(0);
    // It read the pair before and after the switches: both certificates, each with its own key.
    expect(tally.serials).toHaveLength(2);
    // Both releases are whole and untouched: rollback only moves links, and prunes nothing.
    expect(readdirSync(join(folder, 'releases')).sort()).toEqual([first, second].map((l) => l.slice('releases/'.length)).sort());
    expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean)).toHaveLength(2 + 12);

    const audit = audited('target.rollback');
    expect(audit).toHaveLength(12);
    expect(audit[0]).toMatchObject({ target: targetId, kind: 'folder', releaseId: first.slice(9), rolledBackFrom: second.slice(9) });
    const history = (await run('target', 'history', '--target', targetId)).json as DeliveryRecord[];
    expect(history[0]).toMatchObject({ status: 'done', releaseId: second.slice(9), serialHex: renewed.serialHex });
    expect(history[0]!.detail).toContain('rolled back');
    expect(history.filter((d) => d.detail.startsWith('rolled back'))).toHaveLength(12);
    // The target's last delivery names what is current now.
    const listed = (await run('target', 'list', renewed.id)).json as TargetView[];
    expect(listed[0]!.last).toMatchObject({ serialHex: renewed.serialHex, releaseId: second.slice(9) });
    expect(count('deliveries')).toBe(2 + 12);
  });

  it('refuses by name, with nothing changed, when there is no previous release or no target', async () => {
    const { run, count, audited, cert } = await store();
    const folder = join(tempDir(), 'tls');
    const marker = join(tempDir(), 'reloaded');
    const added = await run('target', 'add', cert.id, '--kind', 'folder', '--path', folder, '--', '/bin/sh', '-c', `echo r >> '${marker}'`);
    const targetId = (added.json as TargetAddResult).target.id;

    // Never delivered: the folder is empty, and stays so.
    const none = await run('target', 'rollback', targetId);
    expect(none.code).toBe(1);
    expect(none.json).toMatchObject({ error: { code: 'NO_PREVIOUS_RELEASE', field: 'target' } });
    expect(existsSync(join(folder, 'current'))).toBe(false);

    // One delivery: a current release but no previous one.
    expect((await run('deliver', cert.id)).code).toBe(0);
    const before = tree(folder);
    const deliveries = count('deliveries');
    const refused = await run('target', 'rollback', targetId);
    expect(refused.code).toBe(1);
    const error = (refused.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('NO_PREVIOUS_RELEASE');
    expect(error.message).toContain(folder);
    expect(error.message).toContain('Nothing was changed');
    expect(tree(folder)).toEqual(before);
    expect(readFileSync(marker, 'utf8')).toBe('r\n');
    expect(count('deliveries')).toBe(deliveries);
    expect(audited('target.rollback')).toEqual([]);
    expect(audited('target.rollback.failed').map((a) => a.code)).toEqual(['NO_PREVIOUS_RELEASE', 'NO_PREVIOUS_RELEASE']);

    // A previous link whose release lost a file is not made current.
    const renewed = (await run('renew', cert.id)).json as { id: string };
    expect((await run('deliver', renewed.id)).code).toBe(0);
    const previous = readlinkSync(join(folder, 'previous'));
    rmSync(join(folder, previous, 'key.pem'));
    const damaged = tree(folder);
    const incomplete = await run('target', 'rollback', targetId);
    expect(incomplete.json).toMatchObject({ error: { code: 'NO_PREVIOUS_RELEASE' } });
    expect(tree(folder)).toEqual(damaged);

    const unknown = await run('target', 'rollback', 'tgt_nope');
    expect(unknown.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'target' } });
    // A csr-inbox has no releases to roll back.
    const inboxDir = join(tempDir(), 'inbox');
    mkdirSync(inboxDir);
    const inbox = (await run('target', 'add', cert.id, '--kind', 'csr-inbox', '--path', inboxDir)).json as TargetAddResult;
    const inboxRefused = await run('target', 'rollback', inbox.target.id);
    expect(inboxRefused.json).toMatchObject({ error: { code: 'VALIDATION', field: 'target' } });
    expect(readdirSync(inboxDir).sort()).toEqual(['issued', 'rejected']);
  });

  it('rolls an ssh target back over SFTP and runs the remote reload; lists the client key line it printed at add', async () => {
    const host = await startSshd();
    running.push(host);
    const { run, human, cert } = await store('SSHRollback');
    const remote = join(tempDir('certdesk-remote-'), 'tls');
    mkdirSync(remote);
    const marker = join(tempDir(), 'reloaded');
    const added = await run(
      'target',
      'add',
      cert.id,
      '--kind',
      'ssh',
      '--host',
      host.host,
      '--port',
      String(host.port),
      '--user',
      host.user,
      '--path',
      remote,
      '--host-key',
      host.hostKeyFingerprint,
      '--',
      '/bin/sh',
      '-c',
      `echo remote >> '${marker}'`,
    );
    expect(added.code, added.stderr).toBe(0);
    const result = added.json as TargetAddResult;
    const targetId = result.target.id;
    host.authorize([result.authorizedKey!]);

    // The line printed at add is there again in the list, with its fingerprint, for the operator who needs it later.
    const listed = (await run('target', 'list', cert.id)).json as TargetView[];
    expect(listed[0]!.clientKey).toEqual({ authorizedKey: result.authorizedKey, fingerprint: result.clientKeyFingerprint, problem: null });
    const text = await human('target', 'list');
    expect(text.stdout).toContain(result.authorizedKey!);
    expect(text.stdout).toContain(result.clientKeyFingerprint!);

    // Nothing delivered yet: refused by name over ssh too, nothing written.
    expect((await run('target', 'rollback', targetId)).json).toMatchObject({ error: { code: 'NO_PREVIOUS_RELEASE' } });
    expect(readdirSync(remote)).toEqual([]);

    expect((await run('deliver', cert.id)).code).toBe(0);
    const first = readlinkSync(join(remote, 'current'));
    const renewed = (await run('renew', cert.id)).json as { id: string; serialHex: string };
    expect((await run('deliver', renewed.id)).code).toBe(0);
    const second = readlinkSync(join(remote, 'current'));
    expect(readFileSync(marker, 'utf8')).toBe('remote\nremote\n');

    const rolled = await run('target', 'rollback', targetId);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.json).toMatchObject({
      target: targetId,
      releaseId: first.slice(9),
      serialHex: cert.serialHex,
      rolledBackFrom: second.slice(9),
    });
    expect(readlinkSync(join(remote, 'current'))).toBe(first);
    expect(readlinkSync(join(remote, 'previous'))).toBe(second);
    expect(bare(currentSerial(remote))).toBe(bare(cert.serialHex));
    // The pair under current is the first certificate's, whole: openssl pairs its key with its certificate.
    const certKey = openssl(['x509', '-in', join(remote, 'current', 'cert.pem'), '-noout', '-pubkey']).stdout;
    expect(openssl(['pkey', '-in', join(remote, 'current', 'key.pem'), '-pubout']).stdout).toBe(certKey);
    expect(readFileSync(marker, 'utf8')).toBe('remote\nremote\nremote\n');
    expect(readdirSync(remote).sort()).toEqual(['current', 'previous', 'releases']);

    expect((await run('target', 'rollback', targetId)).code).toBe(0);
    expect(readlinkSync(join(remote, 'current'))).toBe(second);
    expect(bare(currentSerial(remote))).toBe(bare(renewed.serialHex));
  });
});
