import BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS, type Migration } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('store and migrations', () => {
  it('creates a WAL database with foreign keys, durable commits and the newest schema', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // FULL (2): each commit syncs the WAL, so a power cut cannot undo an issuance already returned.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it('numbers migrations in strictly increasing steps of the NNNN-name form', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('uses STRICT tables: a wrong type is refused, not coerced', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    expect(() =>
      db
        .prepare('INSERT INTO keys (id, key_type, public_key_sha256, sealed, created_at) VALUES (?, ?, ?, ?, ?)')
        .run('k', 'ec-p256', 'x', 'not a blob', 'now'),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    db.close();
  });

  it('enforces foreign keys: an authority cannot point at a missing key', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    expect(() =>
      db
        .prepare(
          "INSERT INTO authorities (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at) VALUES ('a','n','root',NULL,'missing','ec-p256','s','01','t','t','h',x'00','t')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY constraint failed/);
    db.close();
  });

  it('is idempotent: opening again changes nothing', () => {
    const file = join(tempDir(), 'a.sqlite3');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it('refuses a database from a newer version and leaves its bytes untouched', () => {
    const file = join(tempDir(), 'future.sqlite3');
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE future_table (x INTEGER) STRICT');
    raw.pragma('user_version = 9990');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DATABASE_FROM_NEWER_VERSION' }));
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls a failing migration back whole and stays at the last good version', () => {
    const db = new BetterSqlite3(join(tempDir(), 'a.sqlite3'));
    const broken: Migration = {
      version: 99990,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('migrates step by step to a chosen target (what a data-migration test seeds against)', () => {
    const db = new BetterSqlite3(join(tempDir(), 'a.sqlite3'));
    expect(migrate(db, MIGRATIONS, 0)).toBe(0);
    expect(migrate(db, MIGRATIONS, 10)).toBe(10);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'authorities'").get()).toEqual({
      name: 'authorities',
    });
    db.close();
  });
});
