import type { HostRpc } from './host-rpc.ts';
import { expect } from './web-host-fixture.ts';

/** The API the built-in sandbox tenant serves, as its flight check settings name it. */
export const SANDBOX_API = 'https://api.sandbox.certdesk.test/';

/**
 * Binds a certificate to the sandbox tenant's "Demo mTLS client" as the seed does (the sandbox's API,
 * proof of possession, the mTLS endpoint aliases), and applies, so every flight check stage can pass.
 */
export async function bindAtSandboxDemo(rpc: HostRpc, cert: string): Promise<void> {
  const demo = (await rpc('auth0:clients', { tenant: 'Sandbox' })).find((c) => c.name === 'Demo mTLS client');
  if (!demo) throw new Error('The sandbox has no "Demo mTLS client" application.');
  await rpc('bindings:create', { cert, tenant: 'Sandbox', clientId: demo.clientId, api: SANDBOX_API, pop: true, endpointAliases: true });
  expect((await rpc('auth0:apply', { tenant: 'Sandbox' })).outcome).toBe('applied');
}
