import { CRL_WARN_HOURS, type CrlSummary } from './authorities.ts';

export type CrlFreshnessState = 'none' | 'fresh' | 'soon' | 'stale';

export interface CrlFreshness {
  state: CrlFreshnessState;
  /** Whole hours since thisUpdate, and until nextUpdate (negative once it passed). */
  ageHours: number;
  hoursLeft: number;
  /** One sentence for the table's tooltip and the schedule's warning; empty when fresh. */
  warning: string;
}

/**
 * How a CA's latest CRL stands at `now`. The table, the schedule and the background notice use this
 * one rule, so they never disagree: warn from CRL_WARN_HOURS before nextUpdate, and say it plainly
 * once it passed (an edge holding an outdated CRL may refuse every client).
 */
export function crlFreshness(crl: CrlSummary | null, now: Date): CrlFreshness {
  if (!crl) return { state: 'none', ageHours: 0, hoursLeft: 0, warning: '' };
  const ageHours = Math.floor((now.getTime() - Date.parse(crl.thisUpdate)) / 3_600_000);
  const hoursLeft = Math.floor((Date.parse(crl.nextUpdate) - now.getTime()) / 3_600_000);
  const when = crl.nextUpdate.slice(0, 16).replace('T', ' ');
  if (Date.parse(crl.nextUpdate) <= now.getTime())
    return {
      state: 'stale',
      ageHours,
      hoursLeft,
      warning: `CRL #${crl.crlNumber} passed its next update (${when} UTC): sign a new CRL and publish it to the edge now.`,
    };
  if (hoursLeft < CRL_WARN_HOURS)
    return {
      state: 'soon',
      ageHours,
      hoursLeft,
      warning: `CRL #${crl.crlNumber} runs out at ${when} UTC: sign a new CRL and publish it to the edge before then.`,
    };
  return { state: 'fresh', ageHours, hoursLeft, warning: '' };
}
