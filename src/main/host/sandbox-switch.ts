/**
 * How a host gets its sandbox: loaded only when wanted, so with CERTDESK_NO_SANDBOX=1 the emulator
 * (src/sandbox) is never imported and every request goes straight to the network.
 */
import { sandboxLeftOut } from '../core/sandbox-tenant/sandbox-left-out.ts';
import type { SandboxHost, ShimTenant } from './sandbox.ts';

/** The host's sandbox (folder: CERTDESK_SANDBOX_DIR, else ~/.certdesk-sandbox), or null when it is left out. */
export async function openSandboxHost(env: NodeJS.ProcessEnv, tenants: () => readonly ShimTenant[]): Promise<SandboxHost | null> {
  if (sandboxLeftOut(env)) return null;
  const { SandboxHost: Host } = await import('./sandbox.ts');
  return Host.forEnv(env, tenants);
}

/** The same as a fetch that loads the sandbox at its first request, for a host that needs a fetch before it can wait. */
export function lazySandboxFetch(env: NodeJS.ProcessEnv, tenants: () => readonly ShimTenant[]): typeof fetch {
  let host: Promise<SandboxHost | null> | undefined;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const sandbox = await (host ??= openSandboxHost(env, tenants));
    return sandbox ? sandbox.fetch(input, init) : fetch(input, init);
  }) as typeof fetch;
}
