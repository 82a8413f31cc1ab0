import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATABASE_FILE = 'certdesk.sqlite3';
/** The audit log's (sequence, head) checkpoint, beside the database and outside it (see audit/audit-log.ts). */
export const AUDIT_CHECKPOINT_FILE = 'certdesk.audit-checkpoint.json';

/**
 * The data folder: `--data-dir`, else CERTDESK_DATA_DIR, else the OS app-data folder, the same one
 * Electron's `app.getPath('userData')` gives for an app named certdesk, so app and CLI share it.
 */
export function resolveDataDir(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (explicit) return explicit;
  if (env.CERTDESK_DATA_DIR) return env.CERTDESK_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'certdesk');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'certdesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'certdesk');
}
