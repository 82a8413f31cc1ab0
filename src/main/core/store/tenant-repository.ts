import type { Database, Statement } from 'better-sqlite3';
import type { TenantDiagnostics, TenantEnvironment, TenantSecretStorage, TenantView } from '../../../shared/contract/index.ts';

interface TenantRow {
  id: string;
  name: string;
  environment: string;
  domain: string;
  custom_domain: string | null;
  client_id: string;
  secret_storage: string;
  created_at: string;
  diagnostics: string | null;
}

function toView(row: TenantRow): TenantView {
  return {
    id: row.id,
    name: row.name,
    environment: row.environment as TenantEnvironment,
    domain: row.domain,
    customDomain: row.custom_domain,
    clientId: row.client_id,
    secretStorage: row.secret_storage as TenantSecretStorage,
    createdAt: row.created_at,
    diagnostics: row.diagnostics ? (JSON.parse(row.diagnostics) as TenantDiagnostics) : null,
  };
}

/** Tenant profiles and, in passphrase mode, their sealed M2M secrets. */
export class TenantRepository {
  private readonly insertStmt: Statement<[string, string, string, string, string | null, string, string, string]>;
  private readonly insertSecretStmt: Statement<[string, Buffer]>;
  private readonly listStmt: Statement<[], TenantRow>;
  private readonly byIdStmt: Statement<[string], TenantRow>;
  private readonly byNameStmt: Statement<[string], TenantRow>;
  private readonly sealedStmt: Statement<[string], { sealed: Buffer }>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly diagnosticsStmt: Statement<[string | null, string]>;
  private readonly updateStmt: Statement<[string, string, string, string | null, string, string]>;
  private readonly replaceSecretStmt: Statement<[Buffer, string]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO tenants (id, name, environment, domain, custom_domain, client_id, secret_storage, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertSecretStmt = db.prepare('INSERT INTO tenant_secrets (tenant_id, sealed) VALUES (?, ?)');
    this.listStmt = db.prepare(
      "SELECT * FROM tenants ORDER BY CASE environment WHEN 'development' THEN 0 WHEN 'staging' THEN 1 ELSE 2 END, name",
    );
    this.byIdStmt = db.prepare('SELECT * FROM tenants WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM tenants WHERE name = ?');
    this.sealedStmt = db.prepare('SELECT sealed FROM tenant_secrets WHERE tenant_id = ?');
    this.deleteStmt = db.prepare('DELETE FROM tenants WHERE id = ?');
    this.diagnosticsStmt = db.prepare('UPDATE tenants SET diagnostics = ? WHERE id = ?');
    this.updateStmt = db.prepare('UPDATE tenants SET name = ?, environment = ?, domain = ?, custom_domain = ?, client_id = ? WHERE id = ?');
    this.replaceSecretStmt = db.prepare('UPDATE tenant_secrets SET sealed = ? WHERE tenant_id = ?');
  }

  insert(tenant: TenantView, sealedSecret?: Uint8Array): void {
    this.insertStmt.run(
      tenant.id,
      tenant.name,
      tenant.environment,
      tenant.domain,
      tenant.customDomain,
      tenant.clientId,
      tenant.secretStorage,
      tenant.createdAt,
    );
    if (sealedSecret) this.insertSecretStmt.run(tenant.id, Buffer.from(sealedSecret));
  }

  list(): TenantView[] {
    return this.listStmt.all().map(toView);
  }

  /** By id, else by name (case-insensitive). */
  find(ref: string): TenantView | undefined {
    const row = this.byIdStmt.get(ref) ?? this.byNameStmt.get(ref);
    return row && toView(row);
  }

  nameTaken(name: string): boolean {
    return this.byNameStmt.get(name) !== undefined;
  }

  sealedSecret(tenantId: string): Uint8Array | undefined {
    const row = this.sealedStmt.get(tenantId);
    return row && new Uint8Array(row.sealed);
  }

  setDiagnostics(tenantId: string, settings: TenantDiagnostics | null): void {
    this.diagnosticsStmt.run(settings ? JSON.stringify(settings) : null, tenantId);
  }

  /** The profile's editable fields (id, secret storage and creation time never change). */
  update(tenant: TenantView): void {
    this.updateStmt.run(tenant.name, tenant.environment, tenant.domain, tenant.customDomain, tenant.clientId, tenant.id);
  }

  /** A new sealed secret for a tenant in passphrase mode. */
  replaceSealedSecret(tenantId: string, sealed: Uint8Array): void {
    this.replaceSecretStmt.run(Buffer.from(sealed), tenantId);
  }

  /** Deletes the tenant; its sealed secret goes with it (ON DELETE CASCADE). */
  delete(tenantId: string): void {
    this.deleteStmt.run(tenantId);
  }
}
