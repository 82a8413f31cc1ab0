import type { Migration } from './migration.ts';

/**
 * Certificate templates (issue 13): issue settings saved under a name. The name is unique without
 * regard to case, so "Payments" and "payments" never both appear in a list the operator picks from.
 * The settings are one JSON document, validated on the way in (api/templates.ts, core/templates).
 */
export const certTemplates: Migration = {
  version: 370,
  name: 'cert-templates',
  up(db) {
    db.exec(`
      CREATE TABLE cert_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        spec TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
