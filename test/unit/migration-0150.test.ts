import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/main/core/context.ts';
import { replayReload } from '../../src/main/core/edge/reload-actions.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0150 (a reload preset runs an absolute program path)', () => {
  it('adds the program column; a preset approved before it has none and is refused at replay, saying how to approve it again', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 130)).toBe(130);
    // A docker preset as the previous version approved it: argv, hash and a (v1) MAC, no program.
    const argv = JSON.stringify([['docker', 'exec', 'edge', 'nginx', '-s', 'reload']]);
    raw
      .prepare(
        "INSERT INTO edge_reload_actions (kind, preset, container, argv, approved_sha256, approved_mac, approved_at, approved_by, created_at) VALUES ('preset', 'docker', 'edge', ?, ?, ?, 'x', 'preset', 'x')",
      )
      .run(argv, 'a'.repeat(64), 'b'.repeat(64));
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(150);
    const row = db.prepare('SELECT * FROM edge_reload_actions').get() as { id: number; program: string | null; argv: string };
    expect(row).toMatchObject({ program: null, argv });
    expect(() => db.prepare("UPDATE edge_reload_actions SET program = '' WHERE id = ?").run(row.id)).toThrow(/CHECK/);
    const ctx = { db } as CoreContext;
    expect(() => replayReload(ctx, row.id, { ok: true, macs: new Map([[row.id, 'b'.repeat(64)]]) })).toThrow(
      expect.objectContaining({ code: 'RELOAD_NOT_APPROVED', message: expect.stringMatching(/looked its program up on PATH/) }),
    );
    db.close();
  });
});
