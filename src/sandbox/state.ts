/**
 * The sandbox tenant's state: typed, kept in memory, and written to `<dir>/state.json` after every
 * change (write to a temporary file, fsync, rename), so a sandbox survives restarts and a crash
 * mid-write leaves the previous state intact.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type AuthMethodName = 'private_key_jwt' | 'tls_client_auth' | 'self_signed_tls_client_auth';
export type ClientAuthenticationMethods = Partial<Record<AuthMethodName, { credentials: { id: string }[] }>>;
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';
export type CredentialType = 'public_key' | 'cert_subject_dn' | 'x509_cert';

export interface StoredClient {
  client_id: string;
  client_secret: string;
  name: string;
  app_type: string;
  grant_types: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod | null;
  client_authentication_methods: ClientAuthenticationMethods | null;
  require_proof_of_possession: boolean;
  /** Every other UpdateClientRequestContent field, kept as sent. */
  extra: Record<string, unknown>;
}

export interface StoredCredential {
  id: string;
  client_id: string;
  name: string;
  credential_type: CredentialType;
  subject_dn?: string;
  thumbprint_sha256?: string;
  /** Kept so the token endpoint can match x509_cert and public_key credentials; never echoed. */
  pem?: string;
  kid?: string;
  alg?: string;
  expires_at?: string;
  created_at: string;
  updated_at: string;
}

export interface StoredClientGrant {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
}

export interface ProofOfPossession {
  mechanism: 'mtls' | 'dpop';
  required: boolean;
  required_for?: 'public_clients' | 'all_clients';
}

export interface StoredResourceServer {
  id: string;
  name: string;
  identifier: string;
  is_system: boolean;
  scopes: { value: string; description?: string }[];
  signing_alg: string;
  token_lifetime: number;
  token_lifetime_for_web: number;
  allow_offline_access: boolean;
  skip_consent_for_verifiable_first_party_clients: boolean;
  enforce_policies: boolean;
  token_dialect: string;
  proof_of_possession: ProofOfPossession | null;
  extra: Record<string, unknown>;
}

export interface StoredCustomDomain {
  custom_domain_id: string;
  domain: string;
  type: 'auth0_managed_certs' | 'self_managed_certs';
  status: 'pending_verification' | 'ready' | 'failed';
  primary: boolean;
  verification_record: string;
  origin_domain_name: string;
  custom_client_ip_header: string | null;
  tls_policy?: string;
  domain_metadata?: Record<string, string | null>;
  relying_party_identifier?: string;
  /** Set when the domain is verified; returned by that one verify call only. */
  cname_api_key?: string;
}

export interface SandboxStateData {
  version: 1;
  domain: string;
  tenant_settings: Record<string, unknown>;
  clients: StoredClient[];
  credentials: StoredCredential[];
  client_grants: StoredClientGrant[];
  resource_servers: StoredResourceServer[];
  custom_domains: StoredCustomDomain[];
}

const STATE_FILE = 'state.json';

/** Writes `contents` to `file` so that readers see either the old or the new file, never half of one. */
export function writeFileAtomic(file: string, contents: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export class SandboxStore {
  readonly dir: string;
  readonly data: SandboxStateData;
  /** Written after every change (the default), or only by `flush`, on stop. */
  private readonly durable: boolean;
  private dirty = false;

  private constructor(dir: string, data: SandboxStateData, durable: boolean) {
    this.dir = dir;
    this.data = data;
    this.durable = durable;
  }

  /**
   * Opens the state in `dir`, or creates it with `initial()` when there is none yet. With `durable`
   * false, changes are written once, by `flush` (on stop): for a benchmark, where the real tenant's
   * storage is not certdesk's time, and a crash may lose what the run changed.
   */
  static open(dir: string, initial: () => SandboxStateData, durable = true): { store: SandboxStore; created: boolean } {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, STATE_FILE);
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as SandboxStateData;
      if (data.version !== 1) throw new Error(`Sandbox state in ${file} has version ${String(data.version)}; this build reads version 1.`);
      return { store: new SandboxStore(dir, data, durable), created: false };
    }
    const store = new SandboxStore(dir, initial(), durable);
    store.save();
    return { store, created: true };
  }

  /** Applies a change and, when durable, persists it before returning. */
  update<T>(change: (data: SandboxStateData) => T): T {
    const result = change(this.data);
    if (this.durable) this.save();
    else this.dirty = true;
    return result;
  }

  /** Writes what is not written yet (only a store that is not durable has any). */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.save();
  }

  save(): void {
    writeFileAtomic(join(this.dir, STATE_FILE), `${JSON.stringify(this.data, null, 2)}\n`);
  }

  client(clientId: string): StoredClient | undefined {
    return this.data.clients.find((c) => c.client_id === clientId);
  }

  credentialsOf(clientId: string): StoredCredential[] {
    return this.data.credentials.filter((c) => c.client_id === clientId);
  }

  resourceServer(idOrIdentifier: string): StoredResourceServer | undefined {
    return this.data.resource_servers.find((r) => r.id === idOrIdentifier || r.identifier === idOrIdentifier);
  }

  grant(clientId: string, audience: string): StoredClientGrant | undefined {
    return this.data.client_grants.find((g) => g.client_id === clientId && g.audience === audience);
  }

  /** The verified self-managed custom domain whose edge holds this key, if any. */
  domainByCnameApiKey(key: string): StoredCustomDomain | undefined {
    return this.data.custom_domains.find((d) => d.status === 'ready' && d.cname_api_key !== undefined && d.cname_api_key === key);
  }

  primaryDomain(): StoredCustomDomain | undefined {
    const ready = this.data.custom_domains.filter((d) => d.status === 'ready');
    return ready.find((d) => d.primary) ?? ready[0];
  }
}
