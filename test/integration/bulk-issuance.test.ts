import { describe, expect, it } from 'vitest';
import { auditCheckpointAccount } from '../../src/main/core/secrets/audit-key.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { openssl } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';

/** A memory keychain that counts the audit checkpoints written to it. */
class CountingStore extends MemorySecretStore {
  checkpointWrites = 0;
  override async set(account: string, secret: Uint8Array) {
    if (account.startsWith(auditCheckpointAccount(''))) this.checkpointWrites++;
    await super.set(account, secret);
  }
}

function counts(db: { prepare(sql: string): { get(): unknown } }) {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { certificates: n('certificates'), keys: n('keys'), audit: n('audit_log') };
}

describe('bulk issue (one transaction)', () => {
  it('issues every item, one audit entry each, one checkpoint for the batch, and openssl verifies each', async () => {
    const store = new CountingStore();
    const t = await withIssuingCa({ secretStore: store });
    await t.service.audit.settle();
    const before = { ...counts(t.service.db), checkpoints: store.checkpointWrites };
    const items = Array.from({ length: 12 }, (_, k) => ({
      ca: 'Test Issuing',
      subject: { commonName: `bulk-${k}` },
      sans: [{ type: 'dns' as const, value: `bulk-${k}.example.test` }],
      source: { kind: 'generated' as const },
    }));
    const issued = await t.service.issueBulk(items);
    await t.service.audit.settle();

    expect(issued.map((i) => i.commonName)).toEqual(items.map((i) => i.subject.commonName));
    expect(counts(t.service.db)).toEqual({
      certificates: before.certificates + 12,
      keys: before.keys + 12,
      audit: before.audit + 12,
    });
    expect(store.checkpointWrites - before.checkpoints).toBe(1);
    expect(await t.service.verifyAudit()).toMatchObject({ ok: true, problems: [], lastGoodSeq: before.audit + 12 });

    const cas = await t.service.listAuthorities();
    const f = files({ 'cas.pem': cas.map((ca) => ca.pem).join('') });
    for (const { id } of issued) {
      const leaf = files({ 'leaf.pem': (await t.service.getCertificate({ cert: id })).pem });
      expect(openssl(['verify', '-CAfile', f['cas.pem']!, leaf['leaf.pem']!]).status).toBe(0);
    }
  });

  it('refuses a batch that names one DN twice, naming the item, with nothing written', async () => {
    const t = await withIssuingCa();
    await t.service.audit.settle();
    const before = counts(t.service.db);
    const items = ['a', 'b', 'c', 'b'].map((cn) => ({
      ca: 'Test Issuing',
      subject: { commonName: `dup-${cn}` },
      source: { kind: 'generated' as const },
    }));
    const refused = await t.service.issueBulk(items).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'items.3.subject.commonName' });
    await t.service.audit.settle();
    expect(counts(t.service.db)).toEqual(before);
  });

  it('refuses a batch with an item out of range, and an empty batch, with nothing written', async () => {
    const t = await withIssuingCa();
    await t.service.audit.settle();
    const before = counts(t.service.db);
    const refused = await t.service
      .issueBulk([
        { ca: 'Test Issuing', subject: { commonName: 'fine' }, source: { kind: 'generated' } },
        { ca: 'Test Issuing', subject: { commonName: 'too-long' }, days: 100_000, source: { kind: 'generated' } },
      ])
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'VALIDITY_OUT_OF_RANGE', field: 'items.1.days' });
    expect(counts(t.service.db)).toEqual(before);
    await expect(t.service.issueBulk([])).rejects.toMatchObject({ code: 'VALIDATION', field: 'items' });
    expect(counts(t.service.db)).toEqual(before);
  });
});
