import type { Migration } from './migration.ts';

/**
 * Reload actions become argv steps run without a shell, each with the hash it was approved with.
 * A free-form `reload_cmd` of an older certdesk becomes the custom action `sh -c <command>`, NOT
 * approved: it never runs again until the operator approves an argv (certdesk edge reload set).
 */
export const edgeReloadActions: Migration = {
  version: 100,
  name: 'edge-reload-actions',
  up(db) {
    db.exec(`
      -- One row per preset in use (with its container for docker) and at most one custom action.
      -- approved_sha256 is the SHA-256 of the canonical argv when it was approved; a row whose argv
      -- no longer hashes to it (edited in the database) is refused at run time.
      CREATE TABLE edge_reload_actions (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('preset', 'custom')),
        preset          TEXT CHECK (preset IN ('nginx', 'systemctl', 'docker')),
        container       TEXT,
        argv            TEXT NOT NULL CHECK (json_valid(argv) AND json_type(argv) = 'array'),
        approved_sha256 TEXT,
        approved_at     TEXT,
        approved_by     TEXT,
        legacy_command  TEXT,
        created_at      TEXT NOT NULL,
        CHECK ((kind = 'preset') = (preset IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX edge_reload_actions_one_custom ON edge_reload_actions (kind) WHERE kind = 'custom';
      CREATE UNIQUE INDEX edge_reload_actions_preset ON edge_reload_actions (preset, coalesce(container, '')) WHERE kind = 'preset';

      -- Which action a publication ran (replayed by rotation), and the run itself, whole.
      ALTER TABLE edge_publications ADD COLUMN reload_action_id INTEGER REFERENCES edge_reload_actions (id) ON DELETE RESTRICT;
      ALTER TABLE edge_publications ADD COLUMN reload_argv TEXT CHECK (reload_argv IS NULL OR json_valid(reload_argv));
      ALTER TABLE edge_publications ADD COLUMN reload_duration_ms INTEGER;
      ALTER TABLE edge_publications ADD COLUMN reload_timed_out INTEGER;
    `);
    const latest = db
      .prepare("SELECT reload_cmd FROM edge_publications WHERE reload_cmd IS NOT NULL AND reload_cmd <> '' ORDER BY id DESC LIMIT 1")
      .get() as { reload_cmd: string } | undefined;
    if (!latest) return;
    // The newest command becomes the one custom action, unapproved; every older publication that ran a
    // command points at it, so a rotation replaying one of them is refused until an argv is approved.
    const argv = [['sh', '-c', latest.reload_cmd]];
    const action = db
      .prepare(
        "INSERT INTO edge_reload_actions (kind, argv, legacy_command, created_at) VALUES ('custom', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
      )
      .run(JSON.stringify(argv), latest.reload_cmd);
    const rows = db.prepare("SELECT id, reload_cmd FROM edge_publications WHERE reload_cmd IS NOT NULL AND reload_cmd <> ''").all() as {
      id: number;
      reload_cmd: string;
    }[];
    const update = db.prepare('UPDATE edge_publications SET reload_action_id = ?, reload_argv = ? WHERE id = ?');
    for (const row of rows) update.run(action.lastInsertRowid, JSON.stringify([['sh', '-c', row.reload_cmd]]), row.id);
  },
};
