/**
 * Delivery's csr-inbox half. The workload's CSR is judged against the lineage's current certificate
 * (the one the successor replaces): its subject, SANs and profile, and a key no certificate of the
 * lineage had. The answer is the issued certificate with its chain, never a key: the workload has it.
 */
import { join } from 'node:path';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { Inventory } from '../inventory/inventory.ts';
import { certificateToPem } from '../pki/pem.ts';
import { findProfile, type Profile } from '../pki/profiles.ts';
import { x509 } from '../pki/x509.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { csrKeySha256Hex, answerInbox, inboxAnswered, readSmallFile, ANSWER_FILES, type InboxAnswer } from './csr-inbox-answer.ts';
import { ISSUED_FOLDER, REQUEST_FILE } from './csr-inbox-fs.ts';
import { expectationFromCertificate, readInbox, spkiSha256Hex } from './csr-inbox.ts';
import type { InboxHandler } from './delivery.ts';
import { issuingChain } from './release-builder.ts';
import { TargetRepository } from './target-repository.ts';
import type { StoredTarget } from './targets.ts';

/** Renewals are few; the bound only stops a successor loop in an edited database. */
const MAX_SUCCESSORS = 1000;

function inboxPath(target: StoredTarget): string {
  if (target.spec.kind !== 'csr-inbox') throw new CertdeskError('INTERNAL', `Target ${target.id} is not a csr-inbox target.`);
  return target.spec.path;
}

/** The serial of `issued/cert.pem`, or null when there is none (or it is not a certificate). */
export function issuedSerial(dir: string): string | null {
  const text = readSmallFile(join(dir, ISSUED_FOLDER, ANSWER_FILES.cert));
  const pem = text && /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (!pem) return null;
  try {
    return new x509.X509Certificate(pem).serialNumber.toLowerCase();
  } catch {
    return null;
  }
}

export class CsrInboxHandler implements InboxHandler {
  private readonly ctx: CoreContext;
  private readonly inventory: Inventory;
  private readonly repository: TargetRepository;

  constructor(ctx: CoreContext, inventory: Inventory) {
    this.ctx = ctx;
    this.inventory = inventory;
    this.repository = new TargetRepository(ctx.db);
  }

  private row(id: string): CertificateRow {
    const row = this.ctx.certificates.get(id, this.ctx.clock.now());
    if (!row) throw new CertdeskError('NOT_FOUND', `There is no certificate ${id}.`, { field: 'cert' });
    return row;
  }

  /** The newest certificate that descends from `id`: what a new CSR must succeed. */
  private head(id: string): CertificateRow {
    let current = id;
    for (let i = 0; i < MAX_SUCCESSORS; i++) {
      const next = this.ctx.certificates.successorOf(current);
      if (!next) break;
      current = next;
    }
    return this.row(current);
  }

  async inboxCsr(target: StoredTarget, certificateId: string): Promise<{ csrPem: string } | null> {
    const dir = inboxPath(target);
    const head = this.head(certificateId);
    const headKey = spkiSha256Hex(new x509.X509Certificate(head.certDer).publicKey);
    if (head.id !== certificateId) {
      // A request with the key of a successor already signed (a crash before its answer) is not refused as a reused
      // key: answerInbox with that successor completes it.
      const pending = readSmallFile(join(dir, REQUEST_FILE));
      if (pending !== null && safeKey(pending) === headKey) return null;
    }
    const oldKeys = this.repository
      .lineage(head.id)
      .map((id) => this.ctx.certificates.get(id, this.ctx.clock.now()))
      .filter((row): row is CertificateRow => row !== undefined)
      .map((row) => spkiSha256Hex(new x509.X509Certificate(row.certDer).publicKey));
    const expectation = expectationFromCertificate(head.certDer, head.sans, profileOf(head));
    const read = await readInbox(
      dir,
      { ...expectation, oldKeysSha256Hex: [...new Set([headKey, ...oldKeys])] },
      { now: () => this.ctx.clock.now(), crypto: this.ctx.crypto },
    );
    if (read.kind === 'csr') return { csrPem: read.csrPem };
    if (read.kind === 'rejected')
      this.ctx.audit.append('delivery.inbox-rejected', head.id, {
        target: target.id,
        code: read.code,
        reason: read.reason,
        file: read.rejectedFile,
      });
    return null;
  }

  async answer(target: StoredTarget, certificateId: string): Promise<{ changed: boolean; detail: string }> {
    const dir = inboxPath(target);
    const cert = this.row(certificateId);
    if (cert.revokedAt !== null)
      throw new CertdeskError('CERT_REVOKED', `${cert.subject} is revoked; it is never answered to an inbox.`, { field: 'cert' });
    if (!this.repository.lineage(cert.id).includes(target.certificateId))
      throw new CertdeskError(
        'CONFLICT',
        `Target ${target.id} belongs to another lineage than ${cert.id}; a csr inbox is answered only with its own certificate's successors. Nothing was written.`,
        { field: 'target' },
      );
    const successor = this.ctx.certificates.successorOf(cert.id);
    if (successor)
      throw new CertdeskError(
        'CONFLICT',
        `${cert.subject} (serial ${cert.serialHex}) was renewed as ${successor}; the inbox is answered with that one, never an older certificate. Nothing was written.`,
        { field: 'cert' },
      );
    const serial = cert.serialHex.toLowerCase();
    const pending = readSmallFile(join(dir, REQUEST_FILE));
    const requestAnswered = pending !== null && safeAnswered(dir, pending) === serial;
    if (!requestAnswered && issuedSerial(dir) === serial)
      return { changed: false, detail: `${ISSUED_FOLDER}/ already holds serial ${cert.serialHex}` };
    const written = answerInbox(dir, this.answerOf(cert));
    return {
      changed: true,
      detail: `${ISSUED_FOLDER}/ holds serial ${cert.serialHex}${written.consumed ? `; the request moved to ${written.consumed}` : ''}`,
    };
  }

  private answerOf(cert: CertificateRow): InboxAnswer {
    const certPem = certificateToPem(cert.certDer);
    const chainPem = issuingChain(this.inventory.chainPems(cert.authorityId)).join('');
    return { certPem, chainPem, fullchainPem: certPem + chainPem };
  }
}

function profileOf(row: CertificateRow): Profile | undefined {
  if (row.profile === null) return undefined;
  try {
    return findProfile(row.profile);
  } catch {
    return undefined;
  }
}

/** The SPKI hash of a CSR's key, or null when the text is not a CSR (readInbox judges it then). */
function safeKey(csrPem: string): string | null {
  try {
    return csrKeySha256Hex(csrPem);
  } catch {
    return null;
  }
}

function safeAnswered(dir: string, csrPem: string): string | null {
  try {
    return inboxAnswered(dir, csrPem)?.serialHex ?? null;
  } catch {
    return null;
  }
}
