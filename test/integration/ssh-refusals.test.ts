import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHostKey } from '../../src/main/core/delivery/ssh-connect.ts';
import { sshReleaseWriter, type SshTargetEndpoint } from '../../src/main/core/delivery/ssh-release-writer.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { freePort } from '../support/nginx.ts';
import { testPki, type TestPki } from '../support/release-fixture.ts';
import { SFTP_SERVER, sshFingerprint, sshKeygen, startSshd, type RunningSshd } from '../support/sshd.ts';

let sshd: RunningSshd;
let work: string;
let pki: TestPki;
const keys: Record<'good' | 'unknown' | 'readOnly', { line: string; pem: string }> = {} as never;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-ssh-refusals-'));
  sshd = await startSshd();
  for (const name of ['good', 'unknown', 'readOnly'] as const) {
    const path = join(work, `key-${name}`);
    keys[name] = { line: sshKeygen(path), pem: readFileSync(path, 'utf8') };
  }
  // The read-only key gets OpenSSH's own sftp-server in read-only mode (-R): a user who may read the folder but not write it.
  sshd.authorize([keys.good.line, `command="${SFTP_SERVER} -R" ${keys.readOnly.line}`]);
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

let count = 0;
function endpoint(overrides: Partial<SshTargetEndpoint> = {}): SshTargetEndpoint {
  return {
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    hostKey: sshd.hostKeyFingerprint,
    clientKey: keys.good.pem,
    path: mkdirAt(join(work, `target-${++count}`)),
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<CertdeskError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertdeskError);
  return error as CertdeskError;
}

/** Every path under `dir` with its link text or file bytes: "nothing changed" is this, equal before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isSymbolicLink() ? `-> ${readlinkSync(path)}` : entry.isFile() ? readFileSync(path, 'base64') : 'dir';
  }
  return out;
}

describe('the ssh target refuses, with a named error and nothing changed', () => {
  it('shows the host key to pin, before authenticating', async () => {
    const before = sshd.log().match(/Accepted publickey/g)?.length ?? 0;
    expect(await probeHostKey(sshd.host, sshd.port)).toEqual({ fingerprint: sshd.hostKeyFingerprint, algorithm: 'ssh-ed25519' });
    expect(sshd.log().match(/Accepted publickey/g)?.length ?? 0).toBe(before);
  });

  it('refuses a changed host key, naming both fingerprints, before any authentication', async () => {
    sshKeygen(join(work, 'other-host-key'));
    const pinned = sshFingerprint(join(work, 'other-host-key.pub'));
    expect(pinned).not.toBe(sshd.hostKeyFingerprint);
    const target = endpoint({ hostKey: pinned });
    const before = sshd.log().match(/Accepted publickey/g)?.length ?? 0;
    const error = await refusal(sshReleaseWriter(target).write(pki.release('host-key')));
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(pinned);
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect(readdirSync(target.path)).toEqual([]);
    // The client never authenticated to the impostor: its key was not even offered.
    expect(sshd.log().match(/Accepted publickey/g)?.length ?? 0).toBe(before);
  });

  it('refuses a client key the host does not authorize', async () => {
    const target = endpoint({ clientKey: keys.unknown.pem });
    const error = await refusal(sshReleaseWriter(target).write(pki.release('auth')));
    expect(error.code).toBe('SSH_AUTH_REFUSED');
    expect(error.message).toContain(`user "${sshd.user}"`);
    expect(readdirSync(target.path)).toEqual([]);
  });

  it('names an unreachable host, for writing and for probing', async () => {
    const closed = await freePort();
    const target = endpoint({ port: closed });
    const error = await refusal(sshReleaseWriter(target).write(pki.release('unreachable')));
    expect(error.code).toBe('SSH_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${closed}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect((await refusal(probeHostKey('127.0.0.1', closed))).code).toBe('SSH_UNREACHABLE');
    expect(readdirSync(target.path)).toEqual([]);
  });

  it('names a denied write and leaves the current release as it was', async () => {
    const target = endpoint();
    const first = pki.release('denied-1');
    await sshReleaseWriter(target).write(first);
    const before = snapshot(target.path);
    // As root, permissions do not stop a write: the user is denied by a read-only sftp-server instead (a real one, -R).
    const denied =
      process.getuid?.() === 0 ? { ...target, clientKey: keys.readOnly.pem } : (chmodSync(join(target.path, 'releases'), 0o500), target);
    const error = await refusal(sshReleaseWriter(denied).write(pki.release('denied-2')));
    chmodSync(join(target.path, 'releases'), 0o755);
    expect(error.code).toBe('SSH_PERMISSION_DENIED');
    expect(error.field).toBe('path');
    expect(snapshot(target.path)).toEqual(before);
    expect(readlinkSync(join(target.path, 'current'))).toBe(`releases/${first.manifest.releaseId}`);
  });

  it('refuses a target path that goes through a symlink into another tree', async () => {
    const elsewhere = mkdirAt(join(work, 'elsewhere'));
    const link = join(work, `link-${++count}`);
    symlinkSync(elsewhere, link);
    const error = await refusal(sshReleaseWriter(endpoint({ path: link })).write(pki.release('symlink-path')));
    expect(error.code).toBe('SSH_PATH_UNSAFE');
    expect(error.message).toContain(elsewhere);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('does not follow a releases folder or a current link that leads out of the target', async () => {
    const elsewhere = mkdirAt(join(work, 'elsewhere-2'));
    const viaReleases = endpoint();
    symlinkSync(elsewhere, join(viaReleases.path, 'releases'));
    expect((await refusal(sshReleaseWriter(viaReleases).write(pki.release('releases-link')))).code).toBe('SSH_PATH_UNSAFE');

    const viaCurrent = endpoint();
    symlinkSync(elsewhere, join(viaCurrent.path, 'current'));
    const before = snapshot(viaCurrent.path);
    const error = await refusal(sshReleaseWriter(viaCurrent).write(pki.release('current-link')));
    expect(error.code).toBe('SSH_PATH_UNSAFE');
    expect(error.message).toContain('current points at');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(snapshot(viaCurrent.path)).toEqual(before);
  });

  it('refuses a malformed pin or path before connecting', async () => {
    const before = sshd.log().match(/Connection from/g)?.length ?? 0;
    for (const bad of [{ hostKey: 'MD5:aa:bb' }, { hostKey: `${sshd.hostKeyFingerprint}=` }, { port: 0 }, { user: 'root\nx' }]) {
      const error = await refusal(sshReleaseWriter(endpoint(bad)).write(pki.release('bad-settings')));
      expect(error.code).toBe('VALIDATION');
    }
    for (const path of ['relative/dir', '/tmp/../etc', '/tmp/x/', '/tmp/\u202Ex']) {
      let error: unknown = null;
      try {
        sshReleaseWriter(endpoint({ path }));
      } catch (e) {
        error = e;
      }
      expect((error as CertdeskError).code).toBe('VALIDATION');
      expect((error as CertdeskError).field).toBe('path');
    }
    expect(sshd.log().match(/Connection from/g)?.length ?? 0).toBe(before);
  });

  it('refuses a file where the target folder is expected', async () => {
    const file = join(work, `not-a-folder-${++count}`);
    writeFileSync(file, 'keep me');
    const error = await refusal(sshReleaseWriter(endpoint({ path: file })).write(pki.release('file-path')));
    expect(error.code).toBe('SSH_PATH_UNSAFE');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});

describe('a write that fails part-way', () => {
  let limited: RunningSshd;
  beforeAll(async () => {
    // Files over 64 KiB fail with EFBIG part-way through, as on a full disk.
    limited = await startSshd({ fileSizeLimit: 64 * 1024 });
    limited.authorize([keys.good.line]);
  });
  afterAll(async () => limited?.stop());

  it('removes the incomplete release and leaves the previous one current', async () => {
    const target = endpoint({ port: limited.port, hostKey: limited.hostKeyFingerprint });
    const first = pki.release('partial-1');
    await sshReleaseWriter(target).write(first);
    const before = snapshot(target.path);
    const big = pki.release('partial-2');
    const chain = big.files.find((f) => f.role === 'chain')!;
    chain.bytes = Buffer.concat(Array.from({ length: 200 }, () => Buffer.from(chain.bytes)));
    const error = await refusal(sshReleaseWriter(target).write(big));
    expect(error.code).toBe('SSH_WRITE_FAILED');
    expect(error.message).toContain('current one is unchanged');
    expect(snapshot(target.path)).toEqual(before);
    expect(readdirSync(join(target.path, 'releases'))).toEqual([first.manifest.releaseId]);
  });
});
