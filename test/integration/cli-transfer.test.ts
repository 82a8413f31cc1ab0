/**
 * `certdesk pair` and `certdesk transfer` through the CLI's own parsing (in-process, with appliers of
 * the test's own for the item kinds), and `certdesk pair` and `certdesk bundle` through the real
 * binary on the real keychain.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import type { ItemApplier } from '../../src/main/core/transfer/ports.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import type { RevokeRequestItem } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { pairedFolders, recordingAppliers, signRequest, transferState, writeBundle } from '../support/transfer-rig.ts';

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

function folder(role: 'signer' | 'publisher' | 'standalone', appliers: readonly ItemApplier[] = []) {
  const dir = tempDir();
  const secretStore = new MemorySecretStore();
  const db = openDatabase(join(dir, DATABASE_FILE));
  if (role !== 'standalone') writeRole(db, role, '2026-12-01T00:00:00.000Z', 'test@host');
  db.close();
  const human = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { CERTDESK_DATA_DIR: dir },
      secretStore,
      transferAppliers: appliers,
    });
    return { code, stdout, stderr };
  };
  const run = async (...args: string[]) => {
    const r = await human('--json', ...args);
    return { ...r, json: JSON.parse(r.stdout) as Json };
  };
  /** What core/offline would do on the publisher: queue a request for the signer. */
  const enqueue = async (item: RevokeRequestItem) => {
    const service = CertdeskService.open({ dataDir: dir, secretStore, mode: 'cli' });
    service.transfer.queue.enqueue('to-signer', item);
    service.close();
    await service.audit.settle();
  };
  return { dir, run, human, enqueue };
}

const revoke = (requestId: string): RevokeRequestItem => ({
  kind: 'revoke-request',
  requestId,
  issuerSha256: 'cd'.repeat(32),
  serial: '1f',
  reason: 'keyCompromise',
  note: 'laptop stolen',
});

const revoking: ItemApplier<RevokeRequestItem> = {
  kind: 'revoke-request',
  review: (item) => ({ effect: `Revoke serial ${item.serial} (${item.reason})`, details: { note: item.note }, problem: null }),
  apply: async () => [],
};

describe('certdesk pair and certdesk transfer', () => {
  it('pairs two folders and carries a bundle there and back, with --json and without', async () => {
    const signer = folder('signer', [revoking as unknown as ItemApplier]);
    const recorded = recordingAppliers();
    const publisher = folder('publisher', recorded.appliers);
    const files = tempDir();

    const shown = await signer.run('pair', 'show');
    expect(shown.json).toMatchObject({ role: 'signer', peer: null });
    const signerFp = shown.json.fingerprint as string;
    expect((await signer.human('pair', 'show')).stdout).toContain(`This folder's transfer key: ${signerFp}`);
    const pExport = await publisher.run('pair', 'export', '--out', join(files, 'publisher.json'));
    expect(pExport.code, pExport.stdout).toBe(0);
    const publisherFp = pExport.json.fingerprint as string;
    expect((await publisher.run('pair', 'export', '--out', join(files, 'publisher.json'))).json.error).toMatchObject({ code: 'CONFLICT' });
    expect((await signer.run('pair', 'export', '--out', join(files, 'signer.json'))).code).toBe(0);

    const unconfirmed = await signer.run('pair', 'import', join(files, 'publisher.json'));
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.json.error).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(unconfirmed.json.error!.message).toContain(signerFp);
    expect(unconfirmed.json.error!.message).toContain(publisherFp);
    const wrong = await signer.run('pair', 'import', join(files, 'publisher.json'), '--confirm', signerFp);
    expect(wrong.json.error).toMatchObject({ code: 'TRANSFER_FINGERPRINT_MISMATCH' });
    expect((await signer.run('pair', 'show')).json.peer).toBeNull();
    const paired = await signer.run('pair', 'import', join(files, 'publisher.json'), '--confirm', publisherFp);
    expect(paired.json).toMatchObject({ ownFingerprint: signerFp, peer: { role: 'publisher', fingerprint: publisherFp } });
    expect((await publisher.human('pair', 'import', join(files, 'signer.json'), '--confirm', signerFp)).stdout).toContain(
      `Paired with the signer ${signerFp}`,
    );

    // A standalone folder does not pair, and is told how to give it a role.
    const standalone = await folder('standalone').run('pair', 'export', '--out', join(files, 'x.json'));
    expect(standalone.json.error).toMatchObject({ code: 'TRANSFER_ROLE' });
    expect(standalone.json.error!.message).toContain('certdesk role set');
    expect(existsSync(join(files, 'x.json'))).toBe(false);

    // Nothing queued: a named error and no file.
    const empty = await publisher.run('transfer', 'export', '--out', join(files, 'empty.cdx'));
    expect(empty.json.error).toMatchObject({ code: 'TRANSFER_NOTHING_QUEUED' });
    expect(existsSync(join(files, 'empty.cdx'))).toBe(false);

    await publisher.enqueue(revoke('rv-1'));
    await publisher.enqueue(revoke('rv-2'));
    const out = await publisher.run('transfer', 'export', '--out', join(files, 'to-signer.cdx'));
    expect(out.json).toMatchObject({
      direction: 'to-signer',
      sequence: 1,
      items: [{ kind: 'revoke-request' }, { kind: 'revoke-request' }],
    });
    // The file lost on the way: the same bytes again under the same sequence, never a new one.
    const again = await publisher.run('bundle', 'export', '--again', '--out', join(files, 'again.cdx'));
    expect(again.json).toMatchObject({ direction: 'to-signer', sequence: 1, sha256: out.json.sha256 });
    expect(readFileSync(join(files, 'again.cdx'))).toEqual(readFileSync(join(files, 'to-signer.cdx')));

    const staged = await signer.run('transfer', 'import', join(files, 'to-signer.cdx'));
    expect(staged.code, staged.stdout).toBe(0);
    const importId = staged.json.id as string;
    const [first, second] = (staged.json.items as Array<{ id: string; decision: string; effect: string }>).map((i) => i.id);
    expect(staged.json.items).toMatchObject([{ decision: 'pending', effect: 'Revoke serial 1f (keyCompromise)' }, { decision: 'pending' }]);
    expect((await signer.run('transfer', 'import', join(files, 'to-signer.cdx'))).json.error).toMatchObject({ code: 'TRANSFER_REPLAY' });
    const review = await signer.human('transfer', 'review');
    expect(review.stdout).toContain(`Import ${importId}: bundle 1 to-signer`);
    expect(review.stdout).toContain('note: laptop stolen');
    expect((await signer.run('transfer', 'review', importId)).json).toHaveLength(1);

    expect((await signer.run('transfer', 'approve', importId)).json.error).toMatchObject({ code: 'VALIDATION', field: 'item' });
    const refused = await signer.run('transfer', 'refuse', importId, '--item', second!, '--reason', 'serial not ours');
    expect(refused.json).toMatchObject({ refused: [second] });
    // Both ids, the refused one included: it is left as it was, and said so.
    const approved = await signer.run('transfer', 'approve', importId, '--item', first!, second!);
    expect(approved.json).toMatchObject({ applied: [first], refused: [], skipped: [second] });
    expect((await signer.run('transfer', 'approve', importId, '--item', 'nope')).json.error).toMatchObject({
      code: 'NOT_FOUND',
      field: 'item',
    });
    expect((await signer.run('transfer', 'review')).json).toEqual([]);

    const back = await signer.run('transfer', 'export', '--out', join(files, 'to-publisher.cdx'));
    expect(back.json).toMatchObject({ direction: 'to-publisher', sequence: 1, items: [{ kind: 'refusal' }, { kind: 'audit-entries' }] });
    const arrived = await publisher.run('transfer', 'import', join(files, 'to-publisher.cdx'));
    const done = await publisher.run('transfer', 'approve', arrived.json.id as string, '--all');
    expect(done.json).toMatchObject({ refused: [] });
    expect(recorded.seen.refusals).toEqual([
      { kind: 'refusal', requestId: 'rv-2', code: 'TRANSFER_ITEM_REFUSED', reason: 'serial not ours' },
    ]);
    expect(recorded.seen.audit[0]!.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['transfer.pair', 'transfer.import', 'transfer.item.refuse', 'transfer.item.approve']),
    );
  });

  it('pairs through the real binary on the real keychain, refusing a wrong fingerprint', async () => {
    const s = openTestService({ keychain: true });
    const p = openTestService({ keychain: true });
    writeRole(s.service.db, 'signer', '2026-12-01T00:00:00.000Z', 'test@host');
    writeRole(p.service.db, 'publisher', '2026-12-01T00:00:00.000Z', 'test@host');
    const files = tempDir();
    const cli = (dir: string, ...args: string[]) => runCertdesk(['--data-dir', dir, '--json', ...args]);

    const pExport = await cli(p.dataDir, 'pair', 'export', '--out', join(files, 'p.json'));
    expect(pExport.code, pExport.stderr).toBe(0);
    const publisherFp = (pExport.json as { fingerprint: string }).fingerprint;
    const wrong = await cli(s.dataDir, 'pair', 'import', join(files, 'p.json'), '--confirm', `SHA256:${'B'.repeat(43)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.json).toMatchObject({ error: { code: 'TRANSFER_FINGERPRINT_MISMATCH', field: 'confirm' } });
    // Each binary start costs seconds on a loaded machine: the rest is read from the same database in-process.
    expect((await s.service.transfer.showPairing()).peer).toBeNull();
    const ok = await cli(s.dataDir, 'pair', 'import', join(files, 'p.json'), '--confirm', publisherFp);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ peer: { role: 'publisher', fingerprint: publisherFp } });
    expect((await s.service.transfer.showPairing()).peer).toMatchObject({ role: 'publisher', fingerprint: publisherFp });
  });

  it('certdesk bundle: show verifies and changes nothing, a tampered bundle is refused by name, import --approve decides at once', async () => {
    const { signer, publisher } = await pairedFolders();
    const files = tempDir();
    const cli = (dir: string, ...args: string[]) => runCertdesk(['--data-dir', dir, '--json', ...args]);
    // Each binary start costs seconds on a loaded machine: the smaller checks run the same CLI in-process, on the same keychain.
    const inProcess = async (...args: string[]) => {
      let stdout = '';
      const code = await runCli(['--data-dir', signer.dataDir, ...args], {
        stdout: (t) => (stdout += t),
        stderr: () => {},
        env: {},
        secretStore: signer.secretStore,
      });
      return { code, stdout, json: args.includes('--json') ? (JSON.parse(stdout) as Json) : undefined };
    };
    const p = publisher.service;
    // The signer's own appliers review and sign these: under a profile it has.
    const request = (id: string, cn: string) => ({ ...signRequest(signer.issuerSha256, id, cn), profile: 'auth0-mtls-client' });
    p.transfer.queue.enqueue('to-signer', request('rq-payments', 'payments-api'));
    p.transfer.queue.enqueue('to-signer', request('rq-orders', 'orders-api'));

    const exported = await cli(publisher.dataDir, 'bundle', 'export', '--out', join(files, 'to-signer.cdx'));
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json).toMatchObject({
      direction: 'to-signer',
      sequence: 1,
      items: [{ kind: 'sign-request' }, { kind: 'sign-request' }],
    });
    const [payments, orders] = (exported.json as { items: Array<{ id: string }> }).items.map((i) => i.id);

    // A tampered copy: one item's bytes changed after signing. The same named error as the import, and nothing changed.
    const bundle = JSON.parse(readFileSync(join(files, 'to-signer.cdx'), 'utf8')) as { items: Array<{ id: string; data: string }> };
    const body = Buffer.from(bundle.items[0]!.data, 'base64').toString().replace('"validityDays":30', '"validityDays":3650');
    bundle.items[0]!.data = Buffer.from(body).toString('base64');
    const tampered = writeBundle(JSON.stringify(bundle));
    const before = transferState(signer.service);
    const refused = await cli(signer.dataDir, 'bundle', 'show', tampered);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'TRANSFER_TAMPERED', field: 'file' } });
    expect(transferState(signer.service)).toEqual(before);
    expect(signer.service.transfer.review()).toEqual([]);

    // The real bundle: verified and shown (creator, time, sequence, every item's effect), still nothing staged.
    const shown = await cli(signer.dataDir, 'bundle', 'show', join(files, 'to-signer.cdx'));
    expect(shown.code, shown.stderr).toBe(0);
    const publisherFp = (await p.transfer.showPairing()).fingerprint;
    expect(shown.json).toMatchObject({
      direction: 'to-signer',
      sequence: 1,
      lastAccepted: 0,
      creator: { role: 'publisher', keyFingerprint: publisherFp },
      items: [
        { id: payments, kind: 'sign-request', problem: null },
        { id: orders, kind: 'sign-request', problem: null },
      ],
    });
    const items = (shown.json as { items: Array<{ effect: string; details: Record<string, string> }> }).items;
    expect(items[0]!.effect).toContain('profile auth0-mtls-client, 30 days');
    expect(JSON.stringify(items[0]!.details)).toContain('payments-api');
    expect(transferState(signer.service)).toEqual(before);
    const human = await inProcess('transfer', 'show', join(files, 'to-signer.cdx'));
    expect(human.stdout).toContain(`signed by the paired publisher ${publisherFp}; nothing was imported`);
    expect(human.stdout).toContain(`${orders}  sign-request: `);
    expect(transferState(signer.service)).toEqual(before);

    // --approve with an id the bundle does not carry: refused before anything is staged.
    const unknown = await inProcess('--json', 'bundle', 'import', join(files, 'to-signer.cdx'), '--approve', payments!, 'nope');
    expect(unknown.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'approve' } });
    expect(transferState(signer.service)).toEqual(before);

    // Import and approve one item in the same command: it is signed; the other waits for review.
    const done = await cli(signer.dataDir, 'bundle', 'import', join(files, 'to-signer.cdx'), '--approve', payments!);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json).toMatchObject({ applied: [payments], refused: [], skipped: [] });
    expect((done.json as { import: { items: Array<{ decision: string }> } }).import.items.map((i) => i.decision)).toEqual([
      'approved',
      'pending',
    ]);
    expect(transferState(signer.service).certificates).toBe(before.certificates + 1);
    const replay = await inProcess('--json', 'bundle', 'show', join(files, 'to-signer.cdx'));
    expect(replay.json).toMatchObject({ error: { code: 'TRANSFER_REPLAY' } });
    expect(readdirSync(files)).toEqual(['to-signer.cdx']);
  });
});
