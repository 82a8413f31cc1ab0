import type { Database, Statement } from 'better-sqlite3';
import type { KeyType } from '../../../shared/contract/index.ts';

/** An ssh delivery target's client key (ed25519): sealed and stored like every other key, never a CA's or a leaf's. */
export const SSH_CLIENT_KEY_TYPE = 'ssh-ed25519';

/** A data folder's transfer key (ed25519, issue 12): it signs the bundles that cross the air gap. */
export const TRANSFER_KEY_TYPE = 'transfer-ed25519';

export type StoredKeyType = KeyType | typeof SSH_CLIENT_KEY_TYPE | typeof TRANSFER_KEY_TYPE;

export interface KeyRecord {
  id: string;
  keyType: StoredKeyType;
  publicKeySha256: string;
  sealed: Uint8Array;
  createdAt: string;
}

interface KeyRow {
  id: string;
  key_type: string;
  public_key_sha256: string;
  sealed: Buffer;
  created_at: string;
}

export class KeyRepository {
  private readonly insertStmt: Statement<[string, string, string, Buffer, string]>;
  private readonly getStmt: Statement<[string], KeyRow>;
  private readonly countStmt: Statement<[], { n: number }>;

  constructor(db: Database) {
    this.insertStmt = db.prepare('INSERT INTO keys (id, key_type, public_key_sha256, sealed, created_at) VALUES (?, ?, ?, ?, ?)');
    this.getStmt = db.prepare('SELECT * FROM keys WHERE id = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM keys');
  }

  insert(record: KeyRecord): void {
    this.insertStmt.run(record.id, record.keyType, record.publicKeySha256, Buffer.from(record.sealed), record.createdAt);
  }

  get(id: string): KeyRecord | undefined {
    const row = this.getStmt.get(id);
    return (
      row && {
        id: row.id,
        keyType: row.key_type as StoredKeyType,
        publicKeySha256: row.public_key_sha256,
        sealed: new Uint8Array(row.sealed),
        createdAt: row.created_at,
      }
    );
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
