import type { WorkstationRole } from './transfer.ts';
import type { VaultStatus } from './vault.ts';

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  vault: VaultStatus;
  /** The data folder's role (read only here: it is set by the operator with `certdesk role set`). */
  role: WorkstationRole;
}

export type Empty = Record<string, never>;
