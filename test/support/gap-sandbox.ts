/**
 * The common start of the rotation-across-the-gap tests that are not about the signer's network
 * namespace: a publisher paired with an in-process signer (gap-pair.ts), and the sandbox tenant its
 * certificates are bound at. `keychain`: the publisher's vault in the real keychain, so child
 * certdesk processes can open its folder too.
 */
import { expect } from 'vitest';
import type { CertificateDetail } from '../../src/shared/contract/index.ts';
import { inProcessGap } from './gap-pair.ts';
import { startTestSandbox } from './sandbox.ts';
import { openTestService } from './service.ts';
import { tempDir } from './temp.ts';

export async function gapAtSandbox(options: { keychain?: boolean } = {}) {
  const sb = await startTestSandbox();
  const t = openTestService({ ...(options.keychain ? { keychain: true } : {}), fetch: sb.fetch, auth0: { backoffMs: 5 } });
  const p = t.service;
  const gap = await inProcessGap(p, () => tempDir());
  /** The sandbox tenant, once: an open signer keeps this process off the network, so it is closed first. */
  const addTenant = async () => {
    await gap.closeSigner();
    const { clientId, clientSecret } = sb.sandbox.managementClient!;
    await p.addTenant({ name: 'Sandbox', environment: 'development', domain: sb.sandbox.domain, clientId, clientSecret });
  };
  /** A new application at the tenant with `cert` bound and applied; its id. */
  const bindApp = async (name: string, cert: CertificateDetail) => {
    const app = sb.sandbox.admin.createClient({ name });
    await p.bind({ cert: cert.id, tenant: 'Sandbox', clientId: app.clientId });
    expect((await p.bindings.apply({ tenant: 'Sandbox' })).outcome).toBe('applied');
    return app.clientId;
  };
  /** The application's certificate credentials at the tenant, by thumbprint. */
  const credentials = async (clientId: string) =>
    (await sb.management().clients.credentials.list(clientId)).map((c) => c.thumbprint_sha256);
  return { sb, t, p, gap, addTenant, bindApp, credentials };
}
