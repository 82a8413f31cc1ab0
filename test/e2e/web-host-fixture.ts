import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import { leftOutSandbox } from '../../src/main/core/sandbox-tenant/sandbox-left-out.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { startWebHost } from '../../src/main/web/host.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningHost {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Hosts still running, by the data folder they serve. A test that times out never reaches its own
 * `finally { host.stop() }`; its data folder's teardown, which Playwright runs even then, stops them.
 */
const running = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

async function stopHostsOf(dataDir: string): Promise<void> {
  const stops: Promise<void>[] = [];
  for (const [child, dir] of running)
    if (dir === dataDir)
      stops.push(
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          // A host that does not end on SIGTERM within 5 s (stuck closing) is killed: teardown never hangs on it.
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
      );
  await Promise.all(stops);
}

/**
 * Starts `src/main/web/main.ts` (the real web host, real SQLite, real keyring) on a free port.
 * `env` is added to the host's environment, e.g. `CERTDESK_SANDBOX_DIR` so a sandbox started from
 * the UI keeps its state in a temporary folder (the host stops that sandbox when it stops).
 * `entry` is another host script printing the same line (the memory bench's, bench/memory-host.ts).
 */
export function startHost(dataDir: string, env: NodeJS.ProcessEnv = {}, entry = 'src/main/web/main.ts'): Promise<RunningHost> {
  const child = spawn(process.execPath, [join(root, entry), '--data-dir', dataDir, '--port', '0', '--static', join(root, 'out/renderer')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.set(child, dataDir);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`web host exited before it was ready (code ${code})`)));
    lines.once('line', (line) => {
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      resolve({
        url,
        port,
        process: child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A fresh data folder for one test, deleted afterwards with its keychain item. */
async function withDataFolder(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-'));
  await use(dir);
  await stopHostsOf(dir);
  const { default: Database } = await import('better-sqlite3');
  try {
    const db = new Database(join(dir, 'certdesk.sqlite3'), { readonly: true });
    const row = db.prepare("SELECT value FROM settings WHERE key = 'store_id'").get() as { value: string } | undefined;
    db.close();
    if (row) await new KeychainSecretStore().delete(`dek:${row.value}`);
  } catch {
    // No database was created: nothing to clean in the keychain.
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh data folder per test, and its keychain item removed afterwards; `peerDataDir` is a second
 * one, for a spec that runs two hosts (a signer and a publisher).
 */
export const test = base.extend<{ dataDir: string; peerDataDir: string }>({
  dataDir: async ({}, use) => withDataFolder(use),
  peerDataDir: async ({}, use) => withDataFolder(use),
});

export { expect } from '@playwright/test';

/**
 * The real web host in the test's own process, so a test can stop it and bring it back on the same
 * port with the same token (what a host that went away for a moment looks like to the page).
 */
export function inProcessHost(dataDir: string) {
  const service = CertdeskService.open({ dataDir, secretStore: new KeychainSecretStore(), mode: 'web' });
  const handlers = createHandlers(service, { sandbox: leftOutSandbox() });
  return {
    service,
    start: (options: { token?: string; port?: number }) => startWebHost({ handlers, staticDir: join(root, 'out/renderer'), ...options }),
    async close(): Promise<void> {
      service.close();
      await service.audit.settle();
    },
  };
}
