import type { Migration } from './migration.ts';

export const bindingsOutbox: Migration = {
  version: 50,
  name: 'bindings and outbox',
  up(db) {
    db.exec(`
      -- Certificate ↔ Auth0 application links: the state certdesk wants on the tenant. 'active'
      -- bindings should be live on the client; 'retired' ones should be removed from it; 'removed'
      -- ones are history. credential_id is Auth0's cred_… id once the credential exists.
      CREATE TABLE bindings (
        id                    TEXT PRIMARY KEY,
        tenant_id             TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        client_id             TEXT NOT NULL,
        certificate_id        TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        credential_type       TEXT NOT NULL CHECK (credential_type IN ('cert_subject_dn', 'x509_cert')),
        credential_name       TEXT NOT NULL,
        credential_id         TEXT,
        credential_expires_at TEXT,
        require_pop           INTEGER NOT NULL CHECK (require_pop IN (0, 1)),
        api                   TEXT,
        endpoint_aliases      INTEGER NOT NULL CHECK (endpoint_aliases IN (0, 1)),
        state                 TEXT NOT NULL CHECK (state IN ('active', 'retired', 'removed')),
        created_at            TEXT NOT NULL,
        applied_at            TEXT
      ) STRICT;
      -- One live link per certificate and application.
      CREATE UNIQUE INDEX bindings_live ON bindings (tenant_id, client_id, certificate_id) WHERE state <> 'removed';
      CREATE INDEX bindings_tenant_client ON bindings (tenant_id, client_id, state);
      CREATE INDEX bindings_certificate ON bindings (certificate_id);

      -- Changes meant for Auth0, recorded before any call: they wait here while the tenant is
      -- unreachable and survive restarts. apply reconciles the tenant with the bindings, then marks
      -- them done.
      CREATE TABLE outbox (
        id          TEXT PRIMARY KEY,
        seq         INTEGER NOT NULL UNIQUE,
        tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        binding_id  TEXT NOT NULL REFERENCES bindings (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('bind', 'unbind')),
        summary     TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'blocked', 'done')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_tenant_state ON outbox (tenant_id, state, seq);
    `);
  },
};
