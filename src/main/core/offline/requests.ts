import type {
  CrlRequestItem,
  KeyType,
  RevocationReason,
  RevokeRequestItem,
  SanEntry,
  SignPurpose,
  SignRequestItem,
  SubjectFields,
  ToSignerItem,
} from '../../../shared/contract/index.ts';
import { REVOCATION_REASONS } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseCsr } from '../pki/csr.ts';
import { keySpec } from '../pki/key-types.ts';
import { exportPkcs8, generateKeyPair, importPkcs8 } from '../pki/keys.ts';
import type { CryptoKey, CryptoKeyPair } from '../pki/webcrypto.ts';
import { buildName } from '../pki/names.ts';
import { toPem } from '../pki/pem.ts';
import { checkDays, checkKeyType, findProfile, type Profile } from '../pki/profiles.ts';
import { sanExtension } from '../pki/sans.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import type { Database } from '../store/database.ts';
import { RotationRepository } from '../store/rotation-repository.ts';
import type { TransferQueue } from '../transfer/ports.ts';
import { planCrlSeries } from './crl-series.ts';
import { OutgoingRequests, type OutgoingRequest } from './outgoing-requests.ts';
import type { OfflineParts } from './parts.ts';

export interface SignRequestInput {
  purpose: SignPurpose;
  /** The issuing CA (id or name) for an issue; renew and rotate use the predecessor's. */
  ca?: string;
  /** For renew and rotate: the certificate to succeed (id, serial or thumbprint). */
  predecessor?: string;
  profile?: string;
  days?: number;
  rotationJobId?: string;
  note?: string;
  /**
   * generated: this publisher makes the key, seals it in its vault and makes the CSR (the sealed key
   * waits in the request record for the certificate). csr: the workload's own CSR; no key here.
   * same-key: a renewal that keeps the predecessor's sealed key; the CSR is signed with it here.
   */
  source: { kind: 'generated'; keyType?: KeyType } | { kind: 'csr'; csr: string } | { kind: 'same-key' };
  /** For an issue with a generated key; a successor keeps its predecessor's subject and SANs. */
  subject?: SubjectFields;
  sans?: SanEntry[];
}

export interface QueuedRequest<I extends ToSignerItem> {
  requestId: string;
  queueId: string;
  item: I;
}

/** Records the request and queues its item in one transaction: a request is never queued unrecorded, nor recorded unqueued. */
function recordAndQueue<I extends ToSignerItem>(
  parts: OfflineParts,
  queue: TransferQueue,
  item: I,
  record: Omit<
    OutgoingRequest,
    'state' | 'refusalCode' | 'refusalReason' | 'certificateId' | 'queueId' | 'updatedAt' | 'requestId' | 'kind'
  >,
  before?: () => void,
): QueuedRequest<I> {
  const requests = new OutgoingRequests(parts.ctx.db);
  let queueId = '';
  parts.ctx.db
    .transaction(() => {
      before?.();
      requests.insert({ ...record, requestId: item.requestId, kind: item.kind });
      queueId = queue.enqueue('to-signer', item);
      requests.setQueueId(item.requestId, queueId);
      parts.ctx.audit.append('offline.request', record.predecessorId, {
        requestId: item.requestId,
        kind: item.kind,
        ...('purpose' in item ? { purpose: item.purpose } : {}),
        queueId,
      });
    })
    .immediate();
  return { requestId: item.requestId, queueId, item };
}

/** A rotation's request is made only while its job is open here (a job this publisher does not know is the operator's own call). */
function checkJobOpen(db: Database, jobId: string): void {
  const job = new RotationRepository(db).get(jobId);
  if (job && (job.state === 'cancelled' || job.state === 'done'))
    throw new CertdeskError('ROTATION_JOB_CLOSED', `Rotation ${jobId} is ${job.state}: no request is made for it, and no key.`, {
      field: 'rotationJobId',
    });
}

function heldCa(parts: OfflineParts, ref: string, field: string): AuthorityRecord {
  const ca = parts.ctx.authorities.get(ref, field);
  if (ca.kind !== 'issuing')
    throw new CertdeskError('VALIDATION', `"${ca.name}" is a root CA; client certificates are signed by an issuing CA.`, { field });
  return ca;
}

function predecessorOf(parts: OfflineParts, ref: string | undefined): CertificateRow {
  if (!ref)
    throw new CertdeskError('PREDECESSOR_UNKNOWN', 'A renew or rotate request names the certificate it succeeds (predecessor).', {
      field: 'predecessor',
    });
  const old = parts.inventory.resolve(ref, 'predecessor');
  if (!old.authorityId)
    throw new CertdeskError('VALIDATION', 'This certificate was imported for tracking only; its own CA renews it.', {
      field: 'predecessor',
    });
  if (old.revokedAt)
    throw new CertdeskError('CERT_REVOKED', `This certificate was revoked on ${old.revokedAt}; issue a new one instead.`, {
      field: 'predecessor',
    });
  return old;
}

function checkSanTypes(profile: Profile, sans: readonly SanEntry[]): void {
  sans.forEach((san, i) => {
    if (!profile.sanTypes.includes(san.type))
      throw new CertdeskError('VALIDATION', `Profile ${profile.name} does not allow ${san.type} SANs.`, { field: `sans.${i}.type` });
  });
}

/** A CSR for `name` and `sans`, signed with `pair`, checked as the signer will check it (it must pass this publisher's own parser). */
async function makeCsr(
  parts: OfflineParts,
  name: x509.Name,
  sans: readonly SanEntry[],
  pair: CryptoKeyPair,
  keyType: KeyType,
): Promise<x509.Pkcs10CertificateRequest> {
  const { crypto } = parts.ctx;
  const emptySubject = name.toArrayBuffer().byteLength <= 2;
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    { name, keys: pair, signingAlgorithm: keySpec(keyType).sign, extensions: sans.length ? [sanExtension([...sans], emptySubject)] : [] },
    crypto,
  );
  await parseCsr(toPem(new Uint8Array(request.rawData), 'CERTIFICATE REQUEST'), crypto);
  return request;
}

/**
 * A same-key renewal: the predecessor's sealed key signs a CSR for its own subject and SANs, the
 * proof of possession the signer checks. Only a key this publisher holds can do that: a CSR-mode
 * certificate's key is the workload's, and certdesk has no CSR from it for the key it keeps.
 */
async function csrWithKeptKey(parts: OfflineParts, old: CertificateRow, oldCert: x509.X509Certificate, profile: Profile): Promise<string> {
  const { ctx } = parts;
  if (old.keyStorage !== 'sealed' || !old.keyId)
    throw new CertdeskError(
      'NO_PRIVATE_KEY',
      `A same-key renewal of ${old.subject} cannot cross the gap: its key lives with the workload (CSR mode), so certdesk cannot sign a CSR that proves it. Rotate it with a new key through its csr-inbox target, or send the workload's own CSR (certdesk request renew ${old.id} --csr FILE).`,
      { field: 'sameKey' },
    );
  checkKeyType(profile, old.keyType);
  const stored = ctx.keys.get(old.keyId);
  if (!stored)
    throw new CertdeskError('KEY_UNSEAL_FAILED', `The sealed private key of ${old.subject} is missing from the database.`, {
      field: 'predecessor',
    });
  const pkcs8 = await ctx.vault.openKey(old.keyId, stored.sealed);
  let privateKey: CryptoKey;
  try {
    privateKey = await importPkcs8(pkcs8, old.keyType, ctx.crypto);
  } finally {
    pkcs8.fill(0);
  }
  const publicKey = await ctx.crypto.subtle.importKey('spki', oldCert.publicKey.rawData, keySpec(old.keyType).import, true, ['verify']);
  const request = await makeCsr(parts, oldCert.subjectName, old.sans, { privateKey, publicKey }, old.keyType);
  return toPem(new Uint8Array(request.rawData), 'CERTIFICATE REQUEST');
}

/**
 * A sign-request for the offline signer, from a key this publisher generates and seals (the CSR is
 * made here) or from the workload's CSR. Everything the signer would refuse for this publisher's
 * own reasons (unknown CA, profile, days, a bad CSR) is refused here first, with nothing written.
 */
export async function requestSignature(
  parts: OfflineParts,
  queue: TransferQueue,
  input: SignRequestInput,
): Promise<QueuedRequest<SignRequestItem>> {
  const { ctx } = parts;
  const old = input.purpose === 'issue' ? undefined : predecessorOf(parts, input.predecessor);
  if (input.purpose === 'issue' && input.predecessor)
    throw new CertdeskError('VALIDATION', 'An issue names no predecessor; use purpose renew or rotate.', { field: 'predecessor' });
  if (input.purpose !== 'rotate' && input.rotationJobId)
    throw new CertdeskError('VALIDATION', 'Only a rotate request carries a rotation job.', { field: 'rotationJobId' });
  const ca = old ? ctx.authorities.get(old.authorityId!, 'predecessor') : heldCa(parts, input.ca ?? '', 'ca');
  const profile = findProfile(old?.profile ?? input.profile);
  if (old && input.profile && input.profile !== profile.name)
    throw new CertdeskError('VALIDATION', `A successor keeps its predecessor's profile (${profile.name}).`, { field: 'profile' });
  const days = input.days ?? profile.defaultDays;
  checkDays(profile, days);
  const oldCert = old ? new x509.X509Certificate(old.certDer) : undefined;

  let csrPem: string;
  let sealed: { keyId: string; keyType: KeyType; sealed: Uint8Array; publicKeySha256: string } | undefined;
  let keptKeyId: string | null = null;
  if (input.source.kind === 'csr') {
    if (input.subject || input.sans)
      throw new CertdeskError('VALIDATION', 'A CSR carries its own subject and SANs; give either the CSR or the subject, not both.', {
        field: 'subject',
      });
    const csr = await parseCsr(input.source.csr, ctx.crypto);
    checkKeyType(profile, csr.keyType, 'csr');
    csrPem = toPem(new Uint8Array(csr.request.rawData), 'CERTIFICATE REQUEST');
  } else if (input.source.kind === 'same-key') {
    if (!old || !oldCert || input.purpose === 'issue')
      throw new CertdeskError('VALIDATION', 'Only a renew or rotate request keeps a key: name the predecessor.', { field: 'predecessor' });
    if (input.subject || input.sans)
      throw new CertdeskError('VALIDATION', "A successor keeps its predecessor's subject and SANs.", { field: 'subject' });
    csrPem = await csrWithKeptKey(parts, old, oldCert, profile);
    keptKeyId = old.keyId;
  } else {
    if (old && (input.subject || input.sans))
      throw new CertdeskError('VALIDATION', "A successor keeps its predecessor's subject and SANs.", { field: 'subject' });
    const keyType = input.source.keyType ?? old?.keyType ?? profile.defaultKeyType;
    checkKeyType(profile, keyType);
    const name = oldCert ? oldCert.subjectName : buildName({ ...input.subject, commonName: input.subject?.commonName ?? '' });
    const sans = old ? old.sans : (input.sans ?? []);
    if (name.getField('CN').length === 0 && sans.length === 0)
      throw new CertdeskError('SUBJECT_MISSING', 'Give the certificate a common name or at least one SAN.', {
        field: 'subject.commonName',
      });
    checkSanTypes(profile, sans);
    await ctx.vault.ensureReady();
    const pair = await generateKeyPair(keyType, ctx.crypto);
    const request = await makeCsr(parts, name, sans, pair, keyType);
    csrPem = toPem(new Uint8Array(request.rawData), 'CERTIFICATE REQUEST');
    const keyId = newId('key');
    const pkcs8 = await exportPkcs8(pair.privateKey, ctx.crypto);
    const publicKeySha256 = thumbprints(new Uint8Array(request.publicKey.rawData)).sha256Hex;
    sealed = { keyId, keyType, sealed: await ctx.vault.sealKey(keyId, pkcs8), publicKeySha256 };
    pkcs8.fill(0);
  }
  const item: SignRequestItem = {
    kind: 'sign-request',
    requestId: newId('req'),
    purpose: input.purpose,
    csrPem,
    issuerSha256: ca.sha256Hex,
    profile: profile.name,
    validityDays: days,
    predecessorSerial: old?.serialHex ?? null,
    rotationJobId: input.rotationJobId ?? null,
    note: input.note ?? '',
    keyHolder: input.source.kind === 'csr' ? 'workload' : 'publisher',
    ...(input.source.kind === 'same-key' ? { sameKey: true } : {}),
  };
  const createdAt = ctx.clock.now().toISOString();
  return recordAndQueue(
    parts,
    queue,
    item,
    {
      purpose: item.purpose,
      issuerSha256: item.issuerSha256,
      profile: item.profile,
      csrPem,
      keyId: sealed?.keyId ?? keptKeyId,
      predecessorId: old?.id ?? null,
      rotationJobId: item.rotationJobId,
      serialHex: null,
      createdAt,
    },
    () => {
      // Under the write lock: a job cancelled (from another process) while the key was made gets no request and no key.
      if (item.rotationJobId) checkJobOpen(ctx.db, item.rotationJobId);
      if (sealed)
        ctx.keys.insert({
          id: sealed.keyId,
          keyType: sealed.keyType,
          publicKeySha256: sealed.publicKeySha256,
          sealed: sealed.sealed,
          createdAt,
        });
    },
  );
}

/** A revoke-request for a certificate of this publisher's inventory, issued by the offline signer. */
export function requestRevocation(
  parts: OfflineParts,
  queue: TransferQueue,
  input: { cert: string; reason?: RevocationReason; note?: string },
): QueuedRequest<RevokeRequestItem> {
  const { ctx } = parts;
  const cert = parts.inventory.resolve(input.cert);
  if (cert.revokedAt)
    throw new CertdeskError('ALREADY_REVOKED', `This certificate was already revoked on ${cert.revokedAt}.`, { field: 'cert' });
  if (!cert.authorityId)
    throw new CertdeskError('VALIDATION', 'This certificate was imported for tracking only; revoke it at its own CA.', { field: 'cert' });
  const reason = input.reason ?? 'unspecified';
  if (!(REVOCATION_REASONS as readonly string[]).includes(reason))
    throw new CertdeskError('VALIDATION', `"${reason}" is not a revocation reason; use one of ${REVOCATION_REASONS.join(', ')}.`, {
      field: 'reason',
    });
  const ca = ctx.authorities.get(cert.authorityId, 'cert');
  const item: RevokeRequestItem = {
    kind: 'revoke-request',
    requestId: newId('req'),
    issuerSha256: ca.sha256Hex,
    serial: cert.serialHex,
    reason,
    note: input.note ?? '',
  };
  return recordAndQueue(parts, queue, item, {
    purpose: null,
    issuerSha256: ca.sha256Hex,
    profile: null,
    csrPem: null,
    keyId: null,
    predecessorId: cert.id,
    rotationJobId: null,
    serialHex: cert.serialHex,
    createdAt: ctx.clock.now().toISOString(),
  });
}

/** A crl-request: `count` CRLs of `periodHours` each from `from` (null: when the signer applies it). Bounds checked here too. */
export function requestCrlSeries(
  parts: OfflineParts,
  queue: TransferQueue,
  input: { ca: string; from?: string | null; count: number; periodHours: number; note?: string },
): QueuedRequest<CrlRequestItem> {
  const { ctx } = parts;
  const ca = ctx.authorities.get(input.ca, 'ca');
  planCrlSeries({ from: input.from ?? null, count: input.count, periodHours: input.periodHours }, ca, ctx.clock.now());
  const item: CrlRequestItem = {
    kind: 'crl-request',
    requestId: newId('req'),
    issuerSha256: ca.sha256Hex,
    from: input.from ?? null,
    count: input.count,
    periodHours: input.periodHours,
    note: input.note ?? '',
  };
  return recordAndQueue(parts, queue, item, {
    purpose: null,
    issuerSha256: ca.sha256Hex,
    profile: null,
    csrPem: null,
    keyId: null,
    predecessorId: null,
    rotationJobId: null,
    serialHex: null,
    createdAt: ctx.clock.now().toISOString(),
  });
}
