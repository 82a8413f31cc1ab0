/**
 * Bulk rotation of N bindings against the sandbox tenant at a rate limit of R Management API
 * requests per second, with 2.5% injected 429 and 2.5% injected 5xx answers (5% in all). Reports
 * the time against its lower bound (the Management calls one rotation needs, measured on a
 * warm-up rotation without faults, times N, divided by R), the calls actually made, the failures
 * and the duplicate calls, both of which must be zero.
 * Verification is off here: it needs an mTLS edge per application, and it does not touch the
 * Management API, so it does not change the bound. N and R: BENCH_BINDINGS, BENCH_RATE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../src/main/core/service.ts';
import { createSandboxFetch } from '../src/sandbox/index.ts';
import { startThreadedSandbox } from './threaded-sandbox.ts';

export interface RotationBenchResult {
  bindings: number;
  rate: number;
  seconds: number;
  /** CPU time of this process during the run, less the emulator's thread: near `seconds`, certdesk is CPU-bound. */
  cpuSeconds: number;
  /** CPU time of the emulator's thread during the run (Auth0's side). */
  sandboxCpuSeconds: number;
  lowerBoundSeconds: number;
  /** Management calls one rotation needs (the warm-up's, without faults). */
  callsPerRotation: number;
  /** Management calls that succeeded in the measured run (needed ones plus look-agains after faults). */
  managementCalls: number;
  /** The writes alone (POST, PATCH, DELETE): the least any rotation must send, whatever it reads. */
  mutations: number;
  injected429: number;
  injected5xx: number;
  /** 429s the rate limit itself gave (not injected): certdesk's pacing let too many calls out. */
  overruns: number;
  failures: number;
  duplicateCreates: number;
  duplicateDeletes: number;
  wrongFinalState: number;
}

export async function rotationBench(
  count = Number(process.env.BENCH_BINDINGS ?? 500),
  rate = Number(process.env.BENCH_RATE ?? 250),
): Promise<RotationBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-rotation-'));
  // The tenant's work is Auth0's time, not certdesk's: the emulator runs in a thread of its own and
  // writes its state once, at the end.
  // The tenant's rate limit is R from the start, as a real tenant's is: a limit raised for the setup
  // would teach certdesk's pacer a window the measured run does not have (it overran at first).
  const sandbox = await startThreadedSandbox({ dir: join(dir, 'sandbox'), faults: { rateLimitPerSecond: rate }, durable: false });
  const service = CertdeskService.open({
    dataDir: join(dir, 'data'),
    secretStore: new MemorySecretStore(),
    mode: 'cli',
    fetch: createSandboxFetch(sandbox),
    auth0: { backoffMs: 20, attempts: 6 },
  });
  try {
    await service.createAuthority({ name: 'Bench Root' });
    await service.createAuthority({ name: 'Bench Issuing', parent: 'Bench Root' });
    const { clientId, clientSecret } = sandbox.managementClient;
    await service.addTenant({ name: 'Bench', environment: 'development', domain: sandbox.domain, clientId, clientSecret });
    const apps: { clientId: string; certId: string }[] = [];
    for (let i = 0; i < count; i++) {
      const app = await sandbox.createClient(`bench-app-${i}`);
      const cert = await service.issue({
        ca: 'Bench Issuing',
        days: 20,
        subject: { commonName: `bench-app-${i}` },
        source: { kind: 'generated' },
      });
      await service.bind({ cert: cert.id, tenant: 'Bench', clientId: app.clientId });
      apps.push({ clientId: app.clientId, certId: cert.id });
    }
    // One more binding, rotated alone and without faults first: what one rotation needs.
    const warmApp = await sandbox.createClient('bench-warm-up');
    const warmCert = await service.issue({
      ca: 'Bench Issuing',
      days: 20,
      subject: { commonName: 'bench-warm-up' },
      source: { kind: 'generated' },
    });
    await service.bind({ cert: warmCert.id, tenant: 'Bench', clientId: warmApp.clientId });
    const setup = await service.bindings.apply({ tenant: 'Bench' });
    if (setup.outcome !== 'applied') throw new Error(`setup apply: ${setup.message}`);
    // The setup's answers are told by message: all of them, before the warm-up starts counting.
    await sandbox.settle();
    let callsPerRotation = 0;
    const warmCalls = new Map<string, number>();
    const stopWarmUp = sandbox.onResponse((r) => {
      if (r.api !== 'management') return;
      callsPerRotation += 1;
      // Ids vary per application: the shape of the call is what the plan needs.
      const shape = `${r.method} ${r.path.replace(/\/clients\/[^/]+/, '/clients/ID').replace(/\/credentials\/[^/]+$/, '/credentials/ID')}`;
      warmCalls.set(shape, (warmCalls.get(shape) ?? 0) + 1);
    });
    const warm = await service.rotate({ cert: warmCert.id, overlapSeconds: 0, verify: false });
    await sandbox.settle();
    stopWarmUp();
    if (warm.state !== 'done') throw new Error(`warm-up rotation: ${warm.message}`);
    console.log(`(one rotation's Management calls: ${[...warmCalls].map(([shape, n]) => `${shape} ×${n}`).join(', ')})`);

    // The measured run: rate limit R, 5% injected failures.
    const counts = { management: 0, mutations: 0, injected429: 0, injected5xx: 0, overruns: 0, creates: 0, deletes: 0 };
    const stop = sandbox.onResponse((r) => {
      if (r.api !== 'management') return;
      if (r.injected && r.status === 429) counts.injected429 += 1;
      else if (r.injected) counts.injected5xx += 1;
      else if (r.status === 429) counts.overruns += 1;
      else {
        counts.management += 1;
        if (r.method !== 'GET') counts.mutations += 1;
        if (r.method === 'POST' && r.path.endsWith('/credentials') && r.status === 201) counts.creates += 1;
        if (r.method === 'DELETE' && r.status === 204) counts.deletes += 1;
      }
    });
    await sandbox.setFaults({ fail429Share: 0.025, fail5xxShare: 0.025, appliesTo: 'management', seed: 42 });
    const sandboxCpuBefore = await sandbox.cpuSeconds();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const summary = await service.rotateAllDue({ concurrency: 8, overlapSeconds: 0, verify: false });
    const seconds = (performance.now() - start) / 1000;
    // The emulator's share is read first: certdesk's figure then errs high, never low.
    const sandboxCpu = (await sandbox.cpuSeconds()) - sandboxCpuBefore;
    const cpu = process.cpuUsage(cpuBefore);
    await sandbox.settle();
    stop();
    await sandbox.setFaults({ fail429Share: 0, fail5xxShare: 0, rateLimitPerSecond: 1_000_000 });

    // The end state, read back from the tenant: exactly the successor's credential on every application.
    const mc = service.bindings;
    let wrongFinalState = 0;
    const plan = await mc.plan('Bench');
    const successors = new Map(summary.jobs.map((j) => [j.certificateId, j.successorId]));
    for (const app of apps) {
      const state = plan.clients.find((c) => c.clientId === app.clientId);
      const successor = successors.get(app.certId);
      const x5t = successor ? service.inventory.resolve(successor).sha256Base64url : undefined;
      if (
        !state ||
        state.credentials.length !== 1 ||
        state.credentials[0]!.thumbprintSha256 !== x5t ||
        state.boundCredentialIds.length !== 1
      )
        wrongFinalState += 1;
    }
    return {
      bindings: count,
      rate,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6 - sandboxCpu,
      sandboxCpuSeconds: sandboxCpu,
      lowerBoundSeconds: (callsPerRotation * count) / rate,
      callsPerRotation,
      managementCalls: counts.management,
      mutations: counts.mutations,
      injected429: counts.injected429,
      injected5xx: counts.injected5xx,
      overruns: counts.overruns,
      failures: summary.failed + summary.waiting + summary.cancelled + summary.skipped.length,
      duplicateCreates: counts.creates - count,
      duplicateDeletes: counts.deletes - count,
      wrongFinalState,
    };
  } finally {
    service.close();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
