import { writeRunning } from '../../src/main/host/sandbox.ts';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/index.ts';
import type { HostRpc } from './host-rpc.ts';

/**
 * A sandbox tenant the test runs itself (so it can add applications and slow the tenant down),
 * found by the web host through its folder (`running.json`, as `certdesk sandbox start` leaves it),
 * and added to the host as a development tenant with the demo custom domain. The caller stops it.
 */
export async function externalSandbox(
  rpc: HostRpc,
  dir: string,
  tenantName: string,
  options: Omit<Partial<StartSandboxOptions>, 'dir'> = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({ dir, demo: true, ...options });
  writeRunning(dir, sandbox);
  const { clientId, clientSecret } = sandbox.managementClient!;
  await rpc('tenants:add', {
    name: tenantName,
    environment: 'development',
    domain: sandbox.domain,
    ...(sandbox.demo ? { customDomain: sandbox.demo.customDomain } : {}),
    clientId,
    clientSecret,
  });
  return sandbox;
}
