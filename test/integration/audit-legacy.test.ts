/** Migration 0090 on a database whose audit log was written unkeyed by an older version. */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS, entryHash } from '../../src/main/core/audit/audit-chain.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

/** Three entries as version 80 wrote them: link hashes only, actor 'operator'. */
function legacyDatabase(dir: string): void {
  const db = new BetterSqlite3(join(dir, DATABASE_FILE));
  migrate(db, MIGRATIONS, 80);
  let prev = GENESIS;
  for (let seq = 1; seq <= 3; seq++) {
    const row = {
      seq,
      at: `2025-01-0${seq}T00:00:00.000Z`,
      actor: 'operator',
      action: 'cert.import',
      subject_id: `cert_${seq}`,
      details: '{}',
    };
    const hash = entryHash(prev, row);
    db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      seq,
      row.at,
      row.actor,
      row.action,
      row.subject_id,
      row.details,
      prev,
      hash,
    );
    prev = hash;
  }
  db.close();
}

describe('audit log upgrade (migration 0090)', () => {
  it('keeps the old entries as a verified legacy segment, keys every new one, and seals the legacy tail', async () => {
    const dataDir = tempDir();
    legacyDatabase(dataDir);
    const t = openTestService({ dataDir, keychain: true });
    await t.service.audit.settle();
    expect(await t.service.verifyAudit()).toMatchObject({
      ok: true,
      checked: 3,
      keyedFrom: 4,
      lastGoodSeq: 3,
      checkpoints: { file: { state: 'ok', seq: 3 }, keychain: { state: 'ok', seq: 3 } },
    });
    await t.service.initVault({ protection: 'keychain' });
    const macs = t.service.db.prepare('SELECT seq, mac IS NOT NULL AS keyed FROM audit_log ORDER BY seq').all();
    expect(macs).toEqual([
      { seq: 1, keyed: 0 },
      { seq: 2, keyed: 0 },
      { seq: 3, keyed: 0 },
      { seq: 4, keyed: 1 },
    ]);
    expect(await t.service.verifyAudit()).toMatchObject({ ok: true, checked: 4, keyedFrom: 4 });

    // Cutting the new entry and the last legacy one is caught: the first checkpoint sealed the legacy tail.
    t.service.close();
    const raw = new BetterSqlite3(join(dataDir, DATABASE_FILE));
    raw.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 3;');
    raw.close();
    const result = await t.reopen().verifyAudit();
    expect(result).toMatchObject({ ok: false, checked: 2, lastGoodSeq: 2, checkpoints: { file: { state: 'truncated', seq: 4 } } });
    expect(result.problems.every((p) => p.check === 'truncation' && p.seq === 3)).toBe(true);
  });
});
