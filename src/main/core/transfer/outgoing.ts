/**
 * The outgoing bundle: everything queued for the peer (and, from a signer, its audit entries since the
 * last bundle), signed under the next sequence. The file is written inside the transaction that marks
 * the items sent and moves the sequence on, so a failed write leaves them queued and the sequence where it was.
 */
import { osActor } from '../audit/actor.ts';
import { CertdeskError } from '../errors.ts';
import { checkChosenFile, writeChosenFile } from '../files/chosen-file.ts';
import type { AuditEntriesItem, TransferDirection, TransferItem } from '../../../shared/contract/index.ts';
import { encodeBundle, type OutgoingItem } from './bundle-codec.ts';
import type { TransferDeps } from './deps.ts';
import { transferId } from './ids.ts';
import { ensureIdentity, openSigningKey } from './identity.ts';
import { TRANSFER_LIMITS } from './limits.ts';
import { activePairing, advanceSent } from './pairing-store.ts';
import { pairingRole } from './pairing.ts';
import type { SqliteTransferQueue } from './queue.ts';
import { outgoing } from './staging.ts';

export interface ExportResult {
  path: string;
  exportId: string;
  direction: TransferDirection;
  sequence: number;
  sha256: string;
  items: Array<{ id: string; kind: TransferItem['kind'] }>;
  /** Queued items left for the next bundle because this one reached a limit. */
  remaining: number;
}

/** Room for the envelope and the manifest besides the items (base64 grows them by a third). */
const BUDGET = Math.floor(((TRANSFER_LIMITS.bundleBytes - TRANSFER_LIMITS.manifestChars - 64 * 1024) * 3) / 4);
const bytesOf = (item: TransferItem) => Buffer.byteLength(JSON.stringify(item), 'utf8');

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

/** The signer's audit entries after `afterSeq`, as items of at most the per-item count, within `budget` bytes. */
function auditItems(deps: TransferDeps, afterSeq: number, budget: number): { items: OutgoingItem[]; toSeq: number } {
  const rows = deps.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(afterSeq) as AuditRow[];
  const items: OutgoingItem[] = [];
  let toSeq = afterSeq;
  let used = 0;
  for (let start = 0; start < rows.length; start += TRANSFER_LIMITS.auditEntriesPerItem) {
    const chunk = rows.slice(start, start + TRANSFER_LIMITS.auditEntriesPerItem);
    const first = chunk[0]!;
    const item: AuditEntriesItem = {
      kind: 'audit-entries',
      fromSeq: first.seq,
      toSeq: chunk.at(-1)!.seq,
      previousHash: first.seq === 1 ? '' : first.prev_hash,
      entries: chunk.map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subjectId: r.subject_id,
        details: JSON.parse(r.details) as Record<string, unknown>,
        hash: r.hash,
      })),
    };
    const size = bytesOf(item);
    if (size > TRANSFER_LIMITS.itemBytes || used + size > budget) break;
    used += size;
    items.push({ id: `audit-${item.fromSeq}-${item.toSeq}`, item });
    toSeq = item.toSeq;
  }
  return { items, toSeq };
}

/**
 * Where the bundle goes: a file the operator chose (the CLI's `--out`, the desktop app's save dialog),
 * or back to the caller as bytes (web mode's browser download), with `path` empty.
 */
export type BundleSink = { kind: 'file'; out: string; force: boolean } | { kind: 'bytes' };

export async function exportBundle(deps: TransferDeps, queue: SqliteTransferQueue, out: string, force: boolean): Promise<ExportResult> {
  // The file holds the bytes; the caller gets the summary.
  const { bytes: _bytes, ...written } = await exportBundleTo(deps, queue, { kind: 'file', out, force });
  return written;
}

/** What an export needs, or the named refusal: refused before any dialog or file is touched. */
export function readyToExport(deps: TransferDeps, queue: SqliteTransferQueue) {
  const role = pairingRole(deps, 'export transfer bundles');
  const pairing = activePairing(deps.db);
  if (!pairing)
    throw new CertdeskError(
      'TRANSFER_UNPAIRED',
      'This folder is not paired yet: certdesk pair export, then certdesk pair import on both sides.',
      {
        field: 'pair',
      },
    );
  const direction = outgoing(role);
  const waiting = queue.waiting(direction);
  if (waiting.length === 0)
    throw new CertdeskError('TRANSFER_NOTHING_QUEUED', `Nothing is queued for the ${pairing.peerRole}; no bundle was written.`, {
      field: 'out',
    });
  return { role, pairing, direction, waiting };
}

export async function exportBundleTo(
  deps: TransferDeps,
  queue: SqliteTransferQueue,
  sink: BundleSink,
): Promise<ExportResult & { bytes: Buffer }> {
  const { role, pairing, direction, waiting } = readyToExport(deps, queue);
  if (sink.kind === 'file') checkChosenFile(sink.out, { field: 'out', replace: sink.force, replaceHint: 'pass --force' });

  const chosen: OutgoingItem[] = [];
  let used = 0;
  for (const q of waiting) {
    const size = bytesOf(q.item);
    if (chosen.length >= TRANSFER_LIMITS.items - 1 || used + size > BUDGET) break;
    chosen.push({ id: q.id, item: q.item });
    used += size;
  }
  const audit = role === 'signer' ? auditItems(deps, pairing.auditSentSeq, BUDGET - used) : { items: [], toSeq: pairing.auditSentSeq };
  const items = [...chosen, ...audit.items.slice(0, TRANSFER_LIMITS.items - chosen.length)];

  const identity = await ensureIdentity(deps);
  const key = await openSigningKey(deps, identity);
  const sequence = pairing.lastSentSeq + 1;
  const bundle = await encodeBundle(
    {
      direction,
      sequence,
      createdAt: deps.clock.now().toISOString(),
      creator: { role, keyFingerprint: identity.fingerprint, actor: osActor() },
      recipientFingerprint: pairing.peerFingerprint,
    },
    items,
    key,
  );
  const exportId = transferId('exp');
  let path = '';
  deps.db
    .transaction(() => {
      const now = activePairing(deps.db);
      if (now?.id !== pairing.id || now.lastSentSeq !== pairing.lastSentSeq)
        throw new CertdeskError(
          'CONFLICT',
          'Another certdesk process wrote a bundle meanwhile; nothing was written. Run the export again.',
          {
            field: 'out',
          },
        );
      // Only the latest bundle is kept, to be written again if its file or download is lost.
      deps.db.prepare('UPDATE transfer_exports SET bundle = NULL WHERE pairing_id = ? AND bundle IS NOT NULL').run(pairing.id);
      deps.db
        .prepare(
          'INSERT INTO transfer_exports (id, pairing_id, direction, sequence, sha256, items, created_at, created_by, bundle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(exportId, pairing.id, direction, sequence, bundle.sha256, items.length, bundle.manifest.createdAt, osActor(), bundle.bytes);
      queue.markSent(
        chosen.map((c) => c.id),
        exportId,
      );
      advanceSent(deps.db, pairing.id, sequence, audit.toSeq);
      deps.audit.append('transfer.export', exportId, {
        direction,
        sequence,
        to: pairing.peerFingerprint,
        sha256: bundle.sha256,
        items: items.length,
        auditThrough: role === 'signer' ? audit.toSeq : null,
      });
      // Last: a write that fails rolls all of the above back.
      if (sink.kind === 'file')
        path = writeChosenFile(sink.out, bundle.bytes, { field: 'out', replace: sink.force, replaceHint: 'pass --force', private: true });
    })
    .immediate();
  return {
    path,
    exportId,
    direction,
    sequence,
    sha256: bundle.sha256,
    items: items.map((i) => ({ id: i.id, kind: i.item.kind })),
    remaining: waiting.length - chosen.length,
    bytes: bundle.bytes,
  };
}

/** The latest bundle exported to the paired peer, kept to be written again; null when there is none. */
export interface LastExport {
  exportId: string;
  direction: TransferDirection;
  sequence: number;
  sha256: string;
  items: number;
  createdAt: string;
  bytes: Buffer;
}

export function lastExport(deps: TransferDeps): LastExport | null {
  pairingRole(deps, 'export transfer bundles');
  const pairing = activePairing(deps.db);
  if (!pairing) return null;
  const row = deps.db
    .prepare(
      'SELECT id, direction, sequence, sha256, items, created_at, bundle FROM transfer_exports WHERE pairing_id = ? AND bundle IS NOT NULL ORDER BY sequence DESC LIMIT 1',
    )
    .get(pairing.id) as
    | { id: string; direction: TransferDirection; sequence: number; sha256: string; items: number; created_at: string; bundle: Buffer }
    | undefined;
  if (!row) return null;
  return {
    exportId: row.id,
    direction: row.direction,
    sequence: row.sequence,
    sha256: row.sha256,
    items: row.items,
    createdAt: row.created_at,
    bytes: row.bundle,
  };
}

/** The latest bundle, or the named refusal: refused before any dialog or file is touched. */
export function requireLastExport(deps: TransferDeps): LastExport {
  const last = lastExport(deps);
  if (!last)
    throw new CertdeskError('NOT_FOUND', 'No bundle was exported to the paired peer yet, so there is none to write again.', {
      field: 'again',
    });
  return last;
}

/**
 * The latest bundle again, byte for byte (same sequence, same signature): for a file or download that
 * was lost on the way. Nothing is queued or sequenced anew; the peer still accepts it only once.
 */
export function exportAgain(deps: TransferDeps, sink: BundleSink): LastExport & { path: string } {
  const last = requireLastExport(deps);
  let path = '';
  if (sink.kind === 'file') {
    checkChosenFile(sink.out, { field: 'out', replace: sink.force, replaceHint: 'pass --force' });
    path = writeChosenFile(sink.out, last.bytes, { field: 'out', replace: sink.force, replaceHint: 'pass --force', private: true });
  }
  deps.audit.append('transfer.export-again', last.exportId, { sequence: last.sequence, sha256: last.sha256 });
  return { ...last, path };
}
