import type { CertificateStatus } from './certificates.ts';
import type { TenantEnvironment } from './tenants.ts';

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
  /**
   * The API a verification token is requested for (rotation's verify step, the flight check), asked
   * only when the binding names no API and the tenant has no default audience; kept once, as the
   * tenant's flight check audience.
   */
  verifyAudience?: string;
}

/** Where a binding's verification token gets its audience, when the binding names no API. */
export interface VerifyAudience {
  /** The tenant's `default_audience` (Auth0 tenant settings), or null when it has none. */
  defaultAudience: string | null;
  /** The audience kept in the tenant's flight check settings, or null. */
  stored: string | null;
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
  /** When the certificate's renewal is due by its profile's renewal window: what colours its expiry. */
  renewAt: string;
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
