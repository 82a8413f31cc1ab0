/**
 * The operator's one custom reload argv: approved in main's own flow (the CLI's explicit command, or
 * Electron's native dialog), withdrawn from any host. Each change reaches the keychain's record of
 * current approvals (reload-ledger.ts), so neither an argv that was replaced nor one that was
 * cleared comes back with a database restored from an older copy.
 */
import { displayArgv } from '../../../shared/contract/index.ts';
import { hasControlCharacters, hasFormatCharacters } from '../../../shared/validation.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { approvalKey } from './reload-approval.ts';
import { argvSha256, customRow, parseSteps, sealApproval } from './reload-actions.ts';

/**
 * Every host checks these too; checked here again so no path into the core (a new host, a script
 * calling the service) can approve an argv that reads as another in the approval dialog or the log.
 */
function checkArgv(argv: readonly string[]): void {
  const refuse = (message: string) => new CertdeskError('VALIDATION', `argv: ${message}. Nothing was stored.`, { field: 'argv' });
  if (argv.length === 0 || argv.length > 64) throw refuse('name the program, then at most 63 arguments');
  if (!argv[0]) throw refuse('argv[0], the program, must not be empty');
  argv.forEach((arg, i) => {
    if (typeof arg !== 'string' || arg.length > 4096) throw refuse(`entry ${i} must be text of at most 4096 characters`);
    if (hasControlCharacters(arg)) throw refuse(`entry ${i} contains a control character`);
    if (hasFormatCharacters(arg))
      throw refuse(
        `entry ${i} contains an invisible format character (Unicode Cf: a bidi override or isolate, a zero-width character, a BOM); type it without them`,
      );
  });
}

/**
 * Stores and approves the operator's argv (the caller has asked the operator, and has awaited the
 * audit key); audited whole. Without the key nothing is stored: an approval no one can check is
 * none. The approval it replaces is withdrawn from the keychain first, so if anything fails after,
 * the old argv cannot come back either.
 */
export async function setCustomReload(ctx: CoreContext, argv: readonly string[], approvedBy: string): Promise<void> {
  checkArgv(argv);
  const key = approvalKey(ctx.audit);
  if ('problem' in key)
    throw new CertdeskError(
      'RELOAD_NOT_APPROVED',
      `The custom reload command cannot be approved: ${key.problem}. Nothing was stored. Unlock the OS keychain and approve it again (certdesk edge reload set -- ARGV…).`,
      { field: 'argv' },
    );
  const previous = customRow(ctx);
  if (previous) await recordOrRefuse(ctx, previous.id, null);
  const steps = [[...argv]];
  const sha = argvSha256(steps);
  const now = ctx.clock.now().toISOString();
  const sealed = ctx.db
    .transaction(() => {
      const row = customRow(ctx);
      if (row)
        ctx.db
          .prepare(
            'UPDATE edge_reload_actions SET argv = ?, program = NULL, approved_sha256 = ?, approved_at = ?, approved_by = ?, legacy_command = NULL WHERE id = ?',
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
      const mac = sealApproval(ctx, key.key, id);
      ctx.audit.append('edge.reload.approve', null, { argv: [...argv], command: displayArgv(steps), sha256: sha, approvedBy });
      return { id, mac };
    })
    .immediate();
  await recordOrRefuse(ctx, sealed.id, sealed.mac);
}

async function recordOrRefuse(ctx: CoreContext, id: number, mac: string | null): Promise<void> {
  try {
    await ctx.reloadApprovals.record(id, mac);
  } catch (error) {
    throw new CertdeskError(
      'RELOAD_NOT_APPROVED',
      `The custom reload command cannot be approved: the keychain's record of current approvals could not be updated (${(error as Error).message}). ${mac === null ? 'Nothing was stored.' : 'It is stored but will not run.'} Unlock the OS keychain and approve it again (certdesk edge reload set -- ARGV…).`,
      { field: 'argv', cause: error },
    );
  }
}

/**
 * Withdraws the custom argv: publications that used it are refused until one is approved again. Any
 * host may ask (it only takes a permission away), so every call is audited under the OS actor, even
 * one that found nothing to withdraw. The database is cleared even when the keychain cannot be
 * written; the entry then says the withdrawal is not recorded there, so a restored copy could bring
 * the argv back until the keychain is reachable and it is cleared again.
 */
export async function clearCustomReload(ctx: CoreContext): Promise<void> {
  const existing = customRow(ctx);
  const unrecorded = existing
    ? await ctx.reloadApprovals.record(existing.id, null).then(
        () => null,
        (error: unknown) => `the withdrawal is not recorded in the keychain: ${(error as Error).message}`,
      )
    : null;
  ctx.db
    .transaction(() => {
      const row = customRow(ctx);
      const argv = row ? (parseSteps(row)?.[0] ?? []) : [];
      if (row)
        ctx.db
          .prepare(
            "UPDATE edge_reload_actions SET argv = '[]', program = NULL, approved_sha256 = NULL, approved_mac = NULL, approved_at = NULL, approved_by = NULL, legacy_command = NULL WHERE id = ?",
          )
          .run(row.id);
      ctx.audit.append('edge.reload.clear', null, { argv, withdrawn: argv.length > 0, ...(unrecorded ? { unrecorded } : {}) });
    })
    .immediate();
}
