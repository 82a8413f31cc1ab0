/**
 * A sandbox tenant per test: its own folder, stopped when the test ends, and every answer it gives
 * checked against Auth0's contract (a violation fails the test).
 */
import { ManagementClient } from 'auth0';
import { onTestFinished } from 'vitest';
import { createSandboxFetch } from '../../src/sandbox/index.ts';
import { startSandbox, type ResponseRecord, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/index.ts';
import { contractViolations } from './sandbox-contract.ts';
import { tempDir } from './temp.ts';
import { tlsPost, type HttpAnswer } from './tls-post.ts';

export type { HttpAnswer };

export interface TestSandbox {
  sandbox: Sandbox;
  fetch: typeof fetch;
  /** Every answer so far, in order. */
  records: ResponseRecord[];
  /** A ManagementClient for `credentials` (default: the seeded M2M application). */
  management(
    credentials?: { clientId: string; clientSecret: string },
    options?: { maxRetries?: number; timeoutInSeconds?: number },
  ): ManagementClient;
  /** Resolves with the next answer that matches `predicate`. */
  next(predicate: (r: ResponseRecord) => boolean): Promise<ResponseRecord>;
}

/** Stops a sandbox when the test ends, and fails the test if any answer broke the contract. */
export function watch(sandbox: Sandbox): { records: ResponseRecord[]; next: TestSandbox['next'] } {
  const records: ResponseRecord[] = [];
  const violations: string[] = [];
  const waiters: { predicate: (r: ResponseRecord) => boolean; resolve: (r: ResponseRecord) => void }[] = [];
  const unsubscribe = sandbox.onResponse((r) => {
    records.push(r);
    violations.push(...contractViolations(r));
    for (const w of [...waiters]) {
      if (w.predicate(r)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
    }
  });
  onTestFinished(async () => {
    unsubscribe();
    await sandbox.stop();
    if (violations.length > 0) throw new Error(`The sandbox broke Auth0's contract:\n${violations.join('\n')}`);
  });
  return { records, next: (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve })) };
}

export async function startTestSandbox(options: Partial<StartSandboxOptions> = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ dir: options.dir ?? tempDir('certdesk-sandbox-'), ...options });
  const watched = watch(sandbox);
  const sandboxFetch = createSandboxFetch(sandbox);
  return {
    sandbox,
    fetch: sandboxFetch,
    ...watched,
    management: (credentials = sandbox.managementClient, options2 = {}) => {
      if (!credentials) throw new Error('This sandbox has no seeded M2M application.');
      return new ManagementClient({
        domain: sandbox.domain,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        fetch: sandboxFetch,
        timeoutInSeconds: options2.timeoutInSeconds ?? 5,
        maxRetries: options2.maxRetries ?? 0,
      });
    },
  };
}

/** POSTs a form to the edge over mTLS (client certificate optional), trusting the edge's server certificate. */
export function edgePost(
  sandbox: Sandbox,
  options: { path?: string; form: Record<string, string>; cert?: string; key?: string; headers?: Record<string, string> },
): Promise<HttpAnswer> {
  if (!sandbox.edgeUrl || !sandbox.edgeServerCaPem) throw new Error('This sandbox has no edge.');
  const url = new URL(options.path ?? '/oauth/token', sandbox.edgeUrl);
  const { form, cert, key, headers } = options;
  return tlsPost({ host: url.hostname, port: url.port, path: url.pathname, ca: sandbox.edgeServerCaPem, form, cert, key, headers });
}
