import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandboxFetch, startSandbox } from '../../src/sandbox/index.ts';
import { edgePost, startTestSandbox, watch } from '../support/sandbox.ts';
import { issueLeaf, makeCa } from '../support/sandbox-pki.ts';
import { tempDir } from '../support/temp.ts';

describe('sandbox state', () => {
  it('survives a restart: applications, credentials, bindings, settings, custom domains, signing key and edge certificate', async () => {
    const dir = tempDir('certdesk-sandbox-');
    const ca = await makeCa();
    const leaf = await issueLeaf(ca, 'C=US, O=YourOrg, CN=app-client-prod');
    const first = await startTestSandbox({ dir, edge: { caBundlePem: ca.certPem } });
    const app = first.sandbox.admin.createClient({ name: 'persistent' });
    first.sandbox.admin.createResourceServer({ identifier: 'https://payments.example.com/' });
    first.sandbox.admin.grant({ clientId: app.clientId, audience: 'https://payments.example.com/', scopes: [] });
    const mc = first.management();
    const credential = await mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: leaf.certPem });
    await mc.clients.update(app.clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
      token_endpoint_auth_method: null,
    });
    await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: true } });
    const domain = await mc.customDomains.create({ domain: 'login.example.com', type: 'self_managed_certs' });
    await mc.customDomains.verify(domain.custom_domain_id);
    const jwks = await (await first.fetch(`https://${first.sandbox.domain}/.well-known/jwks.json`)).json();
    const m2m = first.sandbox.managementClient!;
    const oldToken = (await (
      await first.fetch(`https://${first.sandbox.domain}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: m2m.clientId,
          client_secret: m2m.clientSecret,
          audience: `https://${first.sandbox.domain}/api/v2/`,
        }),
      })
    ).json()) as { access_token: string };
    const before = first.sandbox.state();
    const edgeCa = first.sandbox.edgeServerCaPem;
    await first.sandbox.stop();

    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await startSandbox({ dir, edge: { caBundlePem: ca.certPem } });
    const watched = watch(second);
    expect(second.state()).toEqual(before);
    expect(second.managementClient).toEqual(m2m);
    expect(second.edgeServerCaPem).toBe(edgeCa);
    const secondFetch = createSandboxFetch(second);
    expect(await (await secondFetch(`https://${second.domain}/.well-known/jwks.json`)).json()).toEqual(jwks);
    // A token issued before the restart still opens the Management API.
    const listed = await secondFetch(`https://${second.domain}/api/v2/clients/${app.clientId}/credentials`, {
      headers: { authorization: `Bearer ${oldToken.access_token}` },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { id: string }[]).map((c) => c.id)).toEqual([credential.id]);
    // And the persisted cname-api-key still admits the edge.
    const token = await edgePost(second, {
      form: { grant_type: 'client_credentials', client_id: app.clientId, audience: 'https://payments.example.com/' },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(token.status).toBe(200);
    expect(watched.records.length).toBeGreaterThan(0);
  });

  it('does not reseed an existing folder, and keeps the domain it was created with', async () => {
    const dir = tempDir('certdesk-sandbox-');
    const first = await startTestSandbox({ dir, domain: 'rehearsal.example.test' });
    await first.sandbox.stop();
    const second = await startSandbox({ dir, domain: 'ignored.example.test' });
    watch(second);
    expect(second.domain).toBe('rehearsal.example.test');
    expect(second.state().clients).toHaveLength(1);
  });

  it('not durable (benchmarks): state.json is written once, on stop, with every change', async () => {
    const dir = tempDir('certdesk-sandbox-');
    const sandbox = await startSandbox({ dir, durable: false });
    const atStart = readFileSync(join(dir, 'state.json'), 'utf8');
    const app = sandbox.admin.createClient({ name: 'written-on-stop' });
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(atStart);
    await sandbox.stop();
    const after = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { clients: { client_id: string }[] };
    expect(after.clients.map((c) => c.client_id)).toContain(app.clientId);
  });
});
