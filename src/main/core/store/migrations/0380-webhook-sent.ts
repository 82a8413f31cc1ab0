import type { Migration } from './migration.ts';

/**
 * The expiry webhook's memory (issue 13): which certificate (or CA) was announced at which threshold,
 * so each is sent at most once per threshold, across restarts and hosts sharing the folder. A row is
 * written only after the receiver answered 2xx; an item that failed is tried again next round.
 */
export const webhookSent: Migration = {
  version: 380,
  name: 'webhook-sent',
  up(db) {
    db.exec(`
      CREATE TABLE webhook_sent (
        subject_id TEXT NOT NULL,
        threshold TEXT NOT NULL CHECK (threshold IN ('due', 'overdue', 'expired')),
        sent_at TEXT NOT NULL,
        PRIMARY KEY (subject_id, threshold)
      ) WITHOUT ROWID;
    `);
  },
};
