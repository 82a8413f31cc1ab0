import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import { CRL_SERIES_OVERLAP_HOURS } from '../../src/main/core/offline/crl-series.ts';
import { crlSeriesStatus, currentCrl } from '../../src/main/core/offline/crl-store.ts';
import { requestCrlSeries } from '../../src/main/core/offline/requests.ts';
import type { CaCertificateItem, CrlItem, CrlRequestItem, RevokeRequestItem } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { approve, caCertificateItems, cross, MemoryQueue, openPair, origin, partsOf } from '../support/offline-pair.ts';
import { files } from '../support/pki.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 7, 12);
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** What openssl reads in a CRL: its dates and number. */
function opensslCrlFacts(pem: string) {
  const text = openssl(['crl', '-noout', '-text'], pem).output;
  const date = (label: string) => Date.parse(new RegExp(`${label}: (.+GMT)`).exec(text)![1]!.replace(/\s+/g, ' '));
  return { thisUpdate: date('Last Update'), nextUpdate: date('Next Update'), number: Number(/CRL Number:\s+(\d+)/.exec(text)![1]), text };
}

describe('pre-signed CRL series across the gap', () => {
  it('signs count CRLs one period apart with rising numbers; openssl refuses a revoked leaf at every covered time and reports expiry after', async () => {
    let signerNow = T0;
    let publisherNow = T0;
    const { signer, publisher } = await openPair({
      signer: { now: () => new Date(signerNow) },
      publisher: { now: () => new Date(publisherNow) },
    });
    const atSigner = signerAppliers(partsOf(signer.service));
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);
    const revoked = await signer.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'lost-laptop' },
      source: { kind: 'generated' },
    });
    const good = await signer.service.issue({ ca: 'Test Issuing', subject: { commonName: 'still-good' }, source: { kind: 'generated' } });
    await signer.service.revoke({ cert: revoked.id, reason: 'keyCompromise' });
    const before = (await signer.service.crls.generate('Test Issuing')).crlNumber;

    const queue = new MemoryQueue();
    requestCrlSeries(partsOf(publisher.service), queue, { ca: 'Test Issuing', count: 4, periodHours: 168, note: 'four weeks away' });
    const [request] = cross(queue.drain()) as CrlRequestItem[];
    signerNow = T0 + HOUR; // the signer applies an hour later, by its own clock
    const review = await atSigner['crl-request'].review(request!);
    expect(review.problem).toBeNull();
    expect(review.details).toMatchObject({
      count: '4',
      periodHours: '168',
      crlNumbers: `${before + 1}…${before + 4}`,
      revoked: '1',
      firstThisUpdate: new Date(T0 + HOUR).toISOString(),
      note: 'four weeks away',
    });
    const series = cross(await atSigner['crl-request'].apply(request!, origin())) as CrlItem[];
    expect(series).toHaveLength(4);
    const start = T0 + HOUR;
    const cas = files({
      'cas.pem': signer.service.authorities
        .list()
        .map((a) => a.pem)
        .join(''),
    });
    series.forEach((item, i) => {
      expect(item).toMatchObject({ requestId: request!.requestId, crlNumber: String(before + 1 + i) });
      const facts = opensslCrlFacts(item.crlPem);
      expect(facts.thisUpdate).toBe(start + i * 7 * DAY);
      expect(facts.nextUpdate).toBe(start + (i + 1) * 7 * DAY + CRL_SERIES_OVERLAP_HOURS * HOUR);
      expect(facts.number).toBe(before + 1 + i);
      expect(facts.text.toLowerCase()).toContain(revoked.serialHex);
      expect(openssl(['crl', '-noout', '-CAfile', cas['cas.pem']!], item.crlPem).output).toContain('verify OK');
    });
    // Later CRLs the signer makes number above the series.
    expect((await signer.service.crls.generate('Test Issuing')).crlNumber).toBe(before + 5);

    for (const item of series) await approve(atPublisher.crl, item);
    const f = files({ 'series.pem': series.map((s) => s.crlPem).join(''), 'revoked.pem': revoked.pem, 'good.pem': good.pem });
    const verifyAt = (leaf: string, at: number, crlFile = f['series.pem']!) =>
      openssl(['verify', '-crl_check', '-attime', seconds(at), '-CAfile', cas['cas.pem']!, '-CRLfile', crlFile, leaf]);
    const times = [start + HOUR, start + 7 * DAY + 30 * 60_000, start + 15 * DAY, start + 27 * DAY, start + 28 * DAY + 30 * 60_000];
    for (const at of times) {
      const bad = verifyAt(f['revoked.pem']!, at);
      expect(bad.status, new Date(at).toISOString()).not.toBe(0);
      expect(bad.output).toContain('certificate revoked');
      expect(verifyAt(f['good.pem']!, at).output).toContain('good.pem: OK');
      // The publisher serves exactly one CRL per CA at a time: the one in effect, which openssl accepts on its own.
      const served = currentCrl(publisher.service.edgeContext(), 'Test Issuing', new Date(at))!;
      const only = files({ 'crl.pem': served.pem });
      expect(verifyAt(f['revoked.pem']!, at, only['crl.pem']).output).toContain('certificate revoked');
      expect(verifyAt(f['good.pem']!, at, only['crl.pem']).output).toContain('good.pem: OK');
    }
    expect(currentCrl(publisher.service.edgeContext(), 'Test Issuing', new Date(start + 15 * DAY))!.crlNumber).toBe(before + 3);
    expect(currentCrl(publisher.service.edgeContext(), 'Test Issuing', new Date(start - DAY))).toBeNull();
    const after = start + 28 * DAY + 2 * HOUR;
    const expired = verifyAt(f['good.pem']!, after);
    expect(expired.status).not.toBe(0);
    expect(expired.output).toContain('CRL has expired');

    // The publisher's edge path (Crls.current for its key-less CA) serves the series and names its end.
    publisherNow = start + 10 * DAY;
    expect((await publisher.service.crls.current('Test Issuing')).crlNumber).toBe(before + 2);
    expect(crlSeriesStatus(publisher.service.edgeContext(), new Date(publisherNow))).toEqual([
      expect.objectContaining({ name: 'Test Root', lastPresignedNextUpdate: null, warn: true }),
      expect.objectContaining({
        name: 'Test Issuing',
        lastPresignedNextUpdate: new Date(start + 28 * DAY + HOUR).toISOString(),
        daysLeft: 18,
        warn: false,
        current: expect.objectContaining({ crlNumber: before + 2, expired: false }),
      }),
    ]);
    expect(crlSeriesStatus(publisher.service.edgeContext(), new Date(start + 22 * DAY))[1]).toMatchObject({ daysLeft: 6, warn: true });
    publisherNow = after;
    await expect(publisher.service.crls.current('Test Issuing')).rejects.toMatchObject({ code: 'CRL_SERIES_EXHAUSTED', field: 'ca' });
    expect(crlSeriesStatus(publisher.service.edgeContext(), new Date(after))[1]).toMatchObject({ warn: true, current: { expired: true } });
  });

  it('a revocation after the series replaces it from now on: the CRL in effect at each later time lists the new revocation', async () => {
    let signerNow = T0;
    const { signer, publisher } = await openPair({ signer: { now: () => new Date(signerNow) }, publisher: { now: () => new Date(T0) } });
    const atSigner = signerAppliers(partsOf(signer.service));
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);
    const leaf = await signer.service.issue({ ca: 'Test Issuing', subject: { commonName: 'later-lost' }, source: { kind: 'generated' } });
    const queue = new MemoryQueue();
    requestCrlSeries(partsOf(publisher.service), queue, { ca: 'Test Issuing', count: 4, periodHours: 168 });
    const series = cross(await atSigner['crl-request'].apply(cross(queue.drain())[0] as CrlRequestItem, origin())) as CrlItem[];
    for (const item of series) await approve(atPublisher.crl, item);

    signerNow = T0 + 2 * DAY;
    const issuer = signer.service.authorities.get('Test Issuing');
    const revoke: RevokeRequestItem = {
      kind: 'revoke-request',
      requestId: 'req_direct',
      issuerSha256: issuer.sha256Hex,
      serial: leaf.serialHex,
      reason: 'keyCompromise',
      note: '',
    };
    const replacement = cross(await atSigner['revoke-request'].apply(revoke, origin())) as CrlItem[];
    expect(Number(replacement[0]!.crlNumber)).toBe(Number(series.at(-1)!.crlNumber) + 1);
    expect(Date.parse(replacement.at(-1)!.nextUpdate)).toBeGreaterThanOrEqual(Date.parse(series.at(-1)!.nextUpdate));
    for (const item of replacement) await approve(atPublisher.crl, item);
    const cas = files({
      'cas.pem': signer.service.authorities
        .list()
        .map((a) => a.pem)
        .join(''),
      'leaf.pem': leaf.pem,
    });
    for (const at of [T0 + 2 * DAY + HOUR, T0 + 8 * DAY, T0 + 22 * DAY, T0 + 27 * DAY]) {
      const served = currentCrl(publisher.service.edgeContext(), 'Test Issuing', new Date(at))!;
      expect(served.crlNumber).toBeGreaterThan(Number(series.at(-1)!.crlNumber));
      const only = files({ 'crl.pem': served.pem });
      const r = openssl([
        'verify',
        '-crl_check',
        '-attime',
        seconds(at),
        '-CAfile',
        cas['cas.pem']!,
        '-CRLfile',
        only['crl.pem']!,
        cas['leaf.pem']!,
      ]);
      expect(r.output, new Date(at).toISOString()).toContain('certificate revoked');
    }
  });
});
