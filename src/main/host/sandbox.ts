/**
 * The local sandbox tenant as the app sees it: started and stopped from the UI (in this process)
 * or with `certdesk sandbox start` (another process, found through `<dir>/running.json`), and a
 * `fetch` that sends requests for the sandbox's tenant domain to wherever it runs. Any other host
 * goes to the network untouched.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxStatus } from '../../shared/contract/index.ts';
import { CertdeskError } from '../core/errors.ts';
import { createHostMappedFetch, type EdgeTrustFiles, type Sandbox, sandboxStart, writeEdgeTrust } from '../../sandbox/index.ts';

export interface RunningSandbox {
  pid: number;
  url: string;
  domain: string;
  edgeUrl?: string;
  edgeCaPem?: string;
  startedAt: string;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The sandbox recorded in `dir`, if its process is still alive. */
export function readRunning(dir: string): RunningSandbox | null {
  const file = join(dir, 'running.json');
  if (!existsSync(file)) return null;
  try {
    const running = JSON.parse(readFileSync(file, 'utf8')) as RunningSandbox;
    return processAlive(running.pid) ? running : null;
  } catch {
    return null;
  }
}

export function writeRunning(dir: string, sandbox: Sandbox): RunningSandbox {
  const running: RunningSandbox = {
    pid: process.pid,
    url: sandbox.url,
    domain: sandbox.domain,
    ...(sandbox.edgeUrl ? { edgeUrl: sandbox.edgeUrl, edgeCaPem: sandbox.edgeServerCaPem } : {}),
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, 'running.json'), JSON.stringify(running));
  return running;
}

export function clearRunning(dir: string): void {
  rmSync(join(dir, 'running.json'), { force: true });
}

export class SandboxHost {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  private instance: Sandbox | null = null;
  private trustWaiters: Array<() => void> = [];

  constructor(dir: string, env: NodeJS.ProcessEnv = process.env) {
    this.dir = dir;
    this.env = env;
  }

  status(): SandboxStatus {
    const running = readRunning(this.dir);
    const owner = this.instance ? 'this-app' : running ? 'other-process' : null;
    return {
      running: running !== null,
      owner,
      dir: this.dir,
      url: running?.url ?? null,
      edgeUrl: running?.edgeUrl ?? null,
      edgeCaPem: running?.edgeCaPem ?? null,
      domain: running?.domain ?? null,
      pid: running?.pid ?? null,
    };
  }

  /**
   * Starts the sandbox in this process; returns the seeded M2M application so the caller can add it
   * as a tenant. Its edge trusts `trust` (certdesk's CAs and CRLs), else what an earlier start saved.
   */
  async start(
    trust?: EdgeTrustFiles,
  ): Promise<{ status: SandboxStatus; managementClient: { clientId: string; clientSecret: string } | null; demo: Sandbox['demo'] | null }> {
    const current = this.status();
    if (current.owner === 'other-process')
      throw new CertdeskError(
        'CONFLICT',
        `A sandbox already runs on ${this.dir} (pid ${current.pid}, started with certdesk sandbox start); certdesk uses that one.`,
        { field: 'dir' },
      );
    if (!this.instance) {
      let output = '';
      const started = await sandboxStart(['--dir', this.dir], { stdout: (t) => (output += t), env: this.env, edgeTrust: trust });
      if (!started.sandbox) throw new CertdeskError('INTERNAL', `The sandbox did not start: ${output.trim()}`);
      this.instance = started.sandbox;
      writeRunning(this.dir, started.sandbox);
    }
    return { status: this.status(), managementClient: this.instance.managementClient ?? null, demo: this.instance.demo ?? null };
  }

  /**
   * Gives the edge of the sandbox running in this process new trust (a CA was added, a CRL signed),
   * as reloading nginx would, and saves it for the next start. Without such an edge, nothing to do.
   */
  refreshTrust(trust: EdgeTrustFiles): boolean {
    const edge = this.instance?.edge;
    if (!edge) return false;
    edge.reload({ caBundlePem: trust.caBundlePem, crlPem: trust.crlPems });
    writeEdgeTrust(this.dir, trust);
    for (const resolve of this.trustWaiters.splice(0)) resolve();
    return true;
  }

  /** Resolves at the next `refreshTrust` that reloads the edge. */
  nextTrustRefresh(): Promise<void> {
    return new Promise((resolve) => this.trustWaiters.push(resolve));
  }

  async stop(): Promise<SandboxStatus> {
    const current = this.status();
    if (current.owner === 'other-process')
      throw new CertdeskError(
        'FORBIDDEN',
        `The sandbox on ${this.dir} was started by another process (pid ${current.pid}); stop it there, or with certdesk sandbox stop.`,
        { field: 'dir' },
      );
    if (this.instance) {
      await this.instance.stop();
      this.instance = null;
      clearRunning(this.dir);
    }
    return this.status();
  }

  /**
   * Where the running sandbox answers: its tenant domain and its verified custom domains (read from
   * the sandbox's own state file), all at its local URL. Empty when no sandbox runs.
   */
  origins(): Record<string, string> {
    const running = this.instance ? { domain: this.instance.domain, url: this.instance.url } : readRunning(this.dir);
    if (!running) return {};
    const origins: Record<string, string> = { [running.domain.toLowerCase()]: running.url };
    try {
      const state = JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as {
        custom_domains?: { domain: string; status: string }[];
      };
      for (const d of state.custom_domains ?? []) if (d.status === 'ready') origins[d.domain.toLowerCase()] = running.url;
    } catch {
      // No state file yet: only the tenant domain.
    }
    return origins;
  }

  /** Requests for the running sandbox's domains go to the sandbox (Host kept); all others to the network. */
  readonly fetch: typeof fetch = createHostMappedFetch(() => this.origins());
}
