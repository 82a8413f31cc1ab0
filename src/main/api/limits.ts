/**
 * The numeric bounds of the channels' inputs, in one place: the schemas enforce them and the CLI
 * names them in its own errors, so the two never disagree about what is allowed.
 */
import { VAULT_IDLE_LOCK_MAX_MINUTES } from '../../shared/contract/index.ts';

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

export const LIMITS = {
  caYears: { min: 1, max: 30 },
  certDays: { min: 1, max: 3650 },
  listLimit: { min: 1, max: 1000 },
  expiringWithinDays: { min: 0, max: 36_500 },
  scheduleWithinDays: { min: 0, max: 36_500 },
  rotationWithinDays: { min: 0, max: 3650 },
  rotationConcurrency: { min: 1, max: 16 },
  /** Zero to 90 days, in seconds. */
  overlapSeconds: { min: 0, max: 90 * 86_400 },
  /** Zero to a day, in seconds: how long an old certificate goes unseen at the edge before its credential is removed. */
  quietSeconds: { min: 0, max: 86_400 },
  /** One second to 90 days: how far an operator moves a rotation's evidence deadline. */
  extendSeconds: { min: 1, max: 90 * 86_400 },
  /** 0 = never. */
  idleLockMinutes: { min: 0, max: VAULT_IDLE_LOCK_MAX_MINUTES },
} as const satisfies Record<string, Bounds>;
