/**
 * One broken thing per test, on real nginx with certdesk's edge bundle in front of the sandbox
 * tenant: the flight check must fail the right stage with the right code, and the other stages
 * must say what is still true.
 */
import { describe, expect, it } from 'vitest';
import { runDiagnostics } from '../../src/main/core/diagnostics/run-diagnostics.ts';
import { evidenceOf, stageOf, startDiagnosticsRig, summary } from '../support/diagnostics-rig.ts';

const FINE_AFTER_NO_TOKEN = {
  signature: 'skip NO_TOKEN',
  binding: 'skip NO_TOKEN',
  'reject-no-cert': 'pass',
  'reject-foreign-cert': 'pass',
  'resource-server': 'skip NO_RESOURCE_URL',
};

describe('token flight check: failure modes', () => {
  it('an edge that trusts another CA: the CA list lacks our chain, and the token request is EDGE_UNTRUSTED_CA', async () => {
    const rig = await startDiagnosticsRig({ edgeTrusts: 'another CA' });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'fail EDGE_CA_LIST_MISMATCH',
      token: 'fail EDGE_UNTRUSTED_CA',
      ...FINE_AFTER_NO_TOKEN,
    });
    expect(report.ok).toBe(false);
    const handshake = stageOf(report, 'edge-handshake');
    expect(handshake.evidence.filter((e) => e.label.startsWith('Edge accepts client CA')).map((e) => e.value)).toEqual([
      'CN=Other Issuing',
      'CN=Other Root',
    ]);
    expect(evidenceOf(handshake, 'Our CA CN=Test Issuing')).toBe('NOT listed by the edge');
    const token = stageOf(report, 'token');
    expect(token.cause).toContain('its CA bundle does not contain our chain');
    expect(token.fix).toMatch(/Republish the edge bundle/);
    expect(evidenceOf(token, 'Answered by')).toBe('the edge (HTTP 400: 400 The SSL certificate error)');
    // nginx keeps OpenSSL's last verify error, here the missing CRL of a CA it does not know.
    expect(rig.nginx.errorLog()).toMatch(/client SSL certificate verify error: \(\d+:[^)]+\) while reading client request headers/);
    expect(report.token).toBeNull();
  });

  it('a credential registered for another subject DN: DN_MISMATCH with both DN forms; unknown DN: INVALID_CLIENT', async () => {
    const registered = 'C=US\nO=YourOrg\nCN=app-client-staging';
    const rig = await startDiagnosticsRig({ credentialSubjectDn: registered });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({ discovery: 'pass', 'edge-handshake': 'pass', token: 'fail DN_MISMATCH', ...FINE_AFTER_NO_TOKEN });
    const token = stageOf(report, 'token');
    expect(evidenceOf(token, 'error')).toBe('invalid_client');
    expect(evidenceOf(token, 'Certificate subject (RFC 4514)')).toBe('CN=app-client-prod,O=YourOrg,C=US');
    expect(evidenceOf(token, 'Certificate subject (Auth0 form)')).toBe('C=US\\nO=YourOrg\\nCN=app-client-prod');
    expect(evidenceOf(token, 'Registered subject DN')).toBe('C=US\\nO=YourOrg\\nCN=app-client-staging');

    // Without the inventory's DN the check cannot name the mismatch, only Auth0's refusal.
    const blind = await runDiagnostics({ ...rig.input, registeredSubjectDn: null }, rig.deps);
    expect(stageOf(blind, 'token').code).toBe('INVALID_CLIENT');
    expect(stageOf(blind, 'token').cause).toContain(
      "No enabled cert_subject_dn credential of this client has the certificate's subject DN",
    );
  });

  it('proof of possession switched off: the token is plain bearer, binding fails CNF_MISSING', async () => {
    const rig = await startDiagnosticsRig({ proofOfPossession: false, resourceServer: 'requires-binding' });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'pass',
      token: 'pass',
      signature: 'pass',
      binding: 'fail CNF_MISSING',
      'reject-no-cert': 'pass',
      'reject-foreign-cert': 'pass',
      'resource-server': 'pass',
    });
    const binding = stageOf(report, 'binding');
    expect(evidenceOf(binding, 'cnf.x5t#S256 in the token')).toBe('(none)');
    expect(evidenceOf(binding, 'x5t#S256 of the certificate')).toBe(rig.client.sha256Base64url);
    expect(binding.fix).toContain('"require_proof_of_possession":true');
    expect(binding.fix).toContain('"proof_of_possession":{"mechanism":"mtls","required":true}');
    expect(report.token?.payload.cnf).toBeUndefined();
  });

  it('an edge with ssl_verify_client optional: a request without a certificate reaches Auth0, EDGE_VERIFY_NOT_ON', async () => {
    const rig = await startDiagnosticsRig({ verifyClient: 'optional' });
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'pass',
      token: 'pass',
      signature: 'pass',
      binding: 'pass',
      'reject-no-cert': 'fail EDGE_VERIFY_NOT_ON',
      'reject-foreign-cert': 'pass',
      'resource-server': 'skip NO_RESOURCE_URL',
    });
    const noCert = stageOf(report, 'reject-no-cert');
    expect(noCert.cause).toContain('The edge let a request without a certificate through to Auth0');
    expect(noCert.fix).toContain('ssl_verify_client on');
    expect(evidenceOf(noCert, 'HTTP status')).toBe('401');
    // What got through: a request through the edge with no client-certificate header.
    const passedThrough = rig.sandbox.records.filter(
      (r) => r.requestHeaders['cname-api-key'] !== undefined && r.requestHeaders['client-certificate'] === undefined,
    );
    expect(passedThrough.map((r) => [r.path, r.status])).toEqual([['/oauth/token', 401]]);
  });

  it('an expired certificate: the edge refuses it and the token stage says CERT_EXPIRED', async () => {
    const rig = await startDiagnosticsRig({ client: 'expired' });
    expect(Date.parse(rig.client.notAfter)).toBeLessThan(Date.now());
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({ discovery: 'pass', 'edge-handshake': 'pass', token: 'fail CERT_EXPIRED', ...FINE_AFTER_NO_TOKEN });
    const token = stageOf(report, 'token');
    expect(evidenceOf(token, 'Certificate notAfter')).toBe(new Date(rig.client.notAfter).toISOString());
    expect(token.fix).toMatch(/Renew the certificate/);
    expect(rig.nginx.errorLog()).toContain('(10:certificate has expired)');
  });

  it('a revoked certificate whose CRL is at the edge: CERT_REVOKED; without the local fact, the CRL is suspected', async () => {
    const rig = await startDiagnosticsRig({ client: 'revoked' });
    expect(rig.input.revoked).toBe(true);
    const report = await runDiagnostics(rig.input, rig.deps);

    expect(summary(report)).toEqual({ discovery: 'pass', 'edge-handshake': 'pass', token: 'fail CERT_REVOKED', ...FINE_AFTER_NO_TOKEN });
    expect(stageOf(report, 'token').cause).toContain('refused it by its CRL');
    expect(rig.nginx.errorLog()).toContain('(23:certificate revoked)');

    const blind = await runDiagnostics({ ...rig.input, revoked: false }, rig.deps);
    expect(stageOf(blind, 'token').code).toBe('EDGE_UNTRUSTED_CA');
    expect(stageOf(blind, 'token').cause).toContain('The edge lists our CAs but refused a valid certificate');
  });
});
