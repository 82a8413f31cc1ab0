/** The local sandbox tenant: started as a development tenant, followed by certdesk's trust, stopped. */
import type { SandboxStatus } from '../../shared/contract/index.ts';
import { CertdeskError } from '../core/errors.ts';
import { startSandboxTenant } from '../core/sandbox-tenant/start-sandbox-tenant.ts';
import type { SandboxPort } from '../core/sandbox-tenant/sandbox-port.ts';
import type { CertdeskService } from '../core/service.ts';
import { requireNetwork } from '../core/workstation/role-guard.ts';
import { after, type Endpoints } from './endpoint.ts';
import { empty } from './fields.ts';

export { followTrust } from '../core/edge/follow-trust.ts';

function noSandbox(): never {
  throw new CertdeskError('FORBIDDEN', 'This host cannot run the sandbox tenant; start it with: certdesk sandbox start', {
    field: 'sandbox',
  });
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
    handle: async (_input, { service, sandbox, trustChanged }) => {
      requireNetwork(service.db, 'the sandbox tenant');
      return sandbox ? after(await startSandboxTenant(service, sandbox), trustChanged) : noSandbox();
    },
  },
  'sandbox:stop': {
    input: empty,
    handle: async (_input, { sandbox }) => (sandbox ? { ...(await sandbox.stop()), tenantName: null } : noSandbox()),
  },
} satisfies Endpoints<'sandbox:status' | 'sandbox:start' | 'sandbox:stop'>;
