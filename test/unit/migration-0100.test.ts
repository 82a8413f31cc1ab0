import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/main/core/context.ts';
import { reloadConfig, replayReload } from '../../src/main/core/edge/reload-actions.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0100 (edge reload actions)', () => {
  it('turns a stored shell command into a custom argv that is NOT approved: shown as such, and never replayed', () => {
    const dir = tempDir();
    const file = join(dir, 'a.sqlite3');
    const marker = join(dir, 'pwned');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 80)).toBe(80);
    raw.pragma('foreign_keys = OFF');
    const insert = raw.prepare(
      "INSERT INTO edge_publications (at, authority_id, dir, server_name, crl_numbers, bundle_sha256, reload_cmd, reload_status, reload_output) VALUES ('x', 'ca_1', '/srv/edge', 'auth.example.com', '{}', 'h', ?, ?, '')",
    );
    insert.run('nginx -t && nginx -s reload', 0);
    insert.run(`touch ${marker}; nginx -s reload`, 0);
    insert.run(null, null);
    raw.close();

    const db = openDatabase(file);
    const rows = db.prepare('SELECT reload_action_id, reload_argv FROM edge_publications ORDER BY id').all();
    const action = db.prepare('SELECT * FROM edge_reload_actions').all() as { id: number }[];
    expect(action).toEqual([
      expect.objectContaining({
        kind: 'custom',
        approved_sha256: null,
        approved_at: null,
        legacy_command: `touch ${marker}; nginx -s reload`,
      }),
    ]);
    expect(rows).toEqual([
      { reload_action_id: action[0]!.id, reload_argv: JSON.stringify([['sh', '-c', 'nginx -t && nginx -s reload']]) },
      { reload_action_id: action[0]!.id, reload_argv: JSON.stringify([['sh', '-c', `touch ${marker}; nginx -s reload`]]) },
      { reload_action_id: null, reload_argv: null },
    ]);
    const ctx = { db } as CoreContext;
    expect(reloadConfig(ctx, false).custom).toMatchObject({ approved: false, legacyCommand: `touch ${marker}; nginx -s reload` });
    expect(() => replayReload(ctx, action[0]!.id, { ok: true, macs: new Map() })).toThrow(
      expect.objectContaining({ code: 'RELOAD_NOT_APPROVED' }),
    );
    expect(existsSync(marker)).toBe(false);
    db.close();
  });
});
