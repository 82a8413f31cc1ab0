import type { TransferDirection, TransferItem } from '../../src/shared/contract/index.ts';
import type { CertdeskService } from '../../src/main/core/service.ts';
import type { OfflineParts } from '../../src/main/core/offline/parts.ts';
import type { TransferQueue } from '../../src/main/core/transfer/ports.ts';
import type { ItemApplier } from '../../src/main/core/transfer/ports.ts';
import type { Clock } from '../../src/main/core/clock.ts';
import { openTestService, type TestService } from './service.ts';
import { withIssuingCa } from './pki.ts';

/** The queue of items for the next bundle, kept in memory: the transfer core's own queue is not what these tests are about. */
export class MemoryQueue implements TransferQueue {
  readonly items: Array<{ id: string; direction: TransferDirection; item: TransferItem }> = [];
  enqueue(direction: TransferDirection, item: TransferItem): string {
    const id = `q${this.items.length + 1}`;
    this.items.push({ id, direction, item });
    return id;
  }
  /** Takes everything queued, as a bundle export would. */
  drain(): TransferItem[] {
    return this.items.splice(0).map((q) => q.item);
  }
}

export function partsOf(service: CertdeskService): OfflineParts {
  return { ctx: service.edgeContext(), inventory: service.inventory, issuance: service.issuance, crls: service.crls };
}

/** What crosses the gap is bytes: each item goes through JSON, as in a bundle. */
export function cross<T extends TransferItem>(items: readonly T[]): T[] {
  return items.map((i) => JSON.parse(JSON.stringify(i)) as T);
}

let applyCount = 0;
export const origin = () => ({ importId: 'imp_test', itemId: `item${++applyCount}` });

/** Reviews then applies, as an operator approving the item would; a review problem fails here by name. */
export async function approve<I extends TransferItem>(applier: ItemApplier<I>, item: I): Promise<TransferItem[]> {
  const review = await applier.review(item);
  if (review.problem) throw new Error(`review refused ${item.kind}: ${review.problem.code} ${review.problem.reason}`);
  return applier.apply(item, origin());
}

export interface Pair {
  signer: TestService & { rootId: string; issuingId: string };
  publisher: TestService;
}

/**
 * Two data folders: a signer with a real root and issuing CA, and a publisher that holds nothing yet.
 * The clocks are the callers' (the signer's and the publisher's may differ, as on two machines).
 */
export async function openPair(clocks: { signer?: Clock; publisher?: Clock } = {}): Promise<Pair> {
  const signer = await withIssuingCa(clocks.signer ? { clock: clocks.signer } : {});
  const publisher = openTestService(clocks.publisher ? { clock: clocks.publisher } : {});
  return { signer, publisher };
}

export function caCertificateItems(signer: CertdeskService): TransferItem[] {
  return signer.authorities.list().map((a) => ({ kind: 'ca-certificate' as const, certificatePem: a.pem }));
}

export function count(service: CertdeskService, table: string): number {
  return (service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
