import type { TransferDirection, TransferItem } from '../../../shared/contract/index.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { transferId } from './ids.ts';
import type { TransferQueue } from './ports.ts';
import { kindsFor, parseItem } from './schemas.ts';

export interface QueuedItem {
  id: string;
  direction: TransferDirection;
  item: TransferItem;
  queuedAt: string;
  /** The import item it answers (`importId/itemId`), when it does. */
  origin: string | null;
}

/**
 * The items waiting for the next outgoing bundle, in a table. An item is checked against the same
 * strict schema the peer's importer uses, so nothing is queued that the other side would refuse.
 */
export class SqliteTransferQueue implements TransferQueue {
  private readonly db: Database;
  private readonly clock: Clock;

  constructor(db: Database, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  enqueue(direction: TransferDirection, item: TransferItem, origin: string | null = null): string {
    if (!kindsFor(direction).includes(item.kind))
      throw new CertdeskError('TRANSFER_DIRECTION', `A ${item.kind} never travels ${direction}; it was not queued.`, { field: 'kind' });
    const parsed = parseItem(item.kind, item);
    if (!parsed.ok)
      throw new CertdeskError('TRANSFER_ITEM_INVALID', `The ${item.kind} is not valid (${parsed.problem}); it was not queued.`, {
        field: 'item',
      });
    const id = transferId('txq');
    this.db
      .prepare('INSERT INTO transfer_queue (id, direction, kind, body, queued_at, origin) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, direction, item.kind, JSON.stringify(parsed.item), this.clock.now().toISOString(), origin);
    return id;
  }

  /** What waits for a bundle in this direction, oldest first. */
  waiting(direction: TransferDirection): QueuedItem[] {
    const rows = this.db
      .prepare(
        'SELECT id, direction, body, queued_at, origin FROM transfer_queue WHERE direction = ? AND export_id IS NULL ORDER BY queued_at, rowid',
      )
      .all(direction) as Array<{ id: string; direction: TransferDirection; body: string; queued_at: string; origin: string | null }>;
    return rows.map((r) => ({
      id: r.id,
      direction: r.direction,
      item: JSON.parse(r.body) as TransferItem,
      queuedAt: r.queued_at,
      origin: r.origin,
    }));
  }

  markSent(ids: readonly string[], exportId: string): void {
    const stmt = this.db.prepare('UPDATE transfer_queue SET export_id = ? WHERE id = ? AND export_id IS NULL');
    for (const id of ids) if (stmt.run(exportId, id).changes !== 1) throw new Error(`queued item ${id} was already sent`);
  }
}
