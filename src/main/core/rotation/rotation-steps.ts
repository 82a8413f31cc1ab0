/**
 * The eight steps of a rotation. Each looks before it acts, so running it again after a crash at
 * any point (before, during or after its effect) neither duplicates nor skips anything:
 *   1 issue the successor (a CSR-mode one from the workload's new CSR) · 2 deliver it to the
 *   workload's targets · 3 publish the edge bundle if it changed · 4 add the new credential ·
 *   5 bind both · 6 verify with a real token · 7 on the edge's evidence (or after the overlap without
 *   one), remove the old credential · 8 mark the old certificate superseded (revoked, reason
 *   superseded, and the edge's CRL republished).
 * Nothing changes at Auth0 before step 2 is done: the workload has the successor before it is bound.
 * On a publisher (no CA key) steps 1 and 8 are requests to the offline signer (at-signer.ts).
 */
import {
  NO_DELIVERY_TARGET,
  ROTATION_WAIT,
  type ApplyResult,
  type PlanStepKind,
  type RotationStepName,
  type TenantView,
} from '../../../shared/contract/index.ts';
import type { Bindings } from '../auth0/bindings.ts';
import type { ProductionConsent } from '../auth0/confirm-production.ts';
import type { Tenants } from '../auth0/tenants.ts';
import type { Crls } from '../ca/crls.ts';
import type { CoreContext } from '../context.ts';
import type { Diagnose } from '../diagnostics/diagnose.ts';
import { runDiagnostics } from '../diagnostics/run-diagnostics.ts';
import { republishIfChanged } from '../edge/publish-edge.ts';
import { CertdeskError } from '../errors.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { Issuance } from '../inventory/issuance.ts';
import type { BindingRecord } from '../store/binding-repository.ts';
import type { RotationJobRecord } from '../store/rotation-repository.ts';
import { evidenceVerdict } from './evidence-cutoff.ts';
import { issueAtSigner, retireAtSigner } from './at-signer.ts';
import { workloadCsr } from './workload-csr.ts';
import type { DeliveryPort, EvidencePort, SignerPort } from './ports.ts';

export interface RotationParts {
  ctx: CoreContext;
  issuance: Issuance;
  inventory: Inventory;
  crls: Crls;
  tenants: Tenants;
  bindings: Bindings;
  diagnostics: Diagnose;
  fetch: typeof fetch;
  /** The workload's delivery targets; without it every rotation says the operator installs the successor by hand. */
  delivery?: DeliveryPort;
  /** The edge's access logs; without it (or unconfigured) the old credential goes when the overlap ends. */
  evidence?: EvidencePort;
  /** The offline signer: on a publisher (no CA key) the successor is a request across the gap, and the job waits for its answer. */
  signer?: SignerPort;
}

/**
 * What a step did: done (with what), skipped (why), or must wait (until, or for the tenant, the
 * workload or the operator). A wait's `reason` is its stable part: seen again, it is not journaled again.
 * `until` is when the step may run again by itself; `deadline`, an overlap's end the job records though
 * only the operator (or evidence) moves it on.
 */
export type StepResult =
  | { kind: 'done' | 'skip'; detail: string; successorId?: string; inboxTargetId?: string }
  | { kind: 'wait'; detail: string; until?: string; reason?: string; deadline?: string };

/** The tenant could not be reached: the job waits and resumes later, nothing is lost. */
export class RotationWait extends Error {}

type Step = (job: RotationJobRecord, parts: RotationParts) => Promise<StepResult>;

function activeBindings(parts: RotationParts, certificateId: string): BindingRecord[] {
  return parts.bindings.repository.forCertificate(certificateId).filter((b) => b.state === 'active');
}

function successor(job: RotationJobRecord): string {
  if (!job.successorId) throw new Error(`rotation ${job.id} has no successor after the issue-successor step`);
  return job.successorId;
}

/** The consent the job was started with for this tenant (none for a tenant that is not production). */
function consentFor(job: RotationJobRecord, tenantId: string): { consent?: ProductionConsent } {
  const consent = job.consents.find((c) => c.tenantId === tenantId);
  return consent ? { consent } : {};
}

/** Runs a scoped apply per tenant; a queued apply makes the job wait, a blocked one stops it. */
async function applyFor(
  job: RotationJobRecord,
  parts: RotationParts,
  bindings: BindingRecord[],
  kinds: readonly PlanStepKind[] | undefined,
): Promise<string[]> {
  const byTenant = new Map<string, Set<string>>();
  for (const b of bindings) byTenant.set(b.tenantId, (byTenant.get(b.tenantId) ?? new Set()).add(b.clientId));
  const notes: string[] = [];
  for (const [tenantId, clients] of byTenant) {
    const tenant: TenantView = parts.tenants.get(tenantId);
    // A production tenant was confirmed when the job started: the job's consent, not its name again.
    const result: ApplyResult = await parts.bindings.apply(
      { tenant: tenant.id },
      { scope: { clientIds: [...clients], ...(kinds ? { kinds } : {}) }, ...consentFor(job, tenant.id) },
    );
    if (result.outcome === 'queued') throw new RotationWait(`waiting for "${tenant.name}": ${result.message}`);
    if (result.outcome === 'blocked')
      throw new CertdeskError('CONFLICT', `"${tenant.name}" refused the change: ${result.message}`, { field: 'tenant' });
    const done = result.steps.filter((s) => s.status === 'done').length;
    notes.push(`${tenant.name}: ${done} change${done === 1 ? '' : 's'}, ${result.steps.length - done} already done`);
  }
  return notes;
}

const issueSuccessor: Step = async (job, parts) => {
  if (job.successorId) return { kind: 'skip', detail: `successor ${job.successorId} already issued` };
  const existing = parts.ctx.certificates.successorOf(job.certificateId);
  // On a publisher the job's own answered request names its successor (and says so in the journal).
  if (parts.signer?.remote()) return issueAtSigner(job, parts, existing);
  if (existing) return { kind: 'done', detail: `adopted the successor ${existing} issued before the interruption`, successorId: existing };
  const old = parts.ctx.certificates.get(job.certificateId, parts.ctx.clock.now());
  if (old?.keyStorage === 'csr-only' && !job.sameKey) return issueFromInbox(job, parts);
  const issued = await parts.issuance.renewRecord({ cert: job.certificateId, ...(job.sameKey ? { sameKey: true } : {}) });
  return {
    kind: 'done',
    detail: `issued ${issued.subject} (serial ${issued.serialHex}, ${job.sameKey ? 'same key' : 'new key'}, expires ${issued.notAfter})`,
    successorId: issued.id,
  };
};

/** A CSR-mode successor: the workload keeps its key and drops a new CSR in its csr-inbox target. */
async function issueFromInbox(job: RotationJobRecord, parts: RotationParts): Promise<StepResult> {
  const csr = await workloadCsr(job, parts);
  if (csr.kind === 'wait') return csr;
  const issued = await parts.issuance.renewFromCsr(job.certificateId, csr.csrPem);
  return {
    kind: 'done',
    detail: `issued ${issued.subject} from the workload's CSR (serial ${issued.serialHex}, its new key, expires ${issued.notAfter})`,
    successorId: issued.id,
    inboxTargetId: csr.targetId,
  };
}

/**
 * Step 2: the successor reaches the workload before anything changes at Auth0. A target that
 * already holds this serial is skipped by the port, so a resumed job delivers only what is missing.
 */
const deliver: Step = async (job, parts) => {
  const next = successor(job);
  if (job.inboxTargetId) {
    // Issued from the workload's CSR: only its inbox can take the certificate (certdesk holds no key to deliver).
    if (!parts.delivery)
      throw new CertdeskError('VALIDATION', 'This certdesk has no delivery: the successor cannot be answered to the csr-inbox.', {
        field: 'target',
      });
    await parts.delivery.answerInbox(job.inboxTargetId, next);
    return { kind: 'done', detail: `answered the workload's CSR in its inbox's issued/ folder (target ${job.inboxTargetId})` };
  }
  if (!parts.delivery || parts.delivery.targetCount(next) === 0) return { kind: 'skip', detail: NO_DELIVERY_TARGET };
  const outcome = await parts.delivery.deliver(next);
  if (outcome.kind === 'wait') return { kind: 'wait', detail: outcome.detail, reason: outcome.detail };
  return outcome;
};

const publishEdge: Step = async (job, parts) => {
  const cert = parts.ctx.certificates.get(successor(job), parts.ctx.clock.now());
  if (!cert?.authorityId) return { kind: 'skip', detail: 'the successor has no issuing CA in certdesk' };
  const outcome = await republishIfChanged(parts.ctx, parts.crls, cert.authorityId);
  return { kind: outcome.published ? 'done' : 'skip', detail: outcome.reason };
};

/** Step 4: a binding of the successor beside each active binding of the old certificate, and its credential. */
const addCredential: Step = async (job, parts) => {
  const next = successor(job);
  const old = activeBindings(parts, job.certificateId);
  const existing = parts.bindings.repository.forCertificate(next).filter((b) => b.state !== 'removed');
  if (old.length === 0 && existing.length === 0) return { kind: 'skip', detail: 'the certificate is bound to no Auth0 application' };
  for (const b of old) {
    if (parts.bindings.repository.liveFor(b.tenantId, b.clientId, next)) continue;
    parts.bindings.bind(
      {
        cert: next,
        tenant: b.tenantId,
        clientId: b.clientId,
        ...(b.api ? { api: b.api } : {}),
        pop: b.requirePop,
        endpointAliases: b.endpointAliases,
      },
      () => parts.ctx.certificates.get(next, parts.ctx.clock.now())!,
    );
  }
  const mine = parts.bindings.repository.forCertificate(next).filter((b) => b.state === 'active');
  return { kind: 'done', detail: (await applyFor(job, parts, mine, ['create-credential'])).join('; ') };
};

const bindBoth: Step = async (job, parts) => {
  const mine = parts.bindings.repository.forCertificate(successor(job)).filter((b) => b.state === 'active');
  if (mine.length === 0) return { kind: 'skip', detail: 'nothing to bind' };
  return {
    kind: 'done',
    detail: (await applyFor(job, parts, mine, ['set-auth-methods', 'set-client-pop', 'set-api-pop', 'enable-endpoint-aliases'])).join('; '),
  };
};

/** Step 6: a real token with the new certificate (diagnostics stages 3–5) for every application it is bound to. */
const verify: Step = async (job, parts) => {
  const mine = parts.bindings.repository.forCertificate(successor(job)).filter((b) => b.state === 'active');
  if (mine.length === 0) return { kind: 'skip', detail: 'nothing bound, nothing to verify' };
  if (!job.verify && job.inboxTargetId)
    return {
      kind: 'skip',
      detail:
        "the workload keeps the successor's key (CSR mode): certdesk cannot get a token with it; the edge's evidence, or the overlap, stands in",
    };
  if (!job.verify)
    return {
      kind: 'skip',
      detail: 'verification turned off by the operator: the old credential is removed after the overlap without a token check',
    };
  const notes: string[] = [];
  for (const b of mine) {
    const input = await parts.diagnostics.input(
      { tenant: b.tenantId, clientId: b.clientId, cert: b.certificateId },
      { readRegisteredDn: false },
    );
    const report = await runDiagnostics(input, { fetch: parts.fetch, now: () => parts.ctx.clock.now().getTime() });
    const needed = b.requirePop ? ['token', 'signature', 'binding'] : ['token', 'signature'];
    const failed = report.stages.filter((s) => needed.includes(s.id) && s.status !== 'pass');
    if (failed.length > 0) {
      const why = failed.map((s) => `${s.title}: ${s.code ?? s.status}${s.cause ? ` — ${s.cause}` : ''}`).join('; ');
      throw new CertdeskError(
        'ROTATION_VERIFY_FAILED',
        `The new certificate did not get a working token for ${b.clientId}: ${why}. The old credential stays bound; fix the cause and resume the job.`,
        { field: 'verify' },
      );
    }
    notes.push(`${b.clientId}: token ${b.requirePop ? `bound to x5t#S256 ${report.thumbprintSha256.slice(0, 12)}…` : 'issued'}`);
  }
  return { kind: 'done', detail: notes.join('; ') };
};

/**
 * Step 7: retire the old bindings and remove their credentials, on the edge's evidence that the
 * workload moved (the overlap is then its deadline), or without an evidence source when the overlap ends.
 */
const removeOld: Step = async (job, parts) => {
  const now = parts.ctx.clock.now();
  const old = parts.bindings.repository.forCertificate(job.certificateId).filter((b) => b.state !== 'removed');
  if (old.length === 0) return { kind: 'skip', detail: 'the old certificate is bound nowhere' };
  const evidence = parts.evidence?.configured() ? parts.evidence : undefined;
  // The overlap starts when the successor is verified: its end is recorded by the job on the first wait here.
  const deadline = job.overlapUntil ?? new Date(now.getTime() + job.overlapSeconds * 1000).toISOString();
  const beforeDeadline = Date.parse(deadline) > now.getTime();
  let how: string;
  if (job.forceCutoff) how = 'cut-off forced by the operator';
  else if (!evidence) {
    if (beforeDeadline) return { kind: 'wait', detail: `${ROTATION_WAIT.noEvidence} (overlap until ${deadline})`, until: deadline };
    how = ROTATION_WAIT.noEvidence;
  } else {
    const verdict = await evidenceVerdict(job, successor(job), evidence, now);
    if (!verdict.ready) {
      if (beforeDeadline) {
        const reason = `${ROTATION_WAIT.evidence} (deadline ${deadline})`;
        return { kind: 'wait', detail: `${reason}: ${verdict.detail}`, until: deadline, reason: `${reason}: ${verdict.reason}` };
      }
      return {
        kind: 'wait',
        deadline,
        detail: `${verdict.detail}. The deadline ${deadline} passed: force the cut-off (certdesk rotate ${job.id} --force-cutoff) or extend it (--extend 1h).`,
        reason: verdict.reason,
      };
    }
    how = verdict.note;
  }
  for (const b of old.filter((x) => x.state === 'active')) parts.bindings.unbind({ binding: b.id }, consentFor(job, b.tenantId));
  return { kind: 'done', detail: [...(await applyFor(job, parts, old, undefined)), how].join('; ') };
};

/**
 * Step 8: the old certificate is revoked with reason `superseded` and the edge gets the new CRL.
 * A cert_subject_dn credential matches by DN, and the successor has the same DN: only the edge's
 * CRL stops the old certificate from getting tokens once its credential is gone.
 */
const supersede: Step = async (job, parts) => {
  const old = parts.ctx.certificates.get(job.certificateId, parts.ctx.clock.now());
  if (!old) throw new Error(`rotation ${job.id}: the old certificate is gone`);
  const notes = [`replaced by ${successor(job)}`];
  if (old.revokedAt) notes.push(`already revoked (${old.revocationReason})`);
  else if (parts.signer?.remote()) notes.push(retireAtSigner(job, parts.signer));
  else {
    await parts.inventory.revoke(old.id, 'superseded');
    notes.push('revoked with reason superseded');
  }
  if (old.authorityId) notes.push((await republishIfChanged(parts.ctx, parts.crls, old.authorityId)).reason);
  return { kind: 'done', detail: notes.join('; ') };
};

/** Each step's work under its contract name: the order is ROTATION_STEPS', not this object's. */
export const STEPS: Readonly<Record<RotationStepName, Step>> = {
  'issue-successor': issueSuccessor,
  deliver,
  'publish-edge': publishEdge,
  'add-credential': addCredential,
  'bind-both': bindBoth,
  verify,
  'remove-old': removeOld,
  supersede,
};
