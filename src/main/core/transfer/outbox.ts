/**
 * What the next outgoing bundle will carry, as the transfer page lists it before the export: each
 * queued item in one line, the sequence it will be signed under, and (from a signer) how many audit
 * entries ride along. Reads only.
 */
import type { TransferItem, TransferOutboxView } from '../../../shared/contract/index.ts';
import { nameText } from '../pki/csr-names.ts';
import { x509 } from '../pki/x509.ts';
import type { TransferDeps } from './deps.ts';
import { activePairing } from './pairing-store.ts';
import { pairingRole } from './pairing.ts';
import type { SqliteTransferQueue } from './queue.ts';
import { outgoing } from './staging.ts';
import { lastExport } from './outgoing.ts';

/** A subject for the line, or a plain word when the PEM does not parse (the peer's review says why). */
function subjectOf(read: () => x509.Name): string {
  try {
    return nameText(read()) || '(empty subject)';
  } catch {
    return '(unreadable)';
  }
}

export function summarize(item: TransferItem): string {
  switch (item.kind) {
    case 'sign-request': {
      const subject = subjectOf(() => new x509.Pkcs10CertificateRequest(item.csrPem).subjectName);
      const note = item.note ? ` — ${item.note}` : '';
      return `${item.purpose} ${subject}, profile ${item.profile}, ${item.validityDays} days${note}`;
    }
    case 'revoke-request':
      return `revoke serial ${item.serial} (${item.reason})`;
    case 'crl-request':
      return `${item.count} CRL(s), one every ${item.periodHours} h, from ${item.from ?? 'the signing time'}`;
    case 'issued-certificate':
      return `certificate for ${subjectOf(() => new x509.X509Certificate(item.certificatePem).subjectName)} (request ${item.requestId})`;
    case 'ca-certificate':
      return `CA certificate ${subjectOf(() => new x509.X509Certificate(item.certificatePem).subjectName)}`;
    case 'crl':
      return `CRL ${item.crlNumber}, ${item.thisUpdate} to ${item.nextUpdate}`;
    case 'refusal':
      return `refusal of request ${item.requestId} (${item.code}): ${item.reason}`;
    case 'audit-entries':
      return `audit entries ${item.fromSeq} to ${item.toSeq}`;
  }
}

export function outboxView(deps: TransferDeps, queue: SqliteTransferQueue): TransferOutboxView {
  const role = pairingRole(deps, 'export transfer bundles');
  const pairing = activePairing(deps.db);
  const direction = outgoing(role);
  const last = lastExport(deps);
  const auditAfter = pairing?.auditSentSeq ?? 0;
  const auditEntries =
    role === 'signer' ? (deps.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE seq > ?').get(auditAfter) as { n: number }).n : 0;
  return {
    role,
    direction,
    peerFingerprint: pairing?.peerFingerprint ?? null,
    nextSequence: (pairing?.lastSentSeq ?? 0) + 1,
    items: queue.waiting(direction).map((q) => ({ id: q.id, kind: q.item.kind, summary: summarize(q.item), queuedAt: q.queuedAt })),
    auditEntries,
    lastExport: last && { sequence: last.sequence, sha256: last.sha256, items: last.items, createdAt: last.createdAt },
  };
}
