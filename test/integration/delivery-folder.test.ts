/**
 * Issue 11, folder targets end to end on a real SQLite file and a real folder: the layout, openssl
 * as the verifier of what was written, idempotence, inheritance through renewal, rollback, and the
 * refusals (a web caller, an edited row, a symlinked path) with nothing written.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI_TARGET_APPROVER } from '../../src/main/core/delivery/target-approver.ts';
import { FolderWriter } from '../../src/main/core/delivery/folder-writer.ts';
import type { ReleaseWriter } from '../../src/main/core/delivery/release.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { startWebHost } from '../../src/main/web/host.ts';
import type { Channel, ChannelInput, ChannelOutput, Result } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

async function rig() {
  const t = await withIssuingCa();
  const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'workload' }, source: { kind: 'generated' } });
  const cli = createHandlers(t.service, { targetApprover: CLI_TARGET_APPROVER });
  const web = createHandlers(t.service, {});
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>, handlers = cli): Promise<ChannelOutput<C>> => {
    const result = (await dispatch(handlers, channel, input, () => {})) as Result<ChannelOutput<C>>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
  const raw = <C extends Channel>(channel: C, input: unknown, handlers = web) => dispatch(handlers, channel, input, () => {});
  const count = (table: string) => (t.service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { t, cert, call, raw, count, cli, web };
}

/** POST /rpc/targets:add on a real web host, with its token, as the page (or an attacker in it) would. */
async function webPost(handlers: ReturnType<typeof createHandlers>, input: unknown): Promise<Result<unknown>> {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  const host = await startWebHost({ handlers, staticDir, log: () => {} });
  onTestFinished(() => host.close());
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: '/rpc/targets:add',
        headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(JSON.parse(body) as Result<unknown>));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('folder delivery target', () => {
  it('writes the release layout: cert, chain without the root, fullchain, a 0600 key that openssl verifies', async () => {
    const { t, cert, call } = await rig();
    const dir = join(tempDir(), 'tls');
    const { target } = await call('targets:add', { cert: cert.id, kind: 'folder', path: dir });
    expect(target).toMatchObject({
      kind: 'folder',
      approved: true,
      approvedBy: 'cli',
      spec: { path: dir, keyFormat: 'pem', keyMode: 0o600 },
    });

    const delivered = await call('certs:deliver', { cert: cert.id });
    expect(delivered).toMatchObject({ outcome: 'done', serialHex: cert.serialHex });
    expect(delivered.deliveries).toEqual([expect.objectContaining({ status: 'done', targetId: target.id })]);
    const current = join(dir, 'current');
    expect(lstatSync(current).isSymbolicLink()).toBe(true);
    expect(readlinkSync(current)).toMatch(/^releases\/\d{8}T\d{6}Z-[0-9a-f]+$/);
    expect(mode(join(current, 'key.pem'))).toBe(0o600);
    expect(mode(join(current, 'cert.pem'))).toBe(0o644);

    const root = t.service.listAuthorities().find((a) => a.name === 'Test Root')!;
    const rootFile = join(tempDir(), 'root.pem');
    writeFileSync(rootFile, root.pem);
    // chain.pem is the issuing CA only: verified against the root given separately.
    const chain = readFileSync(join(current, 'chain.pem'), 'utf8');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(openssl(['verify', '-CAfile', rootFile, '-untrusted', join(current, 'chain.pem'), join(current, 'cert.pem')]).status).toBe(0);
    // fullchain.pem is the leaf then the chain, as a server or client presents them.
    const full = readFileSync(join(current, 'fullchain.pem'), 'utf8');
    expect(full).toBe(readFileSync(join(current, 'cert.pem'), 'utf8') + chain);
    expect(openssl(['verify', '-CAfile', rootFile, '-untrusted', join(current, 'fullchain.pem'), join(current, 'cert.pem')]).status).toBe(
      0,
    );
    // The key is the certificate's.
    const fromKey = openssl(['pkey', '-in', join(current, 'key.pem'), '-pubout']).stdout;
    const fromCert = openssl(['x509', '-in', join(current, 'cert.pem'), '-noout', '-pubkey']).stdout;
    expect(fromKey).toBe(fromCert);
    const manifest = JSON.parse(readFileSync(join(current, 'release.json'), 'utf8')) as { serialHex: string; sha256: string };
    expect(manifest).toMatchObject({ serialHex: cert.serialHex, sha256: cert.sha256Hex });

    // Idempotent: the same serial again changes nothing and is recorded as skipped.
    const before = readlinkSync(current);
    const again = await call('certs:deliver', { cert: cert.id });
    expect(again).toMatchObject({ outcome: 'skip' });
    expect(again.deliveries[0]).toMatchObject({ status: 'skipped' });
    expect(readlinkSync(current)).toBe(before);
    expect(readdirSync(join(dir, 'releases'))).toHaveLength(1);
    const history = await call('targets:history', { target: target.id });
    expect(history.map((d) => d.status)).toEqual(['skipped', 'done']);
    expect(t.service.listAudit({ limit: 1000 }).items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['target.add', 'delivery.done', 'delivery.skipped']),
    );
  });

  it('zeroes the key file it handed the writer once written, and when the write fails', async () => {
    const { t, cert, call } = await rig();
    const dir = join(tempDir(), 'tls');
    await call('targets:add', { cert: cert.id, kind: 'folder', path: dir });
    // The real folder writer, watched: the key file's bytes as the writer was given them.
    const handed: Uint8Array[] = [];
    let failNext = false;
    t.service.delivery.registerWriter('folder', (target) => {
      if (target.spec.kind !== 'folder') throw new Error('a folder target');
      const real = new FolderWriter(target.spec.path);
      const watched: ReleaseWriter = {
        current: () => real.current(),
        write: async (release) => {
          const key = release.files.find((f) => f.role === 'key')!;
          handed.push(key.bytes);
          expect(Buffer.from(key.bytes).toString('latin1')).toContain('BEGIN PRIVATE KEY');
          if (failNext) throw new Error('the disk is full');
          return real.write(release);
        },
        rollback: () => real.rollback(),
      };
      return watched;
    });
    await call('certs:deliver', { cert: cert.id });
    const written = readFileSync(join(dir, 'current', 'key.pem'), 'utf8');
    expect(written).toContain('BEGIN PRIVATE KEY');
    expect(handed).toHaveLength(1);
    expect(handed[0]!.byteLength).toBe(Buffer.byteLength(written));
    expect(handed[0]!.every((b) => b === 0)).toBe(true);

    // A write that fails: the delivery says so, and the key it was given is zeroed all the same.
    failNext = true;
    const second = join(tempDir(), 'tls2');
    await call('targets:add', { cert: cert.id, kind: 'folder', path: second });
    const failed = await call('certs:deliver', { cert: cert.id }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'DELIVERY_FAILED', message: expect.stringContaining('the disk is full') });
    expect(handed).toHaveLength(2);
    expect(handed[1]!.byteLength).toBe(Buffer.byteLength(written));
    expect(handed[1]!.every((b) => b === 0)).toBe(true);
    expect(existsSync(join(second, 'current'))).toBe(false);
  });

  it('a renewal inherits the targets: previous keeps the old release, older ones are pruned, rollback swaps back', async () => {
    const { t, cert, call } = await rig();
    const dir = join(tempDir(), 'tls');
    const { target } = await call('targets:add', { cert: cert.id, kind: 'folder', path: dir, mode: '0640' });
    await call('certs:deliver', { cert: cert.id });
    const first = readlinkSync(join(dir, 'current'));
    const second = await t.service.renew({ cert: cert.id });
    expect(t.service.delivery.targetCount(second.id)).toBe(1);
    const listed = await call('targets:list', { cert: second.id });
    expect(listed).toEqual([expect.objectContaining({ id: target.id, inheritedFrom: cert.id })]);
    // The superseded certificate is never delivered over its successor.
    await expect(call('certs:deliver', { cert: cert.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await call('certs:deliver', { cert: second.id });
    const secondRelease = readlinkSync(join(dir, 'current'));
    expect(readlinkSync(join(dir, 'previous'))).toBe(first);
    expect(mode(join(dir, 'current', 'key.pem'))).toBe(0o640);
    expect(
      openssl(['x509', '-in', join(dir, 'current', 'cert.pem'), '-noout', '-serial'])
        .stdout.trim()
        .toLowerCase(),
    ).toBe(`serial=${second.serialHex}`);
    const third = await t.service.renew({ cert: second.id });
    await call('certs:deliver', { cert: third.id });
    expect(readlinkSync(join(dir, 'previous'))).toBe(secondRelease);
    expect(readdirSync(join(dir, 'releases')).sort()).toEqual(
      [secondRelease, readlinkSync(join(dir, 'current'))].map((l) => l.slice(9)).sort(),
    );

    const rolled = await new FolderWriter(dir).rollback();
    expect(`releases/${rolled.releaseId}`).toBe(secondRelease);
    expect(readlinkSync(join(dir, 'current'))).toBe(secondRelease);
    // Removal ends it for the whole lineage; the history stays.
    await call('targets:remove', { target: target.id });
    expect(t.service.delivery.targetCount(third.id)).toBe(0);
    expect((await call('targets:history', { cert: third.id })).length).toBe(1);
  });

  it('encrypted and PKCS#12 keys are under the vault-held passphrase shown once', async () => {
    const { cert, call } = await rig();
    const encDir = join(tempDir(), 'enc');
    const p12Dir = join(tempDir(), 'p12');
    const enc = await call('targets:add', { cert: cert.id, kind: 'folder', path: encDir, keyFormat: 'encrypted' });
    const p12 = await call('targets:add', {
      cert: cert.id,
      kind: 'folder',
      path: p12Dir,
      keyFormat: 'p12',
      fileNames: { p12: 'client.p12' },
    });
    expect(enc.passphrase).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await call('certs:deliver', { cert: cert.id });
    const keyFile = join(encDir, 'current', 'key.pem');
    expect(readFileSync(keyFile, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(openssl(['pkey', '-in', keyFile, '-passin', `pass:${enc.passphrase}`, '-noout']).status).toBe(0);
    expect(openssl(['pkey', '-in', keyFile, '-passin', 'pass:wrong-passphrase', '-noout']).status).not.toBe(0);
    const bundle = join(p12Dir, 'current', 'client.p12');
    expect(mode(bundle)).toBe(0o600);
    const parsed = openssl(['pkcs12', '-in', bundle, '-passin', `pass:${p12.passphrase}`, '-nodes']);
    expect(parsed.status).toBe(0);
    expect(parsed.stdout).toContain('PRIVATE KEY');
    expect(existsSync(join(p12Dir, 'current', 'key.pem'))).toBe(false);
  });

  it('the web host refuses to add a target of any kind: named error, no row, no folder, nothing audited', async () => {
    const { t, cert, web, count } = await rig();
    const dir = join(tempDir(), 'planted');
    const audited = t.service.listAudit({ limit: 1000 }).total;
    for (const input of [
      { cert: cert.id, kind: 'folder', path: dir },
      { cert: cert.id, kind: 'ssh', host: 'example.com', user: 'deploy', path: '/srv/tls', hostKey: `SHA256:${'A'.repeat(43)}` },
      { cert: cert.id, kind: 'csr-inbox', path: dir },
    ]) {
      const result = await webPost(web, input);
      expect(result).toMatchObject({ ok: false, error: { code: 'TARGET_APPROVAL_UNAVAILABLE' } });
      if (!result.ok) expect(result.error.message).toContain('certdesk target add');
    }
    expect(count('delivery_targets')).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(t.service.listAudit({ limit: 1000 }).total).toBe(audited);
  });

  it('refuses relative, system and symlinked paths with nothing written', async () => {
    const { cert, raw, cli, count } = await rig();
    const base = tempDir();
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(base, 'link'));
    const cases: Array<[string, string]> = [
      ['tls', 'VALIDATION'],
      ['/proc/self/tls', 'TARGET_PATH_UNSAFE'],
      [join(base, 'link'), 'TARGET_PATH_UNSAFE'],
      [join(base, 'link', 'tls'), 'TARGET_PATH_UNSAFE'],
      [`${base}/a/../tls`, 'TARGET_PATH_UNSAFE'],
      [join(base, 'missing', 'tls'), 'TARGET_PATH_UNSAFE'],
    ];
    for (const [path, code] of cases) {
      const result = await raw('targets:add', { cert: cert.id, kind: 'folder', path }, cli);
      expect(result, path).toMatchObject({ ok: false, error: { code } });
    }
    expect(count('delivery_targets')).toBe(0);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(base, 'tls'))).toBe(false);
    expect((await raw('targets:add', { cert: cert.id, kind: 'folder', path: join(base, 'x'), mode: '0644' }, cli)).ok).toBe(false);
    expect((await raw('targets:add', { cert: cert.id, kind: 'folder', path: join(base, 'x'), fileNames: { key: '../k' } }, cli)).ok).toBe(
      false,
    );
    expect(count('delivery_targets')).toBe(0);
  });

  it('a target row edited in the database is refused: no key goes to the new path', async () => {
    const { t, cert, call, count } = await rig();
    const dir = join(tempDir(), 'tls');
    const { target } = await call('targets:add', { cert: cert.id, kind: 'folder', path: dir });
    const attacker = join(tempDir(), 'stolen');
    mkdirSync(attacker);
    const row = t.service.db.prepare('SELECT spec FROM delivery_targets WHERE id = ?').get(target.id) as { spec: string };
    t.service.db
      .prepare('UPDATE delivery_targets SET spec = ? WHERE id = ?')
      .run(JSON.stringify({ ...(JSON.parse(row.spec) as object), path: attacker }), target.id);
    await expect(call('certs:deliver', { cert: cert.id })).rejects.toMatchObject({ code: 'TARGET_NOT_APPROVED' });
    expect(readdirSync(attacker)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(await call('targets:list', { cert: cert.id })).toEqual([expect.objectContaining({ approved: false })]);
    expect((await call('targets:test', { target: target.id })).ok).toBe(false);
    expect(count('deliveries')).toBe(1); // the refusal, recorded
  });

  it('a folder swapped for a symlink after it was added is refused at delivery', async () => {
    const { cert, call } = await rig();
    const base = tempDir();
    const dir = join(base, 'tls');
    const { target } = await call('targets:add', { cert: cert.id, kind: 'folder', path: dir });
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    const { rmdirSync } = await import('node:fs');
    rmdirSync(dir);
    symlinkSync(elsewhere, dir);
    await expect(call('certs:deliver', { cert: cert.id })).rejects.toMatchObject({ code: 'TARGET_PATH_UNSAFE' });
    expect(readdirSync(elsewhere)).toEqual([]);
    const tested = await call('targets:test', { target: target.id });
    expect(tested.checks.find((c) => c.name === 'writable')).toMatchObject({ ok: false });
  });

  it('target test reports the current serial; an ssh target that cannot be reached is a named error', async () => {
    const { cert, call } = await rig();
    const dir = join(tempDir(), 'tls');
    const { target } = await call('targets:add', {
      cert: cert.id,
      kind: 'folder',
      path: dir,
      owner: String(process.getuid!()),
      group: '0',
    });
    expect((await call('targets:test', { target: target.id })).checks.map((c) => c.ok)).toEqual([true, true, true]);
    await call('certs:deliver', { cert: cert.id });
    expect(await call('targets:test', { target: target.id })).toMatchObject({ ok: true, currentSerial: cert.serialHex });
    const ssh = await call('targets:add', {
      cert: cert.id,
      kind: 'ssh',
      host: '127.0.0.1',
      port: 2222,
      user: 'deploy',
      path: '/srv/tls',
      hostKey: `SHA256:${'b'.repeat(43)}`,
    });
    expect(ssh.target.spec).toMatchObject({ kind: 'ssh', host: '127.0.0.1', port: 2222, hostKey: `SHA256:${'b'.repeat(43)}` });
    // Nothing listens on 127.0.0.1:2222 here: the folder target already holds the serial, the ssh one fails by name.
    await expect(call('certs:deliver', { cert: cert.id })).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
  });
});
