/**
 * The RFC 8705 flight check against real parts: certdesk's CA and edge bundle on real nginx in
 * front of the sandbox tenant. A correctly set up client passes all eight stages.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reproductionFiles, runDiagnostics } from '../../src/main/core/diagnostics/run-diagnostics.ts';
import { DIAGNOSTIC_STAGES } from '../../src/shared/contract/index.ts';
import { freePort } from '../support/nginx.ts';
import { API, DOMAIN, evidenceOf as value, stageOf, startDiagnosticsRig, summary } from '../support/diagnostics-rig.ts';
import { tempDir } from '../support/temp.ts';

/** Runs a stage's command in a shell, in the folder of reproduction files (asynchronously: the sandbox answers from this process). */
async function shell(command: string | undefined, cwd: string): Promise<string> {
  if (!command) throw new Error('The stage has no command.');
  const { stdout, stderr } = await promisify(execFile)('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return stdout + stderr;
}

const ALL_PASS = Object.fromEntries(DIAGNOSTIC_STAGES.map((id) => [id, 'pass']));

describe('token flight check on real nginx in front of the sandbox tenant', () => {
  it('passes all eight stages with a certificate-bound token, reporting stages in order', async () => {
    const rig = await startDiagnosticsRig({ resourceServer: 'requires-binding' });
    const heard: string[] = [];
    const report = await runDiagnostics(rig.input, { ...rig.deps, onStage: (s) => heard.push(s.id) });

    expect(
      report.stages.map((s) => [s.id, s.status, s.code]),
      JSON.stringify(report.stages, null, 2),
    ).toEqual(DIAGNOSTIC_STAGES.map((id) => [id, 'pass', undefined]));
    expect(report.ok).toBe(true);
    expect(heard).toEqual([...DIAGNOSTIC_STAGES]);
    expect(report.tokenEndpoint).toBe(`https://mtls.${DOMAIN}/oauth/token`);
    expect(report.thumbprintSha256).toBe(rig.client.sha256Base64url);
    expect(report.token?.payload.cnf).toEqual({ 'x5t#S256': rig.client.sha256Base64url });
    expect(report.token?.payload.aud).toBe(API);
    expect(report.token?.header.alg).toBe('RS256');

    expect(value(stageOf(report, 'discovery'), 'Token endpoint used')).toMatch(/mtls_endpoint_aliases\.token_endpoint/);
    const handshake = stageOf(report, 'edge-handshake');
    expect(value(handshake, 'Client certificate requested')).toBe('yes');
    expect(handshake.evidence.filter((e) => e.label.startsWith('Our CA ')).map((e) => e.value)).toEqual([
      'listed by the edge',
      'listed by the edge',
    ]);
    const binding = stageOf(report, 'binding');
    expect(value(binding, 'cnf.x5t#S256 in the token')).toBe(value(binding, 'x5t#S256 of the certificate'));
    expect(value(stageOf(report, 'reject-no-cert'), 'Refused by')).toMatch(
      /the edge \(HTTP 400: 400 No required SSL certificate was sent\)/,
    );
    expect(value(stageOf(report, 'reject-foreign-cert'), 'Refused by')).toMatch(/the edge \(HTTP 400: 400 The SSL certificate error\)/);
    expect(value(stageOf(report, 'resource-server'), 'HTTP status')).toBe('401');

    // The raw token never appears; the commands name files and the edge's address.
    const json = JSON.stringify(report);
    const issued = rig.sandbox.records
      .filter((r) => r.path === '/oauth/token' && r.status === 200 && r.requestHeaders['cname-api-key'] !== undefined)
      .map((r) => (r.body as { access_token: string }).access_token);
    expect(issued).toHaveLength(1);
    expect(json).not.toContain(issued[0]!.split('.')[2]);
    expect(stageOf(report, 'token').curl).toBe(
      `curl -sS --connect-to mtls.${DOMAIN}:443:127.0.0.1:${rig.input.connectTo!.port} --cacert edge-ca.pem --cert client.pem --key client-key.pem --data-urlencode grant_type=client_credentials --data-urlencode client_id=${rig.input.clientId} --data-urlencode audience=${API} https://mtls.${DOMAIN}/oauth/token --pass "$CLIENT_KEY_PASSPHRASE"`,
    );
    expect(stageOf(report, 'reject-foreign-cert').curl).toContain('--cert foreign.pem --key foreign-key.pem');
    expect(stageOf(report, 'reject-no-cert').curl).not.toContain('--cert');
    expect(stageOf(report, 'edge-handshake').curl).toContain(
      `openssl s_client -connect 127.0.0.1:${rig.input.connectTo!.port} -servername mtls.${DOMAIN} -tls1_2`,
    );
  });

  it("the report's commands, run in a folder of reproductionFiles, repeat the stages by hand with curl and openssl", async () => {
    const rig = await startDiagnosticsRig();
    const report = await runDiagnostics(rig.input, rig.deps);
    const dir = tempDir();
    for (const [name, body] of Object.entries(await reproductionFiles(rig.input, Date.now()))) writeFileSync(join(dir, name), body);

    // Discovery and the JWKS are on login.example.com, which only the test's fetch resolves; the edge is reached by --connect-to.
    const token = JSON.parse(await shell(stageOf(report, 'token').curl, dir)) as Record<string, unknown>;
    expect(Object.keys(token)).toEqual(expect.arrayContaining(['access_token', 'token_type', 'expires_in']));
    expect((await shell(stageOf(report, 'binding').curl, dir)).trim()).toBe(report.thumbprintSha256);
    expect(await shell(stageOf(report, 'reject-no-cert').curl, dir)).toContain('400 No required SSL certificate was sent');
    expect(await shell(stageOf(report, 'reject-foreign-cert').curl, dir)).toContain('400 The SSL certificate error');
    const handshake = await shell(stageOf(report, 'edge-handshake').curl, dir);
    expect(handshake).toMatch(/Acceptable client certificate CA names\n\s*CN ?= ?Test Issuing\n\s*CN ?= ?Test Root/);
    expect(handshake).toContain('Verify return code: 0 (ok)');
  });

  it('accepts token_type DPoP, and uses the plain token_endpoint when the tenant publishes no mTLS alias', async () => {
    const rig = await startDiagnosticsRig({ tokenType: 'DPoP', endpointAliases: false, resourceServer: 'requires-binding' });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual(ALL_PASS);
    expect(report.tokenEndpoint).toBe(`https://${DOMAIN}/oauth/token`);
    expect(value(stageOf(report, 'discovery'), 'Token endpoint used')).toBe(
      `https://${DOMAIN}/oauth/token (token_endpoint; the document has no mTLS alias)`,
    );
    expect(value(stageOf(report, 'discovery'), 'Note')).toContain('enable_endpoint_aliases');
    expect(value(stageOf(report, 'token'), 'token_type')).toBe('DPoP');
    expect(value(stageOf(report, 'resource-server'), 'Authorization')).toBe('DPoP <the access token from stage 3>');
    expect(stageOf(report, 'resource-server').curl).toBe(`curl -sS -i -H "Authorization: DPoP $ACCESS_TOKEN" ${rig.input.resourceUrl}`);
  });

  it('a certificate of our CA that is not registered gets past the edge and is refused by Auth0 (invalid_client): pass', async () => {
    const rig = await startDiagnosticsRig();
    const unregistered = await rig.issueUnregistered('/C=US/O=YourOrg/CN=someone-else');
    const report = await runDiagnostics({ ...rig.input, foreign: unregistered }, rig.deps);

    const foreign = stageOf(report, 'reject-foreign-cert');
    expect(foreign.status).toBe('pass');
    expect(value(foreign, 'Refused by')).toBe('Auth0 (invalid_client)');
    expect(value(foreign, 'Foreign certificate')).toBe('CN=someone-else,O=YourOrg,C=US');
  });

  it('a resource server that takes the bound token without the certificate: RESOURCE_ACCEPTS_UNBOUND', async () => {
    const rig = await startDiagnosticsRig({ resourceServer: 'accepts-any' });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({ ...ALL_PASS, 'resource-server': 'fail RESOURCE_ACCEPTS_UNBOUND' });
    expect(value(stageOf(report, 'resource-server'), 'HTTP status')).toBe('200');
  });

  it('discovery that fails skips every later stage with NO_DISCOVERY', async () => {
    const rig = await startDiagnosticsRig();
    const report = await runDiagnostics(
      { ...rig.input, discoveryUrl: `https://${DOMAIN}/.well-known/openid-configuration-typo` },
      rig.deps,
    );

    expect(summary(report)).toEqual({
      discovery: 'fail DISCOVERY_FAILED',
      ...Object.fromEntries(
        ['edge-handshake', 'token', 'signature', 'binding', 'reject-no-cert', 'reject-foreign-cert'].map((id) => [id, 'skip NO_DISCOVERY']),
      ),
      'resource-server': 'skip NO_RESOURCE_URL',
    });
    expect(value(stageOf(report, 'discovery'), 'HTTP status')).toBe('404');
    expect(report.tokenEndpoint).toBeNull();
    expect(report.token).toBeNull();
  });

  it('nothing listening at connectTo: EDGE_UNREACHABLE wherever the edge is needed', async () => {
    const rig = await startDiagnosticsRig();
    const report = await runDiagnostics({ ...rig.input, connectTo: { host: '127.0.0.1', port: await freePort() } }, rig.deps);

    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'fail EDGE_UNREACHABLE',
      token: 'fail EDGE_UNREACHABLE',
      signature: 'skip NO_TOKEN',
      binding: 'skip NO_TOKEN',
      'reject-no-cert': 'fail EDGE_UNREACHABLE',
      'reject-foreign-cert': 'fail EDGE_UNREACHABLE',
      'resource-server': 'skip NO_RESOURCE_URL',
    });
  });

  it("without edgeTrustPem the edge's private server certificate is not trusted: EDGE_SERVER_UNTRUSTED, and curl drops --cacert", async () => {
    const rig = await startDiagnosticsRig();
    const { edgeTrustPem: _omitted, ...input } = rig.input;
    const report = await runDiagnostics(input, rig.deps);

    expect(stageOf(report, 'edge-handshake').code).toBe('EDGE_SERVER_UNTRUSTED');
    expect(stageOf(report, 'token').code).toBe('EDGE_SERVER_UNTRUSTED');
    expect(value(stageOf(report, 'edge-handshake'), 'Error')).toMatch(
      /^UNABLE_TO_VERIFY_LEAF_SIGNATURE|^UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    expect(stageOf(report, 'token').curl).not.toContain('--cacert');
  });
});
