import type { ApplyResult, BindingState, CredentialType, DriftKind, OutboxState, PlanStepKind } from '../../../../shared/contract/index.ts';

export const STEP_KIND_LABEL: Record<PlanStepKind, string> = {
  'create-credential': 'Create credential',
  'set-auth-methods': 'Set authentication methods',
  'set-client-pop': 'Require PoP on the application',
  'set-api-pop': 'Require PoP on the API',
  'enable-endpoint-aliases': 'Turn on mTLS endpoint aliases',
  'delete-credential': 'Delete credential',
};

export const DRIFT_KIND_LABEL: Record<DriftKind, string> = {
  'orphaned-credential': 'Credential certdesk does not know',
  'bound-cert-expired': 'Bound certificate expired',
  'bound-cert-revoked': 'Bound certificate revoked',
  'dn-mismatch': 'Subject DN mismatch',
  'credential-limit': 'Credential limit',
  'client-missing': 'Application missing',
  'api-missing': 'API missing',
  'auth-method-mismatch': 'Authentication method mismatch',
};

export const BINDING_STATE: Record<BindingState, { color: string; label: string; help: string }> = {
  active: { color: 'teal', label: 'Active', help: 'Should be live on the application.' },
  retired: { color: 'orange', label: 'Retired', help: 'Unbound: apply removes its credential from the application.' },
  removed: { color: 'gray', label: 'Removed', help: 'Its credential was removed from the application.' },
};

export const OUTBOX_STATE: Record<OutboxState, { color: string; label: string }> = {
  pending: { color: 'blue', label: 'Pending' },
  blocked: { color: 'red', label: 'Blocked' },
  done: { color: 'teal', label: 'Done' },
};

export const CREDENTIAL_TYPE_LABEL: Record<CredentialType, string> = {
  cert_subject_dn: 'Subject DN (CA-signed, tls_client_auth)',
  x509_cert: 'Certificate (self-signed, self_signed_tls_client_auth)',
};

export const APPLY_OUTCOME: Record<ApplyResult['outcome'], { color: string; title: string }> = {
  applied: { color: 'teal', title: 'Applied' },
  'nothing-to-do': { color: 'gray', title: 'Nothing to do' },
  queued: { color: 'orange', title: 'Queued: the tenant could not be reached' },
  blocked: { color: 'red', title: 'Blocked: nothing was changed' },
};
