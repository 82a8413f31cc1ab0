import type { Database, Statement } from 'better-sqlite3';
import type { BindingState, CredentialType } from '../../../shared/contract/index.ts';

/** A binding as stored; the view adds the certificate's and tenant's facts. */
export interface BindingRecord {
  id: string;
  tenantId: string;
  clientId: string;
  certificateId: string;
  credentialType: CredentialType;
  credentialName: string;
  credentialId: string | null;
  credentialExpiresAt: string | null;
  requirePop: boolean;
  api: string | null;
  endpointAliases: boolean;
  state: BindingState;
  createdAt: string;
  appliedAt: string | null;
}

interface Row {
  id: string;
  tenant_id: string;
  client_id: string;
  certificate_id: string;
  credential_type: string;
  credential_name: string;
  credential_id: string | null;
  credential_expires_at: string | null;
  require_pop: number;
  api: string | null;
  endpoint_aliases: number;
  state: string;
  created_at: string;
  applied_at: string | null;
}

function toRecord(r: Row): BindingRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    clientId: r.client_id,
    certificateId: r.certificate_id,
    credentialType: r.credential_type as CredentialType,
    credentialName: r.credential_name,
    credentialId: r.credential_id,
    credentialExpiresAt: r.credential_expires_at,
    requirePop: r.require_pop === 1,
    api: r.api,
    endpointAliases: r.endpoint_aliases === 1,
    state: r.state as BindingState,
    createdAt: r.created_at,
    appliedAt: r.applied_at,
  };
}

/** Bindings: which certificate should be live on which Auth0 application. */
export class BindingRepository {
  private readonly insertStmt: Statement<[string, string, string, string, string, string, number, string | null, number, string, string]>;
  private readonly byIdStmt: Statement<[string], Row>;
  private readonly byTenantStmt: Statement<[string], Row>;
  private readonly allStmt: Statement<[], Row>;
  private readonly liveForClientStmt: Statement<[string, string], Row>;
  private readonly liveForCertStmt: Statement<[string, string, string], Row>;
  private readonly forCertificateStmt: Statement<[string], Row>;
  private readonly setCredentialStmt: Statement<[string | null, string | null, string]>;
  private readonly setStateStmt: Statement<[string, string | null, string]>;
  private readonly markAppliedStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO bindings (id, tenant_id, client_id, certificate_id, credential_type, credential_name, require_pop, api, endpoint_aliases, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.byIdStmt = db.prepare('SELECT * FROM bindings WHERE id = ?');
    this.byTenantStmt = db.prepare("SELECT * FROM bindings WHERE tenant_id = ? ORDER BY state = 'removed', client_id, created_at");
    this.allStmt = db.prepare("SELECT * FROM bindings ORDER BY state = 'removed', tenant_id, client_id, created_at");
    this.liveForClientStmt = db.prepare(
      "SELECT * FROM bindings WHERE tenant_id = ? AND client_id = ? AND state <> 'removed' ORDER BY created_at",
    );
    this.liveForCertStmt = db.prepare(
      "SELECT * FROM bindings WHERE tenant_id = ? AND client_id = ? AND certificate_id = ? AND state <> 'removed'",
    );
    this.forCertificateStmt = db.prepare('SELECT * FROM bindings WHERE certificate_id = ? ORDER BY created_at');
    this.setCredentialStmt = db.prepare('UPDATE bindings SET credential_id = ?, credential_expires_at = ? WHERE id = ?');
    this.setStateStmt = db.prepare('UPDATE bindings SET state = ?, applied_at = coalesce(?, applied_at) WHERE id = ?');
    this.markAppliedStmt = db.prepare('UPDATE bindings SET applied_at = ? WHERE id = ?');
  }

  insert(b: Omit<BindingRecord, 'credentialId' | 'credentialExpiresAt' | 'appliedAt'>): void {
    this.insertStmt.run(
      b.id,
      b.tenantId,
      b.clientId,
      b.certificateId,
      b.credentialType,
      b.credentialName,
      b.requirePop ? 1 : 0,
      b.api,
      b.endpointAliases ? 1 : 0,
      b.state,
      b.createdAt,
    );
  }

  get(id: string): BindingRecord | undefined {
    const row = this.byIdStmt.get(id);
    return row && toRecord(row);
  }

  list(tenantId?: string): BindingRecord[] {
    return (tenantId === undefined ? this.allStmt.all() : this.byTenantStmt.all(tenantId)).map(toRecord);
  }

  /** Every binding of one certificate (indexed): what a rotation of it has to carry over. */
  forCertificate(certificateId: string): BindingRecord[] {
    return this.forCertificateStmt.all(certificateId).map(toRecord);
  }

  /** The live bindings of some applications of a tenant. */
  liveForClients(tenantId: string, clientIds: readonly string[]): BindingRecord[] {
    return [...new Set(clientIds)].flatMap((clientId) => this.liveForClient(tenantId, clientId));
  }

  /** Active and retired bindings of one application: what apply still has to reconcile. */
  liveForClient(tenantId: string, clientId: string): BindingRecord[] {
    return this.liveForClientStmt.all(tenantId, clientId).map(toRecord);
  }

  liveFor(tenantId: string, clientId: string, certificateId: string): BindingRecord | undefined {
    const row = this.liveForCertStmt.get(tenantId, clientId, certificateId);
    return row && toRecord(row);
  }

  setCredential(id: string, credentialId: string | null, expiresAt: string | null): void {
    this.setCredentialStmt.run(credentialId, expiresAt, id);
  }

  setState(id: string, state: BindingState, at: string | null = null): void {
    this.setStateStmt.run(state, at, id);
  }

  markApplied(id: string, at: string): void {
    this.markAppliedStmt.run(at, id);
  }
}
