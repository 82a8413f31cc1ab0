import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { CertdeskService } from '../../src/main/core/service.ts';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import { requestCrlSeries, requestSignature } from '../../src/main/core/offline/requests.ts';
import type { ItemApplier } from '../../src/main/core/transfer/ports.ts';
import type {
  CaCertificateItem,
  CrlItem,
  CrlRequestItem,
  IssuedCertificateItem,
  RevokeRequestItem,
  SignRequestItem,
  TransferItem,
} from '../../src/shared/contract/index.ts';
import { createCrl, crlToPem } from '../../src/main/core/pki/crl.ts';
import { openssl } from '../support/openssl.ts';
import { approve, caCertificateItems, count, cross, MemoryQueue, openPair, origin, partsOf } from '../support/offline-pair.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';

const TABLES = ['certificates', 'crls', 'audit_log', 'keys', 'authorities', 'offline_requests', 'signer_audit'];
const snapshot = (s: CertdeskService) => Object.fromEntries(TABLES.map((t) => [t, count(s, t)]));

/** The review names the problem, and applying refuses with the same code, changing nothing. */
async function refused<I extends TransferItem>(service: CertdeskService, applier: ItemApplier<I>, item: I, code: string, field?: string) {
  const before = snapshot(service);
  const review = await applier.review(item);
  expect(review.problem?.code, JSON.stringify(review.details)).toBe(code);
  expect(review.problem?.reason.length).toBeGreaterThan(10);
  await expect(applier.apply(item, origin())).rejects.toMatchObject(field ? { code, field } : { code });
  expect(snapshot(service)).toEqual(before);
  return review;
}

function csrWithKey(keyPath: string, subject: string): string {
  const r = openssl(['req', '-new', '-key', keyPath, '-subj', subject]);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('offline review: every problem is named, and refused with nothing changed', () => {
  it('on the signer: sign, revoke and CRL requests', async () => {
    const { signer } = await openPair();
    const s = signer.service;
    const at = signerAppliers(partsOf(s));
    const issuing = s.authorities.get('Test Issuing');
    const root = s.authorities.get('Test Root');
    const short = await s.createAuthority({ name: 'Short Issuing', parent: root.id, years: 1 });
    const client = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=orders-api');
    const base: SignRequestItem = {
      kind: 'sign-request',
      requestId: 'req_1',
      purpose: 'issue',
      csrPem: client.csr,
      issuerSha256: issuing.sha256Hex,
      profile: 'auth0-mtls-client',
      validityDays: 30,
      predecessorSerial: null,
      rotationJobId: null,
      note: 'orders',
    };
    expect((await at['sign-request'].review(base)).problem).toBeNull();

    await refused(s, at['sign-request'], { ...base, issuerSha256: 'ab'.repeat(32) }, 'ISSUER_UNKNOWN', 'issuerSha256');
    await refused(s, at['sign-request'], { ...base, issuerSha256: root.sha256Hex }, 'VALIDATION', 'issuerSha256');
    await refused(s, at['sign-request'], { ...base, profile: 'no-such-profile' }, 'PROFILE_UNKNOWN', 'profile');
    const der = Buffer.from(client.csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
    const badSig = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const review = await refused(s, at['sign-request'], { ...base, csrPem: badSig }, 'CSR_SIGNATURE_INVALID');
    expect(review.details.csrSignature).toBe('INVALID');
    await refused(s, at['sign-request'], { ...base, validityDays: 400 }, 'VALIDITY_OUT_OF_RANGE', 'days');
    await refused(
      s,
      at['sign-request'],
      { ...base, issuerSha256: short.sha256Hex, validityDays: 397 },
      'VALIDITY_OUT_OF_RANGE',
      'validityDays',
    );

    // Renewals: the predecessor must be known here, and the CSR must keep its subject and change its key.
    const predecessor = await s.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: client.csr, useCsrSubject: true } });
    const renew: SignRequestItem = {
      ...base,
      purpose: 'renew',
      predecessorSerial: predecessor.serialHex,
      csrPem: opensslCsr([...KEY_ARGS['ec-p256']], '/CN=orders-api').csr,
    };
    expect((await at['sign-request'].review(renew)).problem).toBeNull();
    await refused(s, at['sign-request'], { ...renew, predecessorSerial: '0badc0de' }, 'PREDECESSOR_UNKNOWN', 'predecessorSerial');
    await refused(s, at['sign-request'], { ...renew, predecessorSerial: null }, 'PREDECESSOR_UNKNOWN', 'predecessorSerial');
    await refused(
      s,
      at['sign-request'],
      { ...renew, csrPem: opensslCsr([...KEY_ARGS['ec-p256']], '/CN=someone-else').csr },
      'CSR_SUBJECT_MISMATCH',
      'csrPem',
    );
    await refused(
      s,
      at['sign-request'],
      { ...renew, purpose: 'rotate', csrPem: csrWithKey(client.keyPath, '/CN=orders-api') },
      'CSR_KEY_REUSED',
      'csrPem',
    );
    // A same-key renewal must carry the predecessor's own key; an issue has none to keep. The predecessor's key is reviewed as kept.
    await refused(s, at['sign-request'], { ...renew, sameKey: true }, 'CSR_KEY_NOT_KEPT', 'csrPem');
    const fresh = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=fresh-api').csr;
    await refused(s, at['sign-request'], { ...base, csrPem: fresh, sameKey: true }, 'VALIDATION', 'sameKey');
    const kept = await at['sign-request'].review({ ...renew, sameKey: true, csrPem: csrWithKey(client.keyPath, '/CN=orders-api') });
    expect(kept).toMatchObject({ problem: null, details: { keyHolder: expect.stringContaining("the predecessor's key, kept") } });
    expect(kept.effect).toContain("keeping the predecessor's key");
    expect((await at['sign-request'].review({ ...renew, keyHolder: 'workload' })).details.keyHolder).toBe(
      'key held by the workload (CSR mode): it never reaches certdesk',
    );
    // A second lineage for a DN an active certificate already has is named at review, not only when signing.
    await refused(
      s,
      at['sign-request'],
      { ...base, csrPem: opensslCsr([...KEY_ARGS['ec-p256']], '/CN=orders-api').csr },
      'SUBJECT_DN_CONFLICT',
      'csr',
    );
    // A review lists every problem it found, not only the first.
    const many = await at['sign-request'].review({
      ...renew,
      profile: 'nope',
      validityDays: 0,
      csrPem: csrWithKey(client.keyPath, '/CN=x'),
    });
    expect(many.details.problems).toMatch(/PROFILE_UNKNOWN.*CSR_SUBJECT_MISMATCH.*CSR_KEY_REUSED/);

    const revoke: RevokeRequestItem = {
      kind: 'revoke-request',
      requestId: 'req_2',
      issuerSha256: issuing.sha256Hex,
      serial: predecessor.serialHex,
      reason: 'superseded',
      note: '',
    };
    expect((await at['revoke-request'].review(revoke)).details.certificate).toContain(predecessor.serialHex);
    await refused(s, at['revoke-request'], { ...revoke, serial: '0badc0de' }, 'NOT_FOUND', 'serial');
    await refused(s, at['revoke-request'], { ...revoke, issuerSha256: 'cd'.repeat(32) }, 'ISSUER_UNKNOWN');
    await refused(s, at['revoke-request'], { ...revoke, reason: 'boredom' }, 'VALIDATION', 'reason');
    await s.revoke({ cert: predecessor.id });
    await refused(s, at['revoke-request'], revoke, 'ALREADY_REVOKED', 'serial');

    const crl: CrlRequestItem = {
      kind: 'crl-request',
      requestId: 'req_3',
      issuerSha256: issuing.sha256Hex,
      from: null,
      count: 4,
      periodHours: 168,
      note: '',
    };
    expect((await at['crl-request'].review(crl)).problem).toBeNull();
    await refused(s, at['crl-request'], { ...crl, count: 0 }, 'CRL_SERIES_OUT_OF_RANGE', 'count');
    await refused(s, at['crl-request'], { ...crl, count: 61 }, 'CRL_SERIES_OUT_OF_RANGE', 'count');
    await refused(s, at['crl-request'], { ...crl, periodHours: 1 }, 'CRL_SERIES_OUT_OF_RANGE', 'periodHours');
    await refused(s, at['crl-request'], { ...crl, periodHours: 24 * 32 }, 'CRL_SERIES_OUT_OF_RANGE', 'periodHours');
    await refused(s, at['crl-request'], { ...crl, count: 30 }, 'CRL_SERIES_OUT_OF_RANGE', 'count'); // 210 days
    await refused(s, at['crl-request'], { ...crl, from: '2020-01-01T00:00:00Z' }, 'CRL_SERIES_OUT_OF_RANGE', 'from');
    await refused(s, at['crl-request'], { ...crl, from: 'next tuesday' }, 'CRL_SERIES_OUT_OF_RANGE', 'from');
    await refused(
      s,
      at['crl-request'],
      { ...crl, issuerSha256: short.sha256Hex, count: 60, periodHours: 72 },
      'CRL_SERIES_OUT_OF_RANGE',
      'count',
    );
    await refused(s, at['crl-request'], { ...crl, issuerSha256: 'ef'.repeat(32) }, 'ISSUER_UNKNOWN');
  });

  it('on the publisher: answers to no request, certificates and CRLs from another CA, and bad requests are refused', async () => {
    const { signer, publisher } = await openPair();
    const other = await withIssuingCa(); // another signer, with CAs of the same names and other keys
    const p = publisher.service;
    const at = publisherAppliers(partsOf(p));
    const atSigner = signerAppliers(partsOf(signer.service));
    const queue = new MemoryQueue();

    // Bad requests are refused before anything is written or queued.
    const empty = snapshot(p);
    await expect(
      requestSignature(partsOf(p), queue, {
        purpose: 'issue',
        ca: 'Test Issuing',
        subject: { commonName: 'x' },
        source: { kind: 'generated' },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'ca' });
    const [otherIssuing] = caCertificateItems(other.service).slice(1) as CaCertificateItem[];
    // Its root may come earlier in the same bundle, so the review names what is missing and the
    // apply, in the bundle's order, refuses it when the root is still not held.
    const beforeOrphan = snapshot(p);
    const orphanReview = await at['ca-certificate'].review(otherIssuing!);
    expect(orphanReview.problem).toBeNull();
    expect(orphanReview.details.parent).toContain('not held yet');
    await expect(at['ca-certificate'].apply(otherIssuing!, origin())).rejects.toMatchObject({
      code: 'CHAIN_UNTRUSTED',
      field: 'certificatePem',
    });
    expect(snapshot(p)).toEqual(beforeOrphan);
    const leaf = await signer.service.issue({ ca: 'Test Issuing', subject: { commonName: 'leaf' }, source: { kind: 'generated' } });
    await refused(p, at['ca-certificate'], { kind: 'ca-certificate', certificatePem: leaf.pem }, 'VALIDATION', 'certificatePem');
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(at['ca-certificate'], item);
    const withCas = snapshot(p);
    expect(withCas.authorities).toBe(2);
    expect(() => requestCrlSeries(partsOf(p), queue, { ca: 'Test Issuing', count: 0, periodHours: 168 })).toThrow(
      expect.objectContaining({ code: 'CRL_SERIES_OUT_OF_RANGE', field: 'count' }),
    );
    await expect(requestSignature(partsOf(p), queue, { purpose: 'renew', source: { kind: 'generated' } })).rejects.toMatchObject({
      code: 'PREDECESSOR_UNKNOWN',
    });
    const csr = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=workload');
    const der = Buffer.from(csr.csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
    await expect(
      requestSignature(partsOf(p), queue, {
        purpose: 'issue',
        ca: 'Test Issuing',
        source: { kind: 'csr', csr: `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n` },
      }),
    ).rejects.toMatchObject({ code: 'CSR_SIGNATURE_INVALID' });
    expect(snapshot(p)).toEqual(withCas);
    expect(queue.items).toEqual([]);
    expect(empty.keys).toBe(0);

    // A real request, answered wrongly in every way but one.
    const made = await requestSignature(partsOf(p), queue, { purpose: 'issue', ca: 'Test Issuing', source: { kind: 'csr', csr: csr.csr } });
    const [request] = cross(queue.drain()) as SignRequestItem[];
    const [good] = cross(await atSigner['sign-request'].apply(request!, origin())) as IssuedCertificateItem[];
    await refused(p, at['issued-certificate'], { ...good!, requestId: 'req_never_made' }, 'REQUEST_UNKNOWN', 'requestId');
    const forged = await other.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: csr.csr, useCsrSubject: true } });
    await refused(p, at['issued-certificate'], { ...good!, certificatePem: forged.pem }, 'CHAIN_UNTRUSTED', 'certificatePem');
    const otherKey = await signer.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'workload-2' },
      source: { kind: 'generated' },
    });
    await refused(p, at['issued-certificate'], { ...good!, certificatePem: otherKey.pem }, 'VALIDATION', 'certificatePem');
    await refused(p, at['issued-certificate'], { ...good!, chainPem: [otherIssuing!.certificatePem] }, 'CHAIN_UNTRUSTED', 'chainPem.0');
    await approve(at['issued-certificate'], good!);
    expect(count(p, 'certificates')).toBe(1);
    expect(made.requestId).toBe(good!.requestId);

    // CRLs: signed by the CA they name, their summary their own.
    const crlItem = (view: { pem: string; crlNumber: number; thisUpdate: string; nextUpdate: string }, sha: string): CrlItem => ({
      kind: 'crl',
      requestId: null,
      issuerSha256: sha,
      crlPem: view.pem,
      thisUpdate: view.thisUpdate,
      nextUpdate: view.nextUpdate,
      crlNumber: String(view.crlNumber),
    });
    const sha = p.authorities.get('Test Issuing').sha256Hex;
    const foreign = await other.service.crls.generate('Test Issuing');
    await refused(p, at.crl, crlItem(foreign, sha), 'CRL_SIGNATURE_INVALID', 'crlPem');
    const real = await signer.service.crls.generate('Test Issuing');
    await refused(p, at.crl, { ...crlItem(real, sha), crlNumber: '99' }, 'VALIDATION', 'crlNumber');
    await refused(p, at.crl, { ...crlItem(real, sha), nextUpdate: '2099-01-01T00:00:00.000Z' }, 'VALIDATION', 'crlNumber');
    await refused(p, at.crl, crlItem(real, '12'.repeat(32)), 'ISSUER_UNKNOWN', 'issuerSha256');
    await approve(at.crl, crlItem(real, sha));
    // Another CRL under a number already held is refused; the same one again changes nothing.
    const issuer = await signer.service.authorities.issuerMaterial(signer.service.authorities.get('Test Issuing'));
    const thisUpdate = new Date(Date.parse(real.thisUpdate) + 60_000);
    const nextUpdate = new Date(Date.parse(real.nextUpdate) + 60_000);
    const twin = await createCrl({ issuer, crlNumber: real.crlNumber, thisUpdate, nextUpdate, revoked: [] });
    const clash = {
      pem: crlToPem(new Uint8Array(twin.rawData)),
      crlNumber: real.crlNumber,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
    };
    await refused(p, at.crl, crlItem(clash, sha), 'CONFLICT', 'crlPem');
    expect(await at.crl.apply(crlItem(real, sha), origin())).toEqual([]);
    expect(count(p, 'crls')).toBe(1);
  });
});
