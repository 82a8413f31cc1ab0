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
  private readonly inEffectStmt: Statement<[string, string], Row>;
  private readonly allStmt: Statement<[string], Row>;
  private readonly insertStmt: Statement<[string, number, string, string, number, Buffer]>;
  private readonly summaryStmt: Statement<[string], Omit<Row, 'der' | 'revoked'>>;

  constructor(db: Database) {
    this.lastStmt = db.prepare('SELECT * FROM crls WHERE authority_id = ? ORDER BY crl_number DESC LIMIT 1');
    // A pre-signed series holds CRLs that start in the future: the one in effect is the highest-numbered
    // one already begun. By number, not time: a series signed again after a revocation numbers above the
    // old one and so replaces it, even where the old one's windows start later.
    this.inEffectStmt = db.prepare('SELECT * FROM crls WHERE authority_id = ? AND this_update <= ? ORDER BY crl_number DESC LIMIT 1');
    this.allStmt = db.prepare('SELECT * FROM crls WHERE authority_id = ? ORDER BY crl_number');
    // Per authority, the CRL in effect: the highest-numbered one already begun (a pre-signed series
    // holds later ones), or the highest-numbered one when none has begun.
    this.summaryStmt = db.prepare(
      `SELECT authority_id, crl_number, this_update, next_update FROM (
         SELECT authority_id, crl_number, this_update, next_update,
                row_number() OVER (PARTITION BY authority_id ORDER BY (this_update <= ?) DESC, crl_number DESC) AS rank
         FROM crls)
       WHERE rank = 1`,
    );
    this.insertStmt = db.prepare(
      'INSERT INTO crls (authority_id, crl_number, this_update, next_update, revoked, der) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** The highest-numbered CRL, which may not have begun yet (a pre-signed series). */
  latest(authorityId: string): CrlRecord | undefined {
    const r = this.lastStmt.get(authorityId);
    return r && toRecord(r);
  }

  /** The highest-numbered CRL whose thisUpdate is not after `at` (an ISO time). */
  inEffect(authorityId: string, at: string): CrlRecord | undefined {
    const r = this.inEffectStmt.get(authorityId, at);
    return r && toRecord(r);
  }

  all(authorityId: string): CrlRecord[] {
    return this.allStmt.all(authorityId).map(toRecord);
  }

  /** Each authority's CRL in effect at `now` (number and dates), for the table; no DER. */
  summaries(now: string): Map<string, { crlNumber: number; thisUpdate: string; nextUpdate: string }> {
    const rows = this.summaryStmt.all(now);
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

function toRecord(r: Row): CrlRecord {
  return {
    authorityId: r.authority_id,
    crlNumber: r.crl_number,
    thisUpdate: r.this_update,
    nextUpdate: r.next_update,
    revoked: r.revoked,
    der: new Uint8Array(r.der),
  };
}
