import type { TransferItem, TransferItemKind } from '../../../shared/contract/index.ts';
import type { ItemApplier } from './ports.ts';

/**
 * Kind → applier: the parts that know what an item means (core/offline) register theirs here, and
 * the transfer core reaches them only through this. A kind with no applier is refused at review
 * (TRANSFER_NO_APPLIER): a workstation never stages what nothing here can apply.
 */
export class ItemAppliers {
  private readonly byKind = new Map<TransferItemKind, ItemApplier>();

  /** A later registration for the same kind replaces the earlier one (a test's own applier, say). */
  register<I extends TransferItem>(applier: ItemApplier<I>): void {
    this.byKind.set(applier.kind, applier as unknown as ItemApplier);
  }

  get(kind: TransferItemKind): ItemApplier | undefined {
    return this.byKind.get(kind);
  }

  /**
   * Where a kind comes in the order items are applied: the order of first registration. Within one
   * bundle a CA certificate must land before the certificates and CRLs that chain to it.
   */
  rank(kind: TransferItemKind): number {
    const index = [...this.byKind.keys()].indexOf(kind);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  }
}
