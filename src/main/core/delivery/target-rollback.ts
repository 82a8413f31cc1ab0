/**
 * The operator's rollback of one delivery target: `current` goes back to the release `previous`
 * names (a whole release written earlier, never edited), then the target's reload runs, as after a
 * delivery. Only folder and ssh targets have releases; a csr-inbox hands the workload a certificate
 * for a key it holds, and the workload keeps the one it used before.
 */
import type { EdgeReloadRun, TargetRollbackResult } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { runReload } from '../edge/run-reload.ts';
import { CertdeskError } from '../errors.ts';
import type { ReleaseWriter } from './release.ts';
import { assertTargetApproved } from './target-approval.ts';
import type { TargetRow } from './target-repository.ts';
import { storedTarget, type StoredTarget } from './targets.ts';

/** A target's writer; `reload` when the target's reload argv runs elsewhere than here (ssh: on the host). */
export type TargetWriter = ReleaseWriter & { reload?: (argv: readonly string[]) => Promise<EdgeReloadRun> };

/**
 * Runs the target's approved reload argv after `current` changed (here, or on the ssh host); a reload
 * that fails is DELIVERY_FAILED naming the release that is nonetheless current.
 */
export async function reloadAfterSwitch(writer: TargetWriter, reload: readonly string[], releaseId: string): Promise<void> {
  const run = writer.reload ? await writer.reload(reload) : await runReload([reload]);
  if (run.status !== 0)
    throw new CertdeskError(
      'DELIVERY_FAILED',
      `Release ${releaseId} is current, but the reload ${run.command} ${run.timedOut ? 'timed out' : `exited with ${run.status}`}: ${run.output.trim().slice(0, 500)}`,
      { field: 'reload' },
    );
}

export interface RollbackDeps {
  ctx: CoreContext;
  writerFor: (target: StoredTarget) => TargetWriter;
  /** Records the rollback in the target's delivery history (the release now current, and what it holds). */
  record: (target: StoredTarget, certificateId: string, serialHex: string, releaseId: string, detail: string) => void;
}

export async function rollbackTarget(row: TargetRow, deps: RollbackDeps): Promise<TargetRollbackResult> {
  const { ctx } = deps;
  const audit = (action: 'target.rollback' | 'target.rollback.failed', details: Record<string, unknown>) =>
    ctx.audit.append(action, row.certificate_id, { target: row.id, kind: row.kind, ...details });
  try {
    if (row.removed_at !== null)
      throw new CertdeskError(
        'CONFLICT',
        `Target ${row.id} was removed at ${row.removed_at}; certdesk no longer writes to it. Nothing was changed.`,
        { field: 'target' },
      );
    assertTargetApproved(ctx.audit, row);
    const target = storedTarget(row);
    const spec = target.spec;
    if (spec.kind === 'csr-inbox')
      throw new CertdeskError(
        'VALIDATION',
        `Target ${row.id} is a csr-inbox: the workload holds its own key and certificates, so there is no release to roll back. Nothing was changed.`,
        { field: 'target' },
      );
    const writer = deps.writerFor(target);
    const before = await writer.current();
    const rolled = await writer.rollback();
    const now = await writer.current();
    const manifest = now?.releaseId === rolled.releaseId ? now.manifest : null;
    // The history names the certificate the release holds when certdesk still knows it; else the target's own.
    const held = manifest && ctx.certificates.get(manifest.certificateId, ctx.clock.now()) ? manifest.certificateId : row.certificate_id;
    const detail = `rolled back: release ${rolled.releaseId} is current again${before ? ` (was ${before.releaseId})` : ''}`;
    deps.record(target, held, manifest?.serialHex ?? '', rolled.releaseId, detail);
    audit('target.rollback', {
      releaseId: rolled.releaseId,
      serial: manifest?.serialHex ?? null,
      rolledBackFrom: before?.releaseId ?? null,
      reload: spec.reload,
    });
    if (spec.reload) await reloadAfterSwitch(writer, spec.reload, rolled.releaseId);
    return {
      target: row.id,
      releaseId: rolled.releaseId,
      serialHex: manifest?.serialHex ?? null,
      certificateId: manifest?.certificateId ?? null,
      rolledBackFrom: before?.releaseId ?? null,
      reload: spec.reload,
    };
  } catch (error) {
    const failure =
      error instanceof CertdeskError ? error : new CertdeskError('DELIVERY_FAILED', (error as Error).message, { cause: error });
    audit('target.rollback.failed', { code: failure.code, message: failure.message });
    throw failure;
  }
}
