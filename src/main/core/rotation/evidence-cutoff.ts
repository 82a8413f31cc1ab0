/**
 * Retiring on evidence: the old credential goes once the edge has seen the successor get tokens
 * and the old certificate has been quiet for the job's quiet period. The overlap is then a
 * deadline, past which the job waits for the operator instead of cutting a workload off blindly.
 */
import { ROTATION_WAIT } from '../../../shared/contract/index.ts';
import type { RotationJobRecord } from '../store/rotation-repository.ts';
import type { EvidencePort } from './ports.ts';
import { humanDuration } from '../../../shared/duration.ts';

const HOUR_MS = 3_600_000;

export type CutoffVerdict = { ready: true; note: string } | { ready: false; reason: string; detail: string };

/** Reads what the edge gained, then says whether the old credential may go now, and if not, why. */
export async function evidenceVerdict(
  job: RotationJobRecord,
  successorId: string,
  evidence: EvidencePort,
  now: Date,
): Promise<CutoffVerdict> {
  await evidence.refresh();
  const successes = evidence.tokenSuccessesSince(successorId, new Date(job.createdAt));
  const quietSince = new Date(now.getTime() - job.quietSeconds * 1000);
  const recentOld = evidence.requestsSince(job.certificateId, quietSince);
  if (successes > 0 && recentOld === 0)
    return {
      ready: true,
      note: `the edge saw the successor get ${successes} token${successes === 1 ? '' : 's'} and the old certificate unused for ${humanDuration(job.quietSeconds)}`,
    };
  if (recentOld > 0) {
    const lastSeen = evidence.usage(job.certificateId)?.lastSeen ?? 'just now';
    const lastHour = evidence.requestsSince(job.certificateId, new Date(now.getTime() - HOUR_MS));
    return {
      ready: false,
      reason: ROTATION_WAIT.oldStillSeen,
      detail: `${ROTATION_WAIT.oldStillSeen}: last seen ${lastSeen}, ${lastHour} request${lastHour === 1 ? '' : 's'} in the last hour`,
    };
  }
  return { ready: false, reason: ROTATION_WAIT.successorUnseen, detail: ROTATION_WAIT.successorUnseen };
}
