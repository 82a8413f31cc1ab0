/**
 * A signer and a publisher in two data folders (real SQLite files, real vaults under the test keyring)
 * exchange signed bundles: requests to the signer, reviewed and approved or refused there, and the
 * answers, the refusals and the signer's audit entries back, with the sequences rising on both sides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { openssl } from '../support/openssl.ts';
import { pairedFolders, recordingAppliers, signRequest, signingApplier, transferState } from '../support/transfer-rig.ts';
import { tempDir } from '../support/temp.ts';

describe('transfer bundles, signer and publisher', () => {
  it('carries requests to the signer and its answers, refusals and audit entries back', async () => {
    const { signer, publisher } = await pairedFolders();
    const s = signer.service;
    const p = publisher.service;
    s.transfer.appliers.register(signingApplier(s, signer.issuingId));
    const recorded = recordingAppliers();
    for (const a of recorded.appliers) p.transfer.appliers.register(a);
    const dir = tempDir();

    p.transfer.queue.enqueue('to-signer', signRequest(signer.issuerSha256, 'req-approve', 'payments-api'));
    p.transfer.queue.enqueue('to-signer', signRequest(signer.issuerSha256, 'req-refuse', 'billing-api'));
    p.transfer.queue.enqueue('to-signer', { ...signRequest(signer.issuerSha256, 'req-applier-fails', 'x-api'), note: 'explode' });
    p.transfer.queue.enqueue('to-signer', {
      kind: 'revoke-request',
      requestId: 'req-revoke',
      issuerSha256: signer.issuerSha256,
      serial: '0abc',
      reason: 'superseded',
      note: '',
    });
    const out = await p.transfer.exportBundle(join(dir, 'to-signer-1.cdx'), false);
    expect(out).toMatchObject({ direction: 'to-signer', sequence: 1, remaining: 0 });
    expect(out.items.map((i) => i.kind)).toEqual(['sign-request', 'sign-request', 'sign-request', 'revoke-request']);
    expect(p.transfer.queue.waiting('to-signer')).toEqual([]);

    // The signer stages it: nothing is signed yet; the revoke request names a serial the signer never issued and is refused at review.
    const certsBefore = transferState(s).certificates;
    const staged = await s.transfer.importBundle(out.path);
    expect(staged).toMatchObject({ direction: 'to-signer', sequence: 1, creator: { role: 'publisher' } });
    expect(staged.items.map((i) => [i.kind, i.decision, i.code])).toEqual([
      ['sign-request', 'pending', null],
      ['sign-request', 'pending', null],
      ['sign-request', 'pending', null],
      ['revoke-request', 'refused', 'NOT_FOUND'],
    ]);
    expect(staged.items[0]!.effect).toContain('profile mtls-client, 30 days');
    expect(transferState(s).certificates).toBe(certsBefore);
    expect(s.transfer.review().map((v) => v.id)).toEqual([staged.id]);
    // The renderer's read-only view of the same review, through the validated dispatch.
    const handlers = createHandlers(s);
    expect(await dispatch(handlers, 'transfer:review', {}, () => {})).toEqual({ ok: true, value: [staged] });
    expect(await dispatch(handlers, 'transfer:review', { import: staged.id }, () => {})).toEqual({ ok: true, value: [staged] });
    expect(await dispatch(handlers, 'transfer:review', { import: '../etc' }, () => {})).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'import' },
    });

    const [approveId, refuseId, failId] = staged.items.map((i) => i.id);
    const refused = s.transfer.refuse(staged.id, [refuseId!], 'billing-api is not ours to sign');
    expect(refused.refused).toEqual([refuseId]);
    const approved = await s.transfer.approve(staged.id, 'all');
    expect(approved).toMatchObject({ applied: [approveId], refused: [failId] });
    expect(approved.import.items.map((i) => [i.decision, i.code])).toEqual([
      ['approved', null],
      ['refused', 'TRANSFER_ITEM_REFUSED'],
      ['refused', 'CSR_INVALID'],
      ['refused', 'NOT_FOUND'],
    ]);
    expect(transferState(s).certificates).toBe(certsBefore + 1);
    expect(s.transfer.review()).toEqual([]);
    // Deciding an item twice is refused by name.
    await expect(Promise.resolve().then(() => s.transfer.refuse(staged.id, [approveId!], 'late'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    const back = await s.transfer.exportBundle(join(dir, 'to-publisher-1.cdx'), false);
    expect(back).toMatchObject({ direction: 'to-publisher', sequence: 1 });
    expect(back.items.map((i) => i.kind)).toEqual(['refusal', 'refusal', 'issued-certificate', 'refusal', 'audit-entries']);

    const arrived = await p.transfer.importBundle(back.path);
    expect(arrived.items.every((i) => i.decision === 'pending')).toBe(true);
    await p.transfer.approve(arrived.id, 'all');
    expect(recorded.seen.issued.map((i) => i.requestId)).toEqual(['req-approve']);
    expect(recorded.seen.refusals.map((r) => [r.requestId, r.code])).toEqual([
      ['req-revoke', 'NOT_FOUND'],
      ['req-refuse', 'TRANSFER_ITEM_REFUSED'],
      ['req-applier-fails', 'CSR_INVALID'],
    ]);
    expect(recorded.seen.refusals[1]!.reason).toBe('billing-api is not ours to sign');
    // The certificate is the signer's, and chains to its root through the carried chain.
    const leaf = recorded.seen.issued[0]!;
    const root = s.listAuthorities().find((a) => a.kind === 'root')!;
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'chain.pem'), leaf.chainPem.join(''));
    writeFileSync(join(dir, 'leaf.pem'), leaf.certificatePem);
    expect(leaf.chainPem).toHaveLength(1);
    const verified = openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'chain.pem'), join(dir, 'leaf.pem')]);
    expect(verified.output).toContain('leaf.pem: OK');
    expect(openssl(['x509', '-noout', '-subject'], leaf.certificatePem).stdout).toContain('payments-api');

    // The signer's audit entries start the chain the publisher now holds, and end before this export's own entry.
    const audit = recorded.seen.audit[0]!;
    expect(audit).toMatchObject({ fromSeq: 1, previousHash: '' });
    const signerLog = s.audit.list(0, 1000).items.reverse();
    expect(audit.entries.map((e) => e.hash)).toEqual(signerLog.slice(0, audit.toSeq).map((e) => e.hash));
    expect(audit.entries.map((e) => e.action)).toContain('transfer.pair');
    expect(audit.entries.map((e) => e.action)).toContain('transfer.item.approve');

    // Sequences: each side sent one and accepted one.
    expect(transferState(s).pairing).toEqual({ last_sent_seq: 1, last_accepted_seq: 1, audit_sent_seq: audit.toSeq });
    expect(transferState(p).pairing).toMatchObject({ last_sent_seq: 1, last_accepted_seq: 1 });

    // A second round: sequence 2 each way, and the audit entries continue the chain from where they stopped.
    p.transfer.queue.enqueue('to-signer', signRequest(signer.issuerSha256, 'req-second', 'second-api'));
    const second = await p.transfer.exportBundle(join(dir, 'to-signer-2.cdx'), false);
    expect(second.sequence).toBe(2);
    const staged2 = await s.transfer.importBundle(second.path);
    await s.transfer.approve(staged2.id, [staged2.items[0]!.id]);
    const back2 = await s.transfer.exportBundle(join(dir, 'to-publisher-2.cdx'), false);
    expect(back2.sequence).toBe(2);
    await p.transfer.approve((await p.transfer.importBundle(back2.path)).id, 'all');
    const audit2 = recorded.seen.audit[1]!;
    expect(audit2.fromSeq).toBe(audit.toSeq + 1);
    expect(audit2.previousHash).toBe(audit.entries.at(-1)!.hash);
    expect(audit2.entries[0]!.action).toBe('transfer.export');

    // Nothing queued: a named error, and no file.
    await expect(s.transfer.exportBundle(join(dir, 'empty.cdx'), false)).rejects.toMatchObject({ code: 'TRANSFER_NOTHING_QUEUED' });
    expect(transferState(s).exports).toBe(2);
    expect(await s.audit.verify()).toMatchObject({ ok: true });
  });
});
