/**
 * `certdesk bundle show`: a bundle as the import would see it, before the operator decides to import
 * it. The same checks and reviews as the import (a bad bundle fails with the same named error), but
 * nothing is stored: no staging, no sequence advance, no audit entry, no refusal queued.
 */
import type { TransferManifest, TransferManifestEntry } from '../../../shared/contract/index.ts';
import type { ItemAppliers } from './appliers.ts';
import type { TransferDeps } from './deps.ts';
import type { ItemReview } from './ports.ts';
import { TRANSFER_LIMITS } from './limits.ts';
import { pairingRole } from './pairing.ts';
import { readBounded } from './read-bounded.ts';
import { verifyAndReview } from './staging.ts';

export interface BundlePreviewItem extends TransferManifestEntry, ItemReview {}

export interface BundlePreview {
  file: string;
  /** The SHA-256 of the whole file, as the export printed it and the import's audit entry records it. */
  sha256: string;
  direction: TransferManifest['direction'];
  sequence: number;
  /** The last sequence this folder accepted from the peer: the bundle's is above it, or it was refused. */
  lastAccepted: number;
  createdAt: string;
  creator: TransferManifest['creator'];
  recipientFingerprint: string;
  /** Each item in the manifest's order with what approving it would do; `problem` set means the import would refuse it at review. */
  items: BundlePreviewItem[];
}

export async function previewBundle(deps: Pick<TransferDeps, 'db'>, appliers: ItemAppliers, path: string): Promise<BundlePreview> {
  const what = 'read transfer bundles';
  pairingRole(deps, what);
  const bytes = readBounded(path, TRANSFER_LIMITS.bundleBytes, 'file', 'transfer bundle');
  const { pairing, verified, reviews } = await verifyAndReview(deps, appliers, bytes, what);
  const { manifest } = verified;
  return {
    file: path,
    sha256: verified.sha256,
    direction: manifest.direction,
    sequence: manifest.sequence,
    lastAccepted: pairing.lastAcceptedSeq,
    createdAt: manifest.createdAt,
    creator: manifest.creator,
    recipientFingerprint: manifest.recipientFingerprint,
    items: verified.items.map(({ entry }, i) => ({ ...entry, ...reviews[i]! })),
  };
}
