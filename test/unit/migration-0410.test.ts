import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0410 (the latest exported bundle kept to be written again)', () => {
  it('keeps every export row as it was, with no copy, and stores a copy for new rows', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 400)).toBe(400);
    raw
      .prepare(
        "INSERT INTO transfer_pairings (id, peer_role, peer_public_jwk, peer_fingerprint, peer_actor, peer_created_at, paired_at, paired_by) VALUES ('pair_1', 'signer', '{}', 'SHA256:x', 'them', '2026-01-01', '2026-01-01', 'me')",
      )
      .run();
    raw
      .prepare(
        "INSERT INTO transfer_exports (id, pairing_id, direction, sequence, sha256, items, created_at, created_by) VALUES ('exp_1', 'pair_1', 'to-signer', 1, 'h', 1, '2026-01-02', 'me')",
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id, sequence, sha256, bundle FROM transfer_exports').all()).toEqual([
      { id: 'exp_1', sequence: 1, sha256: 'h', bundle: null },
    ]);
    db.prepare(
      "INSERT INTO transfer_exports (id, pairing_id, direction, sequence, sha256, items, created_at, created_by, bundle) VALUES ('exp_2', 'pair_1', 'to-signer', 2, 'h2', 1, '2026-01-03', 'me', ?)",
    ).run(Buffer.from('signed'));
    expect(db.prepare("SELECT bundle FROM transfer_exports WHERE id = 'exp_2'").get()).toEqual({ bundle: Buffer.from('signed') });
    db.close();
  });
});
