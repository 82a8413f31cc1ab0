import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Release } from '../../src/main/core/delivery/release.ts';
import { sshReleaseWriter, type SshTargetEndpoint } from '../../src/main/core/delivery/ssh-release-writer.ts';
import { openssl } from '../support/openssl.ts';
import { testPki, type TestPki } from '../support/release-fixture.ts';
import { sshKeygen, startSshd, type RunningSshd } from '../support/sshd.ts';

let sshd: RunningSshd;
let work: string;
let pki: TestPki;
let clientKey: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-ssh-delivery-'));
  sshd = await startSshd();
  const keyPath = join(work, 'client_ed25519');
  sshd.authorize([sshKeygen(keyPath)]);
  clientKey = readFileSync(keyPath, 'utf8');
  pki = testPki(mkdirAt(join(work, 'pki')));
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

function mkdirAt(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

let targets = 0;
/** A fresh target folder on the "remote" host (the same machine, so the tests read it back directly). */
function target(): SshTargetEndpoint {
  const path = mkdirAt(join(work, `target-${++targets}`));
  return { host: sshd.host, port: sshd.port, user: sshd.user, hostKey: sshd.hostKeyFingerprint, clientKey, path };
}

function listing(dir: string): Record<string, { mode: number; mtimeMs: number; ino: number }> {
  const out: Record<string, { mode: number; mtimeMs: number; ino: number }> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(dir, rel, name);
      const stats = statSync(path, { throwIfNoEntry: false }) ?? { mode: 0, mtimeMs: 0, ino: 0, isDirectory: () => false };
      out[join(rel, name)] = { mode: stats.mode & 0o7777, mtimeMs: stats.mtimeMs, ino: stats.ino };
      if (stats.isDirectory() && !name.startsWith('current') && !name.startsWith('previous')) walk(join(rel, name));
    }
  };
  walk('');
  return out;
}

function expectCurrent(dir: string, release: Release): void {
  expect(readlinkSync(join(dir, 'current'))).toBe(`releases/${release.manifest.releaseId}`);
  for (const file of release.files) expect(readFileSync(join(dir, 'current', file.name))).toEqual(Buffer.from(file.bytes));
  const manifest = JSON.parse(readFileSync(join(dir, 'current', 'release.json'), 'utf8')) as { serialHex: string };
  expect(manifest.serialHex).toBe(release.manifest.serialHex);
}

describe('the ssh release writer, against a real OpenSSH server', () => {
  it('delivers a release with its modes, and delivering it again changes nothing', async () => {
    const endpoint = target();
    const writer = sshReleaseWriter(endpoint);
    const release = pki.release('workload-a');
    expect(await writer.current()).toBeNull();

    const first = await writer.write(release);
    expect(first).toEqual({ releaseId: release.manifest.releaseId, previousReleaseId: null, changed: true });
    expectCurrent(endpoint.path, release);
    const dir = join(endpoint.path, 'releases', release.manifest.releaseId);
    expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cert.pem')).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).sort()).toEqual(['cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem', 'release.json']);
    expect(readdirSync(join(endpoint.path, 'releases'))).toEqual([release.manifest.releaseId]);
    expect(existsSync(join(endpoint.path, 'previous'))).toBe(false);

    const before = listing(endpoint.path);
    // The same certificate again (even under a new release id, as a resumed rotation would build it): a no-op.
    const again = await writer.write({
      ...release,
      manifest: { ...release.manifest, releaseId: release.manifest.releaseId.replace(/^\d{4}/, '2099') },
    });
    expect(again).toEqual({ releaseId: release.manifest.releaseId, previousReleaseId: null, changed: false });
    expect(listing(endpoint.path)).toEqual(before);
    expect((await writer.current())?.manifest).toEqual(release.manifest);
  });

  it('swaps to a new serial, keeps the previous release for rollback and prunes older ones', async () => {
    const endpoint = target();
    const writer = sshReleaseWriter(endpoint);
    const [one, two, three] = [pki.release('swap-1'), pki.release('swap-2'), pki.release('swap-3')];
    await writer.write(one);
    expect(await writer.write(two)).toEqual({
      releaseId: two.manifest.releaseId,
      previousReleaseId: one.manifest.releaseId,
      changed: true,
    });
    expect(await writer.write(three)).toEqual({
      releaseId: three.manifest.releaseId,
      previousReleaseId: two.manifest.releaseId,
      changed: true,
    });
    expectCurrent(endpoint.path, three);
    expect(readlinkSync(join(endpoint.path, 'previous'))).toBe(`releases/${two.manifest.releaseId}`);
    expect(readdirSync(join(endpoint.path, 'releases')).sort()).toEqual([two.manifest.releaseId, three.manifest.releaseId].sort());
    // No temp links or staging folders are left behind.
    expect(readdirSync(endpoint.path).sort()).toEqual(['current', 'previous', 'releases']);

    expect(await writer.rollback()).toEqual({ releaseId: two.manifest.releaseId });
    expectCurrent(endpoint.path, two);
    expect(readlinkSync(join(endpoint.path, 'previous'))).toBe(`releases/${three.manifest.releaseId}`);
  });

  it('writes a chain and key that openssl verifies and pairs', async () => {
    const endpoint = target();
    await sshReleaseWriter(endpoint).write(pki.release('verified'));
    const current = join(endpoint.path, 'current');
    const verify = openssl(['verify', '-CAfile', pki.rootPath, '-untrusted', join(current, 'chain.pem'), join(current, 'cert.pem')]);
    expect(verify.status, verify.output).toBe(0);
    expect(verify.stdout).toContain(': OK');
    // fullchain.pem is leaf then chain: openssl reads the leaf first and the issuing CA from the same file.
    const full = openssl(['verify', '-CAfile', pki.rootPath, '-untrusted', join(current, 'fullchain.pem'), join(current, 'fullchain.pem')]);
    expect(full.status, full.output).toBe(0);
    const certKey = openssl(['x509', '-in', join(current, 'cert.pem'), '-noout', '-pubkey']).stdout;
    const keyKey = openssl(['pkey', '-in', join(current, 'key.pem'), '-pubout']).stdout;
    expect(certKey).toContain('BEGIN PUBLIC KEY');
    expect(keyKey).toBe(certKey);
  });

  it('never lets a reader of the folder see a certificate with another release’s key during repeated deliveries', async () => {
    const endpoint = target();
    const writer = sshReleaseWriter(endpoint);
    const releases = Array.from({ length: 6 }, (_, i) => pki.release(`reader-${i}`));
    await writer.write(releases[0]!);
    const stop = join(work, `stop-${targets}`);
    // A workload as the layout intends: resolve `current` once, then read both files from that release.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `
        const { readFileSync, realpathSync, existsSync } = require('node:fs');
        const { X509Certificate, createPrivateKey, createPublicKey } = require('node:crypto');
        const [dir, stop] = process.argv.slice(1);
        const serials = new Set(); let pairs = 0; let mismatches = 0; let said = false;
        for (;;) {
          const last = existsSync(stop);
          let cert, key;
          try {
            const release = realpathSync(dir + '/current');
            cert = readFileSync(release + '/cert.pem'); key = readFileSync(release + '/key.pem');
          } catch (e) { if (e.code === 'ENOENT') continue; throw e; }
          const x509 = new X509Certificate(cert);
          const fromKey = createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' });
          if (!x509.publicKey.export({ type: 'spki', format: 'der' }).equals(fromKey)) mismatches++;
          serials.add(x509.serialNumber); pairs++;
          if (!said) { process.stdout.write('ready\\n'); said = true; }
          if (last) break;
        }
        process.stdout.write(JSON.stringify({ pairs, mismatches, serials: serials.size }) + '\\n');
        `,
        endpoint.path,
        stop,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    const done = new Promise<number | null>((resolve) => reader.once('exit', resolve));
    while (!out.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const release of releases.slice(1)) await writer.write(release);
    writeFileSync(stop, '');
    expect(await done).toBe(0);
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as { pairs: number; mismatches: number; serials: number };
    expect(report.mismatches).toBe(0);
    expect(report.pairs).toBeGreaterThan(0);
    // It read while the deliveries ran: at least the first release and the last.
    expect(report.serials).toBeGreaterThanOrEqual(2);
    expectCurrent(endpoint.path, releases.at(-1)!);
  });
});
