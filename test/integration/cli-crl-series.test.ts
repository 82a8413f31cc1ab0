import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import { requestCrlSeries } from '../../src/main/core/offline/requests.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import type { CaCertificateItem, CrlItem, CrlRequestItem } from '../../src/shared/contract/index.ts';
import { approve, caCertificateItems, cross, MemoryQueue, origin, partsOf } from '../support/offline-pair.ts';
import { withIssuingCa } from '../support/pki.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

describe('certdesk crl-series', () => {
  it("reports a publisher's pre-signed CRLs per key-less CA, warns within --warn-days, and refuses a bad --warn-days by name", async () => {
    const signer = await withIssuingCa();
    const secretStore = new MemorySecretStore();
    const dir = tempDir();
    const publisher = openTestService({ dataDir: dir, secretStore });
    const atPublisher = publisherAppliers(partsOf(publisher.service));
    for (const item of caCertificateItems(signer.service) as CaCertificateItem[]) await approve(atPublisher['ca-certificate'], item);
    const queue = new MemoryQueue();
    requestCrlSeries(partsOf(publisher.service), queue, { ca: 'Test Issuing', count: 2, periodHours: 168 });
    const series = await signerAppliers(partsOf(signer.service))['crl-request'].apply(cross(queue.drain())[0] as CrlRequestItem, origin());
    for (const item of cross(series) as CrlItem[]) await approve(atPublisher.crl, item);
    publisher.service.close();

    const cli = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        env: { CERTDESK_DATA_DIR: dir },
        secretStore,
      });
      return { code, stdout, stderr };
    };
    const json = await cli('--json', 'crl-series');
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(status).toEqual([
      expect.objectContaining({ name: 'Test Root', lastPresignedNextUpdate: null, warn: true }),
      expect.objectContaining({ name: 'Test Issuing', daysLeft: 14, warn: false, current: expect.objectContaining({ expired: false }) }),
    ]);
    expect((JSON.parse((await cli('--json', 'crl-series', '--warn-days', '15')).stdout) as Array<{ warn: boolean }>)[1]!.warn).toBe(true);
    const text = await cli('crl-series');
    expect(text.stdout).toMatch(/^ok +Test Issuing: CRL #\d+ in effect until \S+; last pre-signed CRL runs out \S+ \(14 days\)$/m);
    expect(text.stdout).toMatch(/^WARN +Test Root: no CRL in effect; no CRL held — ask the signer for a new series$/m);
    expect(status.map((s) => [s.state, s.warnDays])).toEqual([
      ['missing', 14],
      ['ok', 14],
    ]);
    // --check: monitoring's exit codes; the Root holds no CRL at all, so the worst is "run out" (2).
    const checked = await cli('--json', 'crl-series', '--check');
    expect(checked.code).toBe(2);
    expect(JSON.parse(checked.stdout)).toEqual(status);
    expect((await cli('crl-series')).code).toBe(0);
    expect(text.stdout).toContain('Ask the signer for a new series: certdesk request crl "Test Root" (or the Transfer page)');
    const bad = await cli('--json', 'crl-series', '--warn-days', '-3');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'VALIDATION', field: 'warnDays' } });
  });
});
