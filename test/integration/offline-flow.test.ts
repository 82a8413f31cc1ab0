import 'reflect-metadata';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import { OutgoingRequests } from '../../src/main/core/offline/outgoing-requests.ts';
import { requestRevocation, requestSignature } from '../../src/main/core/offline/requests.ts';
import type {
  AuditEntriesItem,
  CaCertificateItem,
  IssuedCertificateItem,
  RefusalItem,
  SignRequestItem,
} from '../../src/shared/contract/index.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { openssl } from '../support/openssl.ts';
import { approve, caCertificateItems, count, cross, MemoryQueue, openPair, origin, partsOf } from '../support/offline-pair.ts';
import { files, KEY_ARGS, opensslCsr } from '../support/pki.ts';

describe('offline workstation: signer and publisher in two data folders', () => {
  it('carries CA certificates, an issue with a publisher-sealed key, a CSR-mode renewal and a revocation across the gap', async () => {
    const { signer, publisher } = await openPair();
    const atSigner = signerAppliers(partsOf(signer.service));
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    const queue = new MemoryQueue();

    // The publisher learns the CA certificates: root first, then the issuing CA; certificates only.
    for (const item of cross(caCertificateItems(signer.service)) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);
    const cas = publisher.service.authorities.list();
    expect(cas.map((a) => a.name)).toEqual(['Test Root', 'Test Issuing']);
    expect(count(publisher.service, 'keys')).toBe(0);
    expect(publisher.service.authorities.get('Test Issuing').keyId).toBeNull();
    await expect(publisher.service.crls.generate('Test Issuing')).rejects.toMatchObject({ code: 'NO_PRIVATE_KEY', field: 'ca' });
    // The same CA certificate again changes nothing.
    const again = (cross(caCertificateItems(signer.service)) as CaCertificateItem[])[0]!;
    expect((await atPublisher['ca-certificate'].review(again)).effect).toMatch(/already held/);
    expect(await atPublisher['ca-certificate'].apply(again, origin())).toEqual([]);
    expect(publisher.service.authorities.list()).toHaveLength(2);

    // Issue: the publisher generates and seals the key and makes the CSR; the request keeps the sealed key's id.
    const issued = await requestSignature(partsOf(publisher.service), queue, {
      purpose: 'issue',
      ca: 'Test Issuing',
      subject: { commonName: 'payments-api', organization: 'Acme' },
      sans: [{ type: 'dns', value: 'payments.example.com' }],
      source: { kind: 'generated' },
      note: 'new client for payments',
    });
    expect(queue.items.map((q) => [q.id, q.direction, q.item.kind])).toEqual([['q1', 'to-signer', 'sign-request']]);
    const requests = new OutgoingRequests(publisher.service.db);
    const record = requests.get(issued.requestId)!;
    expect(record).toMatchObject({ kind: 'sign-request', purpose: 'issue', state: 'queued', queueId: 'q1', predecessorId: null });
    expect(record.keyId).toMatch(/^key_/);
    expect(count(publisher.service, 'keys')).toBe(1);

    const [request] = cross(queue.drain()) as SignRequestItem[];
    const review = await atSigner['sign-request'].review(request!);
    expect(review.problem).toBeNull();
    expect(review.effect).toBe(`Sign ${review.details.subject} under Test Issuing, profile auth0-mtls-client, 90 days`);
    expect(review.details).toMatchObject({
      sans: 'dns:payments.example.com',
      key: 'ECDSA P-256',
      csrSignature: 'valid',
      profile: 'auth0-mtls-client',
      predecessor: 'none (a new certificate)',
      note: 'new client for payments',
    });
    expect(review.details.subject).toContain('payments-api');
    expect(review.details.issuer).toMatch(/^Test Issuing \(/);
    expect(review.details.validity).toMatch(/^90 days, until /);
    const answer = cross(await atSigner['sign-request'].apply(request!, origin())) as IssuedCertificateItem[];
    expect(answer).toHaveLength(1);
    expect(answer[0]!.chainPem).toHaveLength(1); // the issuing CA, without the root
    // Signed through the desk's own CSR path: in the signer's inventory, linted and audited like any other.
    const atSignerCert = await signer.service.inventory.get(new X509Certificate(answer[0]!.certificatePem).serialNumber.toLowerCase());
    expect(atSignerCert).toMatchObject({ keyStorage: 'csr-only', profile: 'auth0-mtls-client' });
    expect(signer.service.listAudit({}).items.map((e) => e.action)).toEqual(expect.arrayContaining(['cert.sign-csr', 'offline.sign']));

    const pubReview = await atPublisher['issued-certificate'].review(answer[0]!);
    expect(pubReview.problem).toBeNull();
    expect(pubReview.details.key).toBe('generated and sealed here');
    expect(await atPublisher['issued-certificate'].apply(answer[0]!, origin())).toEqual([]);
    const held = await publisher.service.inventory.get(atSignerCert.serialHex);
    expect(held).toMatchObject({ keyStorage: 'sealed', status: 'active', replacesId: null });
    expect(requests.get(issued.requestId)).toMatchObject({ state: 'answered', certificateId: held.id });
    // The sealed key is the certificate's key: openssl agrees the two public keys are one.
    const row = publisher.service.edgeContext().certificates.get(held.id, new Date())!;
    expect(row.keyId).toBe(record.keyId);
    const sealed = publisher.service.edgeContext().keys.get(row.keyId!)!;
    const pkcs8 = await publisher.service.vault.openKey(row.keyId!, sealed.sealed);
    const keyPub = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({
      type: 'spki',
      format: 'pem',
    });
    expect(openssl(['x509', '-noout', '-pubkey'], held.pem).stdout).toBe(keyPub);
    const f = files({ 'cas.pem': cas.map((a) => a.pem).join(''), 'leaf.pem': held.pem });
    expect(openssl(['verify', '-CAfile', f['cas.pem']!, f['leaf.pem']!]).output).toContain('leaf.pem: OK');
    // The same answer again is refused and changes nothing.
    const before = count(publisher.service, 'certificates');
    expect((await atPublisher['issued-certificate'].review(answer[0]!)).problem?.code).toBe('CONFLICT');
    await expect(atPublisher['issued-certificate'].apply(answer[0]!, origin())).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(count(publisher.service, 'certificates')).toBe(before);

    // Renew in CSR mode: the workload's new key and CSR; the successor links to its predecessor on both sides.
    // The workload's CSR names the predecessor's subject, in certificate order.
    const renewal = await requestSignature(partsOf(publisher.service), queue, {
      purpose: 'renew',
      predecessor: held.id,
      days: 30,
      source: { kind: 'csr', csr: opensslCsr([...KEY_ARGS['ec-p256']], `/${held.subjectLines.split('\n').join('/')}`).csr },
    });
    expect(requests.get(renewal.requestId)).toMatchObject({ keyId: null, predecessorId: held.id, purpose: 'renew' });
    const [renewRequest] = cross(queue.drain()) as SignRequestItem[];
    expect(renewRequest!.predecessorSerial).toBe(held.serialHex);
    const renewReview = await atSigner['sign-request'].review(renewRequest!);
    expect(renewReview.problem).toBeNull();
    expect(renewReview.details.predecessor).toContain(held.serialHex);
    const [successorItem] = cross(await atSigner['sign-request'].apply(renewRequest!, origin())) as IssuedCertificateItem[];
    await approve(atPublisher['issued-certificate'], successorItem!);
    const successor = await publisher.service.inventory.get(new X509Certificate(successorItem!.certificatePem).serialNumber.toLowerCase());
    expect(successor).toMatchObject({ keyStorage: 'csr-only', replacesId: held.id });
    expect((await publisher.service.inventory.get(held.id)).status).toBe('superseded');
    expect(new Date(successor.notAfter).getTime() - new Date(successor.notBefore).getTime()).toBeLessThan(31 * 86_400_000);

    // Revoke across the gap: the signer revokes and answers with CRLs; the publisher's inventory follows.
    const revocation = requestRevocation(partsOf(publisher.service), queue, {
      cert: successor.id,
      reason: 'keyCompromise',
      note: 'laptop lost',
    });
    const [revokeRequest] = cross(queue.drain());
    const revokeReview = await atSigner['revoke-request'].review(revokeRequest as never);
    expect(revokeReview.problem).toBeNull();
    expect(revokeReview.details).toMatchObject({ reason: 'keyCompromise', note: 'laptop lost' });
    const crlItems = cross(await atSigner['revoke-request'].apply(revokeRequest as never, origin()));
    expect(crlItems.length).toBeGreaterThanOrEqual(1);
    for (const item of crlItems) await approve(atPublisher.crl, item as never);
    expect(await publisher.service.inventory.get(successor.id)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
    expect(requests.get(revocation.requestId)?.state).toBe('answered');
    // The publisher serves the signer's CRL for its key-less CA (the edge's path), listing the revocation.
    const served = await publisher.service.crls.current('Test Issuing');
    expect(openssl(['crl', '-noout', '-text'], served.pem).output.toLowerCase()).toContain(successor.serialHex);
  });

  it('a refusal closes the request by name, and the signer audit chain is kept and continued only in order', async () => {
    const { signer, publisher } = await openPair();
    const atSigner = signerAppliers(partsOf(signer.service));
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    const queue = new MemoryQueue();
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);

    // A request the signer must refuse: 397 days is the profile's maximum, but the request says 400.
    const r = await requestSignature(partsOf(publisher.service), queue, {
      purpose: 'issue',
      ca: 'Test Issuing',
      subject: { commonName: 'too-long' },
      source: { kind: 'generated' },
    });
    const [item] = cross(queue.drain()) as SignRequestItem[];
    const tampered = { ...item!, validityDays: 400 };
    const error = await atSigner['sign-request'].apply(tampered, origin()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertdeskError);
    const refusal: RefusalItem = {
      kind: 'refusal',
      requestId: r.requestId,
      code: (error as CertdeskError).code,
      reason: (error as CertdeskError).message,
    };
    expect(refusal.code).toBe('VALIDITY_OUT_OF_RANGE');
    await approve(atPublisher.refusal, refusal);
    expect(new OutgoingRequests(publisher.service.db).get(r.requestId)).toMatchObject({
      state: 'refused',
      refusalCode: 'VALIDITY_OUT_OF_RANGE',
    });
    // A refusal for a request never made, or already closed, is refused and changes nothing.
    const audit = count(publisher.service, 'audit_log');
    expect((await atPublisher.refusal.review({ ...refusal, requestId: 'req_nope' })).problem?.code).toBe('REQUEST_UNKNOWN');
    await expect(atPublisher.refusal.apply(refusal, origin())).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(count(publisher.service, 'audit_log')).toBe(audit);

    // The signer's audit entries, in two bundles: the second continues the first.
    const entries = signer.service.listAudit({ limit: 500 }).items.sort((a, b) => a.seq - b.seq);
    const slice = (from: number, to: number, previousHash: string): AuditEntriesItem => ({
      kind: 'audit-entries',
      fromSeq: from,
      toSeq: to,
      previousHash,
      entries: entries.filter((e) => e.seq >= from && e.seq <= to),
    });
    const last = entries.at(-1)!.seq;
    expect(last).toBeGreaterThanOrEqual(3);
    await approve(atPublisher['audit-entries'], cross([slice(1, 2, '')])[0]!);
    // A gap (entry 3 skipped), a wrong link, and an altered entry are each refused with nothing stored.
    const gap = slice(4, last, entries[2]!.hash);
    expect((await atPublisher['audit-entries'].review(gap)).problem?.code).toBe('AUDIT_CHAIN_GAP');
    const wrongLink = slice(3, last, 'f'.repeat(64));
    await expect(atPublisher['audit-entries'].apply(wrongLink, origin())).rejects.toMatchObject({ code: 'AUDIT_CHAIN_GAP' });
    const altered = slice(3, last, entries[1]!.hash);
    altered.entries = altered.entries.map((e, i) => (i === 0 ? { ...e, action: 'ca.delete' } : e));
    await expect(atPublisher['audit-entries'].apply(altered, origin())).rejects.toMatchObject({ code: 'AUDIT_CHAIN_GAP' });
    expect(count(publisher.service, 'signer_audit')).toBe(2);
    await approve(atPublisher['audit-entries'], cross([slice(3, last, entries[1]!.hash)])[0]!);
    expect(count(publisher.service, 'signer_audit')).toBe(last);
  });
});
