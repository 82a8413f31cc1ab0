import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerifyResult } from '../../../shared/contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Database, Statement } from '../store/database.ts';

const GENESIS = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Canonical JSON (sorted keys), so the hash does not depend on property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function entryHash(prev: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(
      canonical({
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        subject: row.subject_id,
        details: JSON.parse(row.details) as unknown,
      }),
    )
    .digest('hex');
}

/**
 * The append-only audit log. Each entry's hash covers the previous entry's hash, so an edited or
 * deleted row breaks the chain from that point on, and `verify` names the first such row.
 * Call `append` inside the same transaction as the change it records.
 */
export class AuditLog {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly lastStmt: Statement<[], { seq: number; hash: string }>;
  private readonly insertStmt: Statement<[number, string, string, string, string | null, string, string, string]>;
  private readonly pageStmt: Statement<[number, number], AuditRow>;
  private readonly countStmt: Statement<[], { n: number }>;

  constructor(db: Database, clock: Clock) {
    this.db = db;
    this.clock = clock;
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.pageStmt = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ? OFFSET ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM audit_log');
  }

  append(action: string, subjectId: string | null, details: Record<string, unknown>, actor = 'operator'): void {
    const write = this.db.transaction(() => {
      const last = this.lastStmt.get();
      const seq = (last?.seq ?? 0) + 1;
      const prev = last?.hash ?? GENESIS;
      const row = { seq, at: this.clock.now().toISOString(), actor, action, subject_id: subjectId, details: JSON.stringify(details) };
      this.insertStmt.run(seq, row.at, actor, action, subjectId, row.details, prev, entryHash(prev, row));
    });
    write.immediate();
  }

  list(offset = 0, limit = 100): { total: number; items: AuditEntry[] } {
    return {
      total: this.countStmt.get()?.n ?? 0,
      items: this.pageStmt.all(limit, offset).map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subjectId: r.subject_id,
        details: JSON.parse(r.details) as Record<string, unknown>,
        hash: r.hash,
      })),
    };
  }

  /** Walks the whole chain; reports every gap, broken link and altered entry by sequence number. */
  verify(): AuditVerifyResult {
    const problems: AuditVerifyResult['problems'] = [];
    let prev = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      checked++;
      if (row.seq !== expectedSeq) problems.push({ seq: row.seq, problem: `entries ${expectedSeq}–${row.seq - 1} are missing (deleted)` });
      if (row.prev_hash !== prev)
        problems.push({ seq: row.seq, problem: 'does not link to the entry before it (an earlier entry was deleted or altered)' });
      let recomputed: string;
      try {
        recomputed = entryHash(row.prev_hash, row);
      } catch {
        recomputed = '';
      }
      if (recomputed !== row.hash) problems.push({ seq: row.seq, problem: 'its content was altered after it was written' });
      prev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return { ok: problems.length === 0, checked, problems };
  }
}
