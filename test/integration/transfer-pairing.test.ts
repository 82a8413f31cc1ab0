/**
 * Pairing, on real data folders: the typed fingerprint must be the peer's, roles must fit, one peer at
 * a time, and every refusal leaves no pairing row and no audit entry behind.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertdeskService } from '../../src/main/core/service.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { pair, transferState } from '../support/transfer-rig.ts';

function folder(role: 'signer' | 'publisher' | 'standalone') {
  const t = openTestService({ keychain: true });
  if (role !== 'standalone') writeRole(t.service.db, role, '2026-12-01T00:00:00.000Z', 'test@host');
  return t.service;
}

async function refused(service: CertdeskService, run: () => Promise<unknown>, code: string) {
  const before = transferState(service);
  await expect(run()).rejects.toMatchObject({ code });
  expect(transferState(service)).toEqual(before);
}

describe('pairing', () => {
  it('pairs only with the fingerprint the operator typed, shows both, and audits it', async () => {
    const signer = folder('signer');
    const publisher = folder('publisher');
    const dir = tempDir();
    const exported = await publisher.transfer.exportPairing(join(dir, 'publisher.json'), false);
    const file = exported.file;
    // The fingerprint is SHA-256 over the public key's SPKI, as openssl computes it independently.
    const spki = createPublicKey({ key: file.publicJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
    writeFileSync(join(dir, 'pub.pem'), spki);
    expect(openssl(['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-outform', 'DER', '-out', join(dir, 'pub.der')]).status).toBe(0);
    expect(openssl(['dgst', '-sha256', '-binary', '-out', join(dir, 'pub.sha256'), join(dir, 'pub.der')]).status).toBe(0);
    const independent = openssl(['base64', '-A', '-in', join(dir, 'pub.sha256')])
      .stdout.trim()
      .replace(/=+$/, '');
    expect(file.fingerprint).toBe(`SHA256:${independent}`);
    expect(file.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(JSON.parse(readFileSync(exported.path, 'utf8'))).toEqual(file);
    const own = (await signer.transfer.showPairing()).fingerprint;

    await refused(signer, () => signer.transfer.importPairing(exported.path, {}), 'CONFIRMATION_REQUIRED');
    await expect(signer.transfer.importPairing(exported.path, {})).rejects.toThrow(own);
    await refused(signer, () => signer.transfer.importPairing(exported.path, { confirm: own }), 'TRANSFER_FINGERPRINT_MISMATCH');
    await refused(signer, () => signer.transfer.importPairing(exported.path, { confirm: 'SHA256:AAAA' }), 'TRANSFER_FINGERPRINT_MISMATCH');

    const auditBefore = transferState(signer).audit;
    const result = await signer.transfer.importPairing(exported.path, { confirm: file.fingerprint });
    expect(result).toMatchObject({ ownFingerprint: own, peer: { role: 'publisher', fingerprint: file.fingerprint }, replaced: null });
    expect(await signer.transfer.showPairing()).toMatchObject({
      role: 'signer',
      fingerprint: own,
      peer: { fingerprint: file.fingerprint },
    });
    const entry = signer.audit.list(0, 1).items[0]!;
    expect(transferState(signer).audit).toBe(auditBefore + 1);
    expect(entry).toMatchObject({
      action: 'transfer.pair',
      details: { ownFingerprint: own, peerFingerprint: file.fingerprint, replaced: null },
    });

    // One peer at a time: another publisher needs --replace, which is audited with the one it ends.
    const other = folder('publisher');
    const otherFile = (await other.transfer.exportPairing(join(dir, 'other.json'), false)).file;
    await refused(signer, () => signer.transfer.importPairing(join(dir, 'other.json'), { confirm: otherFile.fingerprint }), 'CONFLICT');
    const replaced = await signer.transfer.importPairing(join(dir, 'other.json'), { confirm: otherFile.fingerprint, replace: true });
    expect(replaced.replaced).toBe(file.fingerprint);
    expect(signer.audit.list(0, 1).items[0]).toMatchObject({ action: 'transfer.pair', details: { replaced: file.fingerprint } });
    expect(transferState(signer).pairings).toBe(2);
  });

  it('refuses a standalone folder, two of the same role, its own file, an altered file, and an existing one without --force', async () => {
    const dir = tempDir();
    const standalone = folder('standalone');
    await refused(standalone, () => standalone.transfer.exportPairing(join(dir, 's.json'), false), 'TRANSFER_ROLE');
    await expect(standalone.transfer.exportPairing(join(dir, 's.json'), false)).rejects.toThrow('certdesk role set');
    const signer = folder('signer');
    const other = folder('signer');
    const { file } = await other.transfer.exportPairing(join(dir, 'other.json'), false);
    await refused(
      standalone,
      () => standalone.transfer.importPairing(join(dir, 'other.json'), { confirm: file.fingerprint }),
      'TRANSFER_ROLE',
    );
    await refused(signer, () => signer.transfer.importPairing(join(dir, 'other.json'), { confirm: file.fingerprint }), 'TRANSFER_ROLE');
    const own = await signer.transfer.exportPairing(join(dir, 'own.json'), false);
    await refused(signer, () => signer.transfer.importPairing(own.path, { confirm: own.file.fingerprint }), 'TRANSFER_ROLE');

    const publisher = folder('publisher');
    const pub = await publisher.transfer.exportPairing(join(dir, 'pub.json'), false);
    const altered = { ...pub.file, publicJwk: { ...pub.file.publicJwk, x: own.file.publicJwk.x } };
    writeFileSync(join(dir, 'altered.json'), JSON.stringify(altered));
    await refused(
      signer,
      () => signer.transfer.importPairing(join(dir, 'altered.json'), { confirm: pub.file.fingerprint }),
      'TRANSFER_FORMAT',
    );
    writeFileSync(join(dir, 'junk.json'), '{"format":"certdesk-pairing/1"}');
    await refused(
      signer,
      () => signer.transfer.importPairing(join(dir, 'junk.json'), { confirm: pub.file.fingerprint }),
      'TRANSFER_FORMAT',
    );
    writeFileSync(join(dir, 'huge.json'), Buffer.alloc(64 * 1024, 0x20));
    await refused(
      signer,
      () => signer.transfer.importPairing(join(dir, 'huge.json'), { confirm: pub.file.fingerprint }),
      'TRANSFER_TOO_LARGE',
    );

    const before = readFileSync(pub.path, 'utf8');
    await expect(publisher.transfer.exportPairing(pub.path, false)).rejects.toMatchObject({ code: 'CONFLICT', field: 'out' });
    expect(readFileSync(pub.path, 'utf8')).toBe(before);
    expect((await publisher.transfer.exportPairing(pub.path, true)).file.fingerprint).toBe(pub.file.fingerprint);
  });

  it('keeps the sequences when the same peer key is paired again, so its old bundles stay replays', async () => {
    const signer = folder('signer');
    const publisher = folder('publisher');
    await pair(signer, publisher);
    signer.db.prepare('UPDATE transfer_pairings SET last_accepted_seq = 7, last_sent_seq = 4').run();
    const dir = tempDir();
    const { file } = await publisher.transfer.exportPairing(join(dir, 'p.json'), false);
    await signer.transfer.importPairing(join(dir, 'p.json'), { confirm: file.fingerprint, replace: true });
    expect(transferState(signer).pairing).toMatchObject({ last_accepted_seq: 7, last_sent_seq: 4 });
  });
});
