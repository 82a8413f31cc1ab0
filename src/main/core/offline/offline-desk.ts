import type { CaCertificateItem, WorkstationRole } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { certificateToPem } from '../pki/pem.ts';
import type { TransferQueue } from '../transfer/ports.ts';
import { readRole } from '../workstation/role.ts';
import { OutgoingRequests, type OutgoingRequest } from './outgoing-requests.ts';
import type { OfflineParts } from './parts.ts';
import { requestCrlSeries, requestRevocation, requestSignature, type SignRequestInput } from './requests.ts';

/**
 * What an operator starts on either side of the gap, as the hosts call it: on a publisher, requests
 * for the offline signer (sign, revoke, a CRL series) and the list of them; on a signer, its CA
 * certificates for the publisher. Each is refused in the wrong role before anything is written.
 */
export class OfflineDesk {
  private readonly parts: OfflineParts;
  private readonly queue: TransferQueue;

  constructor(parts: OfflineParts, queue: TransferQueue) {
    this.parts = parts;
    this.queue = queue;
  }

  requestSignature(input: SignRequestInput) {
    this.requireRole('publisher', 'make a request for the offline signer');
    return requestSignature(this.parts, this.queue, input);
  }

  requestRevocation(input: Parameters<typeof requestRevocation>[2]) {
    this.requireRole('publisher', 'make a request for the offline signer');
    return requestRevocation(this.parts, this.queue, input);
  }

  requestCrlSeries(input: Parameters<typeof requestCrlSeries>[2]) {
    this.requireRole('publisher', 'make a request for the offline signer');
    return requestCrlSeries(this.parts, this.queue, input);
  }

  requests(): OutgoingRequest[] {
    return new OutgoingRequests(this.parts.ctx.db).list();
  }

  /**
   * Queues the certificates of the CAs (one, or all of them, roots first) for the publisher, so it
   * can check what the signer sends it. Certificates only: a CA's key never leaves the signer.
   */
  sendCaCertificates(caRef?: string): Array<{ ca: string; queueId: string }> {
    this.requireRole('signer', 'send CA certificates to the publisher');
    const { authorities, db, audit } = this.parts.ctx;
    const chosen = caRef ? [authorities.get(caRef, 'ca')] : authorities.list().map((a) => authorities.get(a.id));
    const ordered = [...chosen].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'root' ? -1 : 1));
    if (ordered.length === 0)
      throw new CertdeskError('NOT_FOUND', 'This signer holds no CA yet: create one first (certdesk ca create-root …).', { field: 'ca' });
    const queued: Array<{ ca: string; queueId: string }> = [];
    db.transaction(() => {
      for (const ca of ordered) {
        const item: CaCertificateItem = { kind: 'ca-certificate', certificatePem: certificateToPem(ca.certDer) };
        queued.push({ ca: ca.name, queueId: this.queue.enqueue('to-publisher', item) });
      }
      audit.append('offline.send-ca', null, { cas: queued.map((q) => q.ca) });
    }).immediate();
    return queued;
  }

  private requireRole(role: WorkstationRole, what: string): void {
    const current = readRole(this.parts.ctx.db).role;
    if (current !== role)
      throw new CertdeskError(
        'TRANSFER_ROLE',
        `Only a ${role} can ${what}; this data folder is ${current === 'standalone' ? 'standalone' : `a ${current}`}. Set the role with certdesk role set ${role} --confirm ${role}.`,
        { field: 'role' },
      );
  }
}
