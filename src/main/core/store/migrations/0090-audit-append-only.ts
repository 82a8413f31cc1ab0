import type { Migration } from './migration.ts';

export const auditAppendOnly: Migration = {
  version: 90,
  name: 'audit-append-only',
  up(db) {
    db.exec(`
      -- The keyed MAC of each entry (HMAC-SHA256 of its link hash under the store's audit key, which
      -- lives in the OS keychain). NULL on the legacy entries written before this version: they are
      -- covered by the link chain and by the first checkpoint, which seals them.
      ALTER TABLE audit_log ADD COLUMN mac TEXT CHECK (mac IS NULL OR (length(mac) = 64 AND mac NOT GLOB '*[^0-9a-f]*'));

      -- Append-only from SQL too. The one change allowed: an entry written in the moment before the
      -- key loaded gets its MAC once, and nothing else about it changes.
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: an audit entry cannot be deleted');
      END;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      WHEN NOT (
        OLD.mac IS NULL AND NEW.mac IS NOT NULL
        AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action
        AND NEW.subject_id IS OLD.subject_id AND NEW.details IS OLD.details AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
      )
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: an audit entry cannot be changed');
      END;
    `);
  },
};
