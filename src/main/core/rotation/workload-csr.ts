/**
 * A CSR-mode rotation's first need, wherever the successor is signed: the workload's new CSR from its
 * csr-inbox target (checked there: signature, a new key, the predecessor's subject), or a visible wait
 * while the inbox is empty. A standalone folder signs it at once; a publisher sends it to the offline signer.
 */
import { ROTATION_WAIT } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { RotationJobRecord } from '../store/rotation-repository.ts';
import type { RotationParts, StepResult } from './rotation-steps.ts';

export type WorkloadCsr = { kind: 'csr'; csrPem: string; targetId: string } | Extract<StepResult, { kind: 'wait' }>;

/** `then`: what follows once the CSR is there, for the wait's detail (e.g. that it goes to the signer). */
export async function workloadCsr(job: RotationJobRecord, parts: RotationParts, then = ''): Promise<WorkloadCsr> {
  const inbox = parts.delivery?.csrInbox(job.certificateId);
  if (!parts.delivery || !inbox)
    throw new CertdeskError(
      'NO_PRIVATE_KEY',
      `The key of ${job.certificateId} lives with the workload (CSR mode) and it has no csr-inbox target: add one (certdesk target add ${job.certificateId} --kind csr-inbox --path DIR) and resume the job.`,
      { field: 'cert' },
    );
  const csr = await parts.delivery.inboxCsr(job.certificateId);
  if (csr) return { kind: 'csr', ...csr };
  const reason = `${ROTATION_WAIT.csr} ${inbox.dir}`;
  return { kind: 'wait', detail: `${reason} (request.csr, with a new key and the same subject)${then}`, reason };
}
