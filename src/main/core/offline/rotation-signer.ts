/**
 * A publisher's rotation through the offline signer (issue 12 §5), as the rotation's SignerPort: the
 * successor's request is the one `certdesk request renew` makes (purpose rotate, a key made and sealed
 * here, the CSR for the signer) with the job's id on it, and the old certificate's retirement is a
 * revoke-request. Both go out in the next bundle; the answers come back through the publisher's appliers.
 */
import type { SignerPort, SignerRequest } from '../rotation/ports.ts';
import type { TransferQueue } from '../transfer/ports.ts';
import { readRole } from '../workstation/role.ts';
import { OutgoingRequests, type OutgoingRequest } from './outgoing-requests.ts';
import type { OfflineParts } from './parts.ts';
import { requestRevocation, requestSignature } from './requests.ts';
import { withdrawForJob } from './withdraw-request.ts';

const KEY_NOTE = {
  new: 'for a new key made and sealed on the publisher',
  same: "keeping the predecessor's key (a same-key renewal; the CSR is signed with it)",
  workload: "for the workload's new key (CSR mode: the key stays with the workload)",
} as const;

function asSignerRequest(r: OutgoingRequest): SignerRequest {
  return {
    requestId: r.requestId,
    state: r.state,
    certificateId: r.certificateId,
    refusalCode: r.refusalCode,
    refusalReason: r.refusalReason,
  };
}

export function offlineSigner(parts: OfflineParts, queue: TransferQueue): SignerPort {
  const requests = new OutgoingRequests(parts.ctx.db);
  return {
    remote: () => readRole(parts.ctx.db).role === 'publisher',

    requestOf(jobId) {
      const found = requests.latestForRotation(jobId);
      return found ? asSignerRequest(found) : null;
    },

    async requestSuccessor(jobId, certificateId, key) {
      const old = parts.inventory.resolve(certificateId, 'cert');
      const queued = await requestSignature(parts, queue, {
        purpose: 'rotate',
        predecessor: old.id,
        rotationJobId: jobId,
        note: `Rotation ${jobId} of ${old.subject} (serial ${old.serialHex}): its successor, ${KEY_NOTE[key.kind]}. The publisher's job waits for this answer.`,
        source: key.kind === 'new' ? { kind: 'generated' } : key.kind === 'same' ? { kind: 'same-key' } : { kind: 'csr', csr: key.csrPem },
      });
      return asSignerRequest(requests.get(queued.requestId)!);
    },

    withdraw: (jobId) => withdrawForJob(parts.ctx, jobId),

    requestRetirement(jobId, certificateId) {
      const old = parts.inventory.resolve(certificateId, 'cert');
      // A revocation already on its way (or answered) for this serial is not asked for twice, e.g. when the step runs again after a crash.
      const open = requests
        .list()
        .find((r) => r.kind === 'revoke-request' && r.serialHex === old.serialHex && r.predecessorId === old.id && r.state !== 'refused');
      if (open) return { requestId: open.requestId, queued: false };
      const queued = requestRevocation(parts, queue, {
        cert: old.id,
        reason: 'superseded',
        note: `Rotation ${jobId}: ${old.subject} (serial ${old.serialHex}) was replaced and its credential removed; revoke it as superseded.`,
      });
      return { requestId: queued.requestId, queued: true };
    },
  };
}
