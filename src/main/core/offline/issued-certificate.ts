import type { IssuedCertificateItem, TransferItem } from '../../../shared/contract/index.ts';
import { recordFromCertificate } from '../inventory/certificate-record.ts';
import { CertdeskError } from '../errors.ts';
import { parseCsr } from '../pki/csr.ts';
import { nameText } from '../pki/csr-names.ts';
import { keyTypeOf } from '../pki/key-types.ts';
import { nameDer, sameDn } from '../pki/names.ts';
import { decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import { RotationRepository } from '../store/rotation-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { OutgoingRequests, type OutgoingRequest } from './outgoing-requests.ts';
import { authorityBySha256, type OfflineParts } from './parts.ts';

interface Checked {
  request: OutgoingRequest;
  ca: AuthorityRecord;
  cert: x509.X509Certificate;
}

function parseCertificate(pem: string, field: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(toArrayBuffer(decodePemOrBase64(pem, ['CERTIFICATE'], field)));
  } catch (cause) {
    if (cause instanceof CertdeskError) throw cause;
    throw new CertdeskError('PEM_INVALID', `${field} is not an X.509 certificate.`, { field, cause });
  }
}

/**
 * A rotation's successor is taken only while its job still waits for it: the answer for a job that
 * finished, was cancelled or is not here would add a certificate nothing binds or retires for.
 */
function checkRotationOpen(ctx: OfflineParts['ctx'], request: OutgoingRequest): void {
  if (!request.rotationJobId) return;
  const job = new RotationRepository(ctx.db).get(request.rotationJobId);
  if (job && (job.state === 'running' || job.state === 'waiting' || job.state === 'failed') && job.step === 0) return;
  const why = job
    ? job.step > 0 && job.state !== 'cancelled'
      ? `already has its successor (${job.successorId})`
      : `is ${job.state}`
    : 'is not known here';
  throw new CertdeskError(
    'ROTATION_JOB_CLOSED',
    `Request ${request.requestId} answers rotation ${request.rotationJobId.slice(0, 64)}, which ${why}: nothing was applied. Refuse this item, and start a new rotation of the certificate if it still needs one.`,
    { field: 'requestId' },
  );
}

/**
 * Everything an issued certificate must be before it enters the inventory: the answer to a sign-request
 * this publisher has open, signed by the CA that request named (a CA certificate held here), for the
 * key of the request's CSR, with the predecessor's subject for a successor, and a chain of CAs held here.
 */
async function check(parts: OfflineParts, item: IssuedCertificateItem): Promise<Checked> {
  const { ctx } = parts;
  const request = new OutgoingRequests(ctx.db).get(item.requestId);
  if (!request || request.kind !== 'sign-request')
    throw new CertdeskError(
      'REQUEST_UNKNOWN',
      `This publisher made no sign-request ${item.requestId.slice(0, 64)}: the certificate answers nothing here.`,
      {
        field: 'requestId',
      },
    );
  if (request.state !== 'queued')
    throw new CertdeskError('CONFLICT', `Request ${request.requestId} was already ${request.state}; this answer changes nothing.`, {
      field: 'requestId',
    });
  checkRotationOpen(ctx, request);
  const cert = parseCertificate(item.certificatePem, 'certificatePem');
  const ca = authorityBySha256(ctx, request.issuerSha256);
  const untrusted = (why: string) =>
    new CertdeskError('CHAIN_UNTRUSTED', `The certificate does not chain to the CA the request named: ${why}`, { field: 'certificatePem' });
  if (!ca) throw untrusted('that CA certificate is not held here; import the ca-certificate item first.');
  const caCert = new x509.X509Certificate(ca.certDer);
  const signed = await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }, ctx.crypto).catch(() => false);
  if (!signed) throw untrusted(`its signature does not verify with "${ca.name}".`);
  if (!sameDn(nameDer(cert.issuerName), nameDer(caCert.subjectName)))
    throw untrusted(`its issuer "${cert.issuer}" is not "${caCert.subject}".`);
  const held = new Set(ctx.authorities.list().map((a) => a.sha256Hex));
  item.chainPem.forEach((pem, i) => {
    const der = decodePemOrBase64(pem, ['CERTIFICATE'], `chainPem.${i}`);
    if (!held.has(thumbprints(der).sha256Hex))
      throw new CertdeskError(
        'CHAIN_UNTRUSTED',
        `chainPem.${i} is not a CA certificate held here; import it as a ca-certificate item first.`,
        {
          field: `chainPem.${i}`,
        },
      );
  });
  const csr = await parseCsr(request.csrPem ?? '', ctx.crypto);
  const spki = (key: x509.PublicKey) => thumbprints(new Uint8Array(key.rawData)).sha256Hex;
  if (spki(cert.publicKey) !== spki(csr.request.publicKey))
    throw new CertdeskError('VALIDATION', "The certificate is not for the key of the request's CSR: it answers another request.", {
      field: 'certificatePem',
    });
  if (request.predecessorId) {
    const old = ctx.certificates.get(request.predecessorId, ctx.clock.now());
    if (old && nameText(cert.subjectName) !== nameText(new x509.X509Certificate(old.certDer).subjectName))
      throw new CertdeskError('CSR_SUBJECT_MISMATCH', "The successor's subject is not its predecessor's.", { field: 'certificatePem' });
  }
  const sha256 = thumbprints(new Uint8Array(cert.rawData)).sha256Hex;
  if (ctx.certificates.findByRef(sha256, ctx.clock.now()).length > 0)
    throw new CertdeskError('CONFLICT', 'This certificate is already in the inventory.', { field: 'certificatePem' });
  return { request, ca, cert };
}

/** Where the answered certificate's key is: a new one sealed here, the predecessor's kept, or the workload's. */
function keyText(parts: OfflineParts, request: OutgoingRequest | undefined): string {
  if (!request?.keyId) return 'held by the workload (CSR mode)';
  const old = request.predecessorId ? parts.ctx.certificates.get(request.predecessorId, parts.ctx.clock.now()) : undefined;
  return old?.keyId === request.keyId ? "the predecessor's key, kept (sealed here)" : 'generated and sealed here';
}

/** The publisher's import of an issued certificate: into the inventory, as its predecessor's successor, with the sealed key the request kept. */
export function issuedCertificateApplier(parts: OfflineParts): ItemApplier<IssuedCertificateItem> {
  const requests = new OutgoingRequests(parts.ctx.db);
  return {
    kind: 'issued-certificate',
    async review(item): Promise<ItemReview> {
      const request = requests.get(item.requestId);
      const details: Record<string, string> = { requestId: item.requestId };
      if (request?.rotationJobId) details.rotationJob = request.rotationJobId;
      let effect = `Add the certificate answering request ${item.requestId} to the inventory`;
      try {
        const { ca, cert } = await check(parts, item);
        details.subject = nameText(cert.subjectName);
        details.serial = cert.serialNumber.toLowerCase();
        details.issuer = ca.name;
        details.validity = `${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}`;
        details.purpose = request?.purpose ?? '';
        details.key = keyText(parts, request);
        if (request?.predecessorId) details.predecessor = request.predecessorId;
        effect = `Add ${details.subject} (serial ${details.serial}, until ${cert.notAfter.toISOString()}) to the inventory${request?.predecessorId ? ' as the successor of its predecessor' : ''}`;
        return { effect, details, problem: null };
      } catch (error) {
        if (!(error instanceof CertdeskError)) throw error;
        return { effect, details, problem: { code: error.code, reason: error.message } };
      }
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const { ctx } = parts;
      const { request, ca, cert } = await check(parts, item);
      const createdAt = ctx.clock.now().toISOString();
      const record = recordFromCertificate(cert, {
        authorityId: ca.id,
        profile: request.profile,
        keyType: keyTypeOf((await cert.publicKey.export(ctx.crypto)).algorithm as never),
        keyStorage: request.keyId ? 'sealed' : 'csr-only',
        keyId: request.keyId,
        replacesId: request.predecessorId,
        createdAt,
      });
      ctx.db
        .transaction(() => {
          // Again under the write lock: a job cancelled while the checks above ran takes no successor.
          checkRotationOpen(ctx, request);
          ctx.certificates.insert(record);
          // Throwing rolls the insert back: two imports racing cannot both answer one request.
          if (!requests.markAnswered(request.requestId, record.id, createdAt))
            throw new CertdeskError('CONFLICT', `Request ${request.requestId} was answered a moment ago by another import.`, {
              field: 'requestId',
            });
          ctx.audit.append('offline.receive-certificate', record.id, {
            requestId: request.requestId,
            serial: record.serialHex,
            cn: record.commonName,
            ca: ca.name,
            key: record.keyStorage,
            ...(request.predecessorId ? { replaces: request.predecessorId } : {}),
            importId: origin.importId,
            itemId: origin.itemId,
          });
        })
        .immediate();
      return [];
    },
  };
}
