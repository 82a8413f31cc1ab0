import type { CrlItem } from '../../../shared/contract/index.ts';
import type { CrlView } from '../../../shared/contract/index.ts';
import { CRL_VALIDITY_DAYS } from '../ca/crls.ts';
import { CertdeskError } from '../errors.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';

/**
 * The bounds of a pre-signed CRL series. Each CRL i has thisUpdate = from + i·period and
 * nextUpdate = thisUpdate + period + overlap: consecutive CRLs overlap by CRL_SERIES_OVERLAP_HOURS,
 * so a publisher whose clock or reload lags the switch a little never serves an expired CRL
 * (nginx would then refuse every client). The series ends with the last nextUpdate.
 */
export const CRL_SERIES_MAX_COUNT = 60;
export const CRL_SERIES_MIN_PERIOD_HOURS = 4;
export const CRL_SERIES_MAX_PERIOD_HOURS = 31 * 24;
/** From the first thisUpdate to the last nextUpdate: a signer offline longer than this is a process problem, not a CRL one. */
export const CRL_SERIES_MAX_SPAN_DAYS = 180;
export const CRL_SERIES_OVERLAP_HOURS = 1;
/** `from` may trail the signer's clock this much (the clocks of two machines differ) and lead it at most this much. */
export const CRL_SERIES_MAX_BACKDATE_HOURS = 1;
export const CRL_SERIES_MAX_LEAD_DAYS = 30;

const HOUR = 3_600_000;

export interface CrlWindow {
  thisUpdate: Date;
  nextUpdate: Date;
}

/** The windows of a series, refused by name (CRL_SERIES_OUT_OF_RANGE, the field at fault) when out of bounds. */
export function planCrlSeries(
  request: { from: string | null; count: number; periodHours: number },
  ca: Pick<AuthorityRecord, 'name' | 'notAfter'>,
  now: Date,
): CrlWindow[] {
  const out = (field: string, message: string) => new CertdeskError('CRL_SERIES_OUT_OF_RANGE', message, { field });
  if (!Number.isInteger(request.count) || request.count < 1 || request.count > CRL_SERIES_MAX_COUNT)
    throw out('count', `count must be a whole number from 1 to ${CRL_SERIES_MAX_COUNT} (got ${request.count}).`);
  if (
    !Number.isInteger(request.periodHours) ||
    request.periodHours < CRL_SERIES_MIN_PERIOD_HOURS ||
    request.periodHours > CRL_SERIES_MAX_PERIOD_HOURS
  )
    throw out(
      'periodHours',
      `periodHours must be a whole number from ${CRL_SERIES_MIN_PERIOD_HOURS} to ${CRL_SERIES_MAX_PERIOD_HOURS} (got ${request.periodHours}).`,
    );
  const nowSecond = Math.floor(now.getTime() / 1000) * 1000;
  let from = nowSecond;
  if (request.from !== null) {
    const parsed = Date.parse(request.from);
    if (!Number.isFinite(parsed) || !/^\d{4}-\d{2}-\d{2}T/.test(request.from))
      throw out('from', `from must be an ISO time (got "${request.from}").`);
    from = Math.floor(parsed / 1000) * 1000;
    if (from < nowSecond - CRL_SERIES_MAX_BACKDATE_HOURS * HOUR)
      throw out('from', `from (${request.from}) lies in the past; a CRL series starts now or later (null: now).`);
    if (from > nowSecond + CRL_SERIES_MAX_LEAD_DAYS * 24 * HOUR)
      throw out('from', `from (${request.from}) is more than ${CRL_SERIES_MAX_LEAD_DAYS} days ahead.`);
  }
  const period = request.periodHours * HOUR;
  const end = from + request.count * period + CRL_SERIES_OVERLAP_HOURS * HOUR;
  if (end - from > CRL_SERIES_MAX_SPAN_DAYS * 24 * HOUR)
    throw out(
      'count',
      `${request.count} CRLs of ${request.periodHours} hours span more than ${CRL_SERIES_MAX_SPAN_DAYS} days; ask for fewer or shorter ones.`,
    );
  if (end > new Date(ca.notAfter).getTime())
    throw out('count', `The series would run past the end of "${ca.name}" (${ca.notAfter}); ask for fewer CRLs, or renew the CA.`);
  return Array.from({ length: request.count }, (_, i) => ({
    thisUpdate: new Date(from + i * period),
    nextUpdate: new Date(from + (i + 1) * period + CRL_SERIES_OVERLAP_HOURS * HOUR),
  }));
}

/**
 * After a revocation: CRLs from now that cover at least until `horizon` (the end of the series the
 * publisher already holds), so no later CRL of the old series, which lacks the revocation, ever
 * comes into effect: the new ones number above it and the one in effect is the highest begun.
 */
export function planReplacementSeries(now: Date, horizon: Date | null): CrlWindow[] {
  const from = Math.floor(now.getTime() / 1000) * 1000;
  const period = CRL_VALIDITY_DAYS * 24 * HOUR;
  const windows: CrlWindow[] = [];
  do {
    const thisUpdate = from + windows.length * period;
    windows.push({ thisUpdate: new Date(thisUpdate), nextUpdate: new Date(thisUpdate + period + CRL_SERIES_OVERLAP_HOURS * HOUR) });
  } while (horizon && windows.at(-1)!.nextUpdate < horizon && windows.length < CRL_SERIES_MAX_COUNT);
  return windows;
}

export function crlItem(view: CrlView, issuerSha256: string, requestId: string | null): CrlItem {
  return {
    kind: 'crl',
    requestId,
    issuerSha256,
    crlPem: view.pem,
    thisUpdate: view.thisUpdate,
    nextUpdate: view.nextUpdate,
    crlNumber: String(view.crlNumber),
  };
}
