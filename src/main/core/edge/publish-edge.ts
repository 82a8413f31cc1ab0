import { createHash } from 'node:crypto';
import { displayArgv, type EdgePublication, type EdgePublishInput, type EdgePublishResult } from '../../../shared/contract/index.ts';
import type { Crls } from '../ca/crls.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { SerialQueues } from '../serial-queues.ts';
import { buildEdgeBundle, edgeChain, writeEdgeBundle } from './edge-bundle.ts';
import { rebuiltEdgeSettings } from './nginx-config.ts';
import { approveEdgeSettings, configuredFolder, requireApprovedEdge, setEdgeFolder } from './edge-config.ts';
import { approveEdgeCas, requireApprovedCas } from './edge-ca-set.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import { replayReload, resolveReload, saveResolved, type ResolvedReload } from './reload-actions.ts';
import { channelReloadOutput } from './reload-output.ts';
import { runReload, type RunReloadOptions } from './run-reload.ts';
import { prepared } from '../store/prepared.ts';

export type PublishEdgeInput = EdgePublishInput;

export interface PublishEdgeOptions {
  replayActionId?: number;
  reload?: RunReloadOptions;
  /**
   * Who, as the operator, approves `dir` and the settings by this publication (`cli`, `electron-dialog`):
   * they become the configured edge. Without it the publication must match what the operator approved.
   */
  approvedBy?: string;
  /** What started a publication nobody asked for (`crl-series`: the next pre-signed CRL began), for the audit. */
  trigger?: string;
}
export type PublishEdgeResult = EdgePublishResult;

/**
 * Writes the edge bundle, runs the reload (argv steps, no shell, approved hash checked first), and
 * records (and audits) the publication. `replayActionId` is a rotation replaying a stored action.
 * The folder and the settings are the operator's (approved now, or checked against their keyed
 * approval) before anything is written.
 */
export async function publishEdge(
  ctx: CoreContext,
  crls: Crls,
  input: PublishEdgeInput,
  options: PublishEdgeOptions = {},
): Promise<PublishEdgeResult> {
  // Refused before anything is written: an unapproved or edited argv changes nothing. The approval's
  // MAC is checked under the audit key, so wait for it to load (a missing key refuses, never skips).
  // The keychain's record of current approvals is read afresh: another process may have changed it.
  await ctx.audit.keyLoaded();
  const wantsReload = options.replayActionId !== undefined || (input.reload !== undefined && input.reload.preset !== 'none');
  const ledger = wantsReload ? await ctx.reloadApprovals.refresh() : ctx.reloadApprovals.cached();
  const resolved: ResolvedReload | null =
    options.replayActionId !== undefined ? replayReload(ctx, options.replayActionId, ledger) : resolveReload(ctx, input.reload, ledger);
  // Before the bundle is built (which may sign CRLs) and before the folder and settings are approved:
  // a caller that is refused (a CA twice, a chain without its root) changes nothing.
  const { issuing } = edgeChain(ctx, input.ca);
  const dir = edgeFolderFor(ctx, input, issuing, options.approvedBy);
  const bundle = await buildEdgeBundle(ctx, crls, input.ca, input.settings);
  const files = writeEdgeBundle(bundle, dir);
  const bundleSha256 = bundleHash(bundle.files);
  const run = resolved ? await runReload(resolved.steps, { ...options.reload, program: resolved.program }) : undefined;
  // nginx -t may quote what it read: callers get the first error line, paths outside the edge folders redacted.
  const reload = run ? { ...run, output: channelReloadOutput(run, [dir, rebuiltEdgeSettings(input.settings).bundleDir]) } : undefined;
  const at = ctx.clock.now().toISOString();
  const ca = issuing[0]!;
  let sealed: { actionId: number; sealed: string | null } | null = null;
  const id = ctx.db
    .transaction(() => {
      sealed = resolved ? saveResolved(ctx, resolved) : null;
      const actionId = sealed?.actionId ?? null;
      const row = ctx.db
        .prepare(
          'INSERT INTO edge_publications (at, authority_id, dir, server_name, crl_numbers, bundle_sha256, reload_action_id, reload_argv, reload_status, reload_output, reload_duration_ms, reload_timed_out, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          at,
          ca.id,
          dir,
          input.settings.serverName,
          JSON.stringify(bundle.crlNumbers),
          bundleSha256,
          actionId,
          reload ? JSON.stringify(reload.argv) : null,
          reload?.status ?? null,
          reload?.output ?? null,
          reload?.durationMs ?? null,
          reload ? Number(reload.timedOut) : null,
          JSON.stringify(input.settings),
        );
      const publicationId = Number(row.lastInsertRowid);
      const member = ctx.db.prepare('INSERT INTO publication_authorities (publication_id, position, authority_id) VALUES (?, ?, ?)');
      for (const [position, trusted] of issuing.entries()) member.run(publicationId, position, trusted.id);
      ctx.audit.append('edge.publish', ca.id, {
        dir,
        serverName: input.settings.serverName,
        crlNumbers: bundle.crlNumbers,
        // A rollover's set; one issuing CA is the entry's subject alone, as before.
        ...(issuing.length > 1 ? { issuing: issuing.map((trusted) => trusted.name) } : {}),
        ...(options.trigger ? { trigger: options.trigger } : {}),
        reloadStatus: reload?.status ?? null,
        // The reload whole: what ran, how it ended, how long it took.
        reload: reload
          ? {
              argv: run!.argv,
              ...(run!.program ? { program: run!.program } : {}),
              status: run!.status,
              durationMs: run!.durationMs,
              timedOut: run!.timedOut,
              actionId,
              output: run!.output,
            }
          : null,
      });
      return publicationId;
    })
    .immediate();
  await recordPresetApproval(ctx, sealed);
  return { id, at, files, authorities: bundle.authorities, crlNumbers: bundle.crlNumbers, bundleSha256, ...(reload ? { reload } : {}) };
}

/**
 * A preset chosen now was (re)approved with the publication: its MAC becomes the current one in the
 * keychain. The reload already ran and the publication is recorded, so a keychain failure does not
 * undo them; it is audited, and a rotation's replay of that preset refuses until it is chosen again.
 */
async function recordPresetApproval(ctx: CoreContext, saved: { actionId: number; sealed: string | null } | null): Promise<void> {
  if (!saved?.sealed) return;
  try {
    await ctx.reloadApprovals.record(saved.actionId, saved.sealed);
  } catch (error) {
    ctx.audit.append('edge.reload.unrecorded', null, {
      actionId: saved.actionId,
      problem: `the keychain's record of current approvals could not be updated: ${(error as Error).message}`,
    });
  }
}

/**
 * The folder this publication writes to: the operator's, approved now with the settings and the issuing
 * CAs, or the configured one when the settings are the approved ones and the CAs within the approved set.
 */
function edgeFolderFor(
  ctx: CoreContext,
  input: PublishEdgeInput,
  issuing: readonly AuthorityRecord[],
  approvedBy: string | undefined,
): string {
  if (approvedBy === undefined) {
    const dir = requireApprovedEdge(ctx, input.settings, input.dir);
    requireApprovedCas(ctx, issuing);
    return dir;
  }
  rebuiltEdgeSettings(input.settings); // refused by name before the folder is stored
  const dir = input.dir !== undefined ? setEdgeFolder(ctx, input.dir, approvedBy) : configuredFolder(ctx);
  approveEdgeSettings(ctx, input.settings, approvedBy);
  approveEdgeCas(ctx, issuing, approvedBy);
  return dir;
}

export function bundleHash(files: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(files)).digest('hex');
}

/**
 * Publishes again, with the settings of the latest publication for this CA, when the bundle it
 * would write now differs from the one published (a new CRL, a new CA certificate), or when the
 * last reload failed so the edge never loaded it. Used by rotation.
 */
export function republishIfChanged(ctx: CoreContext, crls: Crls, authorityId: string, trigger?: string): Promise<RepublishOutcome> {
  // One at a time: a slower publication must never overwrite a newer CRL with an older one (the
  // publications of a set share one edge, so one queue for all of them).
  return republishing.run('edge', () => republishNow(ctx, crls, authorityId, trigger));
}

export interface RepublishOutcome {
  published: boolean;
  reason: string;
  result?: PublishEdgeResult;
}

const republishing = new SerialQueues();

/** The latest publication whose set holds this CA (a rollover's publication trusts several). */
export function lastPublicationOf(ctx: CoreContext, authorityId: string): (PublicationRow & { settings: string | null }) | undefined {
  return prepared(
    ctx.db,
    'SELECT p.* FROM edge_publications p JOIN publication_authorities a ON a.publication_id = p.id WHERE a.authority_id = ? ORDER BY p.id DESC LIMIT 1',
  ).get(authorityId) as (PublicationRow & { settings: string | null }) | undefined;
}

/** The issuing CAs a publication trusts, in the order chosen. */
export function publicationAuthorities(ctx: CoreContext, publicationId: number): string[] {
  const rows = ctx.db
    .prepare('SELECT authority_id FROM publication_authorities WHERE publication_id = ? ORDER BY position')
    .all(publicationId) as Array<{ authority_id: string }>;
  return rows.map((r) => r.authority_id);
}

async function republishNow(ctx: CoreContext, crls: Crls, authorityId: string, trigger: string | undefined): Promise<RepublishOutcome> {
  const last = lastPublicationOf(ctx, authorityId);
  if (!last)
    return { published: false, reason: 'no edge publication on record for this CA (publish from the Edge page or certdesk edge export)' };
  if (!last.settings) return { published: false, reason: 'the last publication predates stored settings; publish once from the Edge page' };
  const settings = JSON.parse(last.settings) as PublishEdgeInput['settings'];
  const cas = publicationAuthorities(ctx, last.id);
  const bundle = await buildEdgeBundle(ctx, crls, cas, settings);
  // Written but not loaded (the reload failed, e.g. the edge was down) is not published: reload again.
  const reloadFailed = last.reload_status !== null && last.reload_status !== 0;
  if (bundleHash(bundle.files) === last.bundle_sha256 && !reloadFailed)
    return { published: false, reason: `the edge bundle in ${last.dir} is current` };
  // The same reload action as last time, checked against its approved hash before anything is written.
  const result = await publishEdge(
    ctx,
    crls,
    { ca: cas, dir: last.dir, settings },
    { ...(last.reload_action_id !== null ? { replayActionId: last.reload_action_id } : {}), ...(trigger ? { trigger } : {}) },
  );
  if (result.reload && result.reload.status !== 0) {
    throw new CertdeskError(
      'EDGE_RELOAD_FAILED',
      `The edge bundle was written to ${last.dir}, but the reload command failed (${result.reload.status}${result.reload.timedOut ? ', timed out' : ''}): ${result.reload.output.slice(0, 300)}`,
      { field: 'reload' },
    );
  }
  return { published: true, reason: `published to ${last.dir}`, result };
}

export interface PublicationRow {
  id: number;
  at: string;
  authority_id: string;
  dir: string;
  server_name: string;
  crl_numbers: string;
  bundle_sha256: string;
  reload_cmd: string | null;
  reload_action_id: number | null;
  reload_argv: string | null;
  reload_status: number | null;
  reload_output: string | null;
  reload_duration_ms: number | null;
  reload_timed_out: number | null;
}

/** Publications, newest first: what went to the edge, when, and whether the reload worked. */
export function edgeHistory(ctx: CoreContext, limit = 50): EdgePublication[] {
  const rows = ctx.db.prepare('SELECT * FROM edge_publications ORDER BY id DESC LIMIT ?').all(limit) as PublicationRow[];
  return rows.map((r) => {
    const argv = r.reload_argv ? (JSON.parse(r.reload_argv) as string[][]) : null;
    const set = publicationAuthorities(ctx, r.id);
    return {
      id: r.id,
      at: r.at,
      authorityId: r.authority_id,
      authorityIds: set.length > 0 ? set : [r.authority_id],
      dir: r.dir,
      serverName: r.server_name,
      crlNumbers: JSON.parse(r.crl_numbers) as Record<string, number>,
      bundleSha256: r.bundle_sha256,
      reloadCommand: argv ? displayArgv(argv) : r.reload_cmd,
      reloadArgv: argv,
      reloadStatus: r.reload_status,
      reloadOutput: r.reload_output,
      reloadDurationMs: r.reload_duration_ms,
      reloadTimedOut: r.reload_timed_out === null ? null : r.reload_timed_out === 1,
    };
  });
}
