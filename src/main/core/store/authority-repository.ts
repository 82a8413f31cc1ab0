import type { Database, Statement } from 'better-sqlite3';
import type { AuthorityKind, AuthorityUrls, CaKeyType, RevocationReason } from '../../../shared/contract/index.ts';

export interface AuthorityRecord {
  id: string;
  name: string;
  kind: AuthorityKind;
  parentId: string | null;
  /** Null for a CA whose certificate alone is held here (a publisher's: the offline signer keeps the key). */
  keyId: string | null;
  keyType: CaKeyType;
  subject: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  sha256Hex: string;
  certDer: Uint8Array;
  createdAt: string;
  /** Set when the operator stopped new issuance under it (migration 0290); a revoked CA is retired too. */
  retiredAt?: string | null;
  revokedAt?: string | null;
  revocationReason?: RevocationReason | null;
  /** What leaves issued under it carry as CRL Distribution Point and Authority Information Access (migration 0360). */
  urls?: AuthorityUrls;
}

interface AuthorityRow {
  id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  key_id: string | null;
  key_type: string;
  subject: string;
  serial_hex: string;
  not_before: string;
  not_after: string;
  sha256_hex: string;
  cert_der: Buffer;
  created_at: string;
  retired_at: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  crl_url: string | null;
  ca_issuers_url: string | null;
  ocsp_url: string | null;
}

function toRecord(row: AuthorityRow): AuthorityRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as AuthorityKind,
    parentId: row.parent_id,
    keyId: row.key_id,
    keyType: row.key_type as CaKeyType,
    subject: row.subject,
    serialHex: row.serial_hex,
    notBefore: row.not_before,
    notAfter: row.not_after,
    sha256Hex: row.sha256_hex,
    certDer: new Uint8Array(row.cert_der),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason as RevocationReason | null,
    urls: { crlUrl: row.crl_url, caIssuersUrl: row.ca_issuers_url, ocspUrl: row.ocsp_url },
  };
}

const NO_URLS: AuthorityUrls = { crlUrl: null, caIssuersUrl: null, ocspUrl: null };

export class AuthorityRepository {
  private readonly insertStmt: Statement<Record<string, unknown>>;
  private readonly listStmt: Statement<[], AuthorityRow>;
  private readonly byIdStmt: Statement<[string], AuthorityRow>;
  private readonly byNameStmt: Statement<[string], AuthorityRow>;

  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
    this.insertStmt = db.prepare(`INSERT INTO authorities
      (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at,
       crl_url, ca_issuers_url, ocsp_url)
      VALUES (@id, @name, @kind, @parentId, @keyId, @keyType, @subject, @serialHex, @notBefore, @notAfter, @sha256Hex, @certDer, @createdAt,
       @crlUrl, @caIssuersUrl, @ocspUrl)`);
    // Roots first, then each issuing CA; oldest first within a kind.
    this.listStmt = db.prepare("SELECT * FROM authorities ORDER BY kind = 'issuing', created_at, name");
    this.byIdStmt = db.prepare('SELECT * FROM authorities WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM authorities WHERE name = ?');
  }

  insert(record: AuthorityRecord): void {
    const { retiredAt: _retired, revokedAt: _revoked, revocationReason: _reason, urls, ...columns } = record;
    this.insertStmt.run({ ...columns, ...(urls ?? NO_URLS), certDer: Buffer.from(record.certDer) });
  }

  /** Replaces the CA's distribution URLs; false when the CA is gone. */
  setUrls(id: string, urls: AuthorityUrls): boolean {
    return (
      this.db
        .prepare('UPDATE authorities SET crl_url = @crlUrl, ca_issuers_url = @caIssuersUrl, ocsp_url = @ocspUrl WHERE id = @id')
        .run({ ...urls, id }).changes === 1
    );
  }

  /** Sets or clears the retirement; a revoked CA stays retired. False when nothing changed. */
  setRetired(id: string, at: string | null): boolean {
    return (
      this.db
        .prepare('UPDATE authorities SET retired_at = ? WHERE id = ? AND revoked_at IS NULL AND (retired_at IS NULL) = (? IS NOT NULL)')
        .run(at, id, at).changes === 1
    );
  }

  /** Revokes (and retires) an issuing CA once; false when it was already revoked. */
  revoke(id: string, at: string, reason: RevocationReason): boolean {
    return (
      this.db
        .prepare(
          "UPDATE authorities SET revoked_at = ?, revocation_reason = ?, retired_at = coalesce(retired_at, ?) WHERE id = ? AND kind = 'issuing' AND revoked_at IS NULL",
        )
        .run(at, reason, at, id).changes === 1
    );
  }

  /** The issuing CAs a root revoked: its CRL lists them beside the leaves. */
  revokedChildren(parentId: string): Array<{ serialHex: string; revokedAt: string; reason: RevocationReason }> {
    return (
      this.db
        .prepare(
          'SELECT serial_hex, revoked_at, revocation_reason FROM authorities WHERE parent_id = ? AND revoked_at IS NOT NULL ORDER BY revoked_at',
        )
        .all(parentId) as Array<{ serial_hex: string; revoked_at: string; revocation_reason: string }>
    ).map((r) => ({ serialHex: r.serial_hex, revokedAt: r.revoked_at, reason: r.revocation_reason as RevocationReason }));
  }

  list(): AuthorityRecord[] {
    return this.listStmt.all().map(toRecord);
  }

  /** By id, or else by name (case-insensitive): what operators type on the command line. */
  find(ref: string): AuthorityRecord | undefined {
    const row = this.byIdStmt.get(ref) ?? this.byNameStmt.get(ref);
    return row && toRecord(row);
  }
}
