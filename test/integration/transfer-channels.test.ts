/**
 * The transfer page's channels through the validated dispatch, on real data folders: files cross as
 * bytes (no path is ever named), every refusal is named and leaves the folder exactly as it was, and a
 * standalone folder is refused on every one of them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { TRANSFER_LIMITS } from '../../src/main/core/transfer/limits.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import type { CertdeskService } from '../../src/main/core/service.ts';
import type { Channel, ChannelInput, ChannelOutput } from '../../src/shared/contract/index.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { pairedFolders, signRequest, transferState } from '../support/transfer-rig.ts';

function rpc(service: CertdeskService) {
  const handlers = createHandlers(service);
  return {
    call: async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
      const result = await dispatch(handlers, channel, input, () => {});
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.value as ChannelOutput<C>;
    },
    /** A refusal, by code and field, with every transfer table, the audit log and the certificates unchanged. */
    refused: async (channel: Channel, input: unknown, code: string, field?: string) => {
      const before = transferState(service);
      const result = await dispatch(handlers, channel, input as never, () => {});
      expect(result).toMatchObject({ ok: false, error: { code, ...(field ? { field } : {}) } });
      expect(transferState(service)).toEqual(before);
      return result.ok ? '' : result.error.message;
    },
  };
}

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

describe('the transfer page channels', () => {
  it('refuse every transfer channel on a standalone folder, by its role', async () => {
    const { service } = openTestService({ keychain: true });
    const { refused } = rpc(service);
    const upload = { contentBase64: b64('{}') };
    await refused('transfer:pairing', {}, 'TRANSFER_ROLE', 'role');
    await refused('transfer:pair-export', {}, 'TRANSFER_ROLE', 'role');
    await refused('transfer:pair-inspect', upload, 'TRANSFER_ROLE', 'role');
    await refused('transfer:pair-import', { ...upload, confirm: 'SHA256:x' }, 'TRANSFER_ROLE', 'role');
    await refused('transfer:import', upload, 'TRANSFER_ROLE', 'role');
    await refused('transfer:approve', { import: `imp_${'0'.repeat(20)}`, items: 'all' }, 'TRANSFER_ROLE', 'role');
    await refused('transfer:refuse', { import: `imp_${'0'.repeat(20)}`, items: ['a'], reason: 'no' }, 'TRANSFER_ROLE', 'role');
    await refused('transfer:outbox', {}, 'TRANSFER_ROLE', 'role');
    await refused('transfer:export', {}, 'TRANSFER_ROLE', 'role');
    await refused('transfer:export-again', {}, 'TRANSFER_ROLE', 'role');
  });

  it('pairs from uploaded bytes only after the typed fingerprint matches, and shows both fingerprints', async () => {
    const signer = openTestService({ keychain: true }).service;
    const publisher = openTestService({ keychain: true }).service;
    writeRole(signer.db, 'signer', '2026-12-01T00:00:00.000Z', 'test@host');
    writeRole(publisher.db, 'publisher', '2026-12-01T00:00:00.000Z', 'test@host');
    const s = rpc(signer);
    const p = rpc(publisher);

    const file = await p.call('transfer:pair-export', {});
    expect(file.filename).toBe('certdesk-publisher-pairing.json');
    expect(file.writtenTo).toBeUndefined();
    const parsed = JSON.parse(Buffer.from(file.contentBase64!, 'base64').toString('utf8')) as { fingerprint: string; role: string };
    expect(parsed).toMatchObject({ role: 'publisher', fingerprint: file.fingerprint });
    expect(file.fingerprint).toBe((await p.call('transfer:pairing', {})).fingerprint);

    const own = (await s.call('transfer:pairing', {})).fingerprint;
    const upload = { contentBase64: file.contentBase64! };
    // Inspecting stores nothing; it shows what the operator compares.
    const before = transferState(signer);
    expect(await s.call('transfer:pair-inspect', upload)).toMatchObject({
      role: 'publisher',
      fingerprint: file.fingerprint,
      ownFingerprint: own,
      replaces: null,
    });
    expect(transferState(signer)).toEqual(before);

    await s.refused('transfer:pair-import', { ...upload, confirm: own }, 'TRANSFER_FINGERPRINT_MISMATCH', 'confirm');
    await s.refused('transfer:pair-import', { ...upload, confirm: '  ' }, 'VALIDATION', 'confirm');
    // The signer's own file, an altered one, and a file past the pairing bound are refused by name.
    const ownFile = await s.call('transfer:pair-export', {});
    await s.refused('transfer:pair-inspect', { contentBase64: ownFile.contentBase64 }, 'TRANSFER_ROLE', 'file');
    const altered = { ...parsed, fingerprint: own };
    await s.refused('transfer:pair-import', { contentBase64: b64(JSON.stringify(altered)), confirm: own }, 'TRANSFER_FORMAT', 'file');
    await s.refused('transfer:pair-inspect', { contentBase64: b64('x'.repeat(TRANSFER_LIMITS.pairingBytes + 3)) }, 'INPUT_TOO_LARGE');
    await s.refused('transfer:pair-inspect', { contentBase64: 'not base64!' }, 'VALIDATION');
    // A path in place of the bytes is not an input this channel has.
    await s.refused('transfer:pair-import', { ...upload, confirm: file.fingerprint, path: '/etc/passwd' }, 'VALIDATION');

    const paired = await s.call('transfer:pair-import', { ...upload, confirm: ` ${file.fingerprint} ` });
    expect(paired).toMatchObject({ ownFingerprint: own, peer: { role: 'publisher', fingerprint: file.fingerprint }, replaced: null });
    expect(await s.call('transfer:pairing', {})).toMatchObject({
      role: 'signer',
      fingerprint: own,
      peer: { role: 'publisher', fingerprint: file.fingerprint },
    });
    // Pairing again with the same file needs the explicit replace.
    await s.refused('transfer:pair-import', { ...upload, confirm: file.fingerprint }, 'CONFLICT', 'replace');
    // Replacing the peer is the operator's, at the CLI or in the desktop app's dialog: never from the page alone.
    const message = await s.refused(
      'transfer:pair-import',
      { ...upload, confirm: file.fingerprint, replace: true },
      'FORBIDDEN',
      'replace',
    );
    expect(message).toContain('certdesk pair import FILE --replace');
  });

  it('exports the queue as bytes, stages an uploaded bundle for review, and decides its items', async () => {
    const { signer, publisher } = await pairedFolders();
    const s = rpc(signer.service);
    const p = rpc(publisher.service);
    await p.refused('transfer:export', {}, 'TRANSFER_NOTHING_QUEUED', 'out');

    const request = (id: string, cn: string) => ({ ...signRequest(signer.issuerSha256, id, cn), profile: 'auth0-mtls-client' });
    publisher.service.transfer.queue.enqueue('to-signer', request('req-a', 'payments-api'));
    publisher.service.transfer.queue.enqueue('to-signer', request('req-b', 'billing-api'));
    const outbox = await p.call('transfer:outbox', {});
    expect(outbox).toMatchObject({ role: 'publisher', direction: 'to-signer', nextSequence: 1, auditEntries: 0 });
    expect(outbox.items.map((i) => i.summary)).toEqual([
      'issue CN=payments-api, profile auth0-mtls-client, 30 days — for payments-api',
      'issue CN=billing-api, profile auth0-mtls-client, 30 days — for billing-api',
    ]);

    const bundle = await p.call('transfer:export', {});
    expect(bundle).toMatchObject({ filename: 'certdesk-to-signer-1.cdx', direction: 'to-signer', sequence: 1, remaining: 0 });
    expect(bundle.items).toHaveLength(2);
    expect((await p.call('transfer:outbox', {})).items).toEqual([]);

    // A tampered upload is refused by name, and nothing is staged.
    const bytes = Buffer.from(bundle.contentBase64!, 'base64');
    const envelope = JSON.parse(bytes.toString('utf8')) as { items: Array<{ data: string }> };
    envelope.items[0]!.data = b64(
      Buffer.from(envelope.items[0]!.data, 'base64').toString('utf8').replace('"note":"for payments-api"', '"note":"for payments-apX"'),
    );
    await s.refused('transfer:import', { contentBase64: b64(JSON.stringify(envelope)) }, 'TRANSFER_TAMPERED');
    expect(signer.service.transfer.review()).toEqual([]);

    const staged = await s.call('transfer:import', { contentBase64: bundle.contentBase64! });
    expect(staged.items.map((i) => [i.kind, i.decision])).toEqual([
      ['sign-request', 'pending'],
      ['sign-request', 'pending'],
    ]);
    expect(staged.items[0]!.details).toMatchObject({ subject: 'CN=payments-api', profile: 'auth0-mtls-client' });
    // The same bundle again is a replay.
    await s.refused('transfer:import', { contentBase64: bundle.contentBase64! }, 'TRANSFER_REPLAY');

    const [a, b] = staged.items.map((i) => i.id) as [string, string];
    await s.refused('transfer:refuse', { import: staged.id, items: [b], reason: '   ' }, 'VALIDATION', 'reason');
    await s.refused('transfer:approve', { import: staged.id, items: ['nope'] }, 'NOT_FOUND', 'item');
    await s.refused('transfer:approve', { import: '../etc', items: 'all' }, 'VALIDATION', 'import');
    const refused = await s.call('transfer:refuse', { import: staged.id, items: [b], reason: 'billing-api is not ours' });
    expect(refused.refused).toEqual([b]);
    const approved = await s.call('transfer:approve', { import: staged.id, items: 'all' });
    expect(approved.applied).toEqual([a]);
    expect(approved.import.items.map((i) => i.decision)).toEqual(['approved', 'refused']);

    // The answer and the refusal wait for the publisher, with the signer's audit entries.
    const answer = await s.call('transfer:outbox', {});
    expect(answer).toMatchObject({ role: 'signer', direction: 'to-publisher', nextSequence: 1 });
    expect(answer.items.map((i) => i.kind)).toEqual(['refusal', 'issued-certificate']);
    expect(answer.auditEntries).toBeGreaterThan(0);
  });
});

describe('a lost bundle', () => {
  it('is written again byte for byte, never re-sequenced, and the peer still takes it only once', async () => {
    const { signer, publisher } = await pairedFolders();
    const s = rpc(signer.service);
    const p = rpc(publisher.service);
    // Nothing exported yet: nothing to write again, and nothing changes.
    await p.refused('transfer:export-again', {}, 'NOT_FOUND', 'again');
    expect((await p.call('transfer:outbox', {})).lastExport).toBeNull();

    const request = (id: string, cn: string) => ({ ...signRequest(signer.issuerSha256, id, cn), profile: 'auth0-mtls-client' });
    publisher.service.transfer.queue.enqueue('to-signer', request('req-a', 'payments-api'));
    const first = await p.call('transfer:export', {});
    const before = transferState(publisher.service);
    const again = await p.call('transfer:export-again', {});
    expect(again).toMatchObject({ filename: 'certdesk-to-signer-1.cdx', direction: 'to-signer', sequence: 1, sha256: first.sha256 });
    expect(again.contentBase64).toBe(first.contentBase64);
    // Writing again queues nothing and moves no sequence on; only its audit entry is new.
    const after = transferState(publisher.service);
    expect({ ...after, audit: undefined }).toEqual({ ...before, audit: undefined });
    expect(after.audit).toBe(before.audit + 1);
    expect((await p.call('transfer:outbox', {})).lastExport).toMatchObject({ sequence: 1, sha256: first.sha256, items: 1 });

    // The peer stages the copy once; the original after it is a replay.
    await s.call('transfer:import', { contentBase64: again.contentBase64! });
    await s.refused('transfer:import', { contentBase64: first.contentBase64! }, 'TRANSFER_REPLAY');

    // A newer export replaces the copy: only the latest bundle is kept.
    publisher.service.transfer.queue.enqueue('to-signer', request('req-b', 'billing-api'));
    const second = await p.call('transfer:export', {});
    expect((await p.call('transfer:export-again', {})).contentBase64).toBe(second.contentBase64);
    const kept = publisher.service.db.prepare('SELECT sequence FROM transfer_exports WHERE bundle IS NOT NULL').all();
    expect(kept).toEqual([{ sequence: 2 }]);
  });
});

describe('the bundle export in the desktop app', () => {
  it("writes where main's save dialog chose, and a cancelled dialog writes nothing and sends nothing", async () => {
    const { signer, publisher } = await pairedFolders();
    publisher.service.transfer.queue.enqueue('to-signer', signRequest(signer.issuerSha256, 'req-a', 'payments-api'));
    const dir = tempDir();
    const asked: string[] = [];
    let answer: string | null = null;
    const saveDialog = {
      chooseSavePath: async ({ suggestedName }: { title: string; suggestedName: string }) => (asked.push(suggestedName), answer),
      chooseFolder: async () => null,
    };
    const handlers = createHandlers(publisher.service, { saveDialog });

    const before = transferState(publisher.service);
    expect(await dispatch(handlers, 'transfer:export', {}, () => {})).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'path' },
    });
    expect(transferState(publisher.service)).toEqual(before);
    expect(readdirSync(dir)).toEqual([]);

    answer = join(dir, 'chosen.cdx');
    const written = await dispatch(handlers, 'transfer:export', {}, () => {});
    expect(written).toMatchObject({ ok: true, value: { writtenTo: answer, sequence: 1, filename: 'certdesk-to-signer-1.cdx' } });
    expect(written).not.toHaveProperty('value.contentBase64');
    expect(asked).toEqual(['certdesk-to-signer-1.cdx', 'certdesk-to-signer-1.cdx']);
    // The file is the bundle the signer accepts.
    const staged = await signer.service.transfer.importBundle(answer);
    expect(staged.items.map((i) => i.kind)).toEqual(['sign-request']);

    // Nothing left to send: refused before the dialog is opened.
    expect(await dispatch(handlers, 'transfer:export', {}, () => {})).toMatchObject({
      ok: false,
      error: { code: 'TRANSFER_NOTHING_QUEUED' },
    });
    expect(asked).toHaveLength(2);
  });
});
