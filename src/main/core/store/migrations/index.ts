import { initial } from './0010-initial.ts';
import type { Migration } from './migration.ts';

/** In order. Append only: a released migration is never edited, a new one is added after it. */
export const MIGRATIONS: readonly Migration[] = [initial];
export type { Migration };
