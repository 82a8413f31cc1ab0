import type { ScheduleState } from '../../../shared/contract/index.ts';
import { PROFILES } from '../pki/profiles.ts';

const DAY = 86_400_000;

export interface RenewalPolicy {
  /** Renew once this share of the lifetime has passed… */
  renewAtFraction: number;
  /** …or this many days before expiry, whichever comes first. */
  renewDaysBefore: number;
}

/** Less than this left before expiry, a due renewal is overdue. */
export const OVERDUE_DAYS = 7;

/** Renewal time: two thirds of the lifetime, or N days before expiry, whichever is earlier. */
export function renewAt(notBefore: Date, notAfter: Date, policy: RenewalPolicy): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const byFraction = notBefore.getTime() + lifetime * policy.renewAtFraction;
  const byDays = notAfter.getTime() - policy.renewDaysBefore * DAY;
  return new Date(Math.max(notBefore.getTime(), Math.min(byFraction, byDays)));
}

export function scheduleState(now: Date, renewal: Date, notAfter: Date): ScheduleState {
  if (now >= notAfter) return 'expired';
  if (now < renewal) return 'ok';
  return notAfter.getTime() - now.getTime() < OVERDUE_DAYS * DAY ? 'overdue' : 'due';
}

/** Whole days from `now` to `to`, rounded towards the past (so "0" means "today"). */
export function daysBetween(now: Date, to: Date): number {
  return Math.floor((to.getTime() - now.getTime()) / DAY);
}

/** A CA is renewed well before its last leaf would outlive it: a year ahead, or a third of its life for short CAs. */
export const CA_POLICY: RenewalPolicy = { renewAtFraction: 2 / 3, renewDaysBefore: 365 };

/** A leaf's renewal window: its profile's, or two thirds / 30 days for one without a known profile (imported). */
export function leafRenewalPolicy(profileName: string | null): RenewalPolicy {
  return PROFILES.find((p) => p.name === profileName) ?? { renewAtFraction: 2 / 3, renewDaysBefore: 30 };
}
