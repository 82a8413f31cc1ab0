/**
 * `npm run bench`: throughput of certdesk's paths as ratios against a baseline measured in the same
 * run, on the same machine, so the figures compare across machines. Not part of `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { CertdeskService } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { seal } from '../src/main/core/secrets/sealing.ts';

interface Row {
  name: string;
  opsPerSec: number;
  baseline?: string;
  ratio?: number;
}

async function rate(run: () => Promise<unknown> | unknown, minMs = 1500): Promise<number> {
  for (let i = 0; i < 3; i++) await run(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await run();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const rows: Row[] = [];
const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli' });

// Baseline 1: raw WebCrypto P-256 keygen + one ECDSA signature (the irreducible crypto of a CA).
const rawKeygenSign = await rate(async () => {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new Uint8Array(300));
  await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
});
rows.push({ name: 'raw WebCrypto P-256 keygen + sign + export', opsPerSec: rawKeygenSign });

let i = 0;
await service.createAuthority({ name: 'Bench Root' });
const createIssuing = await rate(() => service.createAuthority({ name: `Bench Issuing ${i++}`, parent: 'Bench Root' }));
rows.push({ name: 'ca:create issuing P-256 (keygen, sign, seal, insert)', opsPerSec: createIssuing, baseline: 'raw keygen + sign', ratio: createIssuing / rawKeygenSign });

// Baseline 2: raw AES-256-GCM of a PKCS#8-sized buffer, against certdesk's seal().
const key = webcrypto.getRandomValues(new Uint8Array(32));
const pkcs8 = webcrypto.getRandomValues(new Uint8Array(138));
const { createCipheriv, randomBytes } = await import('node:crypto');
const rawGcm = await rate(() => {
  const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
  c.update(pkcs8);
  c.final();
  return c.getAuthTag();
}, 800);
const sealRate = await rate(() => seal(key, pkcs8, 'key_bench'), 800);
rows.push({ name: 'raw AES-256-GCM (138-byte PKCS#8)', opsPerSec: rawGcm });
rows.push({ name: 'seal() a P-256 PKCS#8', opsPerSec: sealRate, baseline: 'raw AES-256-GCM', ratio: sealRate / rawGcm });

// ca:list over the authorities just created, against a bare SELECT of the same rows.
const count = service.listAuthorities().length;
const rawSelect = await rate(() => service.db.prepare('SELECT * FROM authorities').all(), 800);
const list = await rate(() => service.listAuthorities(), 800);
rows.push({ name: `raw SELECT of ${count} authority rows`, opsPerSec: rawSelect });
rows.push({ name: `ca:list (${count} CAs, decoded views cached per process)`, opsPerSec: list, baseline: 'raw SELECT', ratio: list / rawSelect });

service.close();
rmSync(dir, { recursive: true, force: true });

const memory = process.memoryUsage();
console.log(`certdesk bench, node ${process.version}, ${new Date().toISOString()}`);
console.table(rows.map((r) => ({ benchmark: r.name, 'ops/s': Math.round(r.opsPerSec * 10) / 10, 'vs baseline': r.baseline ? `${r.ratio!.toFixed(3)} × ${r.baseline}` : '(baseline)' })));
console.log(`rss ${(memory.rss / 1048576).toFixed(1)} MiB, heap used ${(memory.heapUsed / 1048576).toFixed(1)} MiB`);
