import type { Database } from '../store/database.ts';
import { sameDn } from '../pki/names.ts';
import type { EdgeRequest } from './access-log-line.ts';

/** What one read saw of one certificate (or of one unknown serial and issuer). */
export interface Seen {
  firstSeen: number;
  lastSeen: number;
  requests: number;
  lastStatus: number;
  tokenSuccesses: number;
  /** Requests and token successes per minute (ms since the epoch of the minute's start). */
  minutes: Map<number, { requests: number; tokenSuccesses: number }>;
}

const MINUTE = 60_000;

/** A 2xx answer to a token request through a verified certificate: the successor is really in use. */
export function isTokenSuccess(r: EdgeRequest): boolean {
  return r.verify === 'SUCCESS' && r.status >= 200 && r.status < 300 && r.path.endsWith('/oauth/token');
}

/**
 * Finds certdesk's certificate for a serial and issuer DN: the serial through its index, then the
 * issuer by the project's one DN rule (sameDn), as nginx prints it in RFC 2253. Serial plus issuer
 * is unique within certdesk's CAs; the SHA-1 fingerprint nginx also offers is not relied on.
 * Answers are cached, since a log repeats the same few certificates.
 */
export class CertificateMatcher {
  private readonly cache = new Map<string, string | null>();
  private readonly bySerial;

  constructor(db: Database) {
    // Either spelling: certdesk writes serials without padding, an imported certificate may carry a 00.
    this.bySerial = db.prepare<[string, string], { id: string; issuer: string }>(
      'SELECT id, issuer FROM certificates WHERE serial_hex IN (?, ?)',
    );
  }

  match(serial: string, issuer: string): string | null {
    const key = `${serial}\n${issuer}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const padded = serial.length % 2 === 1 ? `0${serial}` : serial;
    const rows = this.bySerial.all(padded, `00${padded}`);
    const id = rows.find((row) => sameDn(issuer, row.issuer))?.id ?? null;
    this.cache.set(key, id);
    return id;
  }
}

/** Totals of one read, per certificate and per unknown serial, before they are stored or printed. */
export class UsageTally {
  readonly certificates = new Map<string, Seen>();
  /** Keyed by serial and issuer: certificates the edge saw that certdesk does not hold. */
  readonly unknown = new Map<string, Seen & { serial: string; issuer: string }>();
  /** Requests without a client certificate. */
  anonymous = 0;

  private readonly matcher: Pick<CertificateMatcher, 'match'>;

  constructor(matcher: Pick<CertificateMatcher, 'match'>) {
    this.matcher = matcher;
  }

  add(r: EdgeRequest): void {
    // A certificate was presented even when the edge refused it (FAILED:…): a revoked one still in use is the point.
    if (r.serial === '' || r.verify === 'NONE') {
      this.anonymous++;
      return;
    }
    const id = this.matcher.match(r.serial, r.issuer);
    const seen = id !== null ? this.known(id, r) : this.stranger(r);
    const success = isTokenSuccess(r);
    seen.requests++;
    if (success) seen.tokenSuccesses++;
    if (r.at < seen.firstSeen) seen.firstSeen = r.at;
    if (r.at >= seen.lastSeen) {
      seen.lastSeen = r.at;
      seen.lastStatus = r.status;
    }
    const minute = r.at - (r.at % MINUTE);
    const bucket = seen.minutes.get(minute);
    if (bucket) {
      bucket.requests++;
      if (success) bucket.tokenSuccesses++;
    } else seen.minutes.set(minute, { requests: 1, tokenSuccesses: success ? 1 : 0 });
  }

  private known(id: string, r: EdgeRequest): Seen {
    let seen = this.certificates.get(id);
    if (!seen) this.certificates.set(id, (seen = fresh(r)));
    return seen;
  }

  private stranger(r: EdgeRequest): Seen {
    const key = `${r.serial}\n${r.issuer}`;
    let seen = this.unknown.get(key);
    if (!seen) this.unknown.set(key, (seen = { ...fresh(r), serial: r.serial, issuer: r.issuer }));
    return seen;
  }
}

function fresh(r: EdgeRequest): Seen {
  return { firstSeen: r.at, lastSeen: r.at, requests: 0, lastStatus: r.status, tokenSuccesses: 0, minutes: new Map() };
}
