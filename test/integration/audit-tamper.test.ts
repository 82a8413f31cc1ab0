/**
 * Issue 10, finding 4: the audit log's tail could be cut and its chain recomputed. Each test replays
 * what someone with write access to the database file (but not to the keychain) does, then checks
 * that verify names the failed check and the last good entry, and that nothing was "repaired".
 */
import BetterSqlite3 from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryHash, type ChainRow } from '../../src/main/core/audit/audit-chain.ts';
import { AUDIT_CHECKPOINT_FILE, DATABASE_FILE } from '../../src/main/core/paths.ts';
import { auditCheckpointAccount } from '../../src/main/core/secrets/audit-key.ts';
import { runCertdesk } from '../support/cli.ts';
import { withIssuingCa } from '../support/pki.ts';
import { openTestService, type TestService } from '../support/service.ts';

async function logged(): Promise<TestService> {
  const t = await withIssuingCa({ keychain: true });
  const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'audited' }, source: { kind: 'generated' } });
  await t.service.revoke({ cert: cert.id, reason: 'superseded' });
  await t.service.generateCrl({ ca: 'Test Issuing' });
  await t.service.audit.settle();
  return t;
}

/** The attacker works on the closed file with their own SQLite, triggers dropped. */
function asAttacker(t: TestService, attack: (db: BetterSqlite3.Database) => void): void {
  t.service.close();
  const db = new BetterSqlite3(join(t.dataDir, DATABASE_FILE));
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  attack(db);
  db.close();
}

const rows = (db: { prepare(sql: string): { get(): unknown } }) =>
  (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
const fileCheckpoint = (t: TestService) =>
  JSON.parse(readFileSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE), 'utf8')) as { seq: number; head: string };

describe('audit log tamper evidence', () => {
  it('deleting the last entries is caught as truncation by both checkpoints, in the service and the CLI', async () => {
    const t = await logged();
    const total = rows(t.service.db);
    const before = fileCheckpoint(t);
    expect(before.seq).toBe(total);
    expect((statSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE)).mode & 0o777).toString(8)).toBe('600');
    expect(JSON.parse(Buffer.from((await t.secretStore.get(auditCheckpointAccount(t.service.vault.storeId())))!).toString())).toEqual(
      before,
    );

    asAttacker(t, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(total - 2));
    const service = t.reopen();
    const result = await service.verifyAudit();
    expect(result).toMatchObject({
      ok: false,
      checked: total - 2,
      lastGoodSeq: total - 2,
      checkpoints: { file: { state: 'truncated', seq: total }, keychain: { state: 'truncated', seq: total } },
    });
    expect(result.problems.map((p) => p.check)).toEqual(['truncation', 'truncation']);
    expect(result.problems[0]).toMatchObject({ seq: total - 1, problem: expect.stringContaining(`the log ends at ${total - 2}`) });

    // The app keeps working, but a new entry does not bless the cut log: the checkpoints stay as evidence.
    await service.generateCrl({ ca: 'Test Issuing' });
    await service.audit.settle();
    expect(fileCheckpoint(t)).toEqual(before);
    expect((await service.verifyAudit()).problems.some((p) => p.check === 'truncation' || p.check === 'rewrite')).toBe(true);
    service.close();
    await service.audit.settle();

    const cli = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'verify']);
    expect(cli.code).toBe(1);
    // The entry written after the cut extends the cut log; the checkpoints still say entries are missing.
    expect(cli.json).toMatchObject({
      error: { code: 'AUDIT_LOG_TRUNCATED', message: expect.stringContaining(`truncation check failed; last good entry ${total - 1}`) },
    });
  });

  it('rewriting an entry and recomputing the chain without the key is caught by the MACs and the checkpoints', async () => {
    const t = await logged();
    const total = rows(t.service.db);
    asAttacker(t, (db) => {
      // Edit entry 3, then recompute every link hash after it, and "MACs" under a key of the attacker's own.
      const guess = randomBytes(32);
      let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string }).hash;
      for (const row of db.prepare('SELECT * FROM audit_log WHERE seq >= 3 ORDER BY seq').all() as ChainRow[]) {
        const edited = row.seq === 3 ? { ...row, actor: 'someone-else@elsewhere' } : row;
        const hash = entryHash(prev, edited);
        const mac = createHmac('sha256', guess).update(hash).digest('hex');
        db.prepare('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ?, mac = ? WHERE seq = ?').run(
          edited.actor,
          prev,
          hash,
          mac,
          row.seq,
        );
        prev = hash;
      }
    });
    const service = t.reopen();
    const result = await service.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(total);
    // The unkeyed chain is whole again: only the keyed checks see it.
    expect(result.problems.filter((p) => p.check === 'chain')).toEqual([]);
    expect(result.problems.filter((p) => p.check === 'mac').map((p) => p.seq)[0]).toBe(3);
    expect(result.checkpoints).toEqual({ file: { state: 'rewritten', seq: total }, keychain: { state: 'rewritten', seq: total } });
    expect(result.lastGoodSeq).toBe(2);
    service.close();
    await service.audit.settle();
    const cli = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'verify']);
    expect(cli.json).toMatchObject({ error: { code: 'AUDIT_LOG_REWRITTEN', message: expect.stringContaining('last good entry 2') } });
  });

  it('refuses UPDATE and DELETE through SQL, leaving every entry as it was', async () => {
    const t = await logged();
    const db = t.service.db;
    const snapshot = db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
    expect(() => db.prepare("UPDATE audit_log SET details = '{}' WHERE seq = 2").run()).toThrow(
      /append-only: an audit entry cannot be changed/,
    );
    expect(() => db.prepare('UPDATE audit_log SET mac = ? WHERE seq = 2').run('0'.repeat(64))).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq > 3').run()).toThrow(/append-only: an audit entry cannot be deleted/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(snapshot);
    expect((await t.service.verifyAudit()).ok).toBe(true);
  });

  it('records the OS user and host as the actor of every entry', async () => {
    const t = await logged();
    const actors = new Set(t.service.listAudit({ limit: 1000 }).items.map((e) => e.actor));
    expect([...actors]).toEqual([`${userInfo().username}@${hostname()}`]);
  });

  it('audits vault set-up, a failed unlock, an unlock and a lock of a passphrase store', async () => {
    const t = openTestService({ keychain: true });
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    t.service.close();
    const again = t.reopen();
    const before = again.listAudit({}).total;
    await expect(again.unlockVault({ passphrase: 'wrong horse battery' })).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    expect(again.listAudit({}).total).toBe(before + 1);
    expect(again.listAudit({ limit: 1 }).items[0]).toMatchObject({ action: 'vault.unlock-failed', details: { code: 'PASSPHRASE_WRONG' } });
    await again.unlockVault({ passphrase: 'correct horse battery' });
    again.vault.lock();
    const actions = again
      .listAudit({})
      .items.map((e) => e.action)
      .reverse();
    expect(actions).toEqual(['vault.setup', 'vault.lock', 'vault.unlock-failed', 'vault.unlock', 'vault.lock']);
    expect(await again.verifyAudit()).toMatchObject({ ok: true, checked: 5 });
  });
});
