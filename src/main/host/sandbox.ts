/**
 * The local sandbox tenant as the app sees it: started and stopped from the UI (in this process)
 * or with `certdesk sandbox start` (another process, found through `<dir>/running.json`), and the
 * `fetch` every tenant's requests go through. It sends a request to the sandbox only when all
 * hold: the host is under `.test` (RFC 6761) and one of the sandbox's domains; no tenant but a
 * development one names that host, and the sandbox's tenant domain is named by development tenants
 * only (at least one); the sandbox runs in this process, or its record checks
 * out (see sandbox-running.ts) and it proved its per-start secret by a handshake. Any other
 * request goes to the network as it is: an `https://` URL stays HTTPS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxStatus, TenantView } from '../../shared/contract/index.ts';
import { CertdeskError } from '../core/errors.ts';
import { assertProcessOnline } from '../core/workstation/role-guard.ts';
import {
  createHostRoutedFetch,
  type EdgeTrustFiles,
  isReservedTestDomain,
  proveSandbox,
  type Sandbox,
  sandboxDir,
  sandboxStart,
  writeEdgeTrust,
} from '../../sandbox/index.ts';
import { checkRunning, clearRunning, readRunning, writeRunning } from './sandbox-running.ts';

export { checkRunning, clearRunning, processAlive, readRunning, writeRunning, type RunningSandbox } from './sandbox-running.ts';

/** What the fetch needs to know of a tenant: which hosts it names, and whether it is a development one. */
export type ShimTenant = Pick<TenantView, 'environment' | 'domain' | 'customDomain'>;

export interface SandboxHostOptions {
  env?: NodeJS.ProcessEnv;
  /** The tenants, read at each request; without them no request goes to the sandbox. */
  tenants?: () => readonly ShimTenant[];
  /** Where every request the sandbox does not take goes (default: the global fetch). */
  network?: typeof fetch;
}

export class SandboxHost {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  private instance: Sandbox | null = null;
  private trustWaiters: Array<() => void> = [];

  private tenants: () => readonly ShimTenant[];
  /** Handshakes that succeeded, by record and secret: a sandbox proves itself once per start. */
  private readonly proven = new Set<string>();

  constructor(dir: string, options: SandboxHostOptions = {}) {
    this.dir = dir;
    this.env = options.env ?? process.env;
    this.tenants = options.tenants ?? (() => []);
    this.fetch = createHostRoutedFetch((url) => this.route(url), options.network ?? fetch);
  }

  /** The host's sandbox folder: CERTDESK_SANDBOX_DIR, else ~/.certdesk-sandbox. */
  static forEnv(env: NodeJS.ProcessEnv, tenants?: () => readonly ShimTenant[]): SandboxHost {
    return new SandboxHost(sandboxDir(undefined, env), { env, ...(tenants ? { tenants } : {}) });
  }

  /** Where the fetch learns the tenants (the service is opened after the host that hands it this fetch). */
  readTenantsFrom(tenants: () => readonly ShimTenant[]): void {
    this.tenants = tenants;
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
    assertProcessOnline('the sandbox tenant');
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
   * The sandbox's domains, all under `.test`: its tenant domain and its verified custom domains.
   * In this process they come from the sandbox itself; from another, from its state file.
   */
  private domainsOf(running: { domain: string }): Set<string> {
    const domains = new Set([running.domain.toLowerCase()]);
    let customDomains: { domain: string; status: string }[] = [];
    if (this.instance) customDomains = this.instance.state().custom_domains;
    else
      try {
        customDomains =
          (JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as { custom_domains?: typeof customDomains }).custom_domains ??
          [];
      } catch {
        // No state file yet: only the tenant domain.
      }
    for (const d of customDomains) if (d.status === 'ready') domains.add(d.domain.toLowerCase());
    return new Set([...domains].filter(isReservedTestDomain));
  }

  /** Whether any tenant that names `host` is not a development one; and whether one names it at all. */
  private namedBy(host: string): { someone: boolean; onlyDevelopment: boolean } {
    const naming = this.tenants().filter((t) => t.domain.toLowerCase() === host || t.customDomain?.toLowerCase() === host);
    return { someone: naming.length > 0, onlyDevelopment: naming.every((t) => t.environment === 'development') };
  }

  /**
   * The loopback origin for `url`, or undefined to leave it to the network untouched. A host that a
   * staging or production tenant names never reaches a sandbox. The sandbox's other .test domains
   * (a second custom domain, say) belong to the sandbox's own tenant, which must be a development one.
   */
  private async route(url: URL): Promise<string | undefined> {
    const host = url.host.toLowerCase();
    // `url.host` keeps an explicit port: https://name:8443 is no sandbox domain.
    if (url.protocol !== 'https:' || !isReservedTestDomain(host) || !this.namedBy(host).onlyDevelopment) return undefined;
    if (this.instance) return this.ownedByDevelopment(this.instance, host) ? this.instance.url : undefined;
    const check = checkRunning(this.dir);
    if (check === null) return undefined;
    if ('refused' in check) throw this.refusal(host, check.refused);
    if (!this.ownedByDevelopment(check.running, host)) return undefined;
    const key = JSON.stringify([check.running, check.secret]);
    if (!this.proven.has(key)) {
      if (!(await proveSandbox(check.running.url, check.secret)))
        throw this.refusal(host, `the listener on ${check.running.url} did not prove it holds the sandbox's secret`);
      this.proven.add(key);
    }
    return check.running.url;
  }

  /** `host` is one of the sandbox's domains, and the sandbox's tenant domain is named by development tenants only. */
  private ownedByDevelopment(running: { domain: string }, host: string): boolean {
    const owner = this.namedBy(running.domain.toLowerCase());
    return owner.someone && owner.onlyDevelopment && this.domainsOf(running).has(host);
  }

  private refusal(host: string, reason: string): CertdeskError {
    return new CertdeskError(
      'FORBIDDEN',
      `certdesk sent nothing for ${host}: the sandbox recorded in ${join(this.dir, 'running.json')} was refused (${reason}). ` +
        'Restart the sandbox (certdesk sandbox stop, then certdesk sandbox start), or delete that file if no sandbox runs.',
      { field: 'sandbox' },
    );
  }

  /** Requests for the sandbox's domains of development tenants go to the sandbox (Host kept); all others to the network. */
  readonly fetch: typeof fetch;
}
