/**
 * How long a publisher's pre-signed CRLs last (issue 12 §5): the offline signer sends a series ahead,
 * and the publisher must ask for the next one before the last CRL of it runs out, or the edge refuses
 * every client.
 */

/** The Schedule and `certdesk crl-series` warn when a CA's last pre-signed CRL runs out within this many days. */
export const CRL_SERIES_WARN_DAYS = 14;

/**
 * ok: lasts past the warning window; warn: runs out within it; expired: the last CRL has run out;
 * missing: no CRL of this CA is held at all. The last two leave the edge nothing valid to publish.
 */
export type CrlSeriesState = 'ok' | 'warn' | 'expired' | 'missing';

export interface CrlSeriesStatus {
  authorityId: string;
  name: string;
  /** The CRL in effect now, if any (it may have run out: `expired`). */
  current: { crlNumber: number; thisUpdate: string; nextUpdate: string; expired: boolean } | null;
  /** When the last CRL held for this CA runs out; null when none is held. */
  lastPresignedNextUpdate: string | null;
  /** Whole days from now until then (negative once it has passed). */
  daysLeft: number | null;
  /** The series runs out within `warnDays` (or there is none): ask the signer for more. */
  warn: boolean;
  state: CrlSeriesState;
  /** The window `warn` was measured against. */
  warnDays: number;
}

export interface CrlSeriesQuery {
  warnDays?: number;
}

/** How the operator gets a new series: the same words on the Schedule and in the CLI. */
export function crlSeriesRequestHint(caName: string): string {
  return `Ask the signer for a new series: certdesk request crl "${caName}" (or the Transfer page), then import its answer.`;
}
