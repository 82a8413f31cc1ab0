/**
 * Rotation across the air gap (issue 12 §5): on a publisher, which holds no CA key, the issue step
 * sends the successor's request to the offline signer and the job waits "at the signer" until the
 * answer is imported and approved, in every mode: a new key made here, the predecessor's kept, or the
 * workload's own (CSR mode: its CSR from the csr-inbox travels in the request). The supersede step asks
 * the signer to revoke the old certificate.
 * Every other step runs exactly as in a standalone rotation. Each looks before it acts: a request is
 * found again by the job's id, so a job killed anywhere neither asks twice nor loses its answer.
 */
import { ROTATION_WAIT } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { RotationRepository, type RotationJobRecord } from '../store/rotation-repository.ts';
import type { SignerPort, SuccessorKey } from './ports.ts';
import type { RotationParts, StepResult } from './rotation-steps.ts';
import { workloadCsr } from './workload-csr.ts';

/** What the operator does while a job waits at the signer, after the request's id. */
export const AT_SIGNER_NEXT =
  'export a bundle (certdesk transfer export --out FILE), carry it to the signer, and import its answer here (certdesk transfer import FILE, then certdesk transfer approve IMPORT --all)';

/** Whether the job's journal already records the failure this refusal caused (so a resume asks the signer again). */
function failureJournaled(db: Database, job: RotationJobRecord, requestId: string): boolean {
  return new RotationRepository(db).journal(job.id).some((e) => e.phase === 'fail' && e.detail.includes(requestId));
}

/** What the journal says about the successor's key, by the rotation's mode. */
const KEY_NOTE = {
  new: 'its key made and sealed here',
  same: "the predecessor's key kept (same-key renewal)",
  workload: 'its key held by the workload (CSR mode)',
} as const;

/**
 * What the successor's request carries: a new key made here, the predecessor's kept, or (CSR mode)
 * the workload's new CSR from its csr-inbox; while that inbox is still empty, the step's wait for it.
 */
async function successorKey(
  job: RotationJobRecord,
  parts: RotationParts,
): Promise<{ key: SuccessorKey; inboxTargetId?: string } | StepResult> {
  if (job.sameKey) return { key: { kind: 'same' } };
  const old = parts.ctx.certificates.get(job.certificateId, parts.ctx.clock.now());
  if (old?.keyStorage !== 'csr-only') return { key: { kind: 'new' } };
  const csr = await workloadCsr(job, parts, '; then it goes to the offline signer');
  if (csr.kind === 'wait') return csr;
  return { key: { kind: 'workload', csrPem: csr.csrPem }, inboxTargetId: csr.targetId };
}

/** The mode the job rotates in, for the journal (the request itself is on the signer's side by then). */
function modeOf(job: RotationJobRecord, parts: RotationParts): keyof typeof KEY_NOTE {
  if (job.sameKey) return 'same';
  return parts.ctx.certificates.get(job.certificateId, parts.ctx.clock.now())?.keyStorage === 'csr-only' ? 'workload' : 'new';
}

/**
 * The issue step on a publisher. `existing`: a successor already in the inventory (a `certdesk request
 * renew` answered meanwhile) is adopted, not asked for twice. A CSR-mode successor is answered to the
 * workload's inbox by the deliver step, exactly as in a standalone rotation (`inboxTargetId`).
 */
export async function issueAtSigner(job: RotationJobRecord, parts: RotationParts, existing: string | undefined): Promise<StepResult> {
  const signer = parts.signer!;
  const mode = modeOf(job, parts);
  const inboxTargetId = mode === 'workload' ? parts.delivery?.csrInbox(job.certificateId)?.targetId : undefined;
  const inbox = inboxTargetId ? { inboxTargetId } : {};
  let request = signer.requestOf(job.id);
  if (existing && !(request?.state === 'answered' && request.certificateId === existing))
    return { kind: 'done', detail: `adopted the successor ${existing}, already in the inventory`, successorId: existing, ...inbox };
  // A refusal fails the job once; the operator resuming it afterwards asks the signer again.
  if (!request || (request.state === 'refused' && failureJournaled(parts.ctx.db, job, request.requestId))) {
    const asked = await successorKey(job, parts);
    if ('kind' in asked) return asked;
    request = await signer.requestSuccessor(job.id, job.certificateId, asked.key);
  }
  if (request.state === 'answered' && request.certificateId)
    return {
      kind: 'done',
      detail: `the offline signer answered request ${request.requestId}: successor ${request.certificateId}, ${KEY_NOTE[mode]}`,
      successorId: request.certificateId,
      ...inbox,
    };
  if (request.state === 'refused')
    throw new CertdeskError(
      'ROTATION_SIGNER_REFUSED',
      `The offline signer refused request ${request.requestId} (${request.refusalCode}): ${request.refusalReason}. The old credential is untouched; fix the cause and resume the job (it sends a new request), or cancel it.`,
      { field: 'signer' },
    );
  const reason = `${ROTATION_WAIT.signer} ${request.requestId}`;
  return { kind: 'wait', detail: `${reason}: ${AT_SIGNER_NEXT}`, reason };
}

/** The old certificate's revocation, asked of the signer: its CRL lists it once the answer is imported and published. */
export function retireAtSigner(job: RotationJobRecord, signer: SignerPort): string {
  const asked = signer.requestRetirement(job.id, job.certificateId);
  return asked.queued
    ? `its revocation (superseded) is queued for the offline signer as request ${asked.requestId}: the edge refuses it once the signer's CRL is imported`
    : `its revocation was already asked of the offline signer (request ${asked.requestId})`;
}
