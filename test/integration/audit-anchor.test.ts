/**
 * The audit key and the keychain checkpoint are named by the store id, which lives in the database.
 * Each test replays what someone with write access to the data folder (not the keychain) does:
 * rewrite the log, give the database a store id the keychain has never seen and remove the
 * checkpoint file, so the next start looks like a store's first keyed use. The data folder's
 * keychain anchor must refuse that, and nothing may be keyed, checkpointed or created for the new id.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GENESIS, entryHash, type ChainRow } from '../../src/main/core/audit/audit-chain.ts';
import { AUDIT_CHECKPOINT_FILE, DATABASE_FILE } from '../../src/main/core/paths.ts';
import { auditAnchorAccount, readAuditAnchor } from '../../src/main/core/secrets/audit-anchor.ts';
import { auditCheckpointAccount, auditKeyAccount } from '../../src/main/core/secrets/audit-key.ts';
import { auditVerifyFailure } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { withIssuingCa } from '../support/pki.ts';
import { openTestService, type TestService } from '../support/service.ts';

const PASSPHRASE = 'correct horse battery staple';
const ATTACKER_ID = 'store_attacker';

/** A passphrase store whose log holds a certificate's issue and its revocation. */
async function passphraseStore(): Promise<TestService> {
  const t = openTestService({ keychain: true });
  await t.service.initVault({ protection: 'passphrase', passphrase: PASSPHRASE });
  const root = await t.service.createAuthority({ name: 'Root', keyType: 'ec-p256' });
  await t.service.createAuthority({ name: 'Issuing', parent: root.id, keyType: 'ec-p256' });
  const cert = await t.service.issue({ ca: 'Issuing', subject: { commonName: 'revoked-one' }, source: { kind: 'generated' } });
  await t.service.revoke({ cert: cert.id, reason: 'keyCompromise' });
  await t.service.generateCrl({ ca: 'Issuing' });
  await t.service.audit.settle();
  return t;
}

/** The attack on the closed file: drop the revoke entry, recompute the chain with the public hash, change the store id. */
function rewriteAsAnotherStore(t: TestService): void {
  t.service.close();
  const db = new BetterSqlite3(join(t.dataDir, DATABASE_FILE));
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.prepare("DELETE FROM audit_log WHERE action = 'cert.revoke'").run();
  let prev = GENESIS;
  let seq = 1;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as ChainRow[]) {
    const hash = entryHash(prev, { ...row, seq });
    db.prepare('UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ?, mac = NULL WHERE seq = ?').run(seq, prev, hash, row.seq);
    prev = hash;
    seq++;
  }
  db.prepare("UPDATE settings SET value = ? WHERE key = 'store_id'").run(ATTACKER_ID);
  db.close();
  rmSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE));
}

const count = (t: TestService) => t.service.listAudit({ limit: 1000 }).total;

describe('audit anchor: the data folder, not the database, says which store it is', () => {
  it('refuses a rewritten log under a new store id: no new key, the cut reported, nothing checkpointed', async () => {
    const t = await passphraseStore();
    const originalId = t.service.vault.storeId();
    // The clean-up helper removes the items of the database's (by then the attacker's) id; these are the original's.
    onTestFinished(async () => {
      for (const account of [auditKeyAccount(originalId), auditCheckpointAccount(originalId)])
        await t.secretStore.delete(account).catch(() => false);
    });
    const total = count(t);
    const revokeSeq = t.service.listAudit({ limit: 1000 }).items.find((e) => e.action === 'cert.revoke')!.seq;
    expect(await readAuditAnchor(t.secretStore, auditAnchorAccount(t.dataDir))).toBe(originalId);
    rewriteAsAnotherStore(t);
    await t.service.audit.settle();
    const keychainCheckpoint = await t.secretStore.get(auditCheckpointAccount(originalId));
    expect(keychainCheckpoint).not.toBeNull();
    const service = t.reopen();
    await service.unlockVault({ passphrase: PASSPHRASE });
    const result = await service.verifyAudit();

    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({
      seq: 0,
      check: 'anchor',
      problem: expect.stringContaining(`store id ("${ATTACKER_ID}") no longer matches this data folder's keychain anchor`),
    });
    expect(result.problems[0]!.problem).toContain('certdesk audit reanchor');
    // The anchored store's keychain checkpoint (written as the store closed) still records the last entry before the attack;
    // with the revoke gone and the unlock appended, the entry at that number is another one now.
    const recorded = (JSON.parse(Buffer.from(keychainCheckpoint!).toString()) as { seq: number }).seq;
    expect(recorded).toBeGreaterThanOrEqual(total);
    expect(result.checkpoints).toEqual({ file: { state: 'missing', seq: null }, keychain: { state: 'rewritten', seq: recorded } });
    expect(result.problems).toContainEqual({
      seq: recorded,
      check: 'rewrite',
      problem: 'is not the entry the keychain checkpoint recorded: the log was rewritten up to here',
    });
    expect(result.problems.some((p) => p.check === 'mac' && p.seq <= revokeSeq)).toBe(true);
    expect(result.lastGoodSeq).toBeLessThan(revokeSeq);
    expect(auditVerifyFailure(result).code).toBe('AUDIT_STORE_MISMATCH');
    expect(service.listAudit({ limit: 1000 }).items.some((e) => e.action === 'cert.revoke')).toBe(false);

    // Nothing was made for the attacker's id, nothing advanced, nothing was keyed: the evidence is as it was.
    expect(await t.secretStore.get(auditKeyAccount(ATTACKER_ID))).toBeNull();
    expect(await t.secretStore.get(auditCheckpointAccount(ATTACKER_ID))).toBeNull();
    expect(existsSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE))).toBe(false);
    expect(await t.secretStore.get(auditCheckpointAccount(originalId))).toEqual(keychainCheckpoint);
    expect(await readAuditAnchor(t.secretStore, auditAnchorAccount(t.dataDir))).toBe(originalId);
    expect(service.db.prepare('SELECT count(*) AS n FROM audit_log WHERE mac IS NOT NULL').get()).toEqual({ n: 0 });
    expect(service.audit.subkey('edge-reload-approval')).toEqual({ problem: expect.stringContaining('keychain anchor') });

    service.close();
    await service.audit.settle();
    const cli = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'verify']);
    expect(cli.code).toBe(1);
    expect(cli.json).toMatchObject({ error: { code: 'AUDIT_STORE_MISMATCH' } });
    expect(await t.secretStore.get(auditKeyAccount(ATTACKER_ID))).toBeNull();
    expect(existsSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE))).toBe(false);
  });

  it('certdesk audit reanchor accepts a deliberately replaced database, audited, and keys from its own entry on', async () => {
    const t = await passphraseStore();
    const originalId = t.service.vault.storeId();
    onTestFinished(async () => {
      for (const account of [auditKeyAccount(originalId), auditCheckpointAccount(originalId)])
        await t.secretStore.delete(account).catch(() => false);
    });
    rewriteAsAnotherStore(t);
    const before = new BetterSqlite3(join(t.dataDir, DATABASE_FILE)).prepare('SELECT count(*) AS n FROM audit_log').pluck().get() as number;

    const cli = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'reanchor']);
    expect(cli.code).toBe(0);
    expect(cli.json).toEqual({ from: originalId, to: ATTACKER_ID });
    expect(await readAuditAnchor(t.secretStore, auditAnchorAccount(t.dataDir))).toBe(ATTACKER_ID);

    const service = t.reopen();
    const result = await service.verifyAudit();
    const reanchored = service.listAudit({ limit: 1 }).items[0]!;
    expect(reanchored).toMatchObject({ seq: before + 1, action: 'audit.reanchor', details: { from: originalId, to: ATTACKER_ID } });
    // The operator's decision is the first keyed entry: what came before it is the legacy segment it vouches for.
    expect(result).toMatchObject({ ok: true, keyedFrom: before + 1 });
    expect(await t.secretStore.get(auditKeyAccount(ATTACKER_ID))).not.toBeNull();

    service.close();
    await service.audit.settle();
    const again = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'reanchor']);
    expect(again.json).toEqual({ from: null, to: null });
  });

  it('a lost key with keyed entries left is reported, never replaced by a new one', async () => {
    const t = await withIssuingCa({ keychain: true });
    await t.service.audit.settle();
    const storeId = t.service.vault.storeId();
    t.service.close();
    await t.service.audit.settle();
    // The keychain lost every certdesk audit item and the checkpoint file is gone: only the keyed rows remain.
    for (const account of [auditKeyAccount(storeId), auditCheckpointAccount(storeId), auditAnchorAccount(t.dataDir)])
      await t.secretStore.delete(account);
    rmSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE));

    const service = t.reopen();
    const result = await service.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ check: 'key', problem: expect.stringContaining('entries keyed under it remain in the log (entry 1)') }),
    );
    expect(await t.secretStore.get(auditKeyAccount(storeId))).toBeNull();
    expect(await t.secretStore.get(auditAnchorAccount(t.dataDir))).toBeNull();
    expect(existsSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE))).toBe(false);
  });

  it('a fresh store anchors its folder on first use and verifies after a reopen', async () => {
    const t = await withIssuingCa({ keychain: true });
    await t.service.audit.settle();
    const storeId = t.service.vault.storeId();
    expect(await readAuditAnchor(t.secretStore, auditAnchorAccount(t.dataDir))).toBe(storeId);
    t.service.close();
    await t.service.audit.settle();
    const service = t.reopen();
    await service.generateCrl({ ca: 'Test Issuing' });
    expect(await service.verifyAudit()).toMatchObject({ ok: true, keyedFrom: 1 });
    expect(await readAuditAnchor(t.secretStore, auditAnchorAccount(t.dataDir))).toBe(storeId);
  });
});
