/**
 * The stored delivery targets and their history. Inheritance is a lineage lookup, not a copy: the
 * targets of a certificate are those added to it or to any certificate it replaces (renewals and
 * rotations set `replaces_id`), so a successor delivers where its predecessor did from the moment it
 * is issued, and removing a target ends it for the whole lineage. Nothing is copied, so there is no
 * row to keep in step and no second approval to forge.
 */
import type { DeliveryRecord, DeliveryStatus, TargetKind } from '../../../shared/contract/index.ts';
import type { Database } from '../store/database.ts';

export interface TargetRow {
  id: string;
  certificate_id: string;
  kind: TargetKind;
  spec: string;
  sealed_secret: Uint8Array | null;
  approved_by: string;
  approved_mac: string;
  created_at: string;
  removed_at: string | null;
}

interface DeliveryRow {
  id: number;
  target_id: string;
  certificate_id: string;
  serial_hex: string;
  release_id: string | null;
  status: DeliveryStatus;
  detail: string;
  at: string;
}

/** A lineage is short (one certificate per renewal); the bound stops a replaces_id loop in an edited file. */
const MAX_LINEAGE = 1000;

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    targetId: row.target_id,
    certificateId: row.certificate_id,
    serialHex: row.serial_hex,
    releaseId: row.release_id,
    status: row.status,
    detail: row.detail,
    at: row.at,
  };
}

export class TargetRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** The certificate and every certificate it replaces, newest first. */
  lineage(certificateId: string): string[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE up(id, replaces_id, depth) AS (
           SELECT id, replaces_id, 0 FROM certificates WHERE id = ?
           UNION ALL
           SELECT c.id, c.replaces_id, up.depth + 1 FROM certificates c JOIN up ON c.id = up.replaces_id WHERE up.depth < ${MAX_LINEAGE}
         ) SELECT id FROM up ORDER BY depth`,
      )
      .all(certificateId) as { id: string }[];
    return [...new Set(rows.map((r) => r.id))];
  }

  insert(row: Omit<TargetRow, 'removed_at'>): void {
    this.db
      .prepare(
        'INSERT INTO delivery_targets (id, certificate_id, kind, spec, sealed_secret, approved_by, approved_mac, created_at) VALUES (@id, @certificate_id, @kind, @spec, @sealed_secret, @approved_by, @approved_mac, @created_at)',
      )
      .run({ ...row, sealed_secret: row.sealed_secret ? Buffer.from(row.sealed_secret) : null });
  }

  get(id: string): TargetRow | undefined {
    return this.db.prepare('SELECT * FROM delivery_targets WHERE id = ?').get(id) as TargetRow | undefined;
  }

  /** The active targets of a certificate, its own and its lineage's, oldest first. */
  forCertificate(certificateId: string): TargetRow[] {
    const lineage = this.lineage(certificateId);
    if (lineage.length === 0) return [];
    return this.db
      .prepare(
        `SELECT * FROM delivery_targets WHERE removed_at IS NULL AND certificate_id IN (${lineage.map(() => '?').join(',')}) ORDER BY created_at, id`,
      )
      .all(...lineage) as TargetRow[];
  }

  all(includeRemoved: boolean): TargetRow[] {
    return this.db
      .prepare(`SELECT * FROM delivery_targets ${includeRemoved ? '' : 'WHERE removed_at IS NULL'} ORDER BY created_at, id`)
      .all() as TargetRow[];
  }

  countFor(certificateId: string): number {
    return this.forCertificate(certificateId).length;
  }

  /** Soft removal: the row (and so its history) stays. */
  remove(id: string, at: string): boolean {
    return this.db.prepare('UPDATE delivery_targets SET removed_at = ? WHERE id = ? AND removed_at IS NULL').run(at, id).changes === 1;
  }

  record(entry: Omit<DeliveryRecord, 'id'>): DeliveryRecord {
    const result = this.db
      .prepare(
        'INSERT INTO deliveries (target_id, certificate_id, serial_hex, release_id, status, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(entry.targetId, entry.certificateId, entry.serialHex, entry.releaseId, entry.status, entry.detail, entry.at);
    return { id: Number(result.lastInsertRowid), ...entry };
  }

  history(filter: { targetId?: string; certificateId?: string; limit: number }): DeliveryRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.targetId) {
      where.push('target_id = ?');
      params.push(filter.targetId);
    }
    if (filter.certificateId) {
      where.push('certificate_id = ?');
      params.push(filter.certificateId);
    }
    const rows = this.db
      .prepare(`SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...params, filter.limit) as DeliveryRow[];
    return rows.map(toRecord);
  }

  last(targetId: string): DeliveryRecord | null {
    return this.history({ targetId, limit: 1 })[0] ?? null;
  }
}
