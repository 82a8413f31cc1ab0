import type { Migration } from './migration.ts';

export const tenants: Migration = {
  version: 40,
  name: 'tenants',
  up(db) {
    db.exec(`
      -- Auth0 tenant profiles. The M2M client secret is never here in plaintext: it lives in the OS
      -- keychain (secret_storage 'keychain'), or sealed in tenant_secrets in passphrase mode.
      CREATE TABLE tenants (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
        environment    TEXT NOT NULL CHECK (environment IN ('development', 'staging', 'production')),
        domain         TEXT NOT NULL,
        custom_domain  TEXT,
        client_id      TEXT NOT NULL,
        secret_storage TEXT NOT NULL CHECK (secret_storage IN ('keychain', 'sealed')),
        created_at     TEXT NOT NULL
      ) STRICT;

      -- AES-256-GCM under the vault's data-encryption key, 'tenant-secret:<id>' as associated data.
      CREATE TABLE tenant_secrets (
        tenant_id TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        sealed    BLOB NOT NULL
      ) STRICT;
    `);
  },
};
