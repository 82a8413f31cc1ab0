/**
 * Both sides of the air gap with real parts: an offline signer driven through the real CLI in a new
 * network namespace (`unshare -n`, a passphrase vault, no keychain), and a publisher (in this process,
 * so its fetch reaches the sandbox) whose certificate the signer issued, bound at the sandbox tenant
 * behind real nginx with the publisher's edge bundle (the signer's CA and its pre-signed CRLs).
 * Bundles are files carried between them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { CertificateDetail, EdgeSettings } from '../../src/shared/contract/index.ts';
import { API, DOMAIN, hostMappedFetch } from './diagnostics-rig.ts';
import { runCertdesk } from './cli.ts';
import { freePort, startNginx } from './nginx.ts';
import { selfSignedServer } from './openssl.ts';
import { startTestSandbox, type TestSandbox } from './sandbox.ts';
import { openTestService, type TestService } from './service.ts';
import { tempDir } from './temp.ts';

type Json = Record<string, unknown> & { error?: { code: string; message: string } };
const NO_NETWORK = process.getuid?.() === 0 ? ['unshare', '-n'] : ['unshare', '-rn'];

/** The signer: every command a new certdesk process with no network. */
export function signerFolder() {
  const dir = tempDir();
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, CERTDESK_PASSPHRASE: 'air-gapped signer passphrase' };
  const raw = (...args: string[]) => runCertdesk(['--data-dir', dir, '--json', ...args], env, NO_NETWORK);
  const run = async (...args: string[]) => {
    const r = await raw(...args);
    expect(r.code, `signer: certdesk ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    return r.json as Json;
  };
  return { dir, run, raw };
}

export type Signer = ReturnType<typeof signerFolder>;

export interface StagedItem {
  id: string;
  kind: string;
  decision: string;
  effect: string;
  details: Record<string, string>;
  code?: string;
  reason?: string;
}

export interface GapRig {
  signer: Signer;
  publisher: TestService;
  sandbox: TestSandbox;
  app: { clientId: string };
  client: CertificateDetail;
  /** A file in this test's carrying folder (the "USB stick"). */
  file(name: string): string;
  /** Publisher → signer: the publisher's bundle, imported at the signer; its staged items. */
  toSigner(name: string): Promise<{ importId: string; items: StagedItem[] }>;
  /** Signer → publisher: the signer's bundle, imported at the publisher (not yet approved). */
  toPublisher(name: string): Promise<{ importId: string; items: StagedItem[] }>;
}

export async function startGapRig(): Promise<GapRig> {
  const signer = signerFolder();
  const work = tempDir('certdesk-gap-');
  const file = (name: string) => join(work, name);
  const ts = await startTestSandbox();
  const fetchFn = hostMappedFetch({ [DOMAIN]: ts.sandbox.url, [ts.sandbox.domain]: ts.sandbox.url });
  const publisher = openTestService({ fetch: fetchFn, auth0: { backoffMs: 5 } });
  const p = () => publisher.service;

  // The signer's CAs, the roles, and pairing both ways (each side confirms the other's fingerprint).
  await signer.run('vault', 'init', '--protection', 'passphrase');
  await signer.run('ca', 'create', '--name', 'Offline Root');
  await signer.run('ca', 'create', '--name', 'Offline Issuing', '--parent', 'Offline Root');
  await signer.run('role', 'set', 'signer', '--confirm', 'signer');
  const signerFp = (await signer.run('pair', 'export', '--out', file('signer.json'))).fingerprint as string;
  await p().setRole('publisher', 'publisher');
  const publisherFp = (await p().transfer.exportPairing(file('publisher.json'), false)).file.fingerprint;
  await p().transfer.importPairing(file('signer.json'), { confirm: signerFp });
  await signer.run('pair', 'import', file('publisher.json'), '--confirm', publisherFp);

  const toSigner = async (name: string) => {
    await p().transfer.exportBundle(file(name), false);
    const view = await signer.run('transfer', 'import', file(name));
    return { importId: view.id as string, items: view.items as StagedItem[] };
  };
  const toPublisher = async (name: string) => {
    await signer.run('transfer', 'export', '--out', file(name));
    const view = await p().transfer.importBundle(file(name));
    return { importId: view.id, items: view.items as unknown as StagedItem[] };
  };

  // Signer → publisher: the CA certificates.
  await signer.run('transfer', 'send-ca');
  const cas = await toPublisher('1.cdx');
  expect((await p().transfer.approve(cas.importId, 'all')).refused).toEqual([]);

  // Publisher → signer → publisher: the client certificate (its key made and sealed here) and a CRL series.
  const asked = await p().offline.requestSignature({
    purpose: 'issue',
    ca: 'Offline Issuing',
    subject: { commonName: 'app-client-prod', organization: 'YourOrg', country: 'US' },
    source: { kind: 'generated' },
    note: 'the payments workload',
  });
  // The edge serves a CRL for each CA of the chain: the root's too.
  for (const ca of ['Offline Root', 'Offline Issuing']) p().offline.requestCrlSeries({ ca, count: 3, periodHours: 24 });
  const requests = await toSigner('2.cdx');
  await signer.run('transfer', 'approve', requests.importId, '--all');
  const answers = await toPublisher('3.cdx');
  expect((await p().transfer.approve(answers.importId, 'all')).refused).toEqual([]);
  const issued = p()
    .offline.requests()
    .find((r) => r.requestId === asked.requestId)!;
  expect(issued.state).toBe('answered');
  const client = await p().getCertificate({ cert: issued.certificateId! });

  // The tenant: an API the application may call, the custom domain the edge fronts.
  const { admin } = ts.sandbox;
  const app = admin.createClient({ name: 'app-client-prod' });
  admin.createResourceServer({ identifier: API, scopes: ['read:payments'] });
  admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
  const mc = ts.management();
  await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: true } });
  const domain = await mc.customDomains.create({ domain: DOMAIN, type: 'self_managed_certs' });
  const { cname_api_key: cnameApiKey } = (await mc.customDomains.verify(domain.custom_domain_id)) as { cname_api_key?: string };

  // The edge: the publisher's bundle (the signer's CA, the pre-signed CRL in effect) on real nginx.
  // The edge's TLS is not what this rig is about.
  const server = selfSignedServer(work, DOMAIN, [`mtls.${DOMAIN}`]);
  writeFileSync(file('cname.conf'), `proxy_set_header cname-api-key "${cnameApiKey}";\n`);
  const port = await freePort();
  const settings: EdgeSettings = {
    serverName: DOMAIN,
    listen: `127.0.0.1:${port}`,
    serverCertificatePath: server.certPath,
    serverKeyPath: server.keyPath,
    upstream: ts.sandbox.url,
    cnameApiKeyInclude: file('cname.conf'),
    bundleDir: file('bundle'),
    verifyClient: 'on',
  };
  await p().publishEdge({ ca: 'Offline Issuing', settings, dir: settings.bundleDir });
  const nginx = await startNginx(file('nginx'), join(settings.bundleDir, 'certdesk-edge.conf'), port);
  onTestFinished(() => nginx.stop());

  // The binding, applied: certdesk registers the credential and turns mTLS on for the application.
  const { clientId, clientSecret } = ts.sandbox.managementClient!;
  await p().addTenant({
    name: 'Sandbox',
    environment: 'development',
    domain: ts.sandbox.domain,
    customDomain: DOMAIN,
    clientId,
    clientSecret,
  });
  p().tenants.setDiagnostics('Sandbox', { edgeAddress: `127.0.0.1:${port}`, edgeCaPem: server.pem, audience: API });
  await p().bind({ cert: client.id, tenant: 'Sandbox', clientId: app.clientId, api: API, pop: true });
  expect((await p().bindings.apply({ tenant: 'Sandbox' })).outcome).toBe('applied');

  return { signer, publisher, sandbox: ts, app, client, file, toSigner, toPublisher };
}

/** The application's certificate credentials, by thumbprint, as the tenant holds them. */
export async function credentialThumbprints(rig: GapRig): Promise<(string | undefined)[]> {
  return (await rig.sandbox.management().clients.credentials.list(rig.app.clientId)).map((c) => c.thumbprint_sha256);
}
