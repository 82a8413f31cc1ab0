/**
 * Bulk issue (issue 14): N certificates one call each, against the same N in one bulk call (one
 * transaction, one audit checkpoint); and what an audit checkpoint costs: appends that each commit
 * and checkpoint, against the same appends in one transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertdeskService, type ServiceOptions } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import type { IssueInput, KeyType } from '../src/shared/contract/index.ts';
import { opsRow, type Row } from './report.ts';

export const BULK = 200;
/** Each committed append writes its checkpoint file at once (an fsync): fewer of those keep the bench short. */
const EACH_APPENDS = 200;
const APPENDS = 2000;

export interface BulkBench {
  rows: Row[];
  /** Correctness counts the bench must report as zero. */
  wrong: Record<string, number>;
}

/** A fresh store with a root and an issuing CA; `close` removes it. */
export async function benchStore(options: Pick<ServiceOptions, 'keygen'> = {}): Promise<{ service: CertdeskService; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli', ...options });
  await service.createAuthority({ name: 'Bench Root' });
  await service.createAuthority({ name: 'Bench Issuing', parent: 'Bench Root' });
  return {
    service,
    close() {
      service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function bulkItems(prefix: string, n = BULK, keyType?: KeyType): IssueInput[] {
  return Array.from({ length: n }, (_, k) => ({
    ca: 'Bench Issuing',
    subject: { commonName: `${prefix}-${k}` },
    sans: [{ type: 'dns' as const, value: `${prefix}-${k}.bench.test` }],
    source: { kind: 'generated' as const, ...(keyType ? { keyType } : {}) },
  }));
}

export const count = (service: CertdeskService, table: string) =>
  (service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

export async function bulkBench(): Promise<BulkBench> {
  const store = await benchStore();
  const { service } = store;
  const rows: Row[] = [];
  const wrong: Record<string, number> = {};
  try {
    const single = bulkItems('single');
    let start = performance.now();
    for (const item of single) await service.issue(item);
    const singleRate = (BULK * 1000) / (performance.now() - start);
    const before = count(service, 'certificates');
    start = performance.now();
    const issued = await service.issueBulk(bulkItems('bulk'));
    const bulkRate = (BULK * 1000) / (performance.now() - start);
    wrong['bulk issue: certificates missing or extra'] = Math.abs(count(service, 'certificates') - before - BULK) + (BULK - issued.length);
    const oneByOne = { name: `certs:issue ×${BULK}, one call each`, value: singleRate };
    rows.push(opsRow(oneByOne.name, singleRate));
    rows.push(opsRow(`bulk issue ×${BULK} (one transaction, one audit checkpoint)`, bulkRate, oneByOne));

    // The checkpoint: each append outside a transaction commits and writes its checkpoint at once.
    await service.audit.settle();
    start = performance.now();
    for (let k = 0; k < EACH_APPENDS; k++) service.audit.append('bench.append', null, { k });
    await service.audit.settle();
    const eachRate = (EACH_APPENDS * 1000) / (performance.now() - start);
    start = performance.now();
    service.db.transaction(() => {
      for (let k = 0; k < APPENDS; k++) service.audit.append('bench.append', null, { k });
    })();
    await service.audit.settle();
    const batchedRate = (APPENDS * 1000) / (performance.now() - start);
    const each = { name: `audit append ×${EACH_APPENDS}, each committed and checkpointed`, value: eachRate };
    rows.push(opsRow(each.name, eachRate));
    rows.push(opsRow(`audit append ×${APPENDS} in one transaction (one checkpoint)`, batchedRate, each));
    const verified = await service.verifyAudit();
    wrong['audit verify problems after the bulk runs'] = verified.problems.length + (verified.ok ? 0 : 1);
    return { rows, wrong };
  } finally {
    store.close();
  }
}
