/**
 * The stored reload actions: presets chosen at publish time and the one custom argv the operator
 * approved in main. Every run first recomputes the approval's keyed MAC (reload-approval.ts) and
 * compares it with the stored one, so a row edited in the database, even with every plain hash
 * recomputed, or converted from an old shell command, never runs.
 */
import { createHash } from 'node:crypto';
import { displayArgv, presetArgv, type EdgeReload, type EdgeReloadConfig } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { approvalHolds, approvalKey, approvalMac } from './reload-approval.ts';

interface ActionRow {
  id: number;
  kind: 'preset' | 'custom';
  preset: 'nginx' | 'systemctl' | 'docker' | null;
  container: string | null;
  argv: string;
  approved_sha256: string | null;
  approved_mac: string | null;
  approved_at: string | null;
  approved_by: string | null;
  legacy_command: string | null;
}

/** What a publication runs: the argv steps, and the stored action they come from (a preset's row is saved with the publication). */
export interface ResolvedReload {
  steps: string[][];
  actionId: number | null;
  preset: { preset: 'nginx' | 'systemctl' | 'docker'; container: string | null } | null;
}

/** One spelling per argv, so equal argv always hash alike. Informative only: the keyed MAC is what approves. */
export function argvSha256(steps: readonly (readonly string[])[]): string {
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex');
}

const FIX =
  'Approve the argv again: certdesk edge reload set -- ARGV… (or the Edge page and its approval dialog in the desktop app), or publish once with a preset.';

function notApproved(message: string): CertdeskError {
  return new CertdeskError('RELOAD_NOT_APPROVED', `${message} Nothing was run or written. ${FIX}`, { field: 'reload' });
}

function parseSteps(row: ActionRow): string[][] | null {
  try {
    const steps: unknown = JSON.parse(row.argv);
    const ok =
      Array.isArray(steps) &&
      steps.length > 0 &&
      steps.every((argv) => Array.isArray(argv) && argv.length > 0 && argv.every((arg) => typeof arg === 'string'));
    return ok ? (steps as string[][]) : null;
  } catch {
    return null;
  }
}

/** The approval key, or RELOAD_NOT_APPROVED naming why there is none: nothing runs unchecked. */
function requireKey(ctx: CoreContext, what: string): Uint8Array {
  const key = approvalKey(ctx.audit);
  if ('problem' in key) throw notApproved(`The approval of the ${what} cannot be checked: ${key.problem}.`);
  return key.key;
}

/** The steps of a stored action, if and only if they are exactly what was approved. */
function approvedSteps(ctx: CoreContext, row: ActionRow): string[][] {
  const steps = parseSteps(row);
  const what = row.kind === 'custom' ? 'custom reload command' : `reload preset "${row.preset}"`;
  if (row.legacy_command !== null && row.approved_sha256 === null)
    throw notApproved(
      `The ${what} was converted from a free-form shell command of an older certdesk (${row.legacy_command}) and was never approved.`,
    );
  if (row.approved_sha256 === null && row.approved_mac === null) throw notApproved(`The ${what} is not approved.`);
  if (row.approved_mac === null)
    throw notApproved(`The ${what} was approved by an older certdesk, without the keyed approval this version requires.`);
  const key = requireKey(ctx, what);
  if (!approvalHolds(key, row, row.approved_mac) || !steps || argvSha256(steps) !== row.approved_sha256)
    throw notApproved(`The stored ${what} no longer matches the one approved (it was changed outside certdesk).`);
  if (row.kind === 'preset') {
    const expected = row.preset
      ? presetArgv(row.preset === 'docker' ? { preset: 'docker', container: row.container ?? '' } : { preset: row.preset })
      : null;
    if (!expected || JSON.stringify(expected) !== JSON.stringify(steps))
      throw notApproved(`The stored argv of the ${what} is not that preset's (it was changed outside certdesk).`);
  }
  return steps;
}

function customRow(ctx: CoreContext): ActionRow | undefined {
  return ctx.db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'custom'").get() as ActionRow | undefined;
}

/** The reload a publication asked for, checked before anything is written; `null` for none. */
export function resolveReload(ctx: CoreContext, reload: EdgeReload | undefined): ResolvedReload | null {
  if (!reload || reload.preset === 'none') return null;
  if (reload.preset === 'custom') {
    const row = customRow(ctx);
    if (!row || row.argv === '[]') throw notApproved('No custom reload command is set.');
    return { steps: approvedSteps(ctx, row), actionId: row.id, preset: null };
  }
  const steps = presetArgv(reload);
  if (!steps)
    throw new CertdeskError('VALIDATION', 'reload.container must be a Docker container name: letters, digits, _ . -', {
      field: 'reload.container',
    });
  // The caller chose this preset now: its argv comes from the code, never from the stored row. It is
  // approved (sealed) when the publication is saved, so the key must be there before anything runs.
  requireKey(ctx, `reload preset "${reload.preset}"`);
  return { steps, actionId: null, preset: { preset: reload.preset, container: reload.preset === 'docker' ? reload.container : null } };
}

/** The reload a rotation replays: the stored action of the last publication, refused unless still approved. */
export function replayReload(ctx: CoreContext, actionId: number): ResolvedReload {
  const row = ctx.db.prepare('SELECT * FROM edge_reload_actions WHERE id = ?').get(actionId) as ActionRow | undefined;
  if (!row) throw notApproved(`The reload action #${actionId} of the last publication is gone.`);
  return { steps: approvedSteps(ctx, row), actionId: row.id, preset: null };
}

/** Seals what is now stored in the row as approved: the MAC covers the record as written. */
function sealApproval(ctx: CoreContext, key: Uint8Array, id: number): void {
  const row = ctx.db.prepare('SELECT * FROM edge_reload_actions WHERE id = ?').get(id) as ActionRow;
  ctx.db.prepare('UPDATE edge_reload_actions SET approved_mac = ? WHERE id = ?').run(approvalMac(key, row), id);
}

/** Inside the publication's transaction: the preset's row, created or (re)approved by this explicit choice. */
export function saveResolved(ctx: CoreContext, resolved: ResolvedReload): number {
  if (resolved.actionId !== null || !resolved.preset) return resolved.actionId ?? 0;
  const { preset, container } = resolved.preset;
  const key = requireKey(ctx, `reload preset "${preset}"`);
  const sha = argvSha256(resolved.steps);
  const argv = JSON.stringify(resolved.steps);
  const existing = ctx.db
    .prepare("SELECT * FROM edge_reload_actions WHERE kind = 'preset' AND preset = ? AND coalesce(container, '') = ?")
    .get(preset, container ?? '') as ActionRow | undefined;
  const now = ctx.clock.now().toISOString();
  if (existing) {
    if (existing.argv !== argv || existing.approved_sha256 !== sha || !approvalHolds(key, existing, existing.approved_mac)) {
      ctx.db
        .prepare("UPDATE edge_reload_actions SET argv = ?, approved_sha256 = ?, approved_at = ?, approved_by = 'preset' WHERE id = ?")
        .run(argv, sha, now, existing.id);
      sealApproval(ctx, key, existing.id);
    }
    return existing.id;
  }
  const row = ctx.db
    .prepare(
      "INSERT INTO edge_reload_actions (kind, preset, container, argv, approved_sha256, approved_at, approved_by, created_at) VALUES ('preset', ?, ?, ?, ?, ?, 'preset', ?)",
    )
    .run(preset, container, argv, sha, now, now);
  sealApproval(ctx, key, Number(row.lastInsertRowid));
  return Number(row.lastInsertRowid);
}

/** The custom action as the CLI and the Edge page show it. */
export function reloadConfig(ctx: CoreContext, canApprove: boolean): EdgeReloadConfig {
  const row = customRow(ctx);
  if (!row || row.argv === '[]') return { custom: null, canApprove };
  const steps = parseSteps(row);
  let approved = true;
  try {
    approvedSteps(ctx, row);
  } catch {
    approved = false;
  }
  return {
    custom: {
      argv: steps?.[0] ?? [],
      approved,
      approvedAt: row.approved_at,
      approvedBy: row.approved_by,
      legacyCommand: row.legacy_command,
    },
    canApprove,
  };
}

/**
 * Stores and approves the operator's argv (the caller has asked the operator, and has awaited the
 * audit key); audited whole. Without the key nothing is stored: an approval no one can check is none.
 */
export function setCustomReload(ctx: CoreContext, argv: readonly string[], approvedBy: string): void {
  const key = approvalKey(ctx.audit);
  if ('problem' in key)
    throw new CertdeskError(
      'RELOAD_NOT_APPROVED',
      `The custom reload command cannot be approved: ${key.problem}. Nothing was stored. Unlock the OS keychain and approve it again (certdesk edge reload set -- ARGV…).`,
      { field: 'argv' },
    );
  const steps = [[...argv]];
  const sha = argvSha256(steps);
  const now = ctx.clock.now().toISOString();
  ctx.db
    .transaction(() => {
      const row = customRow(ctx);
      if (row)
        ctx.db
          .prepare(
            'UPDATE edge_reload_actions SET argv = ?, approved_sha256 = ?, approved_at = ?, approved_by = ?, legacy_command = NULL WHERE id = ?',
          )
          .run(JSON.stringify(steps), sha, now, approvedBy, row.id);
      const id = row
        ? row.id
        : Number(
            ctx.db
              .prepare(
                "INSERT INTO edge_reload_actions (kind, argv, approved_sha256, approved_at, approved_by, created_at) VALUES ('custom', ?, ?, ?, ?, ?)",
              )
              .run(JSON.stringify(steps), sha, now, approvedBy, now).lastInsertRowid,
          );
      sealApproval(ctx, key.key, id);
      ctx.audit.append('edge.reload.approve', null, { argv: [...argv], command: displayArgv(steps), sha256: sha, approvedBy });
    })
    .immediate();
}

/**
 * Withdraws the custom argv: publications that used it are refused until one is approved again. Any
 * host may ask (it only takes a permission away), so every call is audited under the OS actor, even
 * one that found nothing to withdraw.
 */
export function clearCustomReload(ctx: CoreContext): void {
  ctx.db
    .transaction(() => {
      const row = customRow(ctx);
      const argv = row ? (parseSteps(row)?.[0] ?? []) : [];
      if (row)
        ctx.db
          .prepare(
            "UPDATE edge_reload_actions SET argv = '[]', approved_sha256 = NULL, approved_mac = NULL, approved_at = NULL, approved_by = NULL, legacy_command = NULL WHERE id = ?",
          )
          .run(row.id);
      ctx.audit.append('edge.reload.clear', null, { argv, withdrawn: argv.length > 0 });
    })
    .immediate();
}
