/**
 * The sandbox use cases of the core, driven without any API or host dispatch: the core gets a real
 * SandboxHost through its SandboxPort, as every host hands one in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { followTrust } from '../../src/main/core/edge/follow-trust.ts';
import type { SandboxPort } from '../../src/main/core/sandbox-tenant/sandbox-port.ts';
import { startSandboxTenant } from '../../src/main/core/sandbox-tenant/start-sandbox-tenant.ts';
import { SandboxHost } from '../../src/main/host/sandbox.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

describe('core sandbox use cases', () => {
  it('startSandboxTenant adds the sandbox once, as a development tenant whose flight check follows the edge', async () => {
    const t = await withIssuingCa();
    const host = new SandboxHost(tempDir());
    onTestFinished(async () => {
      await host.stop();
    });
    const status = await startSandboxTenant(t.service, host);
    expect(status).toMatchObject({ running: true, owner: 'this-app', tenantName: 'Sandbox' });
    const [tenant] = t.service.tenants.list();
    expect(tenant).toMatchObject({ name: 'Sandbox', environment: 'development', domain: status.domain });
    expect(tenant!.diagnostics).toMatchObject({ edgeAddress: new URL(status.edgeUrl!).host, edgeCaPem: status.edgeCaPem });
    // Its edge was started trusting certdesk's CAs.
    expect(readFileSync(join(host.dir, 'edge', 'ca-bundle.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const again = await startSandboxTenant(t.service, host);
    expect(again.tenantName).toBe('Sandbox');
    expect(t.service.tenants.list()).toHaveLength(1);
  });

  it('followTrust gives a sandbox of this process the CRL signed by a revocation, and leaves one it does not own alone', async () => {
    const t = await withIssuingCa();
    const host = new SandboxHost(tempDir());
    onTestFinished(async () => {
      await host.stop();
    });
    const refreshes: string[] = [];
    // The host itself, counting what reaches it.
    const port: Pick<SandboxPort, 'status' | 'refreshTrust'> = {
      status: () => host.status(),
      refreshTrust: (trust) => (refreshes.push(trust.crlPems.join('')), host.refreshTrust(trust)),
    };
    const refresh = followTrust(t.service, port);

    // Not started: the sandbox is nobody's in this process, so nothing is sent to it.
    refresh();
    await new Promise((resolve) => setImmediate(resolve));
    expect(refreshes).toEqual([]);

    await host.start(await t.service.edgeTrust());
    const csr = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=follow-trust-client');
    const issued = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: csr.csr, useCsrSubject: true } });
    const refreshed = host.nextTrustRefresh();
    await t.service.revoke({ cert: issued.id, reason: 'keyCompromise' });
    await refreshed;
    const trust = await t.service.edgeTrust();
    expect(refreshes.at(-1)).toBe(trust.crlPems.join(''));
    expect(readFileSync(join(host.dir, 'edge', 'crl-1.pem'), 'utf8')).toBe(trust.crlPems[1]);
  });
});
