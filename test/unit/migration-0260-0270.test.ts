import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

const FP = `SHA256:${'A'.repeat(43)}`;

describe('migrations 0260 and 0270 (transfer pairing and staging)', () => {
  it('adds empty transfer tables to an existing folder, and their checks hold', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 250)).toBe(250);
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    for (const table of [
      'transfer_identity',
      'transfer_pairings',
      'transfer_imports',
      'transfer_import_items',
      'transfer_exports',
      'transfer_queue',
    ])
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });

    const pairing = db.prepare(
      `INSERT INTO transfer_pairings (id, peer_role, peer_public_jwk, peer_fingerprint, peer_actor, peer_created_at, paired_at, paired_by, ended_at)
       VALUES (?, ?, '{}', ?, 'a@b', 't', 't', 'a@b', ?)`,
    );
    pairing.run('p1', 'publisher', FP, null);
    // One active peer at a time; ended pairings stay as history.
    expect(() => pairing.run('p2', 'publisher', FP, null)).toThrow(/UNIQUE/);
    pairing.run('p0', 'publisher', FP, 't');
    expect(() => pairing.run('p3', 'standalone', FP, 't')).toThrow(/CHECK/);
    expect(() => pairing.run('p4', 'publisher', 'MD5:x', 't')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE transfer_pairings SET last_accepted_seq = -1 WHERE id = 'p1'").run()).toThrow(/CHECK/);

    db.prepare(
      "INSERT INTO transfer_imports (id, pairing_id, direction, sequence, created_at, creator_actor, manifest, bundle_sha256, imported_at, imported_by) VALUES ('i1', 'p1', 'to-signer', 1, 't', 'a', '{}', 'h', 't', 'a')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO transfer_imports (id, pairing_id, direction, sequence, created_at, creator_actor, manifest, bundle_sha256, imported_at, imported_by) VALUES ('i2', 'p1', 'to-signer', 1, 't', 'a', '{}', 'h', 't', 'a')",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    const item = db.prepare(
      "INSERT INTO transfer_import_items (import_id, item_id, position, kind, body, effect, details, decision, reason) VALUES ('i1', ?, 0, 'sign-request', '{}', 'e', '{}', ?, ?)",
    );
    item.run('a', 'pending', null);
    expect(() => item.run('b', 'refused', null)).toThrow(/CHECK/);
    expect(() => item.run('c', 'pending', 'why')).toThrow(/CHECK/);
    expect(() => item.run('d', 'applied', null)).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO transfer_queue (id, direction, kind, body, queued_at) VALUES ('q', 'sideways', 'x', '{}', 't')").run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
