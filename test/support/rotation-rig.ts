/**
 * A rotation-ready store: the diagnostics rig (certdesk's CA and edge bundle on real nginx in front
 * of the sandbox tenant) plus a tenant profile with diagnostics settings and the client certificate
 * bound and applied. The service's clock can be moved forward to end an overlap.
 */
import { expect } from 'vitest';
import type { CertdeskService, ServiceOptions } from '../../src/main/core/service.ts';
import type { TenantEnvironment } from '../../src/shared/contract/index.ts';
import { runDiagnostics } from '../../src/main/core/diagnostics/run-diagnostics.ts';
import { API, DOMAIN, hostMappedFetch, startDiagnosticsRig, summary, type DiagnosticsRig, type RigOptions } from './diagnostics-rig.ts';
import { openTestService, type TestService } from './service.ts';

export interface RotationRig {
  rig: DiagnosticsRig;
  t: TestService;
  fetchFn: typeof fetch;
  advance(ms: number): void;
}

/** `environment`: the sandbox tenant's (default development; production needs its name typed for every change). */
export async function rotationRig(
  options: RigOptions & { environment?: TenantEnvironment; rotationPorts?: ServiceOptions['rotationPorts'] } = {},
): Promise<RotationRig> {
  const { environment = 'development', rotationPorts, ...rigOptions } = options;
  const rig = await startDiagnosticsRig({ managedKey: true, ...rigOptions });
  rig.t.service.close();
  let offset = 0;
  const fetchFn = hostMappedFetch({ [DOMAIN]: rig.sandbox.sandbox.url, [rig.sandbox.sandbox.domain]: rig.sandbox.sandbox.url });
  const t = openTestService({
    dataDir: rig.t.dataDir,
    secretStore: rig.t.secretStore,
    fetch: fetchFn,
    clock: { now: () => new Date(Date.now() + offset) },
    auth0: { backoffMs: 5 },
    ...(rotationPorts ? { rotationPorts } : {}),
  });
  const { clientId, clientSecret } = rig.sandbox.sandbox.managementClient!;
  await t.service.addTenant({
    name: 'Sandbox',
    environment,
    domain: rig.sandbox.sandbox.domain,
    customDomain: DOMAIN,
    clientId,
    clientSecret,
  });
  t.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem, audience: API });
  await t.service.bind({ cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, api: API, pop: true });
  expect((await t.service.bindings.apply({ tenant: 'Sandbox', confirm: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);
  return { rig, t, fetchFn, advance: (ms: number) => void (offset += ms) };
}

/**
 * Publishes the edge bundle again with nginx's reload as the publish command, as an operator would
 * configure it (an argv approved in main, run without a shell): from then on every publication certdesk makes (rotation steps 2 and 7) reloads the
 * edge itself.
 */
export async function reloadOnPublish(r: RotationRig): Promise<void> {
  const last = r.t.service.edgeHistory({ limit: 1 })[0]!;
  const { settings } = r.t.service.db.prepare('SELECT settings FROM edge_publications WHERE id = ?').get(last.id) as { settings: string };
  await r.t.service.approveCustomReload(r.rig.nginx.reloadArgv, 'cli');
  const published = await r.t.service.publishEdge({
    ca: last.authorityId,
    dir: last.dir,
    settings: JSON.parse(settings),
    reload: { preset: 'custom' },
  });
  expect(published.reload, published.reload?.output).toMatchObject({ status: 0 });
}

/** The token stage with a given certificate, as a client would see it. */
export async function tokenWith(
  service: CertdeskService,
  rig: DiagnosticsRig,
  fetchFn: typeof fetch,
  cert: string,
  clientId = rig.app.clientId,
): Promise<string> {
  const input = await service.diagnostics.input({ tenant: 'Sandbox', clientId, cert }, { readRegisteredDn: false });
  return summary(await runDiagnostics(input, { fetch: fetchFn, now: Date.now })).token!;
}

/** The application's certificate credentials, by thumbprint, as the tenant holds them. */
export async function credentialThumbprints(rig: DiagnosticsRig, clientId = rig.app.clientId): Promise<(string | undefined)[]> {
  return (await rig.sandbox.management().clients.credentials.list(clientId)).map((c) => c.thumbprint_sha256);
}
