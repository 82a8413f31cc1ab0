/**
 * An accepted bundle is staged, never applied: each item is stored with what its applier says it will
 * do, and waits for the operator (docs/transfer-bundles.md § Review). Staging is one transaction with
 * the sequence's advance and its audit entry, so a bundle is staged whole or not at all.
 */
import { osActor } from '../audit/actor.ts';
import { CertdeskError } from '../errors.ts';
import type {
  TransferDirection,
  TransferImportView,
  TransferItem,
  TransferManifest,
  TransferReviewItem,
} from '../../../shared/contract/index.ts';
import type { ItemAppliers } from './appliers.ts';
import { verifyBundle, type VerifiedBundle } from './bundle-codec.ts';
import type { TransferDeps } from './deps.ts';
import { transferId } from './ids.ts';
import { readIdentity } from './identity.ts';
import { TRANSFER_LIMITS } from './limits.ts';
import { activePairing, advanceAccepted, type Pairing } from './pairing-store.ts';
import { pairingRole } from './pairing.ts';
import type { ItemReview } from './ports.ts';
import type { SqliteTransferQueue } from './queue.ts';
import { readBounded } from './read-bounded.ts';

export type ImportView = TransferImportView;
export type ReviewItemView = TransferImportView['items'][number];

/** A signer's incoming direction is to-signer; what it sends back goes to the publisher. */
export const incoming = (role: 'signer' | 'publisher'): TransferDirection => (role === 'signer' ? 'to-signer' : 'to-publisher');
export const outgoing = (role: 'signer' | 'publisher'): TransferDirection => (role === 'signer' ? 'to-publisher' : 'to-signer');

/** The applier's review, or why there is none: a review that throws is a problem, never a crash of the import. */
async function reviewOf(appliers: ItemAppliers, item: TransferItem): Promise<ItemReview> {
  const applier = appliers.get(item.kind);
  if (!applier)
    return {
      effect: `Nothing: this workstation cannot apply a ${item.kind}`,
      details: {},
      problem: { code: 'TRANSFER_NO_APPLIER', reason: `No part of this workstation applies ${item.kind} items.` },
    };
  try {
    return await applier.review(item);
  } catch (error) {
    const code = error instanceof CertdeskError ? error.code : 'INTERNAL';
    return { effect: `Nothing: the ${item.kind} could not be reviewed`, details: {}, problem: { code, reason: (error as Error).message } };
  }
}

/**
 * A refusal travels back only from the signer (the contract's RefusalItem goes to the publisher);
 * a publisher's refusal stays in its own review and audit log.
 */
export function queueRefusal(
  deps: TransferDeps,
  queue: SqliteTransferQueue,
  item: TransferItem,
  refusal: { code: string; reason: string },
  origin: string,
): void {
  if (pairingRole(deps, 'send refusals') !== 'signer' || !('requestId' in item) || item.requestId === null) return;
  queue.enqueue(
    'to-publisher',
    { kind: 'refusal', requestId: item.requestId, code: refusal.code, reason: refusal.reason.slice(0, 2000) },
    origin,
  );
}

/**
 * Every check of the import and each item's review, reading only: what an import would stage, for
 * the import itself and for `certdesk bundle show`. `what` names the act in a role refusal.
 */
export async function verifyAndReview(
  deps: Pick<TransferDeps, 'db'>,
  appliers: ItemAppliers,
  bytes: Buffer,
  what: string,
): Promise<{ pairing: Pairing; verified: VerifiedBundle; reviews: ItemReview[] }> {
  const role = pairingRole(deps, what);
  // A browser upload arrives as bytes: the size bound holds before a byte is parsed, as for a file.
  if (bytes.length > TRANSFER_LIMITS.bundleBytes)
    throw new CertdeskError(
      'TRANSFER_TOO_LARGE',
      `The bundle is ${bytes.length} bytes; a transfer bundle is at most ${TRANSFER_LIMITS.bundleBytes} bytes. It was not read, and nothing was changed.`,
      { field: 'file' },
    );
  const pairing = activePairing(deps.db);
  const identity = readIdentity(deps.db);
  const verified = await verifyBundle(bytes, { pairing, ownFingerprint: identity?.fingerprint ?? '', expects: incoming(role) });
  const reviews = await Promise.all(verified.items.map(({ item }) => reviewOf(appliers, item)));
  // verifyBundle refuses every bundle when there is no pairing.
  return { pairing: pairing!, verified, reviews };
}

/**
 * Verifies the bundle at `path` (every check, before anything is stored) and stages it for review.
 * `toApprove` are item ids the caller will approve next: one the bundle does not carry refuses the
 * import before anything is stored, so a mistyped id never leaves a half-decided import behind.
 */
export async function importBundle(
  deps: TransferDeps,
  appliers: ItemAppliers,
  queue: SqliteTransferQueue,
  path: string,
  toApprove: readonly string[] = [],
): Promise<ImportView> {
  pairingRole(deps, 'import transfer bundles');
  return importBundleBytes(deps, appliers, queue, readBounded(path, TRANSFER_LIMITS.bundleBytes, 'file', 'transfer bundle'), toApprove);
}

/** The same for a bundle that arrived as bytes (a browser upload): no path on this machine is named. */
export async function importBundleBytes(
  deps: TransferDeps,
  appliers: ItemAppliers,
  queue: SqliteTransferQueue,
  bytes: Buffer,
  toApprove: readonly string[] = [],
): Promise<ImportView> {
  const { pairing, verified, reviews } = await verifyAndReview(deps, appliers, bytes, 'import transfer bundles');
  const unknown = toApprove.filter((id) => !verified.manifest.items.some((e) => e.id === id));
  if (unknown.length > 0)
    throw new CertdeskError(
      'NOT_FOUND',
      `The bundle has no item ${unknown.join(', ')} (it carries ${verified.manifest.items.map((e) => e.id).join(', ')}; certdesk bundle show FILE lists them). Nothing was stored.`,
      { field: 'approve' },
    );
  const importId = transferId('imp');
  const at = deps.clock.now().toISOString();
  const actor = osActor();
  const { manifest } = verified;
  deps.db
    .transaction(() => {
      // Another process may have staged the same sequence while the reviews ran.
      const now = activePairing(deps.db);
      if (now?.id !== pairing.id || manifest.sequence <= now.lastAcceptedSeq)
        throw new CertdeskError(
          'TRANSFER_REPLAY',
          `Bundle ${manifest.sequence} was accepted meanwhile by another certdesk process; nothing was stored.`,
          {
            field: 'file',
          },
        );
      deps.db
        .prepare(
          `INSERT INTO transfer_imports (id, pairing_id, direction, sequence, created_at, creator_actor, manifest, bundle_sha256, imported_at, imported_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          importId,
          now.id,
          manifest.direction,
          manifest.sequence,
          manifest.createdAt,
          manifest.creator.actor,
          JSON.stringify(manifest),
          verified.sha256,
          at,
          actor,
        );
      const insert = deps.db.prepare(
        `INSERT INTO transfer_import_items (import_id, item_id, position, kind, body, effect, details, decision, code, reason, decided_at, decided_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      verified.items.forEach(({ entry, item }, i) => {
        const review = reviews[i]!;
        const refused = review.problem !== null;
        insert.run(
          importId,
          entry.id,
          i,
          entry.kind,
          JSON.stringify(item),
          review.effect,
          JSON.stringify(review.details),
          refused ? 'refused' : 'pending',
          review.problem?.code ?? null,
          review.problem?.reason ?? null,
          refused ? at : null,
          refused ? 'review' : null,
        );
        if (review.problem) queueRefusal(deps, queue, item, review.problem, `${importId}/${entry.id}`);
      });
      advanceAccepted(deps.db, now.id, manifest.sequence);
      deps.audit.append('transfer.import', importId, {
        direction: manifest.direction,
        sequence: manifest.sequence,
        from: manifest.creator.keyFingerprint,
        bundleSha256: verified.sha256,
        items: verified.items.length,
        refusedAtReview: reviews.filter((r) => r.problem).length,
      });
    })
    .immediate();
  return importView(deps, importId);
}

interface ItemRow {
  item_id: string;
  kind: TransferReviewItem['kind'];
  effect: string;
  details: string;
  decision: TransferReviewItem['decision'];
  code: string | null;
  reason: string | null;
}

export function importView(deps: Pick<TransferDeps, 'db'>, importId: string): ImportView {
  const row = deps.db.prepare('SELECT * FROM transfer_imports WHERE id = ?').get(importId) as
    | {
        id: string;
        direction: TransferDirection;
        sequence: number;
        created_at: string;
        manifest: string;
        imported_at: string;
        imported_by: string;
      }
    | undefined;
  if (!row)
    throw new CertdeskError('NOT_FOUND', `There is no staged import ${importId}; certdesk bundle review lists them.`, {
      field: 'import',
    });
  const items = deps.db
    .prepare(
      'SELECT item_id, kind, effect, details, decision, code, reason FROM transfer_import_items WHERE import_id = ? ORDER BY position',
    )
    .all(importId) as ItemRow[];
  return {
    id: row.id,
    direction: row.direction,
    sequence: row.sequence,
    createdAt: row.created_at,
    creator: (JSON.parse(row.manifest) as TransferManifest).creator,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    items: items.map((i) => ({
      id: i.item_id,
      kind: i.kind,
      effect: i.effect,
      details: JSON.parse(i.details) as Record<string, string>,
      decision: i.decision,
      reason: i.reason,
      code: i.code,
    })),
  };
}

/** One import, or every import that still has an item waiting for a decision. */
export function reviewImports(deps: Pick<TransferDeps, 'db'>, importId?: string): ImportView[] {
  if (importId !== undefined) return [importView(deps, importId)];
  const ids = deps.db
    .prepare(
      "SELECT DISTINCT i.id FROM transfer_imports i JOIN transfer_import_items t ON t.import_id = i.id WHERE t.decision = 'pending' ORDER BY i.imported_at, i.id",
    )
    .all() as Array<{ id: string }>;
  return ids.map((r) => importView(deps, r.id));
}
