/**
 * The keygen pool (issue 14 §2): a bulk issue of N P-256 and of N RSA-2048 certificates with the
 * keys made inline on the service's thread (the baseline, as before the pool) and in the pool's
 * worker threads (one fewer than the cores), each in a fresh store, in one run. The service sends
 * only RSA to the pool; the P-256 pooled row is measured to show what EC would pay. Every batch must
 * come back whole: a missing or extra row is a correctness count.
 */
import { availableParallelism } from 'node:os';
import type { KeyType } from '../src/shared/contract/index.ts';
import { defaultKeygenWorkers } from '../src/main/core/pki/keygen-pool.ts';
import { benchStore, bulkItems, count } from './bulk-bench.ts';
import { opsRow, type Row } from './report.ts';

const BATCHES: { keyType: KeyType; label: string; n: number }[] = [
  { keyType: 'ec-p256', label: 'P-256', n: 200 },
  { keyType: 'rsa-2048', label: 'RSA-2048', n: 60 },
];

async function bulkRate(keyType: KeyType, n: number, workers: number, wrong: Record<string, number>): Promise<number> {
  // Every type goes to the workers here, EC too: its row shows why the service keeps EC inline (POOLED_KEY_TYPES).
  const store = await benchStore({ keygen: { workers, pooledTypes: [keyType] } });
  try {
    const { service } = store;
    await service.issueBulk(bulkItems(`warm-${keyType}`, 4, keyType)); // starts the pool's workers before the clock
    const before = count(service, 'certificates');
    const start = performance.now();
    const issued = await service.issueBulk(bulkItems(`pool-${keyType}`, n, keyType));
    const rate = (n * 1000) / (performance.now() - start);
    wrong['keygen bench: certificates missing or extra']! += Math.abs(count(service, 'certificates') - before - n) + (n - issued.length);
    return rate;
  } finally {
    store.close();
    await store.service.keygen.close();
  }
}

export async function keygenBench(): Promise<{ rows: Row[]; wrong: Record<string, number> }> {
  const wrong: Record<string, number> = { 'keygen bench: certificates missing or extra': 0 };
  const rows: Row[] = [];
  const workers = defaultKeygenWorkers();
  if (workers === 0)
    console.log(`(keygen pool: ${availableParallelism()} core, so keys are made inline; the pooled rows are not measured)`);
  for (const { keyType, label, n } of BATCHES) {
    const inline = { name: `bulk issue ×${n} ${label}, keys inline`, value: await bulkRate(keyType, n, 0, wrong) };
    rows.push(opsRow(inline.name, inline.value));
    if (workers > 0)
      rows.push(opsRow(`bulk issue ×${n} ${label}, keygen pool of ${workers}`, await bulkRate(keyType, n, workers, wrong), inline));
  }
  return { rows, wrong };
}
