/**
 * The flight check as an operator of certdesk's own edge meets it: the custom domain resolves to
 * real nginx running certdesk's generated configuration as written (`ssl_verify_client on` for the
 * whole server, only the token endpoints forwarded, `location /` answering 404). Discovery at the
 * custom domain is refused there, so the check reads it from the tenant's canonical domain.
 */
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { DiagnosticsReport } from '../../src/shared/contract/index.ts';
import { API, DOMAIN, evidenceOf, hostMappedFetch, stageOf, startDiagnosticsRig, summary } from '../support/diagnostics-rig.ts';
import { openTestService } from '../support/service.ts';

/** A GET over TLS to the edge by the custom domain's name, as DNS would send it, without a client certificate. */
function edgeGet(url: URL, edge: { host: string; port: number; ca: string }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: edge.host, port: edge.port, servername: url.hostname, ca: edge.ca, path: `${url.pathname}${url.search}`, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve(
            new Response(Buffer.concat(chunks), {
              status: res.statusCode ?? 0,
              headers: { 'content-type': res.headers['content-type'] ?? '' },
            }),
          ),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe("certdesk diagnose behind certdesk's own nginx edge", () => {
  it('passes by default: discovery is read from the canonical domain when the edge refuses it at the custom domain', async () => {
    const rig = await startDiagnosticsRig({ managedKey: true });
    const [host, port] = [rig.edgeAddress.split(':')[0]!, Number(rig.edgeAddress.split(':')[1])];
    const canonical = rig.sandbox.sandbox.domain;
    // DNS as it is behind the edge: the custom domain is nginx; the canonical domain is Auth0 (the sandbox).
    const sandboxFetch = hostMappedFetch({ [canonical]: rig.sandbox.sandbox.url });
    const discoveryAt: string[] = [];
    const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/openid-configuration')) discoveryAt.push(url.host);
      return url.host === DOMAIN ? edgeGet(url, { host, port, ca: rig.edgeCaPem }) : sandboxFetch(input, init);
    }) as typeof fetch;

    // The edge as written refuses discovery without a client certificate, as the operator saw it.
    const direct = await fetchFn(`https://${DOMAIN}/.well-known/openid-configuration`);
    expect(direct.status).toBe(400);
    expect(await direct.text()).toContain('No required SSL certificate was sent');

    rig.t.service.close();
    const t = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: fetchFn });
    const { clientId, clientSecret } = rig.sandbox.sandbox.managementClient!;
    await t.service.addTenant({
      name: 'Behind edge',
      environment: 'development',
      domain: canonical,
      customDomain: DOMAIN,
      clientId,
      clientSecret,
    });
    await t.service.bind({ cert: rig.client.id, tenant: 'Behind edge', clientId: rig.app.clientId, api: API, pop: true });
    const handlers = createHandlers(t.service);
    const saved = await dispatch(
      handlers,
      'tenants:diagnostics',
      { tenant: 'Behind edge', settings: { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem } },
      () => {},
    );
    expect(saved.ok).toBe(true);

    discoveryAt.length = 0;
    let stdout = '';
    const code = await runCli(
      ['--data-dir', rig.t.dataDir, '--json', 'diagnose', '--tenant', 'Behind edge', '--client', rig.app.clientId],
      {
        stdout: (x) => (stdout += x),
        stderr: () => {},
        env: {},
        fetch: fetchFn,
        secretStore: rig.t.secretStore,
      },
    );
    const report = JSON.parse(stdout) as DiagnosticsReport;
    expect(code, stdout).toBe(0);
    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'pass',
      token: 'pass',
      signature: 'pass',
      binding: 'pass',
      'reject-no-cert': 'pass',
      'reject-foreign-cert': 'pass',
      'resource-server': 'skip NO_RESOURCE_URL',
    });
    // The custom domain first (the edge's 400), then the canonical domain; the token still went through the edge.
    expect(discoveryAt).toEqual([DOMAIN, canonical]);
    const discovery = stageOf(report, 'discovery');
    expect(evidenceOf(discovery, 'HTTP status')).toBe('400');
    expect(evidenceOf(discovery, 'Read from the canonical domain')).toContain(`https://${canonical}/.well-known/openid-configuration`);
    expect(discovery.curl).toContain(`https://${canonical}/.well-known/openid-configuration`);
    expect(report.tokenEndpoint).toBe(`https://mtls.${DOMAIN}/oauth/token`);
    expect(report.token?.payload.iss).toBe(`https://${DOMAIN}/`);
    expect(report.token?.payload.cnf).toEqual({ 'x5t#S256': rig.client.sha256Base64url });

    // A discovery URL the operator named is used as named: no second guess, the edge's 400 is the answer.
    t.service.tenants.setDiagnostics(t.service.tenants.get('Behind edge').id, {
      edgeAddress: rig.edgeAddress,
      edgeCaPem: rig.edgeCaPem,
      discoveryUrl: `https://${DOMAIN}/.well-known/openid-configuration`,
    });
    discoveryAt.length = 0;
    const asNamed = await dispatch(handlers, 'diagnostics:run', { tenant: 'Behind edge', clientId: rig.app.clientId }, () => {});
    if (!asNamed.ok) throw new Error(asNamed.error.message);
    expect(summary(asNamed.value as DiagnosticsReport).discovery).toBe('fail DISCOVERY_FAILED');
    expect(discoveryAt).toEqual([DOMAIN]);
    t.service.close();
  });
});
