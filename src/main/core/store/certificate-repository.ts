import type {
  CertificateQuery,
  CertificateStatus,
  KeyStorage,
  KeyType,
  RevocationReason,
  SanEntry,
} from '../../../shared/contract/index.ts';
import { certificateSearchTerm } from './search-term.ts';
import { certificateSubjectDer } from '../pki/der-fields.ts';
import { recentDnKey } from '../pki/names.ts';
import type { Database, Statement } from './database.ts';

export interface CertificateRecord {
  id: string;
  authorityId: string | null;
  profile: string | null;
  serialHex: string;
  commonName: string | null;
  subject: string;
  subjectLines: string;
  issuer: string;
  sans: SanEntry[];
  keyType: KeyType;
  keyStorage: KeyStorage;
  keyId: string | null;
  notBefore: string;
  notAfter: string;
  sha256Hex: string;
  sha256Base64url: string;
  sha1Hex: string;
  replacesId: string | null;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  certDer: Uint8Array;
  createdAt: string;
}

export interface CertificateRow extends CertificateRecord {
  status: CertificateStatus;
  replacedById: string | null;
  /** When the edge's access log last showed it (migration 0220), or null. */
  lastSeenAtEdge: string | null;
}

interface Row {
  id: string;
  authority_id: string | null;
  profile: string | null;
  serial_hex: string;
  common_name: string | null;
  subject: string;
  subject_lines: string;
  issuer: string;
  sans: string;
  key_type: string;
  key_storage: string;
  key_id: string | null;
  not_before: string;
  not_after: string;
  sha256_hex: string;
  sha256_b64u: string;
  sha1_hex: string;
  replaces_id: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  cert_der: Buffer;
  created_at: string;
  status: string;
  replaced_by_id: string | null;
  last_seen_at_edge: string | null;
}

const COLUMNS = `c.*,
  CASE WHEN c.revoked_at IS NOT NULL THEN 'revoked'
       WHEN c.not_after <= @now THEN 'expired'
       WHEN EXISTS (SELECT 1 FROM certificates s WHERE s.replaces_id = c.id) THEN 'superseded'
       ELSE 'active' END AS status,
  (SELECT s.id FROM certificates s WHERE s.replaces_id = c.id ORDER BY s.created_at DESC LIMIT 1) AS replaced_by_id,
  (SELECT u.last_seen FROM edge_usage u WHERE u.certificate_id = c.id) AS last_seen_at_edge`;

const STATUS_WHERE: Record<CertificateStatus, string> = {
  revoked: 'c.revoked_at IS NOT NULL',
  expired: 'c.revoked_at IS NULL AND c.not_after <= @now',
  superseded: 'c.revoked_at IS NULL AND c.not_after > @now AND EXISTS (SELECT 1 FROM certificates s WHERE s.replaces_id = c.id)',
  active: 'c.revoked_at IS NULL AND c.not_after > @now AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.replaces_id = c.id)',
};

function toRow(r: Row): CertificateRow {
  return {
    id: r.id,
    authorityId: r.authority_id,
    profile: r.profile,
    serialHex: r.serial_hex,
    commonName: r.common_name,
    subject: r.subject,
    subjectLines: r.subject_lines,
    issuer: r.issuer,
    sans: JSON.parse(r.sans) as SanEntry[],
    keyType: r.key_type as KeyType,
    keyStorage: r.key_storage as KeyStorage,
    keyId: r.key_id,
    notBefore: r.not_before,
    notAfter: r.not_after,
    sha256Hex: r.sha256_hex,
    sha256Base64url: r.sha256_b64u,
    sha1Hex: r.sha1_hex,
    replacesId: r.replaces_id,
    revokedAt: r.revoked_at,
    revocationReason: r.revocation_reason as RevocationReason | null,
    certDer: new Uint8Array(r.cert_der),
    createdAt: r.created_at,
    status: r.status as CertificateStatus,
    replacedById: r.replaced_by_id,
    lastSeenAtEdge: r.last_seen_at_edge,
  };
}

/**
 * What the inventory search matches, lower-cased: names, the serial and every fingerprint form the UI
 * shows (SHA-256 hex, x5t#S256, SHA-1). Colons are not stored: a query in colon form is read as hex
 * (certificateSearchTerm). Migration 0300 brought older rows to this form.
 */
export function searchText(
  r: Pick<CertificateRecord, 'commonName' | 'subject' | 'sans' | 'serialHex' | 'sha256Hex' | 'sha256Base64url' | 'sha1Hex'>,
): string {
  return [r.commonName ?? '', r.subject, ...r.sans.map((s) => s.value), r.serialHex, r.sha256Hex, r.sha256Base64url, r.sha1Hex]
    .join(' ')
    .toLowerCase();
}

/**
 * The SHA-256 in hex that an x5t#S256 names, or null when `ref` is not one: exactly 43 base64url
 * characters that decode to 32 bytes and encode back to themselves. The stored sha256_b64u column was
 * compared byte for byte, so a non-canonical spelling of a digest (other trailing bits) names nothing.
 */
export function x5tAsHex(ref: string): string | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(ref)) return null;
  const digest = Buffer.from(ref, 'base64url');
  return digest.length === 32 && digest.toString('base64url') === ref ? digest.toString('hex') : null;
}

/**
 * How many new certificates wait for the trigram index before they are indexed together (migration
 * 0450). Until then a search reads them by LIKE, which costs little for this many rows.
 */
export const SEARCH_BATCH = 128;

/** A LIKE pattern (ESCAPE '\\') matching any text that contains `text`. */
function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Leaf certificates. Status is derived in SQL from revocation, expiry and lineage, as of `now`. */
export class CertificateRepository {
  private readonly db: Database;
  private readonly insertStmt: Statement<Record<string, unknown>>;
  private readonly byIdStmt: Statement<{ now: string; id: string }, Row>;
  private readonly refStmt: Statement<{ now: string; ref: string; x5tHex: string | null }, Row>;
  private readonly revokeStmt: Statement<[string, string, string]>;
  private readonly searchPendingStmt: Statement;
  private readonly indexSearchTx: () => void;
  private readonly revokedStmt: Statement<[string], { serial_hex: string; revoked_at: string; revocation_reason: string }>;

  constructor(db: Database) {
    this.db = db;
    this.insertStmt = db.prepare(`INSERT INTO certificates
      (id, authority_id, profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type, key_storage, key_id,
       not_before, not_after, sha256_hex, sha256_b64u, sha1_hex, replaces_id, revoked_at, revocation_reason, cert_der, created_at, search_text, subject_key)
      VALUES (@id, @authorityId, @profile, @serialHex, @commonName, @subject, @subjectLines, @issuer, @sans, @keyType, @keyStorage, @keyId,
       @notBefore, @notAfter, @sha256Hex, @sha256Base64url, @sha1Hex, @replacesId, @revokedAt, @revocationReason, @certDer, @createdAt, @searchText, @subjectKey)`);
    this.byIdStmt = db.prepare(`SELECT ${COLUMNS} FROM certificates c WHERE c.id = @id`);
    // A reference is an id, a hex serial, a SHA-256 thumbprint (hex) or an x5t#S256 (base64url).
    // One indexed lookup per form (an OR across columns would scan the whole table). An x5t#S256 is the
    // same digest as sha256_hex, so it is read through that column's index once turned into hex
    // (x5tAsHex); it has no index of its own (migration 0460).
    this.refStmt = db.prepare(`SELECT ${COLUMNS} FROM certificates c WHERE c.rowid IN (
        SELECT rowid FROM certificates WHERE id = @ref
        UNION SELECT rowid FROM certificates WHERE serial_hex = lower(@ref)
        UNION SELECT rowid FROM certificates WHERE sha256_hex = lower(@ref)
        UNION SELECT rowid FROM certificates WHERE sha256_hex = @x5tHex)
      ORDER BY c.created_at DESC LIMIT 2`);
    this.searchPendingStmt = db.prepare(
      'SELECT coalesce((SELECT max(rowid) FROM certificates), 0) - indexed_upto AS n FROM certificates_search_state',
    );
    const indexSearch = db.prepare(`INSERT INTO certificates_search (rowid, search_text)
      SELECT rowid, search_text FROM certificates WHERE rowid > (SELECT indexed_upto FROM certificates_search_state) ORDER BY rowid`);
    const markIndexed = db.prepare(
      'UPDATE certificates_search_state SET indexed_upto = (SELECT coalesce(max(rowid), 0) FROM certificates)',
    );
    this.indexSearchTx = db.transaction(() => {
      indexSearch.run();
      markIndexed.run();
    });
    this.revokeStmt = db.prepare('UPDATE certificates SET revoked_at = ?, revocation_reason = ? WHERE id = ? AND revoked_at IS NULL');
    this.revokedStmt = db.prepare(
      'SELECT serial_hex, revoked_at, revocation_reason FROM certificates WHERE authority_id = ? AND revoked_at IS NOT NULL ORDER BY revoked_at',
    );
  }

  insert(record: CertificateRecord): void {
    this.insertStmt.run({
      ...record,
      sans: JSON.stringify(record.sans),
      certDer: Buffer.from(record.certDer),
      searchText: searchText(record),
      subjectKey: subjectKeyOf(record.certDer),
    });
    if ((this.searchPendingStmt.get() as { n: number }).n >= SEARCH_BATCH) this.indexPendingSearch();
  }

  /**
   * Adds the rows above the search index's mark to the trigram index, in one statement (migration 0450):
   * one new segment for a batch of certificates instead of one per issuance. Runs inside the caller's
   * transaction when there is one, so the rows and their indexing commit together.
   */
  indexPendingSearch(): void {
    this.indexSearchTx();
  }

  get(id: string, now: Date): CertificateRow | undefined {
    const row = this.byIdStmt.get({ now: now.toISOString(), id });
    return row && toRow(row);
  }

  /** All matches for a reference (more than one means the reference is ambiguous). */
  findByRef(ref: string, now: Date): CertificateRow[] {
    const normalized = /^[0-9a-f:]+$/i.test(ref) && ref.includes(':') ? ref.replaceAll(':', '') : ref;
    return this.refStmt.all({ now: now.toISOString(), ref: normalized, x5tHex: x5tAsHex(normalized) }).map(toRow);
  }

  /** The newest certificate that replaces `id` (its renewal), if any. */
  successorOf(id: string): string | undefined {
    return (
      this.db.prepare('SELECT id FROM certificates WHERE replaces_id = ? ORDER BY created_at DESC LIMIT 1').get(id) as
        { id: string } | undefined
    )?.id;
  }

  revoke(id: string, at: string, reason: RevocationReason): boolean {
    return this.revokeStmt.run(at, reason, id).changes === 1;
  }

  revokedUnder(authorityId: string): Array<{ serialHex: string; revokedAt: string; reason: RevocationReason }> {
    return this.revokedStmt
      .all(authorityId)
      .map((r) => ({ serialHex: r.serial_hex, revokedAt: r.revoked_at, reason: r.revocation_reason as RevocationReason }));
  }

  query(q: CertificateQuery, now: Date): { total: number; rows: CertificateRow[] } {
    return this.select(q, now);
  }

  /**
   * The certificates of `status` whose renewal time (see schedule/renewal-policy.ts) may fall before
   * `until`, so a schedule asked for what is due reads those and not the whole inventory. A superset:
   * the caller decides each row exactly, this only spares it the rows that cannot qualify.
   */
  renewalCandidates(
    status: 'active' | 'expired',
    now: Date,
    until: Date,
    policy: (profile: string | null) => RenewalWindow,
    profiles: readonly string[],
  ) {
    // Every candidate is read, so no separate count: on a 100,000-row inventory that was a second scan.
    return this.select({ status, limit: Number.MAX_SAFE_INTEGER }, now, renewalBefore(until, policy, profiles), false).rows;
  }

  /**
   * What the due check needs of every leaf still in service that may be due before `until` (the same
   * superset as renewalCandidates): the active ones and the expired ones no successor replaced, with
   * only the fields a renewal state is decided from. Read from the certificates_renewal index alone
   * (migration 0440), never from the rows with their DER.
   */
  dueCandidates(
    until: Date,
    policy: (profile: string | null) => RenewalWindow,
    profiles: readonly string[],
  ): Array<{ id: string; profile: string | null; notBefore: string; notAfter: string }> {
    const { sql, params } = renewalBefore(until, policy, profiles);
    return this.db
      .prepare(
        `SELECT c.id, c.profile, c.not_before AS notBefore, c.not_after AS notAfter FROM certificates c
           WHERE c.revoked_at IS NULL AND ${sql} AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.replaces_id = c.id)`,
      )
      .all(params) as Array<{ id: string; profile: string | null; notBefore: string; notAfter: string }>;
  }

  /** How many active certificates signed by `authorityId` expire after `notAfter` (an ISO time). */
  countOutliving(authorityId: string, notAfter: string, now: Date): number {
    // Through the (issuer, not_after) index: only the CA's own leaves that outlive it are read.
    const { total } = this.select({ status: 'active', issuer: authorityId, limit: 0 }, now, {
      sql: 'c.not_after > @outlives',
      params: { outlives: notAfter },
    });
    return total;
  }

  /** `withTotal` false: the caller reads every match, so `total` is the rows' count and no count query runs. */
  private select(
    q: CertificateQuery,
    now: Date,
    extra?: { sql: string; params: Record<string, unknown> },
    withTotal = true,
  ): { total: number; rows: CertificateRow[] } {
    const where: string[] = extra ? [extra.sql] : [];
    const params: Record<string, unknown> = { now: now.toISOString(), ...extra?.params };
    const search = q.search === undefined ? undefined : certificateSearchTerm(q.search);
    if (search && search.length >= 3) {
      // Trigram FTS: any substring of three or more characters, as a quoted phrase (no FTS syntax leaks
      // through); the rows not indexed yet (about one batch, migration 0450) by LIKE over their rowid range.
      where.push(`c.rowid IN (SELECT rowid FROM certificates_search WHERE certificates_search MATCH @search
        UNION ALL SELECT rowid FROM certificates WHERE rowid > (SELECT indexed_upto FROM certificates_search_state)
          AND search_text LIKE @pending ESCAPE '\\')`);
      params.search = `"${search.replaceAll('"', '""')}"`;
      params.pending = likeContaining(search);
    } else if (search) {
      where.push("c.search_text LIKE @search ESCAPE '\\'");
      params.search = likeContaining(search);
    }
    if (q.status) where.push(STATUS_WHERE[q.status]);
    if (q.issuer) {
      where.push('c.authority_id = @issuer');
      params.issuer = q.issuer;
    }
    if (q.expiringWithinDays !== undefined) {
      where.push('c.not_after > @now AND c.not_after <= @until');
      params.until = new Date(now.getTime() + q.expiringWithinDays * 86_400_000).toISOString();
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = withTotal ? (this.db.prepare(`SELECT count(*) AS n FROM certificates c ${clause}`).get(params) as { n: number }).n : 0;
    params.limit = q.limit ?? 100;
    params.offset = q.offset ?? 0;
    if (params.limit === 0) return { total, rows: [] };
    const rows = (
      this.db
        .prepare(`SELECT ${COLUMNS} FROM certificates c ${clause} ORDER BY c.not_after, c.id LIMIT @limit OFFSET @offset`)
        .all(params) as Row[]
    ).map(toRow);
    return { total: withTotal ? total : rows.length, rows };
  }
}

/** A renewal window as schedule/renewal-policy.ts defines it (the store does not import the schedule). */
export interface RenewalWindow {
  renewAtFraction: number;
  renewDaysBefore: number;
}

/** A time as SQLite's julianday() counts it, with a second of slack towards later (the caller decides exactly). */
function julianDay(at: Date): number {
  return (at.getTime() + 1000) / 86_400_000 + 2_440_587.5;
}

/**
 * Where a certificate's renewal time (see schedule/renewal-policy.ts) may fall before `until`:
 * renewAt = max(notBefore, min(notBefore + lifetime × fraction, notAfter − days)), so before `until`
 * needs both sides. A superset (a second of slack): the caller decides each row exactly.
 */
function renewalBefore(
  until: Date,
  policy: (profile: string | null) => RenewalWindow,
  profiles: readonly string[],
): { sql: string; params: Record<string, unknown> } {
  const fraction = `CASE c.profile ${profiles.map((_, i) => `WHEN @p${i} THEN @f${i}`).join(' ')} ELSE @fx END`;
  const days = `CASE c.profile ${profiles.map((_, i) => `WHEN @p${i} THEN @d${i}`).join(' ')} ELSE @dx END`;
  const params: Record<string, unknown> = { until: julianDay(until) };
  profiles.forEach((name, i) => {
    params[`p${i}`] = name;
    params[`f${i}`] = policy(name).renewAtFraction;
    params[`d${i}`] = policy(name).renewDaysBefore;
  });
  params.fx = policy(null).renewAtFraction;
  params.dx = policy(null).renewDaysBefore;
  const nb = 'julianday(c.not_before)';
  const na = 'julianday(c.not_after)';
  return { sql: `${nb} < @until AND (${nb} + (${na} - ${nb}) * ${fraction} < @until OR ${na} - ${days} < @until)`, params };
}

/** The indexed form of a certificate's subject DN (see dnKey); null when its DER is not a certificate. */
export function subjectKeyOf(certDer: Uint8Array): string | null {
  const subject = certificateSubjectDer(certDer);
  return subject ? recentDnKey(subject) : null;
}
