/**
 * The offline workstation end to end, through the CLI: a signer with no network (every one of its
 * commands runs in a new network namespace, `unshare -n`, on a passphrase vault and no keychain)
 * and a publisher, joined only by files. Pairing, the CA certificates, an issue request with a key
 * the publisher makes, a pre-signed CRL series, the answers applied on the publisher, and openssl
 * verifying the result with the CRL the publisher now serves.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateToPem } from '../../src/main/core/pki/pem.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import { NO_NETWORK, SIGNER_FLOW, pairWorkstations, publisherFolder, signerFolder, type Json } from '../support/offline-folders.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

describe('the offline workstation, signer and publisher joined by files', SIGNER_FLOW, () => {
  it('pairs, carries CA certificates, a request and its answer across, and the publisher serves a verified certificate and CRL', async () => {
    const signer = signerFolder();
    const publisher = publisherFolder();
    const files = tempDir();
    const file = (name: string) => join(files, name);

    // The signer really has no network: from its namespace, a listener on this machine's loopback is unreachable.
    const listener = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    let reached = 0;
    listener.on('connection', () => (reached += 1));
    const probe = spawnSync(NO_NETWORK[0]!, [
      ...NO_NETWORK.slice(1),
      process.execPath,
      '-e',
      `require('node:net').connect(${port}, '127.0.0.1').on('connect', () => console.log('connected')).on('error', (e) => console.log(e.code))`,
    ]);
    listener.close();
    expect(probe.stdout.toString().trim()).toBe('ENETUNREACH');
    expect(reached).toBe(0);

    await pairWorkstations(signer, publisher, files);

    // A publisher does not send CA certificates, and a signer makes no requests: each is told its role.
    expect((await publisher.raw('transfer', 'send-ca')).json.error).toMatchObject({ code: 'TRANSFER_ROLE' });
    expect(((await signer.raw('request', 'crl', 'Offline Issuing')).json as Json).error).toMatchObject({ code: 'TRANSFER_ROLE' });

    // 1. signer → publisher: the CA certificates.
    expect(await signer.run('transfer', 'send-ca')).toHaveLength(2);
    await signer.run('transfer', 'export', '--out', file('1.cdx'));
    const first = await publisher.run('transfer', 'import', file('1.cdx'));
    // With the signer's audit entries so far, which continue its chain on the publisher.
    expect((first.items as Array<{ kind: string; decision: string }>).map((i) => [i.kind, i.decision])).toEqual([
      ['ca-certificate', 'pending'],
      ['ca-certificate', 'pending'],
      ['audit-entries', 'pending'],
    ]);
    await publisher.run('transfer', 'approve', first.id as string, '--all');
    const cas = (await publisher.run('ca', 'list')) as unknown as Array<{ name: string }>;
    expect(cas.map((c) => c.name).sort()).toEqual(['Offline Issuing', 'Offline Root']);

    // 2. publisher → signer: a certificate with a key made here, and a CRL series.
    const issue = await publisher.run(
      'request',
      'issue',
      '--ca',
      'Offline Issuing',
      '--cn',
      'payments-api',
      '--san',
      'dns:payments.example.com',
      '--note',
      'new workload',
    );
    await publisher.run('request', 'crl', 'Offline Issuing', '--count', '3', '--period-hours', '24');
    await publisher.run('transfer', 'export', '--out', file('2.cdx'));

    const second = await signer.run('transfer', 'import', file('2.cdx'));
    const review = second.items as Array<{ kind: string; decision: string; effect: string; details: Record<string, string> }>;
    expect(review.map((i) => [i.kind, i.decision])).toEqual([
      ['sign-request', 'pending'],
      ['crl-request', 'pending'],
    ]);
    expect(review[0]!.effect).toContain('payments-api');
    expect(JSON.stringify(review[0]!.details)).toContain('new workload');
    await signer.run('transfer', 'approve', second.id as string, '--all');
    await signer.run('transfer', 'export', '--out', file('3.cdx'));

    // 3. signer → publisher: the certificate, three CRLs and the signer's audit entries.
    const third = await publisher.run('transfer', 'import', file('3.cdx'));
    const kinds = (third.items as Array<{ kind: string; decision: string }>).map((i) => i.kind);
    expect(kinds.filter((k) => k === 'crl')).toHaveLength(3);
    expect(kinds).toEqual(expect.arrayContaining(['issued-certificate', 'audit-entries']));
    const applied = await publisher.run('transfer', 'approve', third.id as string, '--all');
    expect(applied.refused).toEqual([]);
    expect((await publisher.raw('transfer', 'import', file('3.cdx'))).json.error).toMatchObject({ code: 'TRANSFER_REPLAY' });

    const requests = (await publisher.run('request', 'list')) as unknown as Array<{
      requestId: string;
      state: string;
      certificateId: string | null;
    }>;
    const answered = requests.find((r) => r.requestId === issue.requestId)!;
    expect(answered.state).toBe('answered');
    expect(answered.certificateId).toEqual(expect.any(String));

    // openssl, independently: the certificate chains to the root and is not on the CRL in effect.
    const service = CertdeskService.open({ dataDir: publisher.dir, secretStore: publisher.secretStore, mode: 'cli' });
    try {
      const cert = await service.getCertificate({ cert: answered.certificateId! });
      expect(cert.keyStorage).toBe('sealed');
      expect(cert.subject).toContain('payments-api');
      const crl = await service.crls.current('Offline Issuing');
      const root = service.authorities.list().find((a) => a.name === 'Offline Root')!;
      writeFileSync(file('leaf.pem'), cert.pem);
      writeFileSync(file('chain.pem'), cert.chainPem);
      writeFileSync(file('root.pem'), certificateToPem(service.authorities.get(root.id).certDer));
      writeFileSync(file('crl.pem'), crl.pem);
      const verified = openssl([
        'verify',
        '-CAfile',
        file('root.pem'),
        '-untrusted',
        file('chain.pem'),
        '-crl_check',
        '-CRLfile',
        file('crl.pem'),
        file('leaf.pem'),
      ]);
      expect(verified.output).toContain(`${file('leaf.pem')}: OK`);
      const signed = openssl(['crl', '-in', file('crl.pem'), '-noout', '-CAfile', file('chain.pem')]);
      expect(signed.output).toContain('verify OK');
    } finally {
      service.close();
      await service.audit.settle();
    }
  });
});
