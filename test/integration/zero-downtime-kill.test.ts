/**
 * Issue 11 §4, kill -9 at every step with a live workload: the rotation runs in a real certdesk child
 * process, killed with SIGKILL at a step's begin or end, then resumed by new processes, while a
 * workload asks real nginx (in front of the sandbox) for a token every 200 ms with the pair the
 * folder target holds. Wherever the kill lands: 0 failed token requests, the workload ends on the
 * successor, at most two credentials at any moment and exactly one at the end, the old certificate
 * refused at the edge afterwards.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { SandboxHost, writeRunning } from '../../src/main/host/sandbox.ts';
import { ROTATION_STEP_COUNT, ROTATION_STEPS, ROTATION_WAIT, rotationStep, type TargetAddResult } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { API, startDiagnosticsRig } from '../support/diagnostics-rig.ts';
import { resumeUntilDone, rotateAndKillAt } from '../support/rotation-child.ts';
import { startSshd } from '../support/sshd.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { failures, startWorkload } from '../support/workload.ts';
import {
  currentPair,
  figures,
  mtlsTokenUrl,
  publishWithAccessLog,
  sameSerial,
  tokenAtEdge,
  watchCredentials,
} from '../support/zero-downtime.ts';

// certdesk's sandbox fetch routes only .test names, for development tenants.
const CUSTOM_DOMAIN = 'login.example.test';
// The subject the CSR-mode workload asks for again: the rig's client certificate's.
const SUBJECT = '/C=US/O=YourOrg/CN=app-client-prod';

/** How many reloads nginx has finished (its old worker retired) since `mark` in its error log. */
const reloadsSince = (prefix: string, mark: number) =>
  readFileSync(join(prefix, 'logs', 'error.log'))
    .subarray(mark)
    .toString()
    .split('gracefully shutting down').length - 1;

type KillMode = 'folder' | 'csr-inbox' | 'ssh';

/** The rotation jobs' state, read from the store between two certdesk processes (none of them is running then). */
function waitingForCsr(dataDir: string): boolean {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT message FROM rotation_jobs WHERE state = 'waiting'").all() as Array<{ message: string | null }>;
    return rows.some((r) => r.message?.startsWith(ROTATION_WAIT.csr));
  } finally {
    db.close();
  }
}

async function killedWithWorkload(pause: string, mode: KillMode): Promise<void> {
  // CSR mode: the client certificate was signed from an openssl CSR; only the workload holds its key.
  const rig = await startDiagnosticsRig({ managedKey: mode !== 'csr-inbox', keychain: true, domain: CUSTOM_DOMAIN });
  const { sandbox } = rig.sandbox;
  writeRunning(sandbox.dir, sandbox);
  const env = { CERTDESK_SANDBOX_DIR: sandbox.dir, CERTDESK_DATA_DIR: rig.t.dataDir };
  const tenant = { environment: 'development' as const, domain: sandbox.domain, customDomain: CUSTOM_DOMAIN };
  const sandboxFetch = new SandboxHost(sandbox.dir, { env, tenants: () => [tenant] }).fetch;
  const work = tempDir('certdesk-zero-downtime-kill-');
  mkdirSync(join(work, 'edge-logs'));

  // The parent sets up the tenant, the binding and the edge's access log, then leaves the store to child processes.
  rig.t.service.close();
  const setup = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: sandboxFetch });
  const { clientId, clientSecret } = sandbox.managementClient!;
  await setup.service.addTenant({ name: 'Sandbox', ...tenant, clientId, clientSecret });
  setup.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem, audience: API });
  await setup.service.bind({ cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, api: API, pop: true });
  expect((await setup.service.bindings.apply({ tenant: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);
  await publishWithAccessLog(setup.service, rig.nginx, join(work, 'edge-logs', 'certdesk-mtls.jsonl'));
  setup.service.close();

  // The operator's path: `certdesk target add` and `certdesk deliver` (a csr-inbox has nothing to deliver before the rotation).
  const ownPair = { cert: rig.client.pem, key: rig.input.certificate.keyPem ?? '' };
  const target = await addTarget(mode, work, rig.client.id, env, ownPair);
  if (mode !== 'csr-inbox') {
    const delivered = await runCertdesk(['--json', 'deliver', rig.client.id], env);
    expect(delivered.code, delivered.stderr).toBe(0);
  }
  const oldPair = mode === 'csr-inbox' ? ownPair : currentPair(target.dir);

  const credentials = watchCredentials(sandbox, rig.app.clientId);
  const tokenUrl = await mtlsTokenUrl(sandboxFetch, CUSTOM_DOMAIN);
  const [host, port] = rig.edgeAddress.split(':') as [string, string];
  const edge = { host, port: Number(port), caPem: rig.edgeCaPem };
  const workload = startWorkload({
    ...target.workload,
    connect: { host, port: Number(port) },
    tokenUrl,
    caPem: rig.edgeCaPem,
    clientId: rig.app.clientId,
    audience: API,
  });
  await workload.until((a) => a.filter((x) => x.ok).length >= 3, 'three tokens with the old certificate');
  const reloadMark = rig.nginx.logMark();

  // The CSR-mode workload makes its new key and CSR once the job asks for it (between two processes), as its hook on the notice would.
  let asked = 0;
  const betweenRuns = () => {
    if (mode === 'csr-inbox' && asked === 0 && waitingForCsr(rig.t.dataDir)) {
      asked++;
      workload.tell('csr');
    }
  };
  await rotateAndKillAt([rig.client.id, '--overlap', '3s', '--quiet', '2s'], env, pause, { betweenRuns });
  // Killed: the workload goes on getting tokens with whatever pair the target holds.
  const killedAt = Date.now();
  await workload.until((a) => a.filter((x) => x.at > killedAt).length >= 3, `three attempts after the kill at ${pause}`);
  const job = await resumeUntilDone(env, { betweenRuns });
  expect(job).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
  const check = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore });
  const successor = check.service.inventory.resolve(job.successorId!);
  check.service.close();

  // After the cut-off (the CRL published and nginx reloaded by certdesk), the old pair is refused at the edge.
  const reloads = job.journal.filter((e) => e.phase === 'end' && /published to/.test(e.detail)).length;
  await workload.until(() => reloadsSince(rig.nginx.prefix, reloadMark) >= Math.max(1, reloads), 'nginx reloaded after the cut-off');
  const refused = await tokenAtEdge(edge, tokenUrl, oldPair, { clientId: rig.app.clientId, audience: API });
  expect(refused.status, JSON.stringify(refused.body)).toBe(400);
  const cutoff = Date.parse(job.journal.findLast((e) => e.step === rotationStep('supersede') && e.phase === 'begin')!.at);
  await workload.until((a) => a.filter((x) => x.at > cutoff).length >= 3, 'three attempts after the cut-off');
  const attempts = await workload.stop();

  expect(failures(attempts), `failed token requests around the kill at ${pause}`).toEqual([]);
  expect(sameSerial(attempts.at(-1)!.serial, successor.serialHex), 'the workload ends on the successor').toBe(true);
  const deliveryBegan = Date.parse(job.journal.findLast((e) => e.step === rotationStep('deliver') && e.phase === 'begin')!.at);
  const measured = figures(attempts, rig.client.serialHex, successor.serialHex, deliveryBegan);
  expect(measured.lastOldAt!).toBeLessThan(cutoff);
  credentials.stop();
  // At most two at any moment (both during the overlap), exactly one at the end.
  expect(credentials.most()).toEqual({ stored: 2, bound: 2 });
  expect(credentials.now()).toEqual({ stored: 1, bound: 1 });
  const left = await rig.sandbox.management().clients.credentials.list(rig.app.clientId);
  expect(left.map((c) => c.thumbprint_sha256)).toEqual([successor.sha256Base64url]);
  if (mode === 'csr-inbox') {
    expect(asked).toBe(1);
    expect(successor.keyStorage).toBe('csr-only');
  }
  if (mode === 'ssh') expect(target.sshd!.log()).toMatch(/Accepted publickey/);
  console.info(`zero downtime (${mode}), killed at ${pause}: ${JSON.stringify(measured)}`);
}

/** The target for a mode, added through the CLI, and what the workload reads. */
async function addTarget(mode: KillMode, work: string, cert: string, env: NodeJS.ProcessEnv, own: { cert: string; key: string }) {
  const add = async (args: string[]) => {
    const added = await runCertdesk(['--json', 'target', 'add', cert, ...args], env);
    expect(added.code, added.stderr).toBe(0);
    return added.json as TargetAddResult;
  };
  if (mode === 'folder') {
    const dir = join(work, 'workload-tls');
    expect((await add(['--kind', 'folder', '--path', dir])).target).toMatchObject({ kind: 'folder' });
    return { dir, workload: { mode: 'folder' as const, dir } };
  }
  if (mode === 'ssh') {
    // The remote host is this machine: the workload reads the folder the target writes over SFTP.
    const sshd = await startSshd();
    onTestFinished(() => sshd.stop());
    const dir = join(work, 'remote-tls');
    mkdirSync(dir);
    const where = ['--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user, '--path', dir];
    const added = await add(['--kind', 'ssh', ...where, '--host-key', sshd.hostKeyFingerprint]);
    sshd.authorize([added.authorizedKey!]);
    return { dir, sshd, workload: { mode: 'folder' as const, dir } };
  }
  const dir = join(work, 'inbox');
  expect((await add(['--kind', 'csr-inbox', '--path', dir])).target).toMatchObject({ kind: 'csr-inbox' });
  // The workload's own folder holds the certificate and key it starts with; certdesk never had that key.
  const ownDir = join(work, 'workload-own');
  mkdirSync(ownDir, { mode: 0o700 });
  writeFileSync(join(ownDir, 'initial-cert.pem'), own.cert);
  writeFileSync(join(ownDir, 'initial-key.pem'), own.key, { mode: 0o600 });
  const initial = { initialCert: join(ownDir, 'initial-cert.pem'), initialKey: join(ownDir, 'initial-key.pem') };
  return { dir, workload: { mode: 'csr-inbox' as const, dir, ownDir, ...initial, subject: SUBJECT } };
}

const ALL = process.env.ZERO_DOWNTIME_ALL_KILLS === '1';

/**
 * Which kill points run: all 16 per mode with ZERO_DOWNTIME_ALL_KILLS=1. Otherwise, for a folder
 * target each step's begin plus deliver's end; for a csr-inbox and an ssh target, deliver's begin
 * and end only (what differs from the folder run), as CI has 90 minutes on 2 cores.
 */
function points(mode: KillMode): string[] {
  const deliver = rotationStep('deliver');
  return ROTATION_STEPS.map(rotationStep).flatMap((step) =>
    ALL || step === deliver ? [`${step}:begin`, `${step}:end`] : mode === 'folder' ? [`${step}:begin`] : [],
  );
}

// Each run starts eight or more certdesk processes (about 5 s each on a loaded 2-core machine) and
// waits real seconds for the edge's evidence: about a minute each under load, so twice the default ceiling.
for (const mode of ['folder', 'csr-inbox', 'ssh'] as const) {
  const label = mode === 'folder' ? 'a folder target' : mode === 'ssh' ? 'an ssh target' : 'a csr-inbox (the workload makes its own key)';
  describe(`zero downtime with a live workload through ${label}: kill -9 at every step, then resume`, { timeout: 240_000 }, () => {
    for (const pause of points(mode)) {
      const [step, phase] = pause.split(':');
      it(`killed at the ${phase} of step ${step} (${ROTATION_STEPS[Number(step) - 1]}), resumed by new processes`, async () => {
        await killedWithWorkload(pause, mode);
      });
    }
  });
}
