/**
 * The stored reload actions: presets chosen at publish time and the one custom argv the operator
 * approved in main. Every run first recomputes the approval's keyed MAC (reload-approval.ts) and
 * compares it with the stored one, so a row edited in the database, even with every plain hash
 * recomputed, or converted from an old shell command, never runs; and the MAC must be the one the
 * keychain records as current (reload-ledger.ts), so a row restored from an older copy never runs.
 */
import { createHash } from 'node:crypto';
import { presetArgv, type EdgeReload, type EdgeReloadConfig } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { approvalHolds, approvalKey, approvalMac } from './reload-approval.ts';
import type { LedgerRead } from './reload-ledger.ts';
import { requirePresetProgram, resolvePresetProgram } from './preset-program.ts';

export interface ActionRow {
  id: number;
  kind: 'preset' | 'custom';
  preset: 'nginx' | 'systemctl' | 'docker' | null;
  container: string | null;
  argv: string;
  program: string | null;
  approved_sha256: string | null;
  approved_mac: string | null;
  approved_at: string | null;
  approved_by: string | null;
  legacy_command: string | null;
}

/** What a publication runs: the argv steps, and the stored action they come from (a preset's row is saved with the publication). */
export interface ResolvedReload {
  steps: string[][];
  /** A preset's program, run in place of argv[0]: an absolute path, never looked up on PATH at run time. */
  program: string | null;
  actionId: number | null;
  preset: { preset: 'nginx' | 'systemctl' | 'docker'; container: string | null } | null;
}

/** One spelling per argv, so equal argv always hash alike. Informative only: the keyed MAC is what approves. */
export function argvSha256(steps: readonly (readonly string[])[]): string {
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex');
}

const FIX =
  'Approve the argv again: certdesk edge reload set -- ARGV… (or the Edge page and its approval dialog in the desktop app), or publish once with a preset.';

export function notApproved(message: string, field = 'reload'): CertdeskError {
  return new CertdeskError('RELOAD_NOT_APPROVED', `${message} Nothing was run or written. ${FIX}`, { field });
}

export function parseSteps(row: ActionRow): string[][] | null {
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
export function requireKey(ctx: CoreContext, what: string): Uint8Array {
  const key = approvalKey(ctx.audit);
  if ('problem' in key) throw notApproved(`The approval of the ${what} cannot be checked: ${key.problem}.`);
  return key.key;
}

/** The row's approval must be the latest the keychain records for it: an older one restored into the file is refused. */
function requireCurrent(ctx: CoreContext, row: ActionRow, what: string, ledger: () => LedgerRead): void {
  const read = ledger();
  const item = ctx.reloadApprovals.item;
  if (!read.ok)
    throw notApproved(
      `The approval of the ${what} cannot be checked: the keychain's record of current approvals (item "${item}") ${read.problem}.`,
    );
  const current = read.macs.get(row.id);
  if (current === undefined)
    throw notApproved(
      `The ${what} is not an approval the keychain records as current (item "${item}"): it was withdrawn or replaced and then restored from an older copy of the database, or approved by an older certdesk that did not record approvals there.`,
    );
  if (current !== row.approved_mac)
    throw notApproved(
      `The stored ${what} is an older approval restored from a copy of the database: the keychain (item "${item}") records a newer one.`,
    );
}

/** The steps (and a preset's program) of a stored action, if and only if they are exactly what was last approved. */
function approvedSteps(ctx: CoreContext, row: ActionRow, ledger: () => LedgerRead): { steps: string[][]; program: string | null } {
  const steps = parseSteps(row);
  const what = row.kind === 'custom' ? 'custom reload command' : `reload preset "${row.preset}"`;
  if (row.legacy_command !== null && row.approved_sha256 === null)
    throw notApproved(
      `The ${what} was converted from a free-form shell command of an older certdesk (${row.legacy_command}) and was never approved.`,
    );
  if (row.approved_sha256 === null && row.approved_mac === null) throw notApproved(`The ${what} is not approved.`);
  if (row.approved_mac === null)
    throw notApproved(`The ${what} was approved by an older certdesk, without the keyed approval this version requires.`);
  if (row.kind === 'preset' && row.program === null)
    throw notApproved(
      `The ${what} was approved by an older certdesk, which looked its program up on PATH at every run; this version runs the absolute path found when the preset is chosen.`,
    );
  const key = requireKey(ctx, what);
  if (!approvalHolds(key, row, row.approved_mac) || !steps || argvSha256(steps) !== row.approved_sha256)
    throw notApproved(`The stored ${what} no longer matches the one approved (it was changed outside certdesk).`);
  requireCurrent(ctx, row, what, ledger);
  if (row.kind === 'custom') {
    if (row.program !== null) throw notApproved(`The stored ${what} carries a program path, which only a preset has.`);
    return { steps, program: null };
  }
  const expected = row.preset
    ? presetArgv(row.preset === 'docker' ? { preset: 'docker', container: row.container ?? '' } : { preset: row.preset })
    : null;
  if (!expected || JSON.stringify(expected) !== JSON.stringify(steps))
    throw notApproved(`The stored argv of the ${what} is not that preset's (it was changed outside certdesk).`);
  return { steps, program: requirePresetProgram(row.program!, expected[0]![0]!, row.preset!) };
}

export function customRow(ctx: CoreContext): ActionRow | undefined {
  return ctx.db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'custom'").get() as ActionRow | undefined;
}

/** The reload a publication asked for, checked before anything is written; `null` for none. `ledger`: freshly read. */
export function resolveReload(ctx: CoreContext, reload: EdgeReload | undefined, ledger: LedgerRead): ResolvedReload | null {
  if (!reload || reload.preset === 'none') return null;
  if (reload.preset === 'custom') {
    const row = customRow(ctx);
    if (!row || row.argv === '[]') throw notApproved('No custom reload command is set.');
    return { ...approvedSteps(ctx, row, () => ledger), actionId: row.id, preset: null };
  }
  const steps = presetArgv(reload);
  if (!steps)
    throw new CertdeskError('VALIDATION', 'reload.container must be a Docker container name: letters, digits, _ . -', {
      field: 'reload.container',
    });
  // The caller chose this preset now: its argv comes from the code, never from the stored row, and
  // its program is looked up now, once. It is approved (sealed) when the publication is saved, so
  // the key must be there before anything runs.
  requireKey(ctx, `reload preset "${reload.preset}"`);
  const program = resolvePresetProgram(steps[0]![0]!, reload.preset);
  return {
    steps,
    program,
    actionId: null,
    preset: { preset: reload.preset, container: reload.preset === 'docker' ? reload.container : null },
  };
}

/** The reload a rotation replays: the stored action of the last publication, refused unless still the latest approval. */
export function replayReload(ctx: CoreContext, actionId: number, ledger: LedgerRead): ResolvedReload {
  const row = ctx.db.prepare('SELECT * FROM edge_reload_actions WHERE id = ?').get(actionId) as ActionRow | undefined;
  if (!row) throw notApproved(`The reload action #${actionId} of the last publication is gone.`);
  return { ...approvedSteps(ctx, row, () => ledger), actionId: row.id, preset: null };
}

/** Seals what is now stored in the row as approved: the MAC covers the record as written. The caller records it in the keychain. */
export function sealApproval(ctx: CoreContext, key: Uint8Array, id: number): string {
  const row = ctx.db.prepare('SELECT * FROM edge_reload_actions WHERE id = ?').get(id) as ActionRow;
  const mac = approvalMac(key, row);
  ctx.db.prepare('UPDATE edge_reload_actions SET approved_mac = ? WHERE id = ?').run(mac, id);
  return mac;
}

/**
 * Inside the publication's transaction: the preset's row, created or (re)approved by this explicit
 * choice. `sealed` is the new approval's MAC, for the keychain once the transaction has committed.
 */
export function saveResolved(ctx: CoreContext, resolved: ResolvedReload): { actionId: number; sealed: string | null } {
  if (resolved.actionId !== null || !resolved.preset) return { actionId: resolved.actionId ?? 0, sealed: null };
  const { preset, container } = resolved.preset;
  const key = requireKey(ctx, `reload preset "${preset}"`);
  const sha = argvSha256(resolved.steps);
  const argv = JSON.stringify(resolved.steps);
  const existing = ctx.db
    .prepare("SELECT * FROM edge_reload_actions WHERE kind = 'preset' AND preset = ? AND coalesce(container, '') = ?")
    .get(preset, container ?? '') as ActionRow | undefined;
  const now = ctx.clock.now().toISOString();
  if (existing) {
    const current = ctx.reloadApprovals.cached();
    const same =
      existing.argv === argv &&
      existing.program === resolved.program &&
      existing.approved_sha256 === sha &&
      approvalHolds(key, existing, existing.approved_mac) &&
      current.ok &&
      current.macs.get(existing.id) === existing.approved_mac;
    if (same) return { actionId: existing.id, sealed: null };
    ctx.db
      .prepare(
        "UPDATE edge_reload_actions SET argv = ?, program = ?, approved_sha256 = ?, approved_at = ?, approved_by = 'preset' WHERE id = ?",
      )
      .run(argv, resolved.program, sha, now, existing.id);
    return { actionId: existing.id, sealed: sealApproval(ctx, key, existing.id) };
  }
  const row = ctx.db
    .prepare(
      "INSERT INTO edge_reload_actions (kind, preset, container, argv, program, approved_sha256, approved_at, approved_by, created_at) VALUES ('preset', ?, ?, ?, ?, ?, ?, 'preset', ?)",
    )
    .run(preset, container, argv, resolved.program, sha, now, now);
  const id = Number(row.lastInsertRowid);
  return { actionId: id, sealed: sealApproval(ctx, key, id) };
}

/** The custom action as the CLI and the Edge page show it (against the keychain record as last read: call `refresh` first). */
export function reloadConfig(ctx: CoreContext, canApprove: boolean): EdgeReloadConfig {
  const row = customRow(ctx);
  if (!row || row.argv === '[]') return { custom: null, canApprove };
  const steps = parseSteps(row);
  let reason: string | null = null;
  try {
    approvedSteps(ctx, row, () => ctx.reloadApprovals.cached());
  } catch (error) {
    // The refusal's own words, without the "nothing ran" and the fix, which the hosts say their way.
    reason = (error as Error).message.split(' Nothing was run or written.')[0]!;
  }
  return {
    custom: {
      argv: steps?.[0] ?? [],
      approved: reason === null,
      approvedAt: row.approved_at,
      approvedBy: row.approved_by,
      legacyCommand: row.legacy_command,
      reason,
    },
    canApprove,
  };
}
