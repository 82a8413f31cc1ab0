/**
 * The edge as the operator configured it: the one folder bundles are written to, and the settings
 * that reach nginx (upstream, server name, certificate paths, the cname-api-key include…). Both are
 * set only through an operator path (the CLI, or a native dialog of the desktop app) and kept in one
 * row sealed with a keyed MAC (approval-mac.ts), so neither a caller of a channel nor whoever can
 * write the SQLite file can move the bundle or redirect the edge. The same MAC covers the set of
 * issuing CAs the edge may trust (edge-ca-seal.ts, edge-ca-set.ts).
 */
import { resolve } from 'node:path';
import type { EdgeConfigView, EdgeSettings } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { approvalSubkey, recordMac, recordMacHolds } from './approval-mac.ts';
import { rebuiltEdgeSettings, type RebuiltEdgeSettings } from './nginx-config.ts';
import { canonical } from '../audit/audit-chain.ts';
import { readSealedCasText, writeSealedCasText } from './edge-ca-seal.ts';

interface ConfigRow {
  folder: string | null;
  folder_set_at: string | null;
  folder_set_by: string | null;
  settings: string | null;
  settings_approved_at: string | null;
  settings_approved_by: string | null;
  approved_mac: string;
  /** Not a column: the sealed CA set's text (settings table), null when no set was approved. */
  cas: string | null;
}

const DOMAIN = 'certdesk-edge-config-approval';
export const FOLDER_FIX = 'The operator sets it: certdesk edge folder set DIR (or "Choose folder" in the desktop app).';
export const SETTINGS_FIX =
  'The operator approves them: certdesk edge settings set … (the same flags as certdesk edge export), a publication from the CLI, or the approval dialog of the desktop app.';

function record(row: Omit<ConfigRow, 'approved_mac'>): Record<string, unknown> {
  const v1 = {
    v: 1,
    folder: row.folder,
    folderSetAt: row.folder_set_at,
    folderSetBy: row.folder_set_by,
    settings: row.settings,
    settingsApprovedAt: row.settings_approved_at,
    settingsApprovedBy: row.settings_approved_by,
  };
  // v2 adds the approved CA set; a row approved before sets were sealed has none and keeps its v1 MAC. Removing
  // the set from a v2 row makes it a v1 record whose MAC does not verify.
  return row.cas === null ? v1 : { ...v1, v: 2, cas: row.cas };
}

function readRow(ctx: CoreContext): ConfigRow | undefined {
  const row = ctx.db.prepare('SELECT * FROM edge_config WHERE id = 1').get() as Omit<ConfigRow, 'cas'> | undefined;
  return row ? { ...row, cas: readSealedCasText(ctx.db) } : undefined;
}

/** Whether the stored row is the one the operator approved; `problem` says why not. */
function check(ctx: CoreContext, row: ConfigRow): { holds: true } | { holds: false; problem: string } {
  const key = approvalSubkey(ctx.audit, 'edge-config-approval');
  if ('problem' in key) return { holds: false, problem: `the approval cannot be checked: ${key.problem}` };
  return recordMacHolds(key.key, DOMAIN, record(row), row.approved_mac)
    ? { holds: true }
    : {
        holds: false,
        problem: 'the stored edge folder, settings or issuing CAs no longer match what the operator approved (changed outside certdesk)',
      };
}

/**
 * Stored (rebuilt) settings as the contract's EdgeSettings: a setting left out is null once rebuilt
 * (`accessLog`), and absent in the contract, so what the Edge page and the CLI read back is what they
 * may send again.
 */
function storedSettings(text: string): EdgeSettings {
  return Object.fromEntries(
    Object.entries(JSON.parse(text) as Record<string, unknown>).filter(([, v]) => v !== null),
  ) as unknown as EdgeSettings;
}

/** The settings in the one spelling they are stored and compared in: rebuilt, defaults applied, keys sorted. */
function settingsText(settings: RebuiltEdgeSettings): string {
  return canonical(settings);
}

/** The configuration as the CLI and the Edge page show it. */
export function edgeConfigView(
  ctx: CoreContext,
  host: { canChooseFolder: boolean; canApprove: boolean },
): Omit<EdgeConfigView, 'approvedCas'> {
  const row = readRow(ctx);
  const verdict = row ? check(ctx, row) : { holds: true as const };
  return {
    folder: row?.folder ?? null,
    folderSetAt: row?.folder_set_at ?? null,
    folderSetBy: row?.folder_set_by ?? null,
    settings: row?.settings ? storedSettings(row.settings) : null,
    settingsApprovedAt: row?.settings_approved_at ?? null,
    settingsApprovedBy: row?.settings_approved_by ?? null,
    approved: verdict.holds,
    problem: verdict.holds ? null : verdict.problem,
    ...host,
  };
}

/** Seals and stores the row as approved now (the caller is an operator path and has awaited the audit key). */
export function storeApproval(
  ctx: CoreContext,
  next: Omit<ConfigRow, 'approved_mac'>,
  event: string,
  detail: Record<string, unknown>,
): void {
  const key = approvalSubkey(ctx.audit, 'edge-config-approval');
  if ('problem' in key)
    throw new CertdeskError(
      'EDGE_SETTINGS_NOT_APPROVED',
      `The edge configuration cannot be approved: ${key.problem}. Nothing was stored; unlock the OS keychain and try again.`,
      { field: 'settings' },
    );
  const mac = recordMac(key.key, DOMAIN, record(next));
  ctx.db
    .transaction(() => {
      ctx.db
        .prepare(
          'INSERT INTO edge_config (id, folder, folder_set_at, folder_set_by, settings, settings_approved_at, settings_approved_by, approved_mac) VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, folder_set_at = excluded.folder_set_at, folder_set_by = excluded.folder_set_by, settings = excluded.settings, settings_approved_at = excluded.settings_approved_at, settings_approved_by = excluded.settings_approved_by, approved_mac = excluded.approved_mac',
        )
        .run(next.folder, next.folder_set_at, next.folder_set_by, next.settings, next.settings_approved_at, next.settings_approved_by, mac);
      writeSealedCasText(ctx.db, next.cas);
      ctx.audit.append(event, null, detail);
    })
    .immediate();
}

/** What an operator path builds on: the stored row when it holds, else nothing (a broken row is replaced whole). */
export function trustedBase(ctx: CoreContext): Omit<ConfigRow, 'approved_mac'> {
  const row = readRow(ctx);
  const empty = {
    folder: null,
    folder_set_at: null,
    folder_set_by: null,
    settings: null,
    settings_approved_at: null,
    settings_approved_by: null,
    cas: null,
  };
  if (!row || !check(ctx, row).holds) return empty;
  return row;
}

/** Refuses a folder certdesk should never publish into: relative, or a kernel pseudo-filesystem. */
export function edgeFolderPath(dir: string): string {
  const folder = resolve(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(folder))
    throw new CertdeskError('VALIDATION', `${folder} is a system folder; choose an ordinary folder for the edge bundle.`, { field: 'dir' });
  return folder;
}

/** The operator's edge folder; audited. Returns the absolute folder. */
export function setEdgeFolder(ctx: CoreContext, dir: string, by: string): string {
  const folder = edgeFolderPath(dir);
  const base = trustedBase(ctx);
  if (base.folder === folder) return folder;
  const now = ctx.clock.now().toISOString();
  storeApproval(ctx, { ...base, folder, folder_set_at: now, folder_set_by: by }, 'edge.folder.set', { folder, previous: base.folder, by });
  return folder;
}

/** The operator's approval of these settings (refused, naming the field, when a rule refuses one); audited whole. */
export function approveEdgeSettings(ctx: CoreContext, settings: EdgeSettings, by: string): RebuiltEdgeSettings {
  const rebuilt = rebuiltEdgeSettings(settings);
  const text = settingsText(rebuilt);
  const base = trustedBase(ctx);
  if (base.settings === text) return rebuilt;
  const now = ctx.clock.now().toISOString();
  storeApproval(ctx, { ...base, settings: text, settings_approved_at: now, settings_approved_by: by }, 'edge.settings.approve', {
    settings: rebuilt,
    by,
  });
  return rebuilt;
}

/** The row when the operator's approval of it holds: what a check of the approved CA set reads. */
export function approvedRow(ctx: CoreContext): Omit<ConfigRow, 'approved_mac'> | null {
  const row = readRow(ctx);
  return row && check(ctx, row).holds ? row : null;
}

/** The configured edge folder, when the operator's approval of it holds; else a named error. */
export function configuredFolder(ctx: CoreContext): string {
  const row = readRow(ctx);
  if (!row?.folder)
    throw new CertdeskError('EDGE_FOLDER_NOT_SET', `No edge folder is configured, so nothing was published. ${FOLDER_FIX}`, {
      field: 'dir',
    });
  const verdict = check(ctx, row);
  if (!verdict.holds)
    throw new CertdeskError('EDGE_SETTINGS_NOT_APPROVED', `Nothing was published: ${verdict.problem}. ${FOLDER_FIX}`, { field: 'dir' });
  return row.folder;
}

/** Whether `settings` (as typed) are exactly the approved ones, and `dir` the configured folder. */
export function isApproved(ctx: CoreContext, dir: string, settings: EdgeSettings): boolean {
  const row = readRow(ctx);
  if (!row || !check(ctx, row).holds) return false;
  return row.folder === dir && row.settings === settingsText(rebuiltEdgeSettings(settings));
}

/**
 * The configured folder, and a check that `settings` are the approved ones: what every publication
 * not made by the operator (web mode, a rotation's replay) must pass before anything is written.
 */
export function requireApprovedEdge(ctx: CoreContext, settings: EdgeSettings, dir?: string): string {
  const rebuilt = rebuiltEdgeSettings(settings);
  const row = readRow(ctx);
  if (!row?.folder)
    throw new CertdeskError('EDGE_FOLDER_NOT_SET', `No edge folder is configured, so nothing was published. ${FOLDER_FIX}`, {
      field: 'dir',
    });
  const verdict = check(ctx, row);
  if (!verdict.holds)
    throw new CertdeskError('EDGE_SETTINGS_NOT_APPROVED', `Nothing was published: ${verdict.problem}. ${SETTINGS_FIX} ${FOLDER_FIX}`, {
      field: 'settings',
    });
  if (dir !== undefined && dir !== row.folder)
    throw new CertdeskError(
      'EDGE_SETTINGS_NOT_APPROVED',
      `Nothing was published: ${dir} is not the configured edge folder (${row.folder}). ${FOLDER_FIX}`,
      { field: 'dir' },
    );
  if (row.settings === null)
    throw new CertdeskError('EDGE_SETTINGS_NOT_APPROVED', `No edge settings are approved yet, so nothing was published. ${SETTINGS_FIX}`, {
      field: 'settings',
    });
  const approved = JSON.parse(row.settings) as Record<string, unknown>;
  const typed = rebuilt as unknown as Record<string, unknown>;
  const changed = Object.keys({ ...approved, ...typed }).filter((f) => canonical(approved[f]) !== canonical(typed[f]));
  if (changed.length > 0)
    throw new CertdeskError(
      'EDGE_SETTINGS_NOT_APPROVED',
      `${changed.join(', ')} ${changed.length === 1 ? 'differs' : 'differ'} from the approved edge settings, so nothing was published. ${SETTINGS_FIX}`,
      { field: changed[0]! },
    );
  return row.folder;
}
