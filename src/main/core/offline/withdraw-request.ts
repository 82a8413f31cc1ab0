/**
 * A rotation cancelled while it waits at the offline signer leaves nothing behind (issue 12 §5): the
 * successor's private key, made and sealed here for a certificate that will never be applied, is
 * destroyed, and the request is taken out of the outbox while no bundle has carried it. A request a
 * bundle already carried stays queued: the signer may still answer it, and that answer is refused at
 * review as ROTATION_JOB_CLOSED with nothing applied. The caller runs this inside the transaction that
 * cancels the job, so the cancel, the erasure and the withdrawal are recorded together or not at all.
 */
import type { CoreContext } from '../context.ts';
import { OutgoingRequests } from './outgoing-requests.ts';

/**
 * Whether anything but this request holds the key: a certificate or CA signing with it (a same-key
 * renewal's request points at its predecessor's key), or another request.
 */
function keyInUse(ctx: CoreContext, keyId: string, requestId: string): boolean {
  const used = ctx.db
    .prepare(
      `SELECT (SELECT count(*) FROM certificates WHERE key_id = @keyId) + (SELECT count(*) FROM authorities WHERE key_id = @keyId)
        + (SELECT count(*) FROM offline_requests WHERE key_id = @keyId AND request_id <> @requestId) AS n`,
    )
    .get({ keyId, requestId }) as { n: number };
  return used.n > 0;
}

/** The pending key of `requestId` destroyed: the request forgets it first (its reference restricts the delete). */
function destroyKey(ctx: CoreContext, requestId: string, keyId: string, jobId: string): void {
  ctx.db.prepare('UPDATE offline_requests SET key_id = NULL WHERE request_id = ?').run(requestId);
  ctx.db.prepare('DELETE FROM keys WHERE id = ?').run(keyId);
  ctx.audit.append('key.destroy', null, { keyId, requestId, job: jobId, why: 'the rotation waiting for its certificate was cancelled' });
}

/** Undoes what a rotation job's open sign-requests left pending; what it did, one line each (empty when nothing). */
export function withdrawForJob(ctx: CoreContext, jobId: string): string[] {
  const requests = new OutgoingRequests(ctx.db);
  const notes: string[] = [];
  const open = requests.list().filter((r) => r.rotationJobId === jobId && r.kind === 'sign-request' && r.state === 'queued');
  for (const request of open) {
    if (request.keyId && !keyInUse(ctx, request.keyId, request.requestId)) {
      destroyKey(ctx, request.requestId, request.keyId, jobId);
      notes.push(`the successor's sealed key for request ${request.requestId} was destroyed`);
    }
    const removed =
      request.queueId !== null &&
      ctx.db.prepare('DELETE FROM transfer_queue WHERE id = ? AND export_id IS NULL').run(request.queueId).changes === 1;
    const at = ctx.clock.now().toISOString();
    if (removed) {
      requests.markRefused(
        request.requestId,
        'REQUEST_WITHDRAWN',
        `Withdrawn before any bundle carried it: rotation ${jobId} was cancelled.`,
        at,
      );
      notes.push(`request ${request.requestId} was withdrawn from the outbox before any bundle carried it`);
    } else notes.push(`request ${request.requestId} already left in a bundle: the signer's answer to it will be refused`);
    ctx.audit.append('offline.withdraw', request.predecessorId, {
      requestId: request.requestId,
      job: jobId,
      outcome: removed ? 'withdrawn' : 'exported',
      queueId: request.queueId,
    });
  }
  return notes;
}
