/**
 * The operator's two answers to a rotation that waits to remove the old credential: force the
 * cut-off now (without the edge's evidence that the workload switched), or move the deadline.
 * Each is recorded and audited here; the caller then runs the job on from where it waits.
 */
import { isPastVerification, rotationStep, type ExtendRotationInput, type ForceCutoffInput } from '../../../shared/contract/index.ts';
import { confirmProduction } from '../auth0/confirm-production.ts';
import { CertdeskError } from '../errors.ts';
import type { RotationJobRecord, RotationRepository } from '../store/rotation-repository.ts';
import type { RotationParts } from './rotation-steps.ts';

export interface CutoffDeps {
  parts: RotationParts;
  repository: RotationRepository;
}

/** An open job that is through verification: only removing the old credential (and revoking) is left. */
function atCutoff({ parts, repository }: CutoffDeps, ref: string, what: string): RotationJobRecord {
  // A job id, or (as `certdesk rotate CERT --force-cutoff` gives it) the certificate whose job is open.
  const byCert = () => {
    const certs = parts.ctx.certificates.findByRef(ref.trim(), parts.ctx.clock.now());
    return certs.length === 1 ? repository.openFor(certs[0]!.id) : undefined;
  };
  const job = repository.get(ref) ?? byCert();
  if (!job)
    throw new CertdeskError('NOT_FOUND', `There is no rotation job "${ref}", nor an open rotation of a certificate by that name.`, {
      field: 'job',
    });
  if (job.state === 'done' || job.state === 'cancelled' || !isPastVerification(job) || job.step >= rotationStep('remove-old'))
    throw new CertdeskError(
      'ROTATION_NOT_AT_CUTOFF',
      `Rotation ${job.id} is ${job.state} after step ${job.step}: ${what} only while it waits to remove the old credential (after step ${rotationStep('verify')}, verify).`,
      { field: 'job' },
    );
  return job;
}

/**
 * Marks the job to remove the old credential without the edge's evidence that the workload
 * switched: the operator's call, audited, and typed again for a production tenant. Returns the job id.
 */
export function forceCutoff(deps: CutoffDeps, input: ForceCutoffInput): string {
  const { ctx, bindings, tenants } = deps.parts;
  const job = atCutoff(deps, input.job, 'force the cut-off');
  const bound = bindings.repository.forCertificate(job.certificateId).filter((b) => b.state !== 'removed');
  const confirmed: string[] = [];
  for (const tenantId of new Set(bound.map((b) => b.tenantId))) {
    const tenant = tenants.get(tenantId);
    const typed = input.confirm
      ?.split(',')
      .map((s) => s.trim())
      .find((n) => n === tenant.name);
    if (confirmProduction(tenant, typed ?? input.confirm, 'force the cut-off on', ctx.clock.now())) confirmed.push(tenant.name);
  }
  const at = ctx.clock.now().toISOString();
  ctx.db.transaction(() => {
    deps.repository.update(job.id, at, { forceCutoff: true });
    ctx.audit.append('rotation.force-cutoff', job.certificateId, {
      job: job.id,
      step: job.step,
      waitingFor: job.message,
      overlapUntil: job.overlapUntil,
      production: confirmed,
    });
  })();
  return job.id;
}

/** Moves the deadline of a job waiting for evidence: the later of the deadline and now, plus `seconds`. Returns the job id. */
export function extendDeadline(deps: CutoffDeps, input: ExtendRotationInput): string {
  const { ctx } = deps.parts;
  const job = atCutoff(deps, input.job, 'extend the deadline');
  const now = ctx.clock.now().getTime();
  const from = Math.max(now, job.overlapUntil ? Date.parse(job.overlapUntil) : now);
  const until = new Date(from + input.seconds * 1000).toISOString();
  ctx.db.transaction(() => {
    deps.repository.update(job.id, new Date(now).toISOString(), { overlapUntil: until });
    ctx.audit.append('rotation.extend', job.certificateId, { job: job.id, from: job.overlapUntil, until, seconds: input.seconds });
  })();
  return job.id;
}
