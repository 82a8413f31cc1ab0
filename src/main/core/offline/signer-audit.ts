import type { AuditEntriesItem, TransferItem } from '../../../shared/contract/index.ts';
import { GENESIS, entryHash } from '../audit/audit-chain.ts';
import { CertdeskError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import type { OfflineParts } from './parts.ts';

/** The last signer audit entry received, if any. */
function lastReceived(db: Database): { seq: number; hash: string } | undefined {
  return db.prepare('SELECT seq, hash FROM signer_audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
}

/**
 * The entries continue what was received before: the item's link is the last hash held, the
 * sequence has no gap, and each entry's link hash recomputes (SHA-256 over the previous hash and the
 * entry, as the signer's own log computes it). The first item received may start anywhere: with an
 * empty link its first entry is taken as the start (trust on first use), unless it is entry 1.
 */
function check(db: Database, item: AuditEntriesItem): void {
  const gap = (message: string) => new CertdeskError('AUDIT_CHAIN_GAP', message, { field: 'entries' });
  const last = lastReceived(db);
  if (last && (item.previousHash !== last.hash || item.fromSeq !== last.seq + 1))
    throw gap(
      `These entries (from ${item.fromSeq}) do not continue the signer's chain received so far (up to ${last.seq}): a bundle is missing or was replaced.`,
    );
  if (item.entries.length !== item.toSeq - item.fromSeq + 1 || item.entries.length === 0)
    throw gap(`The item says entries ${item.fromSeq}…${item.toSeq} but carries ${item.entries.length}.`);
  let prev = item.previousHash || (item.fromSeq === 1 ? GENESIS : '');
  item.entries.forEach((e, i) => {
    if (e.seq !== item.fromSeq + i) throw gap(`Entry ${i} has seq ${e.seq}, not ${item.fromSeq + i}.`);
    if (prev !== '') {
      const hash = entryHash(prev, {
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subject_id: e.subjectId,
        details: JSON.stringify(e.details),
      });
      if (hash !== e.hash) throw gap(`Entry ${e.seq}'s hash does not recompute: it was altered after the signer wrote it.`);
    }
    prev = e.hash;
  });
}

/** The signer's audit entries, stored as received (migration 0280's signer_audit) after their chain is checked. */
export function signerAuditApplier(parts: OfflineParts): ItemApplier<AuditEntriesItem> {
  const { db } = parts.ctx;
  return {
    kind: 'audit-entries',
    review(item): ItemReview {
      const details = {
        entries: `${item.fromSeq}…${item.toSeq}`,
        count: String(item.entries.length),
        actions: [...new Set(item.entries.map((e) => e.action))].join(', '),
      };
      try {
        check(db, item);
        return { effect: `Keep the signer's audit entries ${item.fromSeq}…${item.toSeq}`, details, problem: null };
      } catch (error) {
        if (!(error instanceof CertdeskError)) throw error;
        return {
          effect: `Keep the signer's audit entries ${item.fromSeq}…${item.toSeq}`,
          details,
          problem: { code: error.code, reason: error.message },
        };
      }
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const { ctx } = parts;
      const insert = db.prepare(
        'INSERT INTO signer_audit (seq, at, actor, action, subject_id, details, prev_hash, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const receivedAt = ctx.clock.now().toISOString();
      db.transaction(() => {
        // Checked again inside the write: two imports racing cannot both extend the chain from the same link.
        check(db, item);
        let prev = item.previousHash || (item.fromSeq === 1 ? GENESIS : '');
        for (const e of item.entries) {
          insert.run(e.seq, e.at, e.actor, e.action, e.subjectId, JSON.stringify(e.details), prev, e.hash, receivedAt);
          prev = e.hash;
        }
        ctx.audit.append('offline.receive-audit', null, {
          from: item.fromSeq,
          to: item.toSeq,
          importId: origin.importId,
          itemId: origin.itemId,
        });
      }).immediate();
      return [];
    },
  };
}
