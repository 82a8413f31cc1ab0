/**
 * The keygen pool (issue 14 §2):
 * - a bulk issue of N P-256 and of N RSA-2048 certificates with the keys made inline on the service's
 *   thread (the baseline, as before the pool) and in the pool's worker threads (one fewer than the
 *   cores), each in a fresh store, in one run. The pooled rows include the keys the workers make ahead
 *   (RESERVE_DEPTH). When none is ready, the service makes an EC key inline and sends only RSA to a
 *   worker; these rows send every type, to show what EC would pay for the trip;
 * - one RSA-3072 issuance at a time, as an operator issues, with a key made ahead against one made
 *   when asked: the wait the reserve takes away.
 * Every batch must come back whole: a missing or extra row is a correctness count.
 */
import { availableParallelism } from 'node:os';
import type { KeyType } from '../src/shared/contract/index.ts';
import { defaultKeygenWorkers, RESERVE_DEPTH } from '../src/main/core/pki/keygen-pool.ts';
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

/**
 * The median time of single RSA-3072 issuances. With `ahead`, each waits until the pool's reserve is full
 * again (an operator's pause between two issuances), so it measures an issuance that finds a key ready.
 */
async function oneAtATime(ahead: boolean, wrong: Record<string, number>): Promise<number> {
  const store = await benchStore({ keygen: ahead ? {} : { reserve: {} } });
  const { service } = store;
  const times: number[] = [];
  const before = count(service, 'certificates');
  try {
    const full = RESERVE_DEPTH['rsa-3072'] ?? 0;
    for (let k = 0; k < 7; k++) {
      if (ahead && k > 0) while (service.keygen.reserved('rsa-3072') < full) await new Promise((resolve) => setTimeout(resolve, 5));
      const start = performance.now();
      await service.issue({ ca: 'Bench Issuing', subject: { commonName: `one-${k}` }, source: { kind: 'generated', keyType: 'rsa-3072' } });
      // The first issuance starts the workers and the reserve: it is not counted.
      if (k > 0) times.push(performance.now() - start);
    }
    wrong['keygen bench: certificates missing or extra']! += Math.abs(count(service, 'certificates') - before - 7);
  } finally {
    store.close();
    await service.keygen.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function keygenBench(): Promise<{ rows: Row[]; wrong: Record<string, number> }> {
  const wrong: Record<string, number> = { 'keygen bench: certificates missing or extra': 0 };
  const rows: Row[] = [];
  const workers = defaultKeygenWorkers();
  if (workers === 0)
    console.log(`(keygen pool: ${availableParallelism()} core, so keys are made inline; the pooled rows are not measured)`);
  if (workers > 0) {
    const asked = await oneAtATime(false, wrong);
    rows.push({ name: 'certs:issue RSA-3072, one at a time, key made when asked (median)', value: asked, unit: 'ms' });
    const ahead = await oneAtATime(true, wrong);
    rows.push({
      name: 'certs:issue RSA-3072, one at a time, key made ahead (median)',
      value: ahead,
      unit: 'ms',
      baseline: 'certs:issue RSA-3072, one at a time, key made when asked (median)',
      ratio: ahead / asked,
    });
  }
  for (const { keyType, label, n } of BATCHES) {
    const inline = { name: `bulk issue ×${n} ${label}, keys inline`, value: await bulkRate(keyType, n, 0, wrong) };
    rows.push(opsRow(inline.name, inline.value));
    if (workers > 0)
      rows.push(opsRow(`bulk issue ×${n} ${label}, keygen pool of ${workers}`, await bulkRate(keyType, n, workers, wrong), inline));
  }
  return { rows, wrong };
}
