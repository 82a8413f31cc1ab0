import type { SandboxStatus } from '../../../shared/contract/index.ts';
import { currentTrust } from '../edge/current-trust.ts';
import type { CertdeskService } from '../service.ts';
import type { SandboxPort } from './sandbox-port.ts';

/**
 * Starts the sandbox and, the first time, adds it as a development tenant (its M2M secret goes to
 * the keychain), with the demo custom domain. While the flight check settings are certdesk's own
 * (none yet, or this sandbox edge's), they follow the edge, whose port changes on every start: so
 * diagnostics, and verification in a rotation, work against the sandbox with nothing to set up.
 */
export async function startSandboxTenant(
  service: Pick<CertdeskService, 'tenants' | 'addTenant' | 'edgeTrust'>,
  sandbox: Pick<SandboxPort, 'start'>,
): Promise<SandboxStatus> {
  // A store that cannot give its trust now (a locked vault) must not keep the sandbox from starting.
  const { status, managementClient, demo } = await sandbox.start(await currentTrust(service).catch(() => undefined));
  let tenant = service.tenants.list().find((t) => t.domain === status.domain);
  if (!tenant && managementClient && status.domain) {
    const name = service.tenants.list().some((t) => t.name.toLowerCase() === 'sandbox') ? 'Sandbox (local)' : 'Sandbox';
    tenant = await service.addTenant({
      name,
      environment: 'development',
      domain: status.domain,
      ...(demo ? { customDomain: demo.customDomain } : {}),
      clientId: managementClient.clientId,
      clientSecret: managementClient.clientSecret,
    });
  }
  const current = tenant?.diagnostics ?? null;
  if (tenant && status.edgeUrl && status.edgeCaPem && (current === null || current.edgeCaPem === status.edgeCaPem)) {
    const edgeAddress = new URL(status.edgeUrl).host;
    if (current?.edgeAddress !== edgeAddress)
      tenant = service.tenants.setDiagnostics(tenant.id, {
        ...current,
        edgeAddress,
        edgeCaPem: status.edgeCaPem,
        ...(current?.audience || !demo ? {} : { audience: demo.audience }),
      });
  }
  return { ...status, tenantName: tenant?.name ?? null };
}
