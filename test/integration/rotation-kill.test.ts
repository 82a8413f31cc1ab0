/**
 * Kill tests: the rotation runs in a real certdesk child process, which is killed with SIGKILL at
 * the end of each step in turn (and once in the middle of add-credential), then resumed by a new process.
 * Between the kill and the resume a client still gets a token. Whatever the point, the end state is
 * the same: exactly one new credential, the old one removed only after verification, no orphaned
 * credential or key, and an audit chain that verifies.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROTATION_STEP_COUNT, ROTATION_STEPS, rotationStep, type RotationJobView } from '../../src/shared/contract/index.ts';
import { SandboxHost, writeRunning } from '../../src/main/host/sandbox.ts';
import { API, startDiagnosticsRig } from '../support/diagnostics-rig.ts';
import { runCertdesk } from '../support/cli.ts';
import { openTestService } from '../support/service.ts';
import { tokenWith } from '../support/rotation-rig.ts';
import { rotationNotice, startBackgroundWork } from '../../src/main/host/background.ts';
import type { SecretStore } from '../../src/main/core/secrets/secret-store.ts';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

/**
 * Runs `certdesk rotate` until it reports the pause, then (optionally) does `whilePaused`, then
 * kills it with SIGKILL.
 */
function rotateAndKill(
  args: string[],
  env: NodeJS.ProcessEnv,
  pause: string,
  whilePaused: () => Promise<void> = async () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env, CERTDESK_TEST_ROTATION_PAUSE: pause },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.once('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`certdesk exited (${code}) before the pause at ${pause}:\n${stderr}`)),
    );
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`;
      if (line.includes(`rotation paused at step ${pause.replace(':', ' ')}`)) {
        whilePaused().then(
          () => child.kill('SIGKILL'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error);
          },
        );
      }
    });
  });
}

/** The app starting up: its first background round resumes what a killed process left (and announces the result). */
async function resumeAtAppStart(dataDir: string, secretStore: SecretStore, fetchFn: typeof fetch): Promise<RotationJobView[]> {
  const app = openTestService({ dataDir, secretStore, fetch: fetchFn });
  const background = startBackgroundWork(app.service, { notify: () => {} });
  await background.tick();
  background.stop();
  const notices = app.events.map(rotationNotice).filter((n) => n !== null);
  expect(notices.map((n) => n.title)).toContain('Rotation complete');
  const jobs = app.service.rotations.list();
  app.service.close();
  return jobs;
}

const CUSTOM_DOMAIN = 'login.example.test';

async function killedRotation(pause: string, options: { secondProcess?: boolean; resumeAtAppStart?: boolean } = {}): Promise<void> {
  // certdesk's sandbox fetch routes only .test names, for development tenants.
  const rig = await startDiagnosticsRig({ managedKey: true, keychain: true, domain: CUSTOM_DOMAIN });
  const { sandbox } = rig.sandbox;
  writeRunning(sandbox.dir, sandbox);
  const env = { CERTDESK_SANDBOX_DIR: sandbox.dir, CERTDESK_DATA_DIR: rig.t.dataDir };
  const tenant = { environment: 'development' as const, domain: sandbox.domain, customDomain: CUSTOM_DOMAIN };
  const sandboxHost = () => new SandboxHost(sandbox.dir, { env, tenants: () => [tenant] });

  // The parent sets up the tenant and the binding, then leaves the store to the child processes.
  rig.t.service.close();
  const setup = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: sandboxHost().fetch });
  const { clientId, clientSecret } = sandbox.managementClient!;
  await setup.service.addTenant({
    name: 'Sandbox',
    ...tenant,
    clientId,
    clientSecret,
  });
  setup.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem, audience: API });
  await setup.service.bind({ cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, api: API, pop: true });
  expect((await setup.service.bindings.apply({ tenant: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);
  setup.service.close();

  await rotateAndKill(['rotate', rig.client.id, '--overlap', '0'], env, pause, async () => {
    if (!options.secondProcess) return;
    // While the first process holds the job, a second one (the CLI beside the app) leaves it alone.
    const second = await runCertdesk(['--json', 'rotate', '--resume'], env);
    expect(second.code, second.stderr).toBe(0);
    expect((second.json as RotationJobView[]).map((j) => [j.state, j.step])).toEqual([['running', Number(pause.split(':')[0]) - 1]]);
  });
  // Between the kill and the resume, no gap: the application still has a bound certificate
  // credential, and a client gets a token (the old certificate until the supersede step revokes it, then the successor).
  const sandboxFetch = sandboxHost().fetch;
  const between = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: sandboxFetch });
  const bound =
    (await rig.sandbox.management().clients.get(rig.app.clientId)).client_authentication_methods?.tls_client_auth?.credentials ?? [];
  expect(bound.length, `bound credentials after the kill at ${pause}`).toBeGreaterThanOrEqual(1);
  const successorNow = between.service.db.prepare('SELECT id FROM certificates WHERE replaces_id = ?').get(rig.client.id) as
    { id: string } | undefined;
  const client = pause === `${rotationStep('supersede')}:end` ? successorNow!.id : rig.client.id;
  expect(await tokenWith(between.service, rig, sandboxFetch, client), `a token after the kill at ${pause}`).toBe('pass');
  between.service.close();

  let jobs: RotationJobView[];
  if (options.resumeAtAppStart) jobs = await resumeAtAppStart(rig.t.dataDir, rig.t.secretStore, sandboxFetch);
  else {
    const resumed = await runCertdesk(['--json', 'rotate', '--resume'], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    jobs = resumed.json as RotationJobView[];
  }
  expect(jobs.map((j) => [j.state, j.step])).toEqual([['done', ROTATION_STEP_COUNT]]);
  const job = jobs[0]!;

  // Exactly one new credential: the successor's; one create at the tenant in all.
  const check = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore });
  const successor = check.service.inventory.resolve(job.successorId!);
  const credentials = await rig.sandbox.management().clients.credentials.list(rig.app.clientId);
  expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([successor.sha256Base64url]);
  const creates = rig.sandbox.records.filter((r) => r.method === 'POST' && r.path.endsWith('/credentials') && r.status === 201);
  expect(creates, 'the rig registered the old credential, the rotation the new one').toHaveLength(2);
  expect((await rig.sandbox.management().clients.get(rig.app.clientId)).client_authentication_methods).toEqual({
    tls_client_auth: { credentials: [{ id: credentials[0]!.id }] },
  });

  // The old credential went only after verification succeeded.
  const order = job.journal.filter((e) => e.phase === 'end').map((e) => e.name);
  expect(order.indexOf('verify')).toBeGreaterThanOrEqual(0);
  expect(order.indexOf('verify')).toBeLessThan(order.indexOf('remove-old'));
  const deletions = rig.sandbox.records.filter((r) => r.method === 'DELETE');
  const verifiedAt = Date.parse(job.journal.find((e) => e.name === 'verify' && e.phase === 'end')!.at);
  expect(deletions).toHaveLength(1);
  expect(deletions[0]!.receivedAt).toBeGreaterThanOrEqual(verifiedAt);

  // No orphans: one successor, one key per sealed certificate, bindings settled, the chain intact.
  const db = check.service.db;
  expect(db.prepare('SELECT count(*) AS n FROM certificates WHERE replaces_id = ?').get(rig.client.id)).toEqual({ n: 1 });
  expect(
    db
      .prepare(
        'SELECT count(*) AS n FROM keys WHERE id NOT IN (SELECT key_id FROM certificates WHERE key_id IS NOT NULL) AND id NOT IN (SELECT key_id FROM authorities WHERE key_id IS NOT NULL)',
      )
      .get(),
  ).toEqual({ n: 0 });
  expect(
    check.service.bindings
      .list('Sandbox')
      .map((b) => [b.certificateId === successor.id ? 'new' : 'old', b.state])
      .sort(),
  ).toEqual([
    ['new', 'active'],
    ['old', 'removed'],
  ]);
  expect((await check.service.verifyAudit()).ok).toBe(true);
  check.service.close();
}

describe('rotation survives kill -9 at every step', () => {
  for (const step of ROTATION_STEPS.map(rotationStep)) {
    it(`killed after step ${step}, resumed by a new process`, async () => {
      await killedRotation(`${step}:end`);
    });
  }
  it('killed at the start of deliver (before the workload has the successor), resumed by a new process', async () => {
    await killedRotation(`${rotationStep('deliver')}:begin`);
  });
  it('killed in the middle of add-credential (before the credential is created), left alone by a second process meanwhile, resumed by a new process', async () => {
    await killedRotation(`${rotationStep('add-credential')}:begin`, { secondProcess: true });
  });
  it('killed after bind-both, resumed when the app starts (its first background round)', async () => {
    await killedRotation(`${rotationStep('bind-both')}:end`, { resumeAtAppStart: true });
  });
});
