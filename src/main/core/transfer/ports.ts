import type { TransferDirection, TransferItem } from '../../../shared/contract/index.ts';

/**
 * What the transfer core (bundle codec, pairing, staging, review) needs from the parts that know
 * what an item means (core/offline): for each item kind, what its review shows and what applying it
 * does. The transfer core never signs a certificate or touches the inventory itself.
 */
export interface ItemReview {
  /** One line: what approving will do. */
  effect: string;
  /** Who it is for and what the operator should check (subject, SANs, key, issuer, profile, validity, note). */
  details: Record<string, string>;
  /** Set when this workstation cannot apply the item (unknown CA, bad CSR signature, …): the review shows it refused. */
  problem: { code: string; reason: string } | null;
}

export interface ItemApplier<I extends TransferItem = TransferItem> {
  kind: I['kind'];
  /** Reads only: never changes anything. */
  review(item: I): Promise<ItemReview> | ItemReview;
  /**
   * Applies an approved item. Returns the items to send back across the gap (a signer answers a
   * request; a publisher returns none). Throws a CertdeskError to refuse it: the transfer core turns
   * that into a RefusalItem for the next bundle.
   */
  apply(item: I, origin: { importId: string; itemId: string }): Promise<TransferItem[]>;
}

/** The queue of items waiting for the next outgoing bundle (the publisher's requests, the signer's answers). */
export interface TransferQueue {
  /** Returns the queued item's id. */
  enqueue(direction: TransferDirection, item: TransferItem): string;
}
