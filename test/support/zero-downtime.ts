/**
 * The pieces of the zero-downtime proof (issue 11 §4) that the in-process run and the kill -9 runs
 * share: the edge republished with its JSON access log (and nginx's reload as the publish command),
 * a watch on the application's credentials at the sandbox, the mTLS token URL from discovery, and a
 * token request with a given pair straight at the edge.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CertdeskService } from '../../src/main/core/service.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import type { RunningNginx } from './nginx.ts';
import { tlsPost, type HttpAnswer } from './tls-post.ts';
import type { WorkloadAttempt } from './workload.ts';

/**
 * Publishes the edge again with the access log at `accessLog` and nginx's reload approved as the
 * publish command (so the rotation's own publications reload the edge), waits for nginx to take it,
 * and makes that log certdesk's evidence source (`edge.accessLogReadPath`).
 */
export async function publishWithAccessLog(service: CertdeskService, nginx: RunningNginx, accessLog: string): Promise<void> {
  const last = service.edgeHistory({ limit: 1 })[0]!;
  const { settings } = service.db.prepare('SELECT settings FROM edge_publications WHERE id = ?').get(last.id) as { settings: string };
  await service.approveCustomReload(nginx.reloadArgv, 'cli');
  const mark = nginx.logMark();
  const published = await service.publishEdge({
    ca: last.authorityId,
    dir: last.dir,
    settings: { ...JSON.parse(settings), accessLog },
    reload: { preset: 'custom' },
  });
  expect(published.reload, published.reload?.output).toMatchObject({ status: 0 });
  await nginx.reloaded(mark);
  service.usage.setReadPath(accessLog);
}

export interface CredentialWatch {
  /** The most credentials the application had (stored, and bound as tls_client_auth) at any moment seen. */
  most(): { stored: number; bound: number };
  now(): { stored: number; bound: number };
  stop(): void;
}

/**
 * Samples the application's credentials after every change the sandbox answers: the count can only
 * move on a Management API write, so the maximum over these samples is the maximum at any moment.
 */
export function watchCredentials(sandbox: Sandbox, clientId: string): CredentialWatch {
  const sample = () => {
    const state = sandbox.state();
    const client = state.clients.find((c) => c.client_id === clientId);
    return {
      stored: state.credentials.filter((c) => c.client_id === clientId).length,
      bound: client?.client_authentication_methods?.tls_client_auth?.credentials.length ?? 0,
    };
  };
  const most = sample();
  const stop = sandbox.onResponse((r) => {
    if (r.api !== 'management' || r.method === 'GET') return;
    const s = sample();
    most.stored = Math.max(most.stored, s.stored);
    most.bound = Math.max(most.bound, s.bound);
  });
  return { most: () => ({ ...most }), now: sample, stop };
}

/** The token endpoint a certificate-bound client calls (the mTLS alias from discovery). */
export async function mtlsTokenUrl(fetchFn: typeof fetch, domain: string): Promise<string> {
  const discovery = (await (await fetchFn(`https://${domain}/.well-known/openid-configuration`)).json()) as {
    mtls_endpoint_aliases?: { token_endpoint?: string };
  };
  return discovery.mtls_endpoint_aliases!.token_endpoint!;
}

/** The certificate and key of the release `DIR/current` names, read as the workload reads them. */
export function currentPair(dir: string): { cert: string; key: string } {
  const release = realpathSync(join(dir, 'current'));
  return { cert: readFileSync(join(release, 'cert.pem'), 'utf8'), key: readFileSync(join(release, 'key.pem'), 'utf8') };
}

/** One token request with this pair on a new connection, straight at the edge. */
export function tokenAtEdge(
  edge: { host: string; port: number; caPem: string },
  tokenUrl: string,
  pair: { cert: string; key: string },
  form: { clientId: string; audience: string },
): Promise<HttpAnswer> {
  const url = new URL(tokenUrl);
  return tlsPost({
    host: edge.host,
    port: edge.port,
    path: url.pathname,
    servername: url.hostname,
    headers: { host: url.host },
    ca: edge.caPem,
    cert: pair.cert,
    key: pair.key,
    form: { grant_type: 'client_credentials', client_id: form.clientId, audience: form.audience },
  });
}

/** Serials as certdesk writes them and as Node reads them compare equal. */
export function sameSerial(a: string | null, b: string): boolean {
  return a !== null && a.replace(/^0+/, '').toLowerCase() === b.replace(/^0+/, '').toLowerCase();
}

/**
 * What the run measured, for the report: requests, failures, and the switch: from the start of the
 * delivery step to the first request with the successor, and the gap between the last old and the first new request.
 */
export function figures(attempts: WorkloadAttempt[], oldSerial: string, successorSerial: string, deliveryBegan: number) {
  const firstNew = attempts.find((a) => sameSerial(a.serial, successorSerial));
  const lastOld = attempts.findLast((a) => sameSerial(a.serial, oldSerial));
  return {
    requests: attempts.length,
    failures: attempts.filter((a) => !a.ok).length,
    withOld: attempts.filter((a) => sameSerial(a.serial, oldSerial)).length,
    withSuccessor: attempts.filter((a) => sameSerial(a.serial, successorSerial)).length,
    switchAfterDeliveryBeganMs: firstNew ? firstNew.at - deliveryBegan : null,
    lastOldToFirstNewMs: firstNew && lastOld ? firstNew.at - lastOld.at : null,
    lastOldAt: lastOld?.at ?? null,
  };
}
