import type { Migration } from './migration.ts';

export const rotationConsents: Migration = {
  version: 80,
  name: 'rotation-consents',
  up(db) {
    db.exec(`
      -- The production consents a rotation job was started with (JSON: tenantId, tenantName,
      -- givenAt, by): its steps, and a resume after a restart, change those tenants on them
      -- instead of the tenant's name passed back in. A job recorded before has none.
      ALTER TABLE rotation_jobs ADD COLUMN production_consents TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(production_consents) AND json_type(production_consents) = 'array');
    `);
  },
};
