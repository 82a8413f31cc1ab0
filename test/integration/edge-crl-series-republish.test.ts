/**
 * Issue 12 §5: a publisher holds a pre-signed CRL series and no CA key. When the next CRL of the series
 * begins, the background round republishes the edge (the Edge page's publish path, audited, with its
 * approved reload), and real nginx then uses it. Time is certdesk's injectable clock; nginx keeps the
 * real one, so the series is placed around the real now: CRL 1 has already run out for nginx, CRL 2 is
 * valid, CRL 3 has not begun.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import { crlSeriesStatus } from '../../src/main/core/offline/crl-store.ts';
import { requestCrlSeries } from '../../src/main/core/offline/requests.ts';
import { startBackgroundWork, type Notice } from '../../src/main/host/background.ts';
import type { CaCertificateItem, CrlItem, CrlRequestItem } from '../../src/shared/contract/index.ts';
import { edgeRig } from '../support/edge-rig.ts';
import { approve, caCertificateItems, count, cross, MemoryQueue, openPair, origin, partsOf } from '../support/offline-pair.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The CRL number of the first CRL in a PEM file, as openssl reads it: the issuing CA's (the bundle lists it first). */
function crlNumberOf(file: string): number {
  const out = openssl(['crl', '-in', file, '-noout', '-crlnumber']);
  if (out.status !== 0) throw new Error(out.output);
  return parseInt(/crlNumber=(?:0x)?([0-9A-Fa-f]+)/.exec(out.stdout)![1]!, 16);
}

const fileState = (file: string) => ({
  mtimeMs: statSync(file).mtimeMs,
  sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
});

describe('automatic edge republish when the next pre-signed CRL begins', () => {
  it('republishes and reloads real nginx once CRL 2 begins, and does nothing at all while nothing changed', async () => {
    const realNow = Math.floor(Date.now() / 1000) * 1000;
    // The signer signs 25 h 10 min ago by its clock: CRL 1 ran out 10 min ago (real time), CRL 2 began 70 min ago.
    const signedAt = realNow - 25 * HOUR - 10 * MINUTE;
    let publisherNow = signedAt + 2 * HOUR;
    const { signer, publisher } = await openPair({
      signer: { now: () => new Date(signedAt) },
      publisher: { now: () => new Date(publisherNow) },
    });
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);
    const client = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=payments-client');
    const lost = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=lost-laptop');
    const good = await signer.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: client.csr, useCsrSubject: true } });
    const revoked = await signer.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: lost.csr, useCsrSubject: true } });
    await signer.service.revoke({ cert: revoked.id, reason: 'keyCompromise' });

    const queue = new MemoryQueue();
    requestCrlSeries(partsOf(publisher.service), queue, { ca: 'Test Issuing', count: 3, periodHours: 24 });
    requestCrlSeries(partsOf(publisher.service), queue, { ca: 'Test Root', count: 1, periodHours: 168 });
    const atSigner = signerAppliers(partsOf(signer.service));
    const series: CrlItem[] = [];
    for (const request of cross(queue.drain()) as CrlRequestItem[])
      series.push(...(cross(await atSigner['crl-request'].apply(request, origin())) as CrlItem[]));
    for (const item of series) await approve(atPublisher.crl, item);
    const issuingSeries = series.filter((s) => s.issuerSha256 === signer.service.authorities.get('Test Issuing').sha256Hex);
    const numbers = issuingSeries.map((s) => Number(s.crlNumber));
    expect(numbers).toHaveLength(3);

    const rig = await edgeRig();
    const crlFile = join(rig.settings.bundleDir, 'crl.pem');
    await publisher.service.publishEdge({ ca: 'Test Issuing', dir: rig.settings.bundleDir, settings: rig.settings });
    expect(crlNumberOf(crlFile)).toBe(numbers[0]);
    const nginx = await rig.start();
    // The operator chooses the nginx preset once: the automatic republish replays exactly this approved reload.
    const firstReload = nginx.logMark();
    const chosen = await publisher.service.publishEdge({
      ca: 'Test Issuing',
      dir: rig.settings.bundleDir,
      settings: rig.settings,
      reload: { preset: 'nginx' },
    });
    expect(chosen.reload, chosen.reload?.output).toMatchObject({ status: 0 });
    // `nginx -s reload` returns once it has signalled: wait for that reload to finish, so the log
    // mark below sees only the republish's own reload.
    await nginx.reloaded(firstReload);

    const call = (cert: { pem: string }, keyPath: string) => rig.token({ cert: cert.pem, key: readFileSync(keyPath, 'utf8') });
    // For nginx (real time) CRL 1 has run out: every client is refused until the edge gets CRL 2.
    expect(await call(good, client.keyPath)).toMatchObject({ status: 400 });
    expect(nginx.errorLog()).toContain('CRL has expired');

    const notices: Notice[] = [];
    const background = startBackgroundWork(publisher.service, { notify: (n) => notices.push(n), intervalMs: 24 * HOUR });
    onTestFinished(() => background.stop());
    const unchanged = () => ({
      file: fileState(crlFile),
      audit: count(publisher.service, 'audit_log'),
      publications: count(publisher.service, 'edge_publications'),
    });

    // Start of the app: CRL 2 has not begun by certdesk's clock, so nothing is written, reloaded or audited.
    const before = unchanged();
    await background.tick();
    expect(unchanged()).toEqual(before);
    expect(notices.filter((n) => n.title.startsWith('Edge republished'))).toEqual([]);

    // certdesk's clock reaches the real now: CRL 2 has begun, and the round republishes and reloads.
    publisherNow = realNow;
    const mark = nginx.logMark();
    await background.tick();
    await nginx.reloaded(mark);
    expect(crlNumberOf(crlFile)).toBe(numbers[1]);
    expect(notices.filter((n) => n.title.startsWith('Edge republished'))).toEqual([
      expect.objectContaining({ body: expect.stringContaining(`Test Issuing #${numbers[1]}`) }),
    ]);
    const [latest] = publisher.service.edgeHistory({ limit: 1 });
    expect(latest).toMatchObject({ reloadStatus: 0, crlNumbers: { 'Test Issuing': numbers[1] } });
    const entry = publisher.service.db
      .prepare("SELECT details FROM audit_log WHERE action = 'edge.publish' ORDER BY seq DESC LIMIT 1")
      .get() as { details: string };
    expect(JSON.parse(entry.details)).toMatchObject({ trigger: 'crl-series', crlNumbers: { 'Test Issuing': numbers[1] } });
    const afterRepublish = await call(good, client.keyPath);
    expect(afterRepublish, `${JSON.stringify(afterRepublish.body)}\n${nginx.errorLog()}`).toMatchObject({ status: 200 });
    expect(await call(revoked, lost.keyPath)).toMatchObject({ status: 400 });

    // The next rounds change nothing while CRL 2 stays in effect.
    const after = unchanged();
    await background.tick();
    expect(unchanged()).toEqual(after);

    // The Schedule's view: the last pre-signed CRL (CRL 3) runs out within the warning window, not yet past.
    const [issuing] = crlSeriesStatus(publisher.service.edgeContext(), new Date(publisherNow)).filter((s) => s.name === 'Test Issuing');
    expect(issuing).toMatchObject({ state: 'warn', warn: true, current: { crlNumber: numbers[1], expired: false } });
    const ranOut = crlSeriesStatus(publisher.service.edgeContext(), new Date(realNow + 3 * 24 * HOUR));
    expect(ranOut.find((s) => s.name === 'Test Issuing')).toMatchObject({ state: 'expired', warn: true });
  });
});
