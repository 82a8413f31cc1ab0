import type { Migration } from './migration.ts';

/**
 * The outbox items of one binding, found without reading the tenant's whole outbox (issue 14): a
 * rotation's scoped apply reports only its own bindings' items, and a bulk rotation runs hundreds.
 */
export const outboxBindingIndex: Migration = {
  version: 420,
  name: 'outbox-binding-index',
  up(db) {
    db.exec(`CREATE INDEX outbox_binding ON outbox (binding_id, seq);`);
  },
};
