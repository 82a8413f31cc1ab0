import type { Migration } from './migration.ts';

/**
 * Rotation gained a `deliver` step right after issuing the successor, so the stored step numbers
 * of the later steps move up by one (2..7 become 3..8) in the jobs and their journals: a job
 * recorded before resumes at the same step it would have. A job that had already passed step 1
 * counts delivery as done (it ran without one, as before). The CHECKs on the step bound the old
 * count, so both tables are rebuilt (foreign keys off around it: dropping the old jobs table
 * cascades nothing), and the rebuild must not add a broken reference.
 *
 * New job columns: the quiet period before an unused old certificate's credential is removed, the
 * operator's forced cut-off, and the csr-inbox target a CSR-mode successor is answered through.
 */
export const rotationDeliverStep: Migration = {
  version: 240,
  name: 'rotation-deliver-step',
  rebuildsTables: true,
  up(db) {
    const brokenReferences = () => (db.pragma('foreign_key_check') as unknown[]).length;
    const before = brokenReferences();
    db.exec(`
      CREATE TABLE rotation_jobs_v240 (
        id                  TEXT PRIMARY KEY,
        batch_id            TEXT,
        certificate_id      TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        successor_id        TEXT REFERENCES certificates (id) ON DELETE RESTRICT,
        state               TEXT NOT NULL CHECK (state IN ('running', 'waiting', 'done', 'failed', 'cancelled')),
        step                INTEGER NOT NULL CHECK (step BETWEEN 0 AND 8),
        same_key            INTEGER NOT NULL CHECK (same_key IN (0, 1)),
        verify              INTEGER NOT NULL CHECK (verify IN (0, 1)),
        overlap_seconds     INTEGER NOT NULL CHECK (overlap_seconds >= 0),
        overlap_until       TEXT,
        message             TEXT,
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        finished_at         TEXT,
        production_consents TEXT NOT NULL DEFAULT '[]'
          CHECK (json_valid(production_consents) AND json_type(production_consents) = 'array'),
        quiet_seconds       INTEGER NOT NULL DEFAULT 900 CHECK (quiet_seconds >= 0),
        force_cutoff        INTEGER NOT NULL DEFAULT 0 CHECK (force_cutoff IN (0, 1)),
        inbox_target_id     TEXT
      ) STRICT;
      INSERT INTO rotation_jobs_v240 (id, batch_id, certificate_id, successor_id, state, step, same_key, verify, overlap_seconds,
          overlap_until, message, created_at, updated_at, finished_at, production_consents)
        SELECT id, batch_id, certificate_id, successor_id, state, CASE WHEN step >= 2 THEN step + 1 ELSE step END, same_key, verify,
          overlap_seconds, overlap_until, message, created_at, updated_at, finished_at, production_consents
        FROM rotation_jobs;

      CREATE TABLE rotation_journal_v240 (
        job_id  TEXT NOT NULL REFERENCES rotation_jobs_v240 (id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        step    INTEGER NOT NULL CHECK (step BETWEEN 1 AND 8),
        phase   TEXT NOT NULL CHECK (phase IN ('begin', 'end', 'skip', 'fail', 'wait')),
        at      TEXT NOT NULL,
        detail  TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) STRICT;
      INSERT INTO rotation_journal_v240 (job_id, seq, step, phase, at, detail)
        SELECT job_id, seq, CASE WHEN step >= 2 THEN step + 1 ELSE step END, phase, at, detail FROM rotation_journal;

      DROP TABLE rotation_journal;
      DROP TABLE rotation_jobs;
      ALTER TABLE rotation_jobs_v240 RENAME TO rotation_jobs;
      ALTER TABLE rotation_journal_v240 RENAME TO rotation_journal;
      CREATE UNIQUE INDEX rotation_jobs_open ON rotation_jobs (certificate_id) WHERE state IN ('running', 'waiting');
      CREATE INDEX rotation_jobs_batch ON rotation_jobs (batch_id);
    `);
    if (brokenReferences() > before) throw new Error('migration 0240 would leave a rotation row referring to nothing');
  },
};
