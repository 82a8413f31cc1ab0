/**
 * Every bundle the importer must refuse (docs/transfer-bundles.md § What the importer checks): each is
 * refused with its named code, and changes nothing: no import or item row, nothing queued, no audit
 * entry, and the accepted sequence where it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertdeskService } from '../../src/main/core/service.ts';
import { TRANSFER_LIMITS } from '../../src/main/core/transfer/limits.ts';
import { ensureIdentity } from '../../src/main/core/transfer/identity.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import type { TransferManifest } from '../../src/shared/contract/index.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { carriedItem, handMadeBundle, pairedFolders, signedEnvelope, transferState, writeBundle } from '../support/transfer-rig.ts';

async function expectRefused(importer: CertdeskService, bytes: Uint8Array | string, code: string): Promise<void> {
  const before = transferState(importer);
  await expect(importer.transfer.importBundle(writeBundle(bytes))).rejects.toMatchObject({ code });
  expect(transferState(importer)).toEqual(before);
}

const revoke = (requestId: string) =>
  ({ kind: 'revoke-request', requestId, issuerSha256: 'ab'.repeat(32), serial: '01', reason: 'superseded', note: '' }) as const;

async function setUp() {
  const { signer, publisher } = await pairedFolders();
  const dir = tempDir();
  publisher.service.transfer.queue.enqueue('to-signer', revoke('r1'));
  publisher.service.transfer.queue.enqueue('to-signer', revoke('r2'));
  const valid = readFileSync((await publisher.service.transfer.exportBundle(join(dir, 'valid.cdx'), false)).path);
  const envelope = () =>
    JSON.parse(valid.toString('utf8')) as { format: string; manifest: string; items: Array<{ id: string; data: string }> };
  const s = signer.service;
  const p = publisher.service;
  const header = async (overrides: Partial<TransferManifest> = {}): Promise<Omit<TransferManifest, 'format' | 'items'>> => ({
    direction: 'to-signer',
    sequence: 5,
    createdAt: '2026-12-05T10:00:00.000Z',
    creator: { role: 'publisher', keyFingerprint: (await ensureIdentity(p.edgeContext())).fingerprint, actor: 'op@publisher' },
    recipientFingerprint: (await ensureIdentity(s.edgeContext())).fingerprint,
    ...overrides,
  });
  return { s, p, valid, envelope, header };
}

describe('a bundle the importer refuses changes nothing', () => {
  it('refuses oversized bundles before parsing them, and anything that is not a bundle', async () => {
    const { s, p, valid, envelope, header } = await setUp();
    await expectRefused(s, Buffer.alloc(TRANSFER_LIMITS.bundleBytes + 1, 0x20), 'TRANSFER_TOO_LARGE');
    const many = envelope();
    many.items = Array.from({ length: TRANSFER_LIMITS.items + 1 }, (_, i) => ({ id: `x${i}`, data: 'e30=' }));
    await expectRefused(s, JSON.stringify(many), 'TRANSFER_TOO_LARGE');
    const big = envelope();
    big.items[0]!.data = 'A'.repeat(Math.ceil(TRANSFER_LIMITS.itemBytes / 3) * 4 + 4);
    await expectRefused(s, JSON.stringify(big), 'TRANSFER_TOO_LARGE');
    // A manifest, signed by the paired key, that declares an item over the limit.
    const one = carriedItem('a', 'revoke-request', revoke('r9'));
    const declared = {
      format: 'certdesk-transfer/1',
      ...(await header()),
      items: [{ ...one.entry, bytes: TRANSFER_LIMITS.itemBytes + 1 }],
    };
    await expectRefused(s, await signedEnvelope(p, declared, [one.carried]), 'TRANSFER_TOO_LARGE');

    await expectRefused(s, 'not json at all', 'TRANSFER_FORMAT');
    await expectRefused(s, valid.subarray(0, Math.floor(valid.length / 2)), 'TRANSFER_FORMAT');
    await expectRefused(s, JSON.stringify({ ...envelope(), format: 'certdesk-transfer/2' }), 'TRANSFER_FORMAT');
    await expectRefused(s, JSON.stringify({ ...envelope(), extra: true }), 'TRANSFER_FORMAT');
    await expectRefused(s, JSON.stringify({ ...envelope(), manifest: 'a.b.c' }), 'TRANSFER_FORMAT');
    // Signed by the peer, but not a manifest this format knows.
    const unknownField = { format: 'certdesk-transfer/1', ...(await header()), items: [one.entry], note: 'x' };
    await expectRefused(s, await signedEnvelope(p, unknownField, [one.carried]), 'TRANSFER_FORMAT');
    expect(transferState(s).pairing).toMatchObject({ last_accepted_seq: 0 });
  });

  it('refuses a bundle from an unpaired key, with a forged signature, for another recipient, or of the wrong direction', async () => {
    const { s, p, envelope, header } = await setUp();
    const stranger = openTestService({ keychain: true });
    writeRole(stranger.service.db, 'publisher', '2026-12-01T00:00:00.000Z', 'test@host');
    const strangerFp = (await ensureIdentity(stranger.service.edgeContext())).fingerprint;
    const one = carriedItem('a', 'revoke-request', revoke('r9'));
    const manifest = async (overrides: Partial<TransferManifest> = {}) => ({
      format: 'certdesk-transfer/1',
      ...(await header(overrides)),
      items: [one.entry],
    });

    // Another publisher's key (its own kid), and a folder that is paired with no one.
    const fromStranger = await signedEnvelope(
      stranger.service,
      await manifest({ creator: { role: 'publisher', keyFingerprint: strangerFp, actor: 'x' } }),
      [one.carried],
    );
    await expectRefused(s, fromStranger, 'TRANSFER_UNPAIRED');
    const lonely = openTestService({ keychain: true });
    writeRole(lonely.service.db, 'signer', '2026-12-01T00:00:00.000Z', 'test@host');
    await expectRefused(lonely.service, await handMadeBundle(p, await header(), [{ id: 'a', item: revoke('r9') }]), 'TRANSFER_UNPAIRED');
    // Signed by the peer, but naming someone else as its creator.
    await expectRefused(
      s,
      await signedEnvelope(p, await manifest({ creator: { role: 'publisher', keyFingerprint: strangerFp, actor: 'x' } }), [one.carried]),
      'TRANSFER_UNPAIRED',
    );

    // The paired publisher's kid, but the stranger's signature; and the peer's JWS with its payload changed.
    const pFp = (await ensureIdentity(p.edgeContext())).fingerprint;
    await expectRefused(s, await signedEnvelope(stranger.service, await manifest(), [one.carried], pFp), 'TRANSFER_SIGNATURE');
    const forged = envelope();
    const [h, payload, sig] = forged.manifest.split('.');
    const changed = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as TransferManifest;
    changed.sequence = 99;
    forged.manifest = [h, Buffer.from(JSON.stringify(changed)).toString('base64url'), sig].join('.');
    await expectRefused(s, JSON.stringify(forged), 'TRANSFER_SIGNATURE');

    await expectRefused(
      s,
      await handMadeBundle(p, await header({ recipientFingerprint: strangerFp }), [{ id: 'a', item: revoke('r9') }]),
      'TRANSFER_RECIPIENT',
    );

    const refusal = { kind: 'refusal', requestId: 'r1', code: 'CSR_INVALID', reason: 'no' } as const;
    await expectRefused(
      s,
      await handMadeBundle(p, await header({ direction: 'to-publisher' }), [{ id: 'a', item: refusal }]),
      'TRANSFER_DIRECTION',
    );
    // The right direction on its face, but carrying an answer that never travels to the signer.
    const answer = carriedItem('a', 'refusal', refusal);
    await expectRefused(
      s,
      await signedEnvelope(p, { ...(await manifest()), items: [answer.entry] }, [answer.carried]),
      'TRANSFER_DIRECTION',
    );
    expect(transferState(s).pairing).toMatchObject({ last_accepted_seq: 0 });
  });

  it('refuses a replayed or reordered bundle', async () => {
    const { s, p, valid } = await setUp();
    const dir = tempDir();
    p.transfer.queue.enqueue('to-signer', revoke('r3'));
    const second = (await p.transfer.exportBundle(join(dir, 'second.cdx'), false)).path;
    p.transfer.queue.enqueue('to-signer', revoke('r4'));
    const third = (await p.transfer.exportBundle(join(dir, 'third.cdx'), false)).path;

    await s.transfer.importBundle(writeBundle(valid));
    expect(transferState(s).pairing).toMatchObject({ last_accepted_seq: 1 });
    await expectRefused(s, valid, 'TRANSFER_REPLAY');
    await s.transfer.importBundle(third);
    expect(transferState(s).pairing).toMatchObject({ last_accepted_seq: 3 });
    await expectRefused(s, readFileSync(second), 'TRANSFER_REPLAY');
    await expectRefused(s, readFileSync(third), 'TRANSFER_REPLAY');
  });

  it('refuses tampered, truncated and padded bundles, and items that are not their declared kind', async () => {
    const { s, p, envelope, header } = await setUp();
    const swapped = envelope();
    swapped.items[0]!.data = Buffer.from(JSON.stringify(revoke('r-evil'))).toString('base64');
    await expectRefused(s, JSON.stringify(swapped), 'TRANSFER_TAMPERED');
    const sameSize = envelope();
    sameSize.items[0]!.data = Buffer.from(Buffer.from(sameSize.items[0]!.data, 'base64').toString().replace('r1', 'r7')).toString('base64');
    await expectRefused(s, JSON.stringify(sameSize), 'TRANSFER_TAMPERED');
    const padded = envelope();
    padded.items.push({ id: 'extra', data: Buffer.from(JSON.stringify(revoke('r-extra'))).toString('base64') });
    await expectRefused(s, JSON.stringify(padded), 'TRANSFER_TAMPERED');
    const truncated = envelope();
    truncated.items.pop();
    await expectRefused(s, JSON.stringify(truncated), 'TRANSFER_TRUNCATED');
    await expectRefused(s, JSON.stringify({ ...envelope(), items: [] }), 'TRANSFER_TRUNCATED');

    // Hashed and signed as carried, but not a valid item: an unknown field, a bad value, another kind than declared.
    const cases = [
      carriedItem('a', 'revoke-request', { ...revoke('r1'), extra: 1 }),
      carriedItem('a', 'revoke-request', { ...revoke('r1'), reason: 'because' }),
      carriedItem('a', 'revoke-request', {
        kind: 'crl-request',
        requestId: 'r1',
        issuerSha256: 'ab'.repeat(32),
        from: null,
        count: 1,
        periodHours: 1,
        note: '',
      }),
      carriedItem('a', 'sign-request', { ...revoke('r1'), kind: 'sign-request' }),
      carriedItem('a', 'revoke-request', '{"kind":'),
    ];
    for (const c of cases)
      await expectRefused(
        s,
        await signedEnvelope(p, { format: 'certdesk-transfer/1', ...(await header()), items: [c.entry] }, [c.carried]),
        'TRANSFER_ITEM_INVALID',
      );
    expect(transferState(s).pairing).toMatchObject({ last_accepted_seq: 0 });
  });
});
