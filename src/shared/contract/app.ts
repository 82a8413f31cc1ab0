import type { VaultStatus } from './vault.ts';

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  vault: VaultStatus;
}

export type Empty = Record<string, never>;
