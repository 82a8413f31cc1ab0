/**
 * Issue 11's figure: delivering to a folder target (unseal the key, build the release, write it
 * with fsyncs, swap `current` and `previous`, prune, record, audit) against a bare write of the same
 * files into a fresh folder, in the same run. Two certificates share one folder, delivered in turn,
 * so every delivery really writes (the same serial twice would be skipped).
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertdeskService } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { CLI_TARGET_APPROVER } from '../src/main/core/delivery/target-approver.ts';
import { createHandlers, dispatch } from '../src/main/host/dispatch.ts';

export async function deliveryBench(rate: (run: () => Promise<unknown> | unknown, minMs?: number) => Promise<number>) {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  const service = CertdeskService.open({ dataDir: join(dir, 'data'), secretStore: new MemorySecretStore(), mode: 'cli' });
  try {
    await service.audit.keyLoaded();
    await service.createAuthority({ name: 'Bench Root' });
    await service.createAuthority({ name: 'Bench Issuing', parent: 'Bench Root' });
    const target = join(dir, 'tls');
    const handlers = createHandlers(service, { targetApprover: CLI_TARGET_APPROVER });
    const certs: string[] = [];
    for (const cn of ['bench-a', 'bench-b']) {
      const cert = await service.issue({ ca: 'Bench Issuing', subject: { commonName: cn }, source: { kind: 'generated' } });
      const added = await dispatch(handlers, 'targets:add', { cert: cert.id, kind: 'folder', path: target });
      if (!added.ok) throw new Error(added.error.message);
      certs.push(cert.id);
    }
    let turn = 0;
    const deliver = async () => {
      const result = await service.delivery.deliverAll(certs[turn++ % 2]!);
      if (result.outcome !== 'done') throw new Error(`bench delivery did not write: ${result.detail}`);
    };
    const release = join(target, 'current');
    await deliver();
    const files = readdirSync(release).map((name) => ({ name, bytes: readFileSync(join(release, name)) }));
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    let n = 0;
    const bareWrite = () => {
      const folder = join(bare, String(n++));
      mkdirSync(folder);
      for (const file of files) writeFileSync(join(folder, file.name), file.bytes);
      // Bounded on disk: the bare baseline does not keep old releases either.
      if (n % 200 === 0) {
        rmSync(bare, { recursive: true, force: true });
        mkdirSync(bare);
      }
    };
    const bareRate = await rate(bareWrite, 800);
    const deliveryRate = await rate(deliver, 1500);
    return { files: files.length, bareRate, deliveryRate };
  } finally {
    service.close();
    await service.audit.settle();
    rmSync(dir, { recursive: true, force: true });
  }
}
