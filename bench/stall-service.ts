/**
 * The service the stall bench runs, in the host's thread (baseline) or in a worker (bench/stall-worker.ts),
 * over the same relay as web mode. The store uses the memory keychain, so the bench's own steps
 * (fill, bulk issue) run on the service's side, next to it: `bench` messages beside the relay's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../src/main/core/service.ts';
import { createHandlers } from '../src/main/host/dispatch.ts';
import type { ServiceOutlet, ServiceRuntime } from '../src/main/host/relay/service-side.ts';
import { bulkItems } from './bulk-bench.ts';
import { fillInventory } from './inventory-fill.ts';

export const INVENTORY = 100_000;
const AUDIT_ENTRIES = 20_000;

export type BenchOp = 'setup' | 'issue-bulk';

export interface BenchService extends ServiceRuntime {
  run(op: BenchOp): Promise<number>;
}

export async function startBenchService(outlet: Pick<ServiceOutlet, 'event'>): Promise<BenchService> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-stall-'));
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli', emit: outlet.event });
  let batch = 0;
  return {
    handlers: createHandlers(service),
    async run(op) {
      if (op === 'setup') {
        await service.createAuthority({ name: 'Bench Root' });
        await service.createAuthority({ name: 'Bench Issuing', parent: 'Bench Root' });
        await service.issue(bulkItems('seed', 1)[0]!);
        fillInventory(service.db, INVENTORY);
        // An audit log worth walking: one transaction, one checkpoint.
        service.db.transaction(() => {
          for (let k = 0; k < AUDIT_ENTRIES; k++) service.audit.append('bench.append', null, { k });
        })();
        await service.audit.settle();
        return INVENTORY;
      }
      return (await service.issueBulk(bulkItems(`stall-${batch++}`))).length;
    },
    async stop() {
      service.close();
      await service.audit.settle();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
