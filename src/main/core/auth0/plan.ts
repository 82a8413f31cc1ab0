/**
 * The plan: the inventory's bindings diffed against what the tenant really has. Pure, so every
 * drift rule is unit-tested with fixed data. Steps run in the order listed: credentials are
 * created, then bound, then the PoP switches, and only then are retired credentials deleted, so an
 * application always has a working credential.
 */
import type { CertificateStatus, DriftItem, PlanStep, TenantClientState, TenantPlan, TenantView } from '../../../shared/contract/index.ts';
import { sameDn } from '../pki/names.ts';
import type { BindingRecord } from '../store/binding-repository.ts';
import { CERTIFICATE_CREDENTIAL_TYPES, type ActualClient, type ActualCredential, type ActualTenant } from './tenant-state.ts';

export const MAX_CERTIFICATE_CREDENTIALS = 2;

/** A binding with the facts of its certificate. */
export interface PlannedBinding extends BindingRecord {
  thumbprintSha256: string;
  subject: string;
  subjectLines: string;
  certificateStatus: CertificateStatus;
  notAfter: string;
}

export function methodFor(type: BindingRecord['credentialType']): 'tls_client_auth' | 'self_signed_tls_client_auth' {
  return type === 'x509_cert' ? 'self_signed_tls_client_auth' : 'tls_client_auth';
}

/** The tenant's credential for a binding: by thumbprint, else by the id recorded, else by certdesk's name. */
export function findCredential(
  b: Pick<PlannedBinding, 'thumbprintSha256' | 'credentialId' | 'credentialName'>,
  credentials: ActualCredential[],
): ActualCredential | undefined {
  return (
    credentials.find((c) => c.thumbprintSha256 !== null && c.thumbprintSha256 === b.thumbprintSha256) ??
    credentials.find((c) => b.credentialId !== null && c.id === b.credentialId) ??
    credentials.find((c) => c.name !== '' && c.name === b.credentialName)
  );
}

function short(thumbprint: string | null): string {
  return thumbprint ? `${thumbprint.slice(0, 12)}…` : 'no thumbprint';
}

function describeMethods(method: string | null, ids: string[]): string {
  return method ? `${method}: [${ids.join(', ')}]` : 'no client_authentication_methods';
}

interface ClientPlan {
  steps: PlanStep[];
  drift: DriftItem[];
  state: TenantClientState;
}

function planClient(clientId: string, bindings: PlannedBinding[], actual: ActualClient | undefined, now: Date): ClientPlan {
  const steps: PlanStep[] = [];
  const drift: DriftItem[] = [];
  const flag = (d: Omit<DriftItem, 'clientId'>) => drift.push({ clientId, ...d });
  if (!actual || !actual.exists) {
    flag({
      kind: 'client-missing',
      severity: 'blocking',
      credentialId: null,
      bindingId: null,
      message: `The tenant has no application with client id ${clientId}.`,
      fix: 'Check the client id in the Auth0 dashboard (Applications → Settings), remove this binding and bind again.',
    });
    return { steps, drift, state: { clientId, name: null, authMethod: null, boundCredentialIds: [], requirePop: false, credentials: [] } };
  }
  const certificateCredentials = actual.credentials.filter((c) => CERTIFICATE_CREDENTIAL_TYPES.has(c.credentialType));
  const owner = new Map<string, PlannedBinding>();
  for (const b of bindings) {
    const c = findCredential(b, certificateCredentials);
    if (c) owner.set(c.id, b);
  }
  const active = bindings.filter((b) => b.state === 'active');
  const retired = bindings.filter((b) => b.state === 'retired');

  // Drift: what the tenant has that the inventory does not expect, or that no longer works.
  for (const c of certificateCredentials) {
    const b = owner.get(c.id);
    if (!b) {
      flag({
        kind: 'orphaned-credential',
        severity: 'warning',
        credentialId: c.id,
        bindingId: null,
        message: `Credential ${c.id} ("${c.name}", ${c.subjectDn?.replaceAll('\n', ', ') ?? 'no DN'}, ${short(c.thumbprintSha256)}) is on the application but in no certdesk binding.`,
        fix: 'Import its certificate and bind it, or delete the credential in Auth0 if nothing uses it. certdesk leaves it alone.',
      });
      continue;
    }
    if (b.state !== 'active') continue;
    if (c.credentialType === 'cert_subject_dn' && c.subjectDn !== null && !sameDn(c.subjectDn, b.subjectLines)) {
      flag({
        kind: 'dn-mismatch',
        severity: 'warning',
        credentialId: c.id,
        bindingId: b.id,
        message: `Credential ${c.id} expects the subject DN "${c.subjectDn.replaceAll('\n', ', ')}", but the certificate's subject is "${b.subjectLines.replaceAll('\n', ', ')}" (RFC 4514: ${b.subject}). Token requests will fail with a silent 401 invalid_client.`,
        fix: 'Unbind and bind the certificate again so that the credential is created from its PEM.',
      });
    }
  }
  for (const b of active) {
    if (b.certificateStatus === 'revoked')
      flag({
        kind: 'bound-cert-revoked',
        severity: 'warning',
        credentialId: b.credentialId,
        bindingId: b.id,
        message: `The bound certificate ${b.subject} is revoked, but its credential stays usable at Auth0 wherever the edge does not check the CRL.`,
        fix: 'Rotate it: issue a successor, bind it, then unbind this one.',
      });
    else if (b.certificateStatus === 'expired' || Date.parse(b.notAfter) <= now.getTime())
      flag({
        kind: 'bound-cert-expired',
        severity: 'warning',
        credentialId: b.credentialId,
        bindingId: b.id,
        message: `The bound certificate ${b.subject} expired on ${b.notAfter}.`,
        fix: 'Rotate it: issue a successor, bind it, then unbind this one.',
      });
  }

  // Steps, in execution order.
  const toCreate = active.filter((b) => !findCredential(b, certificateCredentials));
  for (const b of toCreate) {
    steps.push({
      id: `create-credential:${clientId}:${b.id}`,
      kind: 'create-credential',
      clientId,
      bindingId: b.id,
      summary: `Add ${b.credentialType} credential "${b.credentialName}" for ${b.subject}`,
      before: 'absent',
      after: `${b.credentialType} "${b.credentialName}", x5t#S256 ${short(b.thumbprintSha256)}, expires ${b.notAfter}`,
    });
  }
  const toDelete = retired
    .map((b) => ({ b, c: findCredential(b, certificateCredentials) }))
    .filter((x): x is { b: PlannedBinding; c: ActualCredential } => x.c !== undefined);
  const peak = certificateCredentials.length + toCreate.length;
  if (peak > MAX_CERTIFICATE_CREDENTIALS) {
    flag({
      kind: 'credential-limit',
      severity: 'blocking',
      credentialId: null,
      bindingId: toCreate[0]?.id ?? null,
      message: `Applying would put ${peak} certificate credentials on ${clientId}; Auth0 allows ${MAX_CERTIFICATE_CREDENTIALS} per application.`,
      fix: 'Unbind a certificate (or delete an orphaned credential) before binding another one.',
    });
  }

  // Methods: ours (existing or about to be created), plus bound credentials certdesk does not know, minus retired ones.
  const retiredIds = new Set(toDelete.map((x) => x.c.id));
  const ours = active.map((b) => findCredential(b, certificateCredentials)?.id ?? `(new credential for ${b.credentialName})`);
  const foreignBound = actual.boundCredentialIds.filter((id) => !owner.has(id) && !retiredIds.has(id));
  const desiredIds = [...ours, ...foreignBound];
  const desiredMethod = active[0] ? methodFor(active[0].credentialType) : actual.authMethod;
  const sameSet =
    desiredIds.length === actual.boundCredentialIds.length && desiredIds.every((id) => actual.boundCredentialIds.includes(id));
  if (active.length > 0 && (desiredMethod !== actual.authMethod || !sameSet || actual.tokenEndpointAuthMethod !== null)) {
    steps.push({
      id: `set-auth-methods:${clientId}`,
      kind: 'set-auth-methods',
      clientId,
      bindingId: null,
      summary: `Bind ${desiredIds.length} credential${desiredIds.length === 1 ? '' : 's'} with ${desiredMethod}`,
      before: `${describeMethods(actual.authMethod, actual.boundCredentialIds)}; token_endpoint_auth_method ${actual.tokenEndpointAuthMethod ?? 'null'}`,
      after: `${describeMethods(desiredMethod, desiredIds)}; token_endpoint_auth_method null`,
    });
  }
  if (active.some((b) => b.requirePop) && !actual.requirePop) {
    steps.push({
      id: `set-client-pop:${clientId}`,
      kind: 'set-client-pop',
      clientId,
      bindingId: null,
      summary: 'Require proof of possession (certificate-bound tokens) on the application',
      before: 'require_proof_of_possession false',
      after: 'require_proof_of_possession true',
    });
  }
  for (const { b, c } of toDelete) {
    steps.push({
      id: `delete-credential:${clientId}:${b.id}`,
      kind: 'delete-credential',
      clientId,
      bindingId: b.id,
      summary: `Remove credential ${c.id} ("${c.name}") of the retired certificate ${b.subject}`,
      before: `${c.credentialType} ${c.id}, x5t#S256 ${short(c.thumbprintSha256)}`,
      after: 'absent',
    });
  }
  const state: TenantClientState = {
    clientId,
    name: actual.name,
    authMethod: actual.authMethod,
    boundCredentialIds: actual.boundCredentialIds,
    requirePop: actual.requirePop,
    credentials: actual.credentials.map((c) => ({ ...c, bindingId: owner.get(c.id)?.id ?? null })),
  };
  return { steps, drift, state };
}

/** Diffs the live bindings of one tenant against the tenant's state. */
export function planTenant(tenant: TenantView, bindings: PlannedBinding[], actual: ActualTenant, now: Date): TenantPlan {
  const byClient = new Map<string, PlannedBinding[]>();
  for (const b of bindings) byClient.set(b.clientId, [...(byClient.get(b.clientId) ?? []), b]);
  const steps: PlanStep[] = [];
  const drift: DriftItem[] = [];
  const clients: TenantClientState[] = [];
  const plans = [...byClient].map(([clientId, list]) => planClient(clientId, list, actual.clients.get(clientId), now));
  for (const p of plans) {
    // Deletions go last across all clients, so the PoP and API steps never wait on a removal.
    steps.push(...p.steps.filter((s) => s.kind !== 'delete-credential'));
    drift.push(...p.drift);
    clients.push(p.state);
  }
  const active = bindings.filter((b) => b.state === 'active');
  for (const ref of new Set(active.map((b) => b.api).filter((a): a is string => a !== null))) {
    const api = actual.apis.get(ref);
    if (!api || !api.exists) {
      const clientId = active.find((b) => b.api === ref)?.clientId ?? '';
      drift.push({
        kind: 'api-missing',
        severity: 'blocking',
        clientId,
        credentialId: null,
        bindingId: null,
        message: `The tenant has no API (resource server) "${ref}".`,
        fix: "Use the API's identifier or id from Applications → APIs, remove this binding and bind again.",
      });
    } else if (!api.popRequired) {
      steps.push({
        id: `set-api-pop:${ref}`,
        kind: 'set-api-pop',
        clientId: active.find((b) => b.api === ref)?.clientId ?? '',
        bindingId: null,
        summary: `Require mTLS proof of possession on the API ${ref}`,
        before: 'proof_of_possession not required',
        after: 'proof_of_possession {mechanism: "mtls", required: true}',
      });
    }
  }
  if (active.some((b) => b.endpointAliases) && actual.endpointAliases === false) {
    steps.push({
      id: 'enable-endpoint-aliases',
      kind: 'enable-endpoint-aliases',
      clientId: '',
      bindingId: null,
      summary: "Turn on the tenant's mTLS endpoint aliases (mtls.<custom domain>)",
      before: 'mtls.enable_endpoint_aliases false',
      after: 'mtls.enable_endpoint_aliases true',
    });
  }
  for (const p of plans) steps.push(...p.steps.filter((s) => s.kind === 'delete-credential'));
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    environment: tenant.environment,
    readAt: now.toISOString(),
    clients,
    steps,
    drift,
    blocked: drift.some((d) => d.severity === 'blocking'),
  };
}
