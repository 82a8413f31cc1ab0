/**
 * Two data folders, a signer (with a root and an issuing CA) and a publisher, each on its own SQLite
 * file and vault under the test keyring, paired through real pairing files. And the small appliers the
 * transfer tests use: they stand in for core/offline's, through the same ItemApplier port.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { CompactSign } from 'jose';
import { JWS_TYPE, encodeBundle, type OutgoingItem } from '../../src/main/core/transfer/bundle-codec.ts';
import { ensureIdentity, openSigningKey } from '../../src/main/core/transfer/identity.ts';
import type { ItemApplier } from '../../src/main/core/transfer/ports.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import type {
  AuditEntriesItem,
  IssuedCertificateItem,
  RefusalItem,
  SignRequestItem,
  TransferManifest,
  TransferManifestEntry,
} from '../../src/shared/contract/index.ts';
import type { CertdeskService } from '../../src/main/core/service.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from './pki.ts';
import { openTestService, type TestService } from './service.ts';
import { tempDir } from './temp.ts';

export async function pair(a: CertdeskService, b: CertdeskService): Promise<void> {
  const dir = tempDir();
  const fa = (await a.transfer.exportPairing(join(dir, 'a.json'), false)).file;
  const fb = (await b.transfer.exportPairing(join(dir, 'b.json'), false)).file;
  await a.transfer.importPairing(join(dir, 'b.json'), { confirm: fb.fingerprint });
  await b.transfer.importPairing(join(dir, 'a.json'), { confirm: fa.fingerprint });
}

export async function pairedFolders(): Promise<{
  signer: TestService & { issuingId: string; issuerSha256: string };
  publisher: TestService;
}> {
  const signer = await withIssuingCa({ keychain: true });
  const publisher = openTestService({ keychain: true });
  writeRole(signer.service.db, 'signer', '2026-12-01T00:00:00.000Z', 'test@host');
  writeRole(publisher.service.db, 'publisher', '2026-12-01T00:00:00.000Z', 'test@host');
  await pair(signer.service, publisher.service);
  const issuerSha256 = signer.service.listAuthorities().find((a) => a.id === signer.issuingId)!.sha256Hex;
  return { signer: Object.assign(signer, { issuerSha256 }), publisher };
}

/** What a refused bundle must leave exactly as it was. */
export function transferState(service: CertdeskService) {
  const n = (table: string) => (service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const pairing = service.db
    .prepare('SELECT last_sent_seq, last_accepted_seq, audit_sent_seq FROM transfer_pairings WHERE ended_at IS NULL')
    .get();
  return {
    imports: n('transfer_imports'),
    items: n('transfer_import_items'),
    queue: n('transfer_queue'),
    exports: n('transfer_exports'),
    pairings: n('transfer_pairings'),
    audit: n('audit_log'),
    certificates: n('certificates'),
    pairing,
  };
}

export function signRequest(issuerSha256: string, requestId: string, cn = 'payments-api'): SignRequestItem {
  return {
    kind: 'sign-request',
    requestId,
    purpose: 'issue',
    csrPem: opensslCsr([...KEY_ARGS['ec-p256']], `/CN=${cn}`).csr,
    issuerSha256,
    profile: 'mtls-client',
    validityDays: 30,
    predecessorSerial: null,
    rotationJobId: null,
    note: `for ${cn}`,
  };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g;

/** The signer's stand-in: it signs the CSR with the signer's own issuing CA, for real. */
export function signingApplier(signer: CertdeskService, caId: string): ItemApplier<SignRequestItem> {
  return {
    kind: 'sign-request',
    review: (item) => ({
      effect: `Sign the CSR of request ${item.requestId} under ${caId}, profile ${item.profile}, ${item.validityDays} days`,
      details: { purpose: item.purpose, note: item.note },
      problem: item.issuerSha256.startsWith('00') ? { code: 'NOT_FOUND', reason: 'unknown issuing CA' } : null,
    }),
    apply: async (item) => {
      if (item.note.includes('explode')) throw new CertdeskError('CSR_INVALID', 'the applier refuses this CSR');
      const cert = await signer.issue({
        ca: caId,
        days: item.validityDays,
        source: { kind: 'csr', csr: item.csrPem, useCsrSubject: true },
      });
      const chain = (cert.chainPem.match(PEM_BLOCK) ?? []).slice(1, -1);
      const answer: IssuedCertificateItem = {
        kind: 'issued-certificate',
        requestId: item.requestId,
        certificatePem: cert.pem,
        chainPem: chain,
      };
      return [answer];
    },
  };
}

/** The publisher's stand-ins: they only record what arrived, as a publisher's appliers store answers. */
export function recordingAppliers() {
  const seen = { issued: [] as IssuedCertificateItem[], refusals: [] as RefusalItem[], audit: [] as AuditEntriesItem[] };
  const appliers: ItemApplier[] = [
    {
      kind: 'issued-certificate',
      review: (i) => ({
        effect: `Store the certificate for request ${(i as IssuedCertificateItem).requestId}`,
        details: {},
        problem: null,
      }),
      apply: async (i) => (seen.issued.push(i as IssuedCertificateItem), []),
    },
    {
      kind: 'refusal',
      review: (i) => ({
        effect: `Mark request ${(i as RefusalItem).requestId} refused`,
        details: { reason: (i as RefusalItem).reason },
        problem: null,
      }),
      apply: async (i) => (seen.refusals.push(i as RefusalItem), []),
    },
    {
      kind: 'audit-entries',
      review: (i) => ({
        effect: `Keep the signer's audit entries ${(i as AuditEntriesItem).fromSeq}–${(i as AuditEntriesItem).toSeq}`,
        details: {},
        problem: null,
      }),
      apply: async (i) => (seen.audit.push(i as AuditEntriesItem), []),
    },
  ];
  return { seen, appliers };
}

/**
 * A bundle signed with `from`'s real transfer key but built by hand: the checks after the signature
 * (recipient, direction, sequence, items) are tested with bundles the paired key really signed.
 */
export async function handMadeBundle(
  from: CertdeskService,
  header: Omit<TransferManifest, 'format' | 'items'>,
  items: OutgoingItem[],
): Promise<Buffer> {
  const deps = from.edgeContext();
  const identity = await ensureIdentity(deps);
  return (await encodeBundle(header, items, await openSigningKey(deps, identity))).bytes;
}

export function writeBundle(bytes: Uint8Array | string): string {
  const path = join(tempDir(), 'bundle.cdx');
  writeFileSync(path, bytes);
  return path;
}

/** An item as carried: its manifest entry (hash and size of exactly these bytes) and its base64. */
export function carriedItem(id: string, kind: TransferManifestEntry['kind'], body: unknown) {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return {
    entry: { id, kind, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length },
    carried: { id, data: bytes.toString('base64') },
  };
}

/** An envelope around any manifest (even one no certdesk would write), signed with `from`'s real transfer key. */
export async function signedEnvelope(
  from: CertdeskService,
  manifest: unknown,
  carried: Array<{ id: string; data: string }>,
  kid?: string,
): Promise<Buffer> {
  const deps = from.edgeContext();
  const identity = await ensureIdentity(deps);
  const jws = await new CompactSign(Buffer.from(JSON.stringify(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYPE, kid: kid ?? identity.fingerprint })
    .sign(await openSigningKey(deps, identity));
  return Buffer.from(JSON.stringify({ format: 'certdesk-transfer/1', manifest: jws, items: carried }));
}
