import type { Database, Statement } from 'better-sqlite3';
import type { AuthorityKind, CaKeyType } from '../../../shared/contract/index.ts';

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
  };
}

export class AuthorityRepository {
  private readonly insertStmt: Statement<Record<string, unknown>>;
  private readonly listStmt: Statement<[], AuthorityRow>;
  private readonly byIdStmt: Statement<[string], AuthorityRow>;
  private readonly byNameStmt: Statement<[string], AuthorityRow>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO authorities
      (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at)
      VALUES (@id, @name, @kind, @parentId, @keyId, @keyType, @subject, @serialHex, @notBefore, @notAfter, @sha256Hex, @certDer, @createdAt)`);
    // Roots first, then each issuing CA; oldest first within a kind.
    this.listStmt = db.prepare("SELECT * FROM authorities ORDER BY kind = 'issuing', created_at, name");
    this.byIdStmt = db.prepare('SELECT * FROM authorities WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM authorities WHERE name = ?');
  }

  insert(record: AuthorityRecord): void {
    this.insertStmt.run({ ...record, certDer: Buffer.from(record.certDer) });
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
