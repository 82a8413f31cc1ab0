/**
 * The operator's decisions on a staged import: approve (the applier applies the item) or refuse (with a
 * reason). Each item is decided on its own: its applier runs, then its decision, the items it answers
 * with and its audit entry are one transaction. An applier that throws refuses the item with its
 * error's code and message, and that refusal travels back like an operator's.
 */
import { osActor } from '../audit/actor.ts';
import { CertdeskError } from '../errors.ts';
import { SerialQueues } from '../serial-queues.ts';
import type { TransferItem, TransferItemKind } from '../../../shared/contract/index.ts';
import type { ItemAppliers } from './appliers.ts';
import type { TransferDeps } from './deps.ts';
import { pairingRole } from './pairing.ts';
import { CONTROL_BUT_LINES } from './schemas.ts';
import type { SqliteTransferQueue } from './queue.ts';
import { importView, outgoing, queueRefusal, type ImportView } from './staging.ts';

export interface DecisionResult {
  import: ImportView;
  applied: string[];
  refused: string[];
  /** Items named that were already decided: left as they were. */
  skipped: string[];
}

const REASON_MAX = 2000;

interface StagedItem {
  item_id: string;
  kind: TransferItemKind;
  body: string;
  decision: string;
}

function stagedItems(deps: TransferDeps, importId: string, itemIds: readonly string[] | 'all'): StagedItem[] {
  importView(deps, importId); // NOT_FOUND for an unknown import
  const all = deps.db
    .prepare('SELECT item_id, kind, body, decision FROM transfer_import_items WHERE import_id = ? ORDER BY position')
    .all(importId) as StagedItem[];
  if (itemIds === 'all') return all;
  const unknown = itemIds.filter((id) => !all.some((i) => i.item_id === id));
  if (unknown.length > 0)
    throw new CertdeskError(
      'NOT_FOUND',
      `Import ${importId} has no item ${unknown.join(', ')}; certdesk bundle review ${importId} lists its items. Nothing was decided.`,
      {
        field: 'item',
      },
    );
  return all.filter((i) => itemIds.includes(i.item_id));
}

/** Records a refusal (the operator's, the applier's) and queues it for the peer when it can travel. */
function recordRefusal(
  deps: TransferDeps,
  queue: SqliteTransferQueue,
  importId: string,
  staged: StagedItem,
  refusal: { code: string; reason: string; by: 'operator' | 'applier' },
): void {
  deps.db
    .transaction(() => {
      const at = deps.clock.now().toISOString();
      const changed = deps.db
        .prepare(
          "UPDATE transfer_import_items SET decision = 'refused', code = ?, reason = ?, decided_at = ?, decided_by = ? WHERE import_id = ? AND item_id = ? AND decision = 'pending'",
        )
        .run(refusal.code, refusal.reason, at, osActor(), importId, staged.item_id).changes;
      if (changed !== 1)
        throw new CertdeskError('CONFLICT', `Item ${staged.item_id} was decided meanwhile; nothing was changed.`, { field: 'item' });
      queueRefusal(deps, queue, JSON.parse(staged.body) as TransferItem, refusal, `${importId}/${staged.item_id}`);
      deps.audit.append('transfer.item.refuse', importId, {
        item: staged.item_id,
        kind: staged.kind,
        code: refusal.code,
        reason: refusal.reason,
        by: refusal.by,
      });
    })
    .immediate();
}

export class Decisions {
  /** Approvals of one import run one at a time in this process, so an item is never applied twice at once. */
  private readonly serial = new SerialQueues();

  private readonly deps: TransferDeps;
  private readonly appliers: ItemAppliers;
  private readonly queue: SqliteTransferQueue;

  constructor(deps: TransferDeps, appliers: ItemAppliers, queue: SqliteTransferQueue) {
    this.deps = deps;
    this.appliers = appliers;
    this.queue = queue;
  }

  approve(importId: string, itemIds: readonly string[] | 'all'): Promise<DecisionResult> {
    return this.serial.run(importId, () => this.approveNow(importId, itemIds));
  }

  private async approveNow(importId: string, itemIds: readonly string[] | 'all'): Promise<DecisionResult> {
    const role = pairingRole(this.deps, 'apply transfer items');
    const targets = stagedItems(this.deps, importId, itemIds).sort((a, b) => this.appliers.rank(a.kind) - this.appliers.rank(b.kind));
    const result: Omit<DecisionResult, 'import'> = { applied: [], refused: [], skipped: [] };
    for (const staged of targets) {
      if (staged.decision !== 'pending') {
        if (itemIds !== 'all') result.skipped.push(staged.item_id);
        continue;
      }
      const item = JSON.parse(staged.body) as TransferItem;
      const applier = this.appliers.get(item.kind);
      let answers: TransferItem[];
      try {
        if (!applier) throw new CertdeskError('TRANSFER_NO_APPLIER', `No part of this workstation applies ${item.kind} items.`);
        answers = await applier.apply(item, { importId, itemId: staged.item_id });
      } catch (error) {
        const code = error instanceof CertdeskError ? error.code : 'INTERNAL';
        recordRefusal(this.deps, this.queue, importId, staged, { code, reason: (error as Error).message || code, by: 'applier' });
        result.refused.push(staged.item_id);
        continue;
      }
      this.deps.db
        .transaction(() => {
          const changed = this.deps.db
            .prepare(
              "UPDATE transfer_import_items SET decision = 'approved', decided_at = ?, decided_by = ? WHERE import_id = ? AND item_id = ? AND decision = 'pending'",
            )
            .run(this.deps.clock.now().toISOString(), osActor(), importId, staged.item_id).changes;
          if (changed !== 1)
            throw new CertdeskError('CONFLICT', `Item ${staged.item_id} was decided meanwhile by another certdesk process.`, {
              field: 'item',
            });
          const queued = answers.map((answer) => this.queue.enqueue(outgoing(role), answer, `${importId}/${staged.item_id}`));
          this.deps.audit.append('transfer.item.approve', importId, { item: staged.item_id, kind: staged.kind, queued: queued.length });
        })
        .immediate();
      result.applied.push(staged.item_id);
    }
    return { import: importView(this.deps, importId), ...result };
  }

  /** The operator refuses pending items with a reason; the reason travels back (from a signer) in the next bundle. */
  refuse(importId: string, itemIds: readonly string[], reason: string): DecisionResult {
    pairingRole(this.deps, 'refuse transfer items');
    const text = reason.trim();
    if (text.length === 0 || text.length > REASON_MAX || CONTROL_BUT_LINES.test(text))
      throw new CertdeskError(
        'VALIDATION',
        `--reason must be 1 to ${REASON_MAX} characters of text; it travels back to the peer. Nothing was refused.`,
        {
          field: 'reason',
        },
      );
    const targets = stagedItems(this.deps, importId, itemIds);
    const decided = targets.filter((t) => t.decision !== 'pending');
    if (decided.length > 0)
      throw new CertdeskError(
        'CONFLICT',
        `Item ${decided.map((d) => `${d.item_id} (${d.decision})`).join(', ')} is already decided; only pending items can be refused. Nothing was refused.`,
        { field: 'item' },
      );
    for (const staged of targets)
      recordRefusal(this.deps, this.queue, importId, staged, { code: 'TRANSFER_ITEM_REFUSED', reason: text, by: 'operator' });
    return { import: importView(this.deps, importId), applied: [], refused: targets.map((t) => t.item_id), skipped: [] };
  }
}
