/**
 * The one contract between the renderer and main (Electron IPC and the web-mode bridge alike).
 * Types only, plus the channel list the preload and the web bridge derive their API from.
 * Adding a channel means editing `Channels` here, its zod schema in `src/main/schemas.ts` and
 * its handler in `src/main/handlers.ts`; the type check fails while any of the three is missing.
 */

export const KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Key types an authority may use: RSA-2048 is allowed for leaves, not for a CA that outlives them. */
export const CA_KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'] as const;
export type CaKeyType = (typeof CA_KEY_TYPES)[number];

export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNKNOWN_CHANNEL'
  | 'KEY_TYPE_UNSUPPORTED'
  | 'VALIDITY_OUT_OF_RANGE'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'KEYCHAIN_LOCKED'
  | 'KEYCHAIN_KEY_MISSING'
  | 'VAULT_NOT_INITIALIZED'
  | 'VAULT_LOCKED'
  | 'VAULT_ALREADY_INITIALIZED'
  | 'PASSPHRASE_WRONG'
  | 'PASSPHRASE_TOO_SHORT'
  | 'KEY_UNSEAL_FAILED'
  | 'DATABASE_FROM_NEWER_VERSION'
  | 'DATABASE_BUSY'
  | 'FORBIDDEN'
  | 'KEY_TOO_WEAK'
  | 'EKU_MISSING_CLIENT_AUTH'
  | 'CSR_INVALID'
  | 'CSR_SIGNATURE_INVALID'
  | 'CSR_REQUESTS_CA'
  | 'SUBJECT_MISSING'
  | 'PEM_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'ALREADY_REVOKED'
  | 'CERT_REVOKED'
  | 'NO_PRIVATE_KEY'
  | 'PROFILE_UNKNOWN'
  | 'AUDIT_CHAIN_BROKEN'
  | 'AUTH0_UNREACHABLE'
  | 'AUTH0_AUTH_FAILED'
  | 'AUTH0_TIMEOUT'
  | 'CONFIRMATION_REQUIRED'
  | 'AUTH0_SCOPE_MISSING'
  | 'AUTH0_CREDENTIAL_LIMIT'
  | 'AUTH0_NOT_FOUND'
  | 'AUTH0_REJECTED'
  | 'AUTH0_RATE_LIMITED'
  | 'AUTH0_UNAVAILABLE'
  | 'EDGE_RELOAD_FAILED'
  | 'ROTATION_VERIFY_FAILED'
  | 'INTERNAL';

export interface Failure {
  code: ErrorCode;
  /** A sentence for a person: what is wrong and how to fix it. */
  message: string;
  /** The input field at fault, as the caller named it (`years`, `parent`, `keyType`…). */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export type KeyProtection = 'keychain' | 'passphrase';

export interface VaultStatus {
  /** `null` until the first key is sealed or the operator chooses a protection explicitly. */
  protection: KeyProtection | null;
  state: 'uninitialized' | 'ready' | 'locked';
  /** Where the data-encryption key lives, in words (`Secret Service (login keyring)`, `passphrase (scrypt)`). */
  detail: string;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  vault: VaultStatus;
}

export type AuthorityKind = 'root' | 'issuing';

export interface AuthorityView {
  id: string;
  name: string;
  kind: AuthorityKind;
  parentId: string | null;
  /** RFC 4514 form, most specific first: `CN=Acme Root CA,O=Acme`. */
  subject: string;
  /** Certificate order, one attribute a line: the form Auth0 and Node's X509Certificate print. */
  subjectLines: string;
  issuer: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  pathLength: number | null;
  sha256Hex: string;
  /** base64url of the SHA-256 of the DER: the `x5t#S256` form. */
  sha256Base64url: string;
  sha1Hex: string;
  pem: string;
  createdAt: string;
}

export interface CreateAuthorityInput {
  /** Becomes the subject CN. */
  name: string;
  organization?: string;
  /** Two-letter ISO 3166 country code. */
  country?: string;
  keyType?: CaKeyType;
  /** Whole years; the default is 10 for a root and 5 for an issuing CA, capped to the parent. */
  years?: number;
  /** Id or name of the parent authority; without it a self-signed root is made. */
  parent?: string;
  /** Correlates `progress` events with this call. */
  progressId?: string;
}

export interface VaultInitInput {
  protection: KeyProtection;
  passphrase?: string;
}

export interface VaultUnlockInput {
  passphrase: string;
}

export type Empty = Record<string, never>;

// ── Leaf certificates, inventory, CRLs, audit (the CA at work) ──────────────────────────────────

export type CertificateStatus = 'active' | 'superseded' | 'revoked' | 'expired';
/** sealed: certdesk generated the key and holds it sealed; csr-only: the key never left the client; imported: inventory only. */
export type KeyStorage = 'sealed' | 'csr-only' | 'imported';

/** RFC 5280 §5.3.1 CRLReason names, as OpenSSL spells them. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const SAN_TYPES = ['dns', 'uri', 'email'] as const;
export type SanType = (typeof SAN_TYPES)[number];
export interface SanEntry {
  type: SanType;
  value: string;
}

export interface SubjectFields {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  /** Two capital letters. */
  country?: string;
}

export interface ProfileView {
  name: string;
  description: string;
  keyTypes: KeyType[];
  defaultKeyType: KeyType;
  defaultDays: number;
  maxDays: number;
  extendedKeyUsages: string[];
  /** Where the subject comes from when a CSR is signed: the CSR's, or the operator's override. */
  csrSubject: 'copy' | 'override-allowed';
}

export type IssueSource = { kind: 'generated'; keyType?: KeyType } | { kind: 'csr'; csr: string };

export interface IssueInput {
  /** Id or name of the issuing authority. */
  ca: string;
  profile?: string;
  subject?: SubjectFields;
  sans?: SanEntry[];
  days?: number;
  source: IssueSource;
  progressId?: string;
}

export interface CertificateSummary {
  id: string;
  commonName: string | null;
  subject: string;
  authorityId: string | null;
  issuerName: string;
  serialHex: string;
  status: CertificateStatus;
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  keyStorage: KeyStorage;
  profile: string | null;
  sha256Hex: string;
}

export interface LintCheck {
  id: 'version' | 'key' | 'eku' | 'subject' | 'validity' | 'chain' | 'ca-outlives-leaf' | 'signature';
  ok: boolean;
  message: string;
  /** What to do when `ok` is false. */
  fix?: string;
}

export interface LintResult {
  ok: boolean;
  checks: LintCheck[];
}

export interface ExtensionView {
  oid: string;
  name: string;
  critical: boolean;
  value: string;
}

export interface CertificateDetail extends CertificateSummary {
  subjectLines: string;
  issuer: string;
  sans: SanEntry[];
  sha256Base64url: string;
  sha1Hex: string;
  replacesId: string | null;
  replacedById: string | null;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  extensions: ExtensionView[];
  pem: string;
  /** Leaf first, then the issuing CAs up to the root. */
  chainPem: string;
  lint: LintResult;
  createdAt: string;
}

export interface CertificateQuery {
  search?: string;
  status?: CertificateStatus;
  /** Authority id or name. */
  issuer?: string;
  expiringWithinDays?: number;
  offset?: number;
  limit?: number;
}

export interface CertificatePage {
  total: number;
  offset: number;
  items: CertificateSummary[];
}

export interface RenewInput {
  /** Id, hex serial or SHA-256 thumbprint. */
  cert: string;
  sameKey?: boolean;
  days?: number;
  progressId?: string;
}

export interface RevokeInput {
  cert: string;
  reason?: RevocationReason;
}

export interface CrlView {
  authorityId: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revokedCount: number;
  /** PEM with the `X509 CRL` label OpenSSL reads. */
  pem: string;
}

export const EXPORT_FORMATS = ['pem', 'der', 'chain', 'p12', 'key'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput {
  cert: string;
  format: ExportFormat;
  /** Required for p12 and key (at least 12 characters); the key is never exported unprotected. */
  passphrase?: string;
  /** Where main writes a file that contains a key. Defaults to `<data dir>/exports/`. */
  path?: string;
}

export interface ExportResult {
  filename: string;
  /** Set for formats without a key (pem, der, chain): base64 of the file, for the renderer to save. */
  contentBase64?: string;
  /** Set for p12 and key: the file main wrote (key material never crosses to the renderer). */
  writtenTo?: string;
  containsKey: boolean;
}

export interface ImportCaInput {
  certPem: string;
  keyPem: string;
  keyPassphrase?: string;
  name?: string;
}

export interface ImportCertificateInput {
  pem: string;
}

/** Where and how the customer edge (nginx) runs; every path is on the edge machine. */
export interface EdgeSettings {
  /** The tenant's custom domain, as clients dial it (`auth.example.com`). */
  serverName: string;
  /** nginx `listen` argument: `443`, or `127.0.0.1:8443` for a rehearsal. */
  listen: string;
  /** The edge's own TLS server certificate and key, as paths on the edge machine. */
  serverCertificatePath: string;
  serverKeyPath: string;
  /** The custom domain's origin at Auth0 (`https://<tenant>.edge.tenants.auth0.com`), or the local sandbox. */
  upstream: string;
  /** Host header for the upstream; the custom domain unless the origin wants another. */
  upstreamHost?: string;
  /**
   * A file outside the bundle holding `proxy_set_header cname-api-key "…";` — the key that
   * `POST /custom-domains/{id}/verify` returns once. It never enters the bundle or certdesk's database.
   */
  cnameApiKeyInclude: string;
  /** The header the custom domain's `custom_client_ip_header` names; X-Forwarded-For by default. */
  clientIpHeader?: string;
  /** Where the bundle's files live on the edge machine (absolute), for the paths in the config. */
  bundleDir: string;
  /** `on` in production. `optional` exists only to rehearse the failure the diagnostics must catch. */
  verifyClient?: 'on' | 'optional';
}

export interface EdgePublishInput {
  /** The issuing CA whose chain and CRLs the edge trusts. */
  ca: string;
  settings: EdgeSettings;
  /** Folder the bundle is written to. */
  dir: string;
  /** Run after writing, e.g. `nginx -t && nginx -s reload`; its exit status is recorded. */
  reloadCommand?: string;
}

export interface EdgePreview {
  files: Record<string, string>;
  authorities: string[];
  crlNumbers: Record<string, number>;
}

/** What an edge must trust to check certdesk's client certificates: every current CA and its CRL. */
export interface EdgeTrust {
  authorities: string[];
  caBundlePem: string;
  /** One current CRL per authority (nginx's ssl_crl needs every CA's). */
  crlPems: string[];
}

export interface EdgePublication {
  id: number;
  at: string;
  authorityId: string;
  dir: string;
  serverName: string;
  crlNumbers: Record<string, number>;
  bundleSha256: string;
  reloadCommand: string | null;
  reloadStatus: number | null;
  reloadOutput: string | null;
}

export interface EdgePublishResult {
  id: number;
  at: string;
  files: string[];
  authorities: string[];
  crlNumbers: Record<string, number>;
  bundleSha256: string;
  reload?: { command: string; status: number; output: string };
}

// ── Rotation schedule ───────────────────────────────────────────────────────────────────────────

export type ScheduleState = 'ok' | 'due' | 'overdue' | 'expired';

export interface ScheduleItem {
  kind: 'leaf' | 'ca';
  id: string;
  name: string;
  /** The issuing authority's name (for a CA: its parent's, or itself for a root). */
  issuerName: string;
  profile: string | null;
  notBefore: string;
  notAfter: string;
  /** When renewal is due: two thirds of the lifetime, or N days before expiry, whichever comes first. */
  renewAt: string;
  state: ScheduleState;
  daysUntilRenewal: number;
  daysUntilExpiry: number;
  /** Things an operator must know, e.g. a CA that expires before the leaves it signed. */
  warnings: string[];
  /** The Auth0 credentials this certificate is bound as, with the `expires_at` Auth0 reported. */
  credentials: ScheduleCredential[];
}

export interface ScheduleCredential {
  tenantName: string;
  clientId: string;
  credentialId: string | null;
  expiresAt: string | null;
}

export interface ScheduleQuery {
  /** Only items whose renewal falls within this many days (overdue and expired items always count). */
  withinDays?: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: Array<{ seq: number; problem: string }>;
}

// ── Auth0 tenant profiles ───────────────────────────────────────────────────────────────────────

export const TENANT_ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type TenantEnvironment = (typeof TENANT_ENVIRONMENTS)[number];

/** keychain: the OS keychain holds the M2M secret; sealed: passphrase mode, sealed under the vault's key in SQLite. */
export type TenantSecretStorage = 'keychain' | 'sealed';

/** A tenant as the UI sees it. The M2M client secret never crosses the contract. */
export interface TenantView {
  id: string;
  name: string;
  environment: TenantEnvironment;
  /** The tenant's canonical domain (`acme.eu.auth0.com`): where the Management API lives. */
  domain: string;
  /** The custom domain clients dial through the mTLS edge (`auth.acme.com`), if any. */
  customDomain: string | null;
  clientId: string;
  secretStorage: TenantSecretStorage;
  createdAt: string;
  /** How diagnostics reach this tenant through the edge; null until set. */
  diagnostics: TenantDiagnostics | null;
}

/** How the token flight check reaches a tenant through its edge. No secrets. */
export interface TenantDiagnostics {
  /** Default: https://<custom domain or domain>/.well-known/openid-configuration */
  discoveryUrl?: string;
  /** The API identifier to request tokens for (default: the binding's API). */
  audience?: string;
  /** Connect here for the token endpoint, keeping its name (like curl --connect-to): host:port. */
  edgeAddress?: string;
  /** CA certificate(s) the edge's TLS server certificate chains to, when not a public CA. */
  edgeCaPem?: string;
  /** An API URL that must refuse the token without the certificate (stage 8). */
  resourceUrl?: string;
}

export interface DiagnoseInput {
  tenant: string;
  clientId: string;
  /** Default: the newest certificate actively bound to the application. */
  cert?: string;
  audience?: string;
  resourceUrl?: string;
  /** Echoed in `diagnostic-stage` events so the page can follow its own run. */
  runId?: string;
}

export interface TenantAddInput {
  name: string;
  environment: TenantEnvironment;
  domain: string;
  customDomain?: string;
  clientId: string;
  clientSecret: string;
}

/** What "Test connection" found: a token was issued; `missing` names the scopes certdesk needs but lacks. */
export interface TenantTestResult {
  ok: boolean;
  granted: string[];
  missing: string[];
  /** Seconds; null when no token was issued (the app has no grant for the Management API). */
  tokenExpiresIn: number | null;
}

export interface TenantRemoveInput {
  /** Tenant id or name. */
  tenant: string;
  /** For a production tenant: the tenant's name, typed again. */
  confirm?: string;
}

/** What certdesk wants bound: `active` bindings should be live on the client, `retired` ones removed from it. */
export type BindingState = 'active' | 'retired' | 'removed';
/** `cert_subject_dn` for CA-signed certificates (method tls_client_auth), `x509_cert` for self-signed ones. */
export type CredentialType = 'cert_subject_dn' | 'x509_cert';

export interface BindInput {
  /** Certificate id, serial or thumbprint. */
  cert: string;
  /** Tenant id or name. */
  tenant: string;
  /** The Auth0 application's client id. */
  clientId: string;
  /** Also require proof of possession on this API (resource server id or identifier). */
  api?: string;
  /** Set `require_proof_of_possession` on the application. */
  pop?: boolean;
  /** Turn on the tenant's mTLS endpoint aliases. */
  endpointAliases?: boolean;
}

export interface BindingView {
  id: string;
  tenantId: string;
  tenantName: string;
  clientId: string;
  certificateId: string;
  subject: string;
  /** Auth0's newline-separated form, in certificate order. */
  subjectLines: string;
  thumbprintSha256: string;
  certificateStatus: CertificateStatus;
  notAfter: string;
  credentialType: CredentialType;
  credentialName: string;
  /** Auth0's `cred_…` id, once the credential exists. */
  credentialId: string | null;
  /** The credential's `expires_at` as Auth0 reported it. */
  credentialExpiresAt: string | null;
  requirePop: boolean;
  api: string | null;
  endpointAliases: boolean;
  state: BindingState;
  createdAt: string;
  appliedAt: string | null;
}

export interface UnbindInput {
  binding: string;
  /** For a production tenant: the tenant's name, typed again. */
  confirm?: string;
}

export const PLAN_STEP_KINDS = [
  'create-credential',
  'set-auth-methods',
  'set-client-pop',
  'set-api-pop',
  'enable-endpoint-aliases',
  'delete-credential',
] as const;
export type PlanStepKind = (typeof PLAN_STEP_KINDS)[number];

/** One change apply would make, with the state before and after as readable text. */
export interface PlanStep {
  /** Stable for the same change, so progress and results can refer to it. */
  id: string;
  kind: PlanStepKind;
  clientId: string;
  summary: string;
  before: string;
  after: string;
  bindingId: string | null;
}

export type DriftKind =
  | 'orphaned-credential'
  | 'bound-cert-expired'
  | 'bound-cert-revoked'
  | 'dn-mismatch'
  | 'credential-limit'
  | 'client-missing'
  | 'api-missing'
  | 'auth-method-mismatch';

/** What the tenant has that the inventory does not expect. Shown, never silently "fixed". */
export interface DriftItem {
  kind: DriftKind;
  /** `blocking` stops apply before any change is made. */
  severity: 'warning' | 'blocking';
  clientId: string;
  credentialId: string | null;
  bindingId: string | null;
  message: string;
  fix: string;
}

export interface TenantCredentialView {
  id: string;
  name: string;
  credentialType: string;
  subjectDn: string | null;
  thumbprintSha256: string | null;
  expiresAt: string | null;
  /** The certdesk binding this credential belongs to, if any. */
  bindingId: string | null;
}

export interface TenantClientState {
  clientId: string;
  name: string | null;
  /** `tls_client_auth`, `self_signed_tls_client_auth`, another method, or null. */
  authMethod: string | null;
  boundCredentialIds: string[];
  requirePop: boolean;
  credentials: TenantCredentialView[];
}

export interface TenantPlan {
  tenantId: string;
  tenantName: string;
  environment: TenantEnvironment;
  readAt: string;
  clients: TenantClientState[];
  steps: PlanStep[];
  drift: DriftItem[];
  /** True when blocking drift stops apply. */
  blocked: boolean;
}

export interface ApplyInput {
  tenant: string;
  /** For a production tenant: the tenant's name, typed again. */
  confirm?: string;
}

export interface ApplyStepResult {
  stepId: string;
  kind: PlanStepKind;
  summary: string;
  status: 'done' | 'already-done' | 'failed' | 'not-run';
  attempts: number;
  message?: string;
}

export type OutboxState = 'pending' | 'blocked' | 'done';

/** A change for Auth0 recorded locally; it waits here while the tenant is unreachable. */
export interface OutboxItem {
  id: string;
  tenantId: string;
  tenantName: string;
  bindingId: string;
  kind: 'bind' | 'unbind';
  summary: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApplyResult {
  tenantId: string;
  tenantName: string;
  /** applied: every step done; queued: the tenant was unreachable, work waits in the outbox; blocked: drift or a refusal needs the operator. */
  outcome: 'applied' | 'nothing-to-do' | 'queued' | 'blocked';
  message: string;
  steps: ApplyStepResult[];
  drift: DriftItem[];
  outbox: OutboxItem[];
}

/** An application on the tenant, for choosing what to bind to. */
export interface Auth0ClientSummary {
  clientId: string;
  name: string;
  appType: string | null;
  /** The M2M application certdesk itself uses for this tenant. */
  isCertdeskClient: boolean;
}

export const CLIENT_IP_HEADERS = ['true-client-ip', 'cf-connecting-ip', 'x-forwarded-for', 'x-azure-clientip'] as const;
export type ClientIpHeader = (typeof CLIENT_IP_HEADERS)[number];

export interface CustomDomainInput {
  tenant: string;
  /** Defaults to the tenant's custom domain. */
  domain?: string;
  /** Where to write the nginx include with the cname-api-key (it is returned by Auth0 once, and written only there). */
  keyFile: string;
  /** A header the edge sets with the client IP (custom_client_ip_header), when not X-Forwarded-For. */
  clientIpHeader?: ClientIpHeader;
}

export interface CustomDomainSetup {
  customDomainId: string;
  domain: string;
  status: string;
  /** Where the edge forwards to (proxy_pass and Host). */
  originDomainName: string | null;
  keyFile: string | null;
  keyWritten: boolean;
  steps: string[];
}

/** The local sandbox tenant: running in this app, in another process (certdesk sandbox start), or not at all. */
export interface SandboxStatus {
  running: boolean;
  owner: 'this-app' | 'other-process' | null;
  dir: string;
  url: string | null;
  edgeUrl: string | null;
  /** The edge's own server certificate, for clients (and the flight check) to trust. */
  edgeCaPem: string | null;
  domain: string | null;
  pid: number | null;
  /** The tenant profile that points at it, once one exists. */
  tenantName?: string | null;
}

/** The seven journaled steps of a rotation, in order. */
export const ROTATION_STEPS = [
  'issue-successor',
  'publish-edge',
  'add-credential',
  'bind-both',
  'verify',
  'remove-old',
  'supersede',
] as const;
export type RotationStepName = (typeof ROTATION_STEPS)[number];
export type RotationState = 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

export interface RotationJournalEntry {
  step: number;
  name: RotationStepName;
  phase: 'begin' | 'end' | 'skip' | 'fail' | 'wait';
  at: string;
  detail: string;
}

export interface RotationJobView {
  id: string;
  batchId: string | null;
  certificateId: string;
  subject: string;
  successorId: string | null;
  state: RotationState;
  /** The last completed step (0 = none yet, 7 = all). */
  step: number;
  overlapSeconds: number;
  /** When the old credential may be removed (set once the new one is verified). */
  overlapUntil: string | null;
  verify: boolean;
  sameKey: boolean;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  journal: RotationJournalEntry[];
}

export interface RotateInput {
  cert: string;
  /** Keep the key (re-certify); the default issues the successor with a new key. */
  sameKey?: boolean;
  /** How long both credentials stay bound before the old one is removed (seconds; default 86400). */
  overlapSeconds?: number;
  /** Verify with a real token call before removing the old credential (default true). */
  verify?: boolean;
  /** When a binding is on a production tenant: that tenant's name, typed again. */
  confirm?: string;
}

export interface BulkRotateInput {
  /** Rotate what is due (or overdue) within this many days; default: what is due now. */
  withinDays?: number;
  /** Jobs at a time (default 4, at most 16). */
  concurrency?: number;
  overlapSeconds?: number;
  verify?: boolean;
  /** The names of the production tenants involved, typed again, comma-separated. */
  confirm?: string;
}

export interface BulkRotationSummary {
  batchId: string;
  total: number;
  done: number;
  waiting: number;
  failed: number;
  cancelled: number;
  jobs: RotationJobView[];
  /** Due certificates that could not start a rotation (CSR-mode key, imported…), with the reason. */
  skipped: { certificateId: string; subject: string; reason: string }[];
}

/** The named stages of a token flight check (RFC 8705), in the order they run. */
export const DIAGNOSTIC_STAGES = [
  'discovery',
  'edge-handshake',
  'token',
  'signature',
  'binding',
  'reject-no-cert',
  'reject-foreign-cert',
  'resource-server',
] as const;
export type DiagnosticStageId = (typeof DIAGNOSTIC_STAGES)[number];

/** Each stage's title: main reports it with the result, and the page shows it before the result. */
export const DIAGNOSTIC_STAGE_TITLES: Record<DiagnosticStageId, string> = {
  discovery: 'OpenID discovery',
  'edge-handshake': 'TLS handshake with the edge',
  token: 'Token request with the client certificate',
  signature: 'Token signature against the tenant JWKS',
  binding: 'Certificate binding (cnf.x5t#S256)',
  'reject-no-cert': 'A request without a certificate is refused',
  'reject-foreign-cert': 'A request with a foreign certificate is refused',
  'resource-server': 'The resource server refuses the token without the certificate',
};

export interface DiagnosticEvidence {
  label: string;
  value: string;
}

/** One stage's outcome: what was checked, how long it took, what was seen and, on failure, why and what to do. */
export interface DiagnosticStage {
  id: DiagnosticStageId;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  ms: number;
  evidence: DiagnosticEvidence[];
  /** A stable code for a failure or skip (`EDGE_VERIFY_NOT_ON`, `CNF_MISSING`…). */
  code?: string;
  cause?: string;
  fix?: string;
  /** A curl command that reproduces the stage by hand; file names refer to `files` in the report. */
  curl?: string;
}

export interface DiagnosticsReport {
  ok: boolean;
  startedAt: string;
  tokenEndpoint: string | null;
  clientId: string;
  audience: string;
  thumbprintSha256: string;
  stages: DiagnosticStage[];
  /** The access token from stage 3, decoded (never the raw token). */
  token: { header: Record<string, unknown>; payload: Record<string, unknown> } | null;
}

/** Every channel: `domain:verb` → input and output. */
export interface Channels {
  'app:info': { input: Empty; output: AppInfo };
  'vault:init': { input: VaultInitInput; output: VaultStatus };
  'vault:unlock': { input: VaultUnlockInput; output: VaultStatus };
  'ca:list': { input: Empty; output: AuthorityView[] };
  'ca:create': { input: CreateAuthorityInput; output: AuthorityView };
  'ca:import': { input: ImportCaInput; output: AuthorityView };
  'profiles:list': { input: Empty; output: ProfileView[] };
  'certs:issue': { input: IssueInput; output: CertificateDetail };
  'certs:list': { input: CertificateQuery; output: CertificatePage };
  'certs:get': { input: { cert: string }; output: CertificateDetail };
  'certs:renew': { input: RenewInput; output: CertificateDetail };
  'certs:revoke': { input: RevokeInput; output: CertificateDetail };
  'certs:export': { input: ExportInput; output: ExportResult };
  'certs:import': { input: ImportCertificateInput; output: CertificateDetail };
  'certs:lint': { input: { pem: string }; output: LintResult };
  'crl:generate': { input: { ca: string }; output: CrlView };
  'audit:list': { input: { offset?: number; limit?: number }; output: { total: number; items: AuditEntry[] } };
  'audit:verify': { input: Empty; output: AuditVerifyResult };
  'edge:preview': { input: { ca: string; settings: EdgeSettings }; output: EdgePreview };
  'edge:publish': { input: EdgePublishInput; output: EdgePublishResult };
  'edge:history': { input: { limit?: number }; output: EdgePublication[] };
  'edge:trust': { input: Empty; output: EdgeTrust };
  'schedule:list': { input: ScheduleQuery; output: ScheduleItem[] };
  'schedule:ics': { input: ScheduleQuery; output: { filename: string; content: string } };
  'tenants:list': { input: Empty; output: TenantView[] };
  'tenants:add': { input: TenantAddInput; output: TenantView };
  'tenants:test': { input: { tenant: string }; output: TenantTestResult };
  'tenants:remove': { input: TenantRemoveInput; output: { removed: TenantView } };
  'bindings:create': { input: BindInput; output: BindingView };
  'bindings:list': { input: { tenant?: string }; output: BindingView[] };
  'bindings:remove': { input: UnbindInput; output: BindingView };
  'auth0:plan': { input: { tenant: string }; output: TenantPlan };
  'auth0:apply': { input: ApplyInput; output: ApplyResult };
  'outbox:list': { input: { tenant?: string }; output: OutboxItem[] };
  'auth0:clients': { input: { tenant: string }; output: Auth0ClientSummary[] };
  'auth0:custom-domain': { input: CustomDomainInput; output: CustomDomainSetup };
  'tenants:diagnostics': { input: { tenant: string; settings: TenantDiagnostics }; output: TenantView };
  'diagnostics:run': { input: DiagnoseInput; output: DiagnosticsReport };
  'diagnostics:files': { input: DiagnoseInput & { dir: string; passphrase: string }; output: { dir: string; files: string[] } };
  'rotation:start': { input: RotateInput; output: RotationJobView };
  'rotation:list': { input: Empty; output: RotationJobView[] };
  'rotation:resume': { input: { job?: string }; output: RotationJobView[] };
  'rotation:cancel': { input: { job?: string; batch?: string }; output: RotationJobView[] };
  'rotation:bulk': { input: BulkRotateInput; output: BulkRotationSummary };
  'sandbox:status': { input: Empty; output: SandboxStatus };
  'sandbox:start': { input: Empty; output: SandboxStatus };
  'sandbox:stop': { input: Empty; output: SandboxStatus };
}

export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = Channels[C]['input'];
export type ChannelOutput<C extends Channel> = Channels[C]['output'];

/** Runtime list of channels; the `satisfies` line makes it fail to compile when it and `Channels` differ. */
export const CHANNELS = [
  'app:info',
  'vault:init',
  'vault:unlock',
  'ca:list',
  'ca:create',
  'ca:import',
  'profiles:list',
  'certs:issue',
  'certs:list',
  'certs:get',
  'certs:renew',
  'certs:revoke',
  'certs:export',
  'certs:import',
  'certs:lint',
  'crl:generate',
  'audit:list',
  'audit:verify',
  'edge:preview',
  'edge:publish',
  'edge:history',
  'edge:trust',
  'schedule:list',
  'schedule:ics',
  'tenants:list',
  'tenants:add',
  'tenants:test',
  'tenants:remove',
  'bindings:create',
  'bindings:list',
  'bindings:remove',
  'auth0:plan',
  'auth0:apply',
  'outbox:list',
  'auth0:clients',
  'auth0:custom-domain',
  'tenants:diagnostics',
  'diagnostics:run',
  'diagnostics:files',
  'rotation:start',
  'rotation:list',
  'rotation:resume',
  'rotation:cancel',
  'rotation:bulk',
  'sandbox:status',
  'sandbox:start',
  'sandbox:stop',
] as const satisfies readonly Channel[];
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
export const CHANNELS_COMPLETE: Missing extends never ? true : Missing = true;

/** Events main sends to the renderer. */
/** Progress of one long operation (key generation, signing). */
export interface ProgressEvent {
  type: 'progress';
  progressId: string;
  step: number;
  total: number;
  label: string;
}

/** One apply step started or finished. */
export interface ApplyStepEvent {
  type: 'apply-step';
  tenantId: string;
  index: number;
  total: number;
  step: ApplyStepResult | (Omit<ApplyStepResult, 'status'> & { status: 'running' });
}

/** A rotation job moved: a step began, ended, was skipped, failed or is waiting; or the job was cancelled (state `cancelled`). */
export interface RotationEvent {
  type: 'rotation';
  jobId: string;
  batchId: string | null;
  certificateId: string;
  step: number;
  name: RotationStepName;
  phase: RotationJournalEntry['phase'];
  state: RotationState;
  detail: string;
}

/** Something the operator should hear about (a rotation finished, stopped, waits): a toast in the renderer. */
export interface NoticeEvent {
  type: 'notice';
  tone: 'success' | 'info' | 'warning' | 'error';
  title: string;
  body: string;
}

/** One diagnostics stage finished. */
export interface DiagnosticStageEvent {
  type: 'diagnostic-stage';
  runId: string;
  index: number;
  stage: DiagnosticStage;
}

export type CertdeskEvent = ProgressEvent | ApplyStepEvent | RotationEvent | DiagnosticStageEvent | NoticeEvent;

/** What `window.certdesk` is, in Electron (preload) and in web mode (HTTP bridge). */
export interface CertdeskApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  onEvent(listener: (event: CertdeskEvent) => void): () => void;
}

/** The IPC channel main uses for `CertdeskEvent`s. */
export const EVENT_CHANNEL = 'certdesk:event';
