import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock.ts';
import { createSshClientKey, loadSshClientKey } from '../../src/main/core/delivery/ssh-client-key.ts';
import { sshReleaseWriter } from '../../src/main/core/delivery/ssh-release-writer.ts';
import { deliverOverSsh } from '../../src/main/core/delivery/ssh-target.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { KeyRepository } from '../../src/main/core/store/key-repository.ts';
import { testPki } from '../support/release-fixture.ts';
import { openTestService } from '../support/service.ts';
import { sshFingerprint, startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';

let sshd: RunningSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => sshd?.stop());

describe("an ssh target's client key, held by the vault", () => {
  it('is generated, sealed in the keys table, and authorizes a delivery once its public line is on the host', async () => {
    const t = openTestService();
    const keys = new KeyRepository(t.service.db);
    const before = keys.count();
    const created = await createSshClientKey({ vault: t.service.vault, keys, clock: systemClock }, 'edge host/1');

    // One row, sealed under the vault: the stored bytes are not a readable key.
    expect(keys.count()).toBe(before + 1);
    const row = keys.get(created.keyId)!;
    expect(row.keyType).toBe('ssh-ed25519');
    const opened = await t.service.vault.openKey(created.keyId, row.sealed);
    expect(Buffer.from(row.sealed).includes(Buffer.from(opened))).toBe(false);
    expect(t.service.vault.status().state).toBe('ready');

    // The operator's line, checked by OpenSSH itself.
    const dir = tempDir();
    expect(created.authorizedKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* certdesk:edge_host_1$/);
    writeFileSync(join(dir, 'client.pub'), `${created.authorizedKey}\n`);
    expect(sshFingerprint(join(dir, 'client.pub'))).toBe(created.fingerprint);

    // The loaded private key is the same key: ssh-keygen derives the same public line from it.
    const privateKey = await loadSshClientKey({ vault: t.service.vault, keys }, created.keyId);
    writeFileSync(join(dir, 'client'), privateKey, { mode: 0o600 });
    const derived = spawnSync('ssh-keygen', ['-y', '-f', join(dir, 'client')], { encoding: 'utf8' });
    expect(derived.status, derived.stderr).toBe(0);
    expect(derived.stdout.trim().split(' ').slice(0, 2)).toEqual(created.authorizedKey.split(' ').slice(0, 2));

    sshd.authorize([created.authorizedKey]);
    const path = join(dir, 'target');
    mkdirSync(path);
    const release = testPki(tempDir()).release('vault-key');
    const writer = sshReleaseWriter({
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      hostKey: sshd.hostKeyFingerprint,
      clientKey: privateKey,
      path,
    });
    expect((await writer.write(release)).changed).toBe(true);
    expect(readlinkSync(join(path, 'current'))).toBe(`releases/${release.manifest.releaseId}`);
    expect(readFileSync(join(path, 'current', 'cert.pem'))).toEqual(Buffer.from(release.files[0]!.bytes));
    expect(sshd.log()).toContain(`Accepted publickey for ${sshd.user} from 127.0.0.1`);
    expect(sshd.log()).toContain(created.fingerprint);
  });

  it('is not loaded from a key row of another kind', async () => {
    const t = openTestService();
    const keys = new KeyRepository(t.service.db);
    const root = await t.service.createAuthority({ name: 'Root', keyType: 'ec-p256' });
    const caKeyId = (t.service.db.prepare('SELECT key_id FROM authorities WHERE id = ?').get(root.id) as { key_id: string }).key_id;
    const error = await loadSshClientKey({ vault: t.service.vault, keys }, caKeyId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertdeskError);
    expect((error as CertdeskError).code).toBe('NOT_FOUND');
  });

  it('delivers a stored target with its vault key, and reloads on the host only when the release changed', async () => {
    const t = openTestService();
    const deps = { vault: t.service.vault, keys: new KeyRepository(t.service.db), clock: systemClock };
    const created = await createSshClientKey(deps, 'stored');
    sshd.authorize([created.authorizedKey]);
    const dir = tempDir();
    const path = join(dir, 'target');
    mkdirSync(path);
    const marker = join(dir, 'reloaded');
    const settings = {
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      path,
      hostKey: sshd.hostKeyFingerprint,
      clientKeyId: created.keyId,
      reloadArgv: ['touch', marker],
    };
    const release = testPki(tempDir()).release('stored-target');
    const first = await deliverOverSsh(deps, settings, release);
    expect(first.changed).toBe(true);
    expect(first.reload?.status).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const again = await deliverOverSsh(deps, settings, release);
    expect(again).toEqual({ releaseId: release.manifest.releaseId, previousReleaseId: null, changed: false, reload: null });
    expect(existsSync(marker)).toBe(false);
  });
});
