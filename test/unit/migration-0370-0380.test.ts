import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migrations 0370 (templates) and 0380 (webhook memory)', () => {
  it('add both tables to a folder of the previous version, leaving its rows alone', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 330)).toBe(330);
    raw.prepare("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").run();
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'kept'").get()).toEqual({ value: 'yes' });
    const insert = db.prepare("INSERT INTO cert_templates (id, name, spec, created_at, updated_at) VALUES (?, ?, '{}', 'x', 'x')");
    insert.run('tpl_1', 'Payments');
    // Unique without regard to case.
    expect(() => insert.run('tpl_2', 'payments')).toThrow(/UNIQUE/);
    const sent = db.prepare("INSERT INTO webhook_sent (subject_id, threshold, sent_at) VALUES (?, ?, 'x')");
    sent.run('cert_1', 'due');
    sent.run('cert_1', 'overdue');
    expect(() => sent.run('cert_1', 'due')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => sent.run('cert_1', 'ok')).toThrow(/CHECK/);
    db.close();
  });
});
