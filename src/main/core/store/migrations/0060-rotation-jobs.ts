import type { Migration } from './migration.ts';

export const rotationJobs: Migration = {
  version: 60,
  name: 'rotation jobs',
  up(db) {
    db.exec(`
      -- One-click rotation as a journaled job: step is the last step whose effect is complete (0..7).
      -- A job killed at any point resumes from step + 1; every step looks before it acts.
      CREATE TABLE rotation_jobs (
        id              TEXT PRIMARY KEY,
        batch_id        TEXT,
        certificate_id  TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        successor_id    TEXT REFERENCES certificates (id) ON DELETE RESTRICT,
        state           TEXT NOT NULL CHECK (state IN ('running', 'waiting', 'done', 'failed', 'cancelled')),
        step            INTEGER NOT NULL CHECK (step BETWEEN 0 AND 7),
        same_key        INTEGER NOT NULL CHECK (same_key IN (0, 1)),
        verify          INTEGER NOT NULL CHECK (verify IN (0, 1)),
        overlap_seconds INTEGER NOT NULL CHECK (overlap_seconds >= 0),
        overlap_until   TEXT,
        message         TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        finished_at     TEXT
      ) STRICT;
      -- At most one unfinished job per certificate.
      CREATE UNIQUE INDEX rotation_jobs_open ON rotation_jobs (certificate_id) WHERE state IN ('running', 'waiting');
      CREATE INDEX rotation_jobs_batch ON rotation_jobs (batch_id);

      -- The journal: a 'begin' row before each step's effect and an 'end' (or 'skip'/'fail') row after.
      CREATE TABLE rotation_journal (
        job_id  TEXT NOT NULL REFERENCES rotation_jobs (id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        step    INTEGER NOT NULL CHECK (step BETWEEN 1 AND 7),
        phase   TEXT NOT NULL CHECK (phase IN ('begin', 'end', 'skip', 'fail', 'wait')),
        at      TEXT NOT NULL,
        detail  TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) STRICT;

      -- What a publication used, so a rotation can publish again with the same settings.
      ALTER TABLE edge_publications ADD COLUMN settings TEXT;

      -- How to reach the tenant's token endpoint through the edge for diagnostics and rotation
      -- verification (JSON: discovery URL, audience, edge address, edge trust). No secrets.
      ALTER TABLE tenants ADD COLUMN diagnostics TEXT;
    `);
  },
};
