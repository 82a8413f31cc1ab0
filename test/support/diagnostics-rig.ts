/**
 * The flight check's test bench, all real parts: certdesk's CAs and certificates (openssl CSRs),
 * certdesk's generated edge bundle in front of the sandbox tenant on real nginx, the application
 * set up through the Management API, and a small resource server. Options break one thing each.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { onTestFinished } from 'vitest';
import type { DiagnosticsDeps, DiagnosticsInput } from '../../src/main/core/diagnostics/run-diagnostics.ts';
import type {
  CertificateDetail,
  DiagnosticsReport,
  DiagnosticStage,
  DiagnosticStageId,
  EdgeSettings,
} from '../../src/shared/contract/index.ts';
import { freePort, startNginx, type RunningNginx } from './nginx.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from './pki.ts';
import { createHostMappedFetch } from '../../src/sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from './sandbox.ts';
import type { TestService } from './service.ts';
import { tempDir } from './temp.ts';

export const DOMAIN = 'login.example.com';
export const API = 'https://payments.example.com/';
const DAY = 86_400_000;

export interface RigOptions {
  /** Which chain nginx trusts for client certificates (default ours). */
  edgeTrusts?: 'ours' | 'another CA';
  verifyClient?: 'on' | 'optional';
  /** require_proof_of_possession on the application (default true). */
  proofOfPossession?: boolean;
  /** Register the credential by this subject DN instead of by the certificate's PEM. */
  credentialSubjectDn?: string;
  client?: 'valid' | 'expired' | 'revoked';
  /** The tenant's mtls.enable_endpoint_aliases (default true). */
  endpointAliases?: boolean;
  /** A resource server that refuses bound tokens without the certificate, or one that takes any valid token. */
  resourceServer?: 'requires-binding' | 'accepts-any';
  /** token_type the sandbox gives bound tokens (Auth0's docs disagree: Bearer or DPoP). */
  tokenType?: 'Bearer' | 'DPoP';
  /** Issue the client certificate with a key certdesk generates and seals (default: an openssl CSR). */
  managedKey?: boolean;
  /** Keep the store's key in the real Secret Service (so a certdesk child process can open it). */
  keychain?: boolean;
  /** The custom domain clients dial (default DOMAIN); certdesk's own sandbox fetch routes only names under .test. */
  domain?: string;
}

export interface DiagnosticsRig {
  input: DiagnosticsInput;
  deps: DiagnosticsDeps;
  client: CertificateDetail;
  sandbox: TestSandbox;
  nginx: RunningNginx;
  /** The certdesk service that holds the CA, the client certificate and the edge publication. */
  t: TestService;
  /** Where nginx listens (host:port), and the root its server certificate chains to. */
  edgeAddress: string;
  edgeCaPem: string;
  app: { clientId: string };
  /** Another client certificate from our issuing CA, bound to nothing. */
  issueUnregistered(subject: string): Promise<{ certPem: string; keyPem: string }>;
}

/** Each stage as `status` or `status CODE`, keyed by id: one readable line per stage in assertions. */
export function summary(report: DiagnosticsReport): Record<string, string> {
  return Object.fromEntries(report.stages.map((s) => [s.id, s.code ? `${s.status} ${s.code}` : s.status]));
}

export function stageOf(report: DiagnosticsReport, id: DiagnosticStageId): DiagnosticStage {
  const found = report.stages.find((s) => s.id === id);
  if (!found) throw new Error(`The report has no ${id} stage.`);
  return found;
}

export function evidenceOf(stage: DiagnosticStage, label: string): string | undefined {
  return stage.evidence.find((e) => e.label === label)?.value;
}

/** A fetch that reaches these hosts at local origins, keeping the Host header (see createHostMappedFetch). */
export function hostMappedFetch(origins: Record<string, string>): typeof fetch {
  return createHostMappedFetch(() => origins);
}

/**
 * An API over plain HTTP on 127.0.0.1: it verifies the access token against the tenant's JWKS.
 * Plain HTTP carries no client certificate, so `requires-binding` refuses every token (RFC 8705 §3:
 * a bound token needs the certificate; an unbound one is not accepted either); `accepts-any` is
 * the misconfigured API that takes any valid token.
 */
async function startResourceServer(mode: 'requires-binding' | 'accepts-any', fetchFn: typeof fetch, domain: string): Promise<string> {
  const jwks = createLocalJWKSet((await (await fetchFn(`https://${domain}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  const server = createServer((req, res) => {
    const refuse = (description: string) =>
      res.writeHead(401, { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` }).end();
    const token = /^(?:Bearer|DPoP) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return refuse('no access token');
    jwtVerify(token, jwks, { issuer: `https://${domain}/`, audience: API }).then(
      ({ payload }) => {
        if (mode === 'requires-binding')
          return refuse(
            payload.cnf
              ? 'the token is bound to a client certificate that was not presented'
              : 'only certificate-bound tokens are accepted',
          );
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"payments":[]}');
      },
      () => refuse('the token does not verify'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments`;
}

export async function startDiagnosticsRig(options: RigOptions = {}): Promise<DiagnosticsRig> {
  const domain = options.domain ?? DOMAIN;
  // The CAs are made 100 days ago, so that an already expired certificate can be issued under them.
  let offset = -100 * DAY;
  const t = await withIssuingCa({ clock: { now: () => new Date(Date.now() + offset) }, ...(options.keychain ? { keychain: true } : {}) });
  if (options.edgeTrusts === 'another CA') {
    const root = await t.service.createAuthority({ name: 'Other Root', keyType: 'ec-p256' });
    await t.service.createAuthority({ name: 'Other Issuing', parent: root.id, keyType: 'ec-p256' });
  }
  const clientKey = opensslCsr([...KEY_ARGS['ec-p256']], '/C=US/O=YourOrg/CN=app-client-prod');
  const issueClient = (days?: number) =>
    options.managedKey
      ? t.service.issue({
          ca: 'Test Issuing',
          ...(days ? { days } : {}),
          subject: { commonName: 'app-client-prod', organization: 'YourOrg', country: 'US' },
          source: { kind: 'generated' },
        })
      : t.service.issue({
          ca: 'Test Issuing',
          ...(days ? { days } : {}),
          source: { kind: 'csr', csr: clientKey.csr, useCsrSubject: true },
        });
  const expired = options.client === 'expired' ? await issueClient(30) : undefined;
  offset = 0;
  let client = expired ?? (await issueClient());
  if (options.client === 'revoked') client = await t.service.revoke({ cert: client.id, reason: 'keyCompromise' });
  const [, ...caChain] = client.chainPem.split(/(?=-----BEGIN)/);
  const rootPem = caChain.at(-1)!;

  const work = tempDir('certdesk-diagnostics-');
  const server = opensslCsr([...KEY_ARGS['ec-p256']], `/CN=${domain}`);
  const serverCert = await t.service.issue({
    ca: 'Test Issuing',
    profile: 'mtls-server',
    sans: [
      { type: 'dns', value: domain },
      { type: 'dns', value: `mtls.${domain}` },
    ],
    source: { kind: 'csr', csr: server.csr, useCsrSubject: true },
  });
  writeFileSync(
    join(work, 'server.pem'),
    serverCert.chainPem
      .split(/(?=-----BEGIN)/)
      .slice(0, 2)
      .join(''),
  );

  // The tenant: an API, the application bound by its certificate's DN, the custom domain verified.
  const ts = await startTestSandbox(options.tokenType ? { faults: { tokenType: options.tokenType } } : {});
  const { admin } = ts.sandbox;
  const app = admin.createClient({ name: 'app-client-prod' });
  admin.createResourceServer({ identifier: API, scopes: ['read:payments'] });
  admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
  const mc = ts.management();
  await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: options.endpointAliases ?? true } });
  const created = await mc.customDomains.create({ domain, type: 'self_managed_certs' });
  const { cname_api_key: cnameApiKey } = (await mc.customDomains.verify(created.custom_domain_id)) as { cname_api_key?: string };
  const credential = await mc.clients.credentials.create(
    app.clientId,
    options.credentialSubjectDn
      ? { credential_type: 'cert_subject_dn', subject_dn: options.credentialSubjectDn }
      : { credential_type: 'cert_subject_dn', pem: client.pem },
  );
  await mc.clients.update(app.clientId, {
    client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
    token_endpoint_auth_method: null,
    require_proof_of_possession: options.proofOfPossession ?? true,
  });

  // The edge: certdesk's bundle and nginx configuration, the sandbox as the tenant's origin.
  mkdirSync(join(work, 'secret'), { mode: 0o700 });
  writeFileSync(join(work, 'secret', 'cname.conf'), `proxy_set_header cname-api-key "${cnameApiKey}";\n`);
  const port = await freePort();
  const settings: EdgeSettings = {
    serverName: domain,
    listen: `127.0.0.1:${port}`,
    serverCertificatePath: join(work, 'server.pem'),
    serverKeyPath: server.keyPath,
    upstream: ts.sandbox.url,
    cnameApiKeyInclude: join(work, 'secret', 'cname.conf'),
    bundleDir: join(work, 'bundle'),
    verifyClient: options.verifyClient ?? 'on',
  };
  await t.service.publishEdge({
    ca: options.edgeTrusts === 'another CA' ? 'Other Issuing' : 'Test Issuing',
    settings,
    dir: settings.bundleDir,
  });
  const nginx = await startNginx(join(work, 'nginx'), join(settings.bundleDir, 'certdesk-edge.conf'), port);
  onTestFinished(() => nginx.stop());

  const fetchFn = hostMappedFetch({ [domain]: ts.sandbox.url });
  const resourceUrl = options.resourceServer ? await startResourceServer(options.resourceServer, fetchFn, domain) : undefined;
  const input: DiagnosticsInput = {
    discoveryUrl: `https://${domain}/.well-known/openid-configuration`,
    clientId: app.clientId,
    audience: API,
    certificate: { certPem: client.pem, keyPem: readFileSync(clientKey.keyPath, 'utf8'), chainPem: client.chainPem },
    caBundlePem: caChain.join(''),
    edgeTrustPem: rootPem,
    connectTo: { host: '127.0.0.1', port },
    revoked: client.status === 'revoked',
    registeredSubjectDn: options.credentialSubjectDn ?? client.subjectLines,
    ...(resourceUrl ? { resourceUrl } : {}),
  };
  const issueUnregistered = async (subject: string) => {
    const other = opensslCsr([...KEY_ARGS['ec-p256']], subject);
    const cert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: other.csr, useCsrSubject: true } });
    return { certPem: cert.pem, keyPem: readFileSync(other.keyPath, 'utf8') };
  };
  return {
    input,
    deps: { fetch: fetchFn, now: Date.now },
    client,
    sandbox: ts,
    nginx,
    issueUnregistered,
    t,
    edgeAddress: `127.0.0.1:${port}`,
    edgeCaPem: rootPem,
    app,
  };
}
