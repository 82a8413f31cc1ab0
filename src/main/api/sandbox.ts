/** The local sandbox tenant: started as a development tenant, followed by certdesk's trust, stopped. */
import type { EdgeTrust, SandboxStatus } from '../../shared/contract/index.ts';
import { CertdeskError } from '../core/errors.ts';
import type { CertdeskService } from '../core/service.ts';
import { after, type Endpoints, type SandboxPort } from './endpoint.ts';
import { empty } from './fields.ts';

function noSandbox(): never {
  throw new CertdeskError('FORBIDDEN', 'This host cannot run the sandbox tenant; start it with: certdesk sandbox start', {
    field: 'sandbox',
  });
}

/**
 * Starts the sandbox and, the first time, adds it as a development tenant (its M2M secret goes to
 * the keychain), with the demo custom domain. While the flight check settings are certdesk's own
 * (none yet, or this sandbox edge's), they follow the edge, whose port changes on every start: so
 * diagnostics, and verification in a rotation, work against the sandbox with nothing to set up.
 */
async function startSandboxTenant(service: CertdeskService, sandbox: SandboxPort): Promise<SandboxStatus> {
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

/** certdesk's CAs and CRLs for the sandbox's edge; none while certdesk holds no CA (the edge then stays off). */
async function currentTrust(service: CertdeskService): Promise<EdgeTrust | undefined> {
  try {
    return await service.edgeTrust();
  } catch (error) {
    if (error instanceof CertdeskError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Keeps the edge of a sandbox running in this process trusting certdesk's current CAs and CRLs:
 * after a CA is added, a certificate revoked (by the operator or a rotation; its CA's CRL is then
 * signed again) or any CRL signed. Returns the refresh, for handlers that change the trust.
 */
export function followTrust(service: CertdeskService, sandbox: SandboxPort): () => void {
  let pending = false;
  const refresh = () => {
    if (pending || sandbox.status().owner !== 'this-app') return;
    pending = true;
    // After the signing that triggered it has settled; a CRL read here is then the one just signed.
    setImmediate(() => {
      pending = false;
      if (!service.db.open) return; // the app is closing
      currentTrust(service)
        .then((trust) => trust && sandbox.refreshTrust(trust))
        .catch((error: unknown) =>
          console.error('certdesk: the sandbox edge kept its previous trust:', error instanceof Error ? error.message : error),
        );
    });
  };
  service.crls.onSigned(refresh);
  service.inventory.onRevoked(refresh);
  return refresh;
}

function sandboxStatus(service: CertdeskService, sandbox: SandboxPort): SandboxStatus {
  const status = sandbox.status();
  return { ...status, tenantName: service.tenants.list().find((t) => t.domain === status.domain)?.name ?? null };
}

export const sandbox = {
  'sandbox:status': {
    input: empty,
    handle: async (_input, { service, sandbox }) => (sandbox ? sandboxStatus(service, sandbox) : noSandbox()),
  },
  // A CRL signed while the sandbox was starting is taken up at once.
  'sandbox:start': {
    input: empty,
    handle: async (_input, { service, sandbox, trustChanged }) =>
      sandbox ? after(await startSandboxTenant(service, sandbox), trustChanged) : noSandbox(),
  },
  'sandbox:stop': {
    input: empty,
    handle: async (_input, { sandbox }) => (sandbox ? { ...(await sandbox.stop()), tenantName: null } : noSandbox()),
  },
} satisfies Endpoints<'sandbox:status' | 'sandbox:start' | 'sandbox:stop'>;
