/**
 * "Rotate all due": one job per due certificate, run a few at a time. Auth0 writes stay within the
 * tenant's rate limit because each tenant's applies run one at a time and the gateway paces them by
 * `x-ratelimit-*`; the concurrency is for issuing and verifying. Cancelling stops jobs between steps.
 */
import type { BulkRotateInput, BulkRotationSummary, RotationJobView } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { newId } from '../ids.ts';
import { buildSchedule } from '../schedule/schedule.ts';
import type { Rotations } from './rotations.ts';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;

export function summarize(batchId: string, jobs: RotationJobView[], skipped: BulkRotationSummary['skipped']): BulkRotationSummary {
  const count = (state: RotationJobView['state']) => jobs.filter((j) => j.state === state).length;
  return {
    batchId,
    total: jobs.length + skipped.length,
    done: count('done'),
    waiting: count('waiting') + count('running'),
    failed: count('failed'),
    cancelled: count('cancelled'),
    jobs,
    skipped,
  };
}

export async function rotateAllDue(ctx: CoreContext, rotations: Rotations, input: BulkRotateInput): Promise<BulkRotationSummary> {
  const batchId = newId('batch');
  // withinDays 0 reads only the leaves whose renewal time has come, not the whole inventory (issue 14 §6).
  const due = buildSchedule(ctx, { withinDays: input.withinDays ?? 0 }).filter(
    (item) =>
      item.kind === 'leaf' &&
      (item.state === 'due' || item.state === 'overdue' || (input.withinDays !== undefined && item.daysUntilRenewal <= input.withinDays)),
  );
  const skipped: BulkRotationSummary['skipped'] = [];
  const jobIds: string[] = [];
  for (const item of due) {
    try {
      const job = rotations.create(
        {
          cert: item.id,
          ...(input.overlapSeconds !== undefined ? { overlapSeconds: input.overlapSeconds } : {}),
          ...(input.verify !== undefined ? { verify: input.verify } : {}),
          ...(input.confirm ? { confirm: input.confirm } : {}),
        },
        batchId,
      );
      jobIds.push(job.id);
    } catch (error) {
      skipped.push({ certificateId: item.id, subject: item.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const concurrency = Math.min(Math.max(1, input.concurrency ?? DEFAULT_CONCURRENCY), MAX_CONCURRENCY);
  let next = 0;
  const worker = async () => {
    while (next < jobIds.length) {
      const id = jobIds[next++]!;
      await rotations.run(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobIds.length) }, worker));
  ctx.audit.append('rotation.bulk', batchId, { jobs: jobIds.length, skipped: skipped.length, concurrency });
  return summarize(
    batchId,
    jobIds.map((id) => rotations.get(id)),
    skipped,
  );
}
