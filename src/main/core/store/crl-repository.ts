import type { Database, Statement } from './database.ts';

export interface CrlRecord {
  authorityId: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revoked: number;
  der: Uint8Array;
}

interface Row {
  authority_id: string;
  crl_number: number;
  this_update: string;
  next_update: string;
  revoked: number;
  der: Buffer;
}

export class CrlRepository {
  private readonly lastStmt: Statement<[string], Row>;
  private readonly insertStmt: Statement<[string, number, string, string, number, Buffer]>;
  private readonly summaryStmt: Statement<[], Omit<Row, 'der' | 'revoked'>>;

  constructor(db: Database) {
    this.lastStmt = db.prepare('SELECT * FROM crls WHERE authority_id = ? ORDER BY crl_number DESC LIMIT 1');
    this.summaryStmt = db.prepare(
      `SELECT authority_id, crl_number, this_update, next_update FROM crls c
       WHERE crl_number = (SELECT max(crl_number) FROM crls WHERE authority_id = c.authority_id)`,
    );
    this.insertStmt = db.prepare(
      'INSERT INTO crls (authority_id, crl_number, this_update, next_update, revoked, der) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  latest(authorityId: string): CrlRecord | undefined {
    const r = this.lastStmt.get(authorityId);
    return (
      r && {
        authorityId: r.authority_id,
        crlNumber: r.crl_number,
        thisUpdate: r.this_update,
        nextUpdate: r.next_update,
        revoked: r.revoked,
        der: new Uint8Array(r.der),
      }
    );
  }

  /** Each authority's latest CRL number and dates, for the table; no DER. */
  summaries(): Map<string, { crlNumber: number; thisUpdate: string; nextUpdate: string }> {
    const rows = this.summaryStmt.all();
    return new Map(rows.map((r) => [r.authority_id, { crlNumber: r.crl_number, thisUpdate: r.this_update, nextUpdate: r.next_update }]));
  }

  insert(record: CrlRecord): void {
    this.insertStmt.run(
      record.authorityId,
      record.crlNumber,
      record.thisUpdate,
      record.nextUpdate,
      record.revoked,
      Buffer.from(record.der),
    );
  }
}
