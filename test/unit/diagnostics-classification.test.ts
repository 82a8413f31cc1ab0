/** How the flight check reads answers and local facts into codes, on fixed inputs. */
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bindingStage } from '../../src/main/core/diagnostics/binding-stage.ts';
import { curlTokenRequest, shellQuote } from '../../src/main/core/diagnostics/curl-commands.ts';
import type { EdgeAnswer } from '../../src/main/core/diagnostics/edge-connection.ts';
import { answerEvidence, edgeRefusal, tokenResponse } from '../../src/main/core/diagnostics/edge-answers.ts';
import { classifyTokenFailure, type TokenFailureFacts } from '../../src/main/core/diagnostics/token-failure.ts';
import { parseDn, sameDn } from '../../src/main/core/pki/names.ts';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const FACTS: TokenFailureFacts = {
  now: NOW,
  notBefore: new Date(NOW - 10 * DAY),
  notAfter: new Date(NOW + 80 * DAY),
  revoked: false,
  subjectLines: 'C=US\nO=YourOrg\nCN=app-client-prod',
  subjectRfc4514: 'CN=app-client-prod,O=YourOrg,C=US',
  registeredSubjectDn: null,
  edgeListsOurCas: null,
  endpointHost: 'mtls.login.example.com',
};

function http(status: number, body: unknown, contentType = 'application/json'): EdgeAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { kind: 'http', status, contentType, text, json: typeof body === 'string' ? null : (body as Record<string, unknown>) };
}

const NGINX_400 = http(
  400,
  '<html>\r\n<head><title>400 The SSL certificate error</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n',
  'text/html',
);
const TLS_ALERT: EdgeAnswer = {
  kind: 'tls-refused',
  code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  message: 'alert certificate required',
};
const code = (answer: EdgeAnswer, facts: Partial<TokenFailureFacts> = {}) => classifyTokenFailure(answer, { ...FACTS, ...facts }, []).code;

describe('subject DNs', () => {
  it('treats Auth0 newline form and RFC 4514 as the same DN, each read in its own order', () => {
    // Was normalizeDn (RFC 4514 order, as strings); the one parser returns certificate order, by OID.
    expect(parseDn('C=US\nO=YourOrg\nCN=app')).toEqual(parseDn('CN=app,O=YourOrg,C=US'));
    expect(parseDn('C=US\nO=YourOrg\nCN=app')?.map((rdn) => rdn.map((ava) => ava.type))).toEqual([['2.5.4.6'], ['2.5.4.10'], ['2.5.4.3']]);
    expect(sameDn('C=US\nO=YourOrg\nCN=app', 'CN=app,O=YourOrg,C=US')).toBe(true);
    // Was true: the old rule also tried the reverse order. A comma-separated DN is RFC 4514 (most
    // specific first), so these two are different names; trying both orders hid wrong-order DNs.
    expect(sameDn('C=US, O=YourOrg, CN=app', 'cn=app, o=YourOrg, c=US')).toBe(false);
    expect(sameDn('CN=Acme\\, Inc,O=X', 'O=X\nCN=Acme\\, Inc')).toBe(true);
    expect(sameDn('C=US\nO=YourOrg\nCN=app', 'CN=app-staging,O=YourOrg,C=US')).toBe(false);
    // Was false here but true in the plan's rule: RFC 5280 §7.1 matches O (a DirectoryString) case-insensitively.
    expect(sameDn('CN=app,O=YourOrg', 'CN=app,O=yourorg')).toBe(true);
  });
});

describe('who answered', () => {
  it("reads nginx's HTML 400 and TLS alerts as edge refusals, OAuth errors as Auth0's", () => {
    expect(edgeRefusal(NGINX_400)).toBe('HTTP 400: 400 The SSL certificate error');
    expect(edgeRefusal(TLS_ALERT)).toMatch(/^TLS: ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/);
    expect(edgeRefusal(http(400, { error: 'invalid_request', error_description: 'x' }))).toBeNull();
    expect(edgeRefusal(http(401, { error: 'invalid_client' }))).toBeNull();
  });

  it('accepts Bearer and DPoP tokens and names what is wrong with other 200s, never echoing the token', () => {
    const ok = http(200, { access_token: 'eyJ.secret.sig', token_type: 'DPoP', expires_in: 60 });
    expect(tokenResponse(ok)).toEqual({ token: { accessToken: 'eyJ.secret.sig', tokenType: 'DPoP', expiresIn: 60, scope: null } });
    expect(tokenResponse(http(200, { access_token: 'a', token_type: 'mac', expires_in: 60 }))).toEqual({
      problem: 'token_type is "mac", expected Bearer or DPoP.',
    });
    expect(tokenResponse(http(200, { access_token: 'a', token_type: 'Bearer' }))).toEqual({
      problem: 'The 200 answer has no positive expires_in.',
    });
    expect(JSON.stringify(answerEvidence(ok))).not.toContain('secret');
  });
});

describe('why the token request failed', () => {
  it('explains an edge refusal by local facts first: expired, not yet valid, revoked, then the CA bundle', () => {
    expect(code(NGINX_400, { notAfter: new Date(NOW - DAY), revoked: true })).toBe('CERT_EXPIRED');
    expect(code(TLS_ALERT, { notBefore: new Date(NOW + DAY) })).toBe('CERT_NOT_YET_VALID');
    expect(code(NGINX_400, { revoked: true })).toBe('CERT_REVOKED');
    expect(code(NGINX_400)).toBe('EDGE_UNTRUSTED_CA');
    expect(classifyTokenFailure(NGINX_400, { ...FACTS, edgeListsOurCas: true }, []).cause).toMatch(/crl\.pem/);
  });

  it('tells a DN mismatch from other invalid_client refusals, whatever form the registered DN is in', () => {
    const refused = http(401, { error: 'invalid_client', error_description: 'No enabled cert_subject_dn credential…' });
    expect(code(refused, { registeredSubjectDn: 'C=US\nO=YourOrg\nCN=app-client-staging' })).toBe('DN_MISMATCH');
    expect(code(refused, { registeredSubjectDn: 'CN=app-client-prod,O=YourOrg,C=US' })).toBe('INVALID_CLIENT');
    expect(code(refused)).toBe('INVALID_CLIENT');
  });

  it('names grant, rate-limit, upstream and routing problems', () => {
    expect(code(http(403, { error: 'access_denied', error_description: 'Client is not authorized' }))).toBe('ACCESS_DENIED');
    expect(code(http(429, { error: 'too_many_requests' }))).toBe('RATE_LIMITED');
    const badGateway = classifyTokenFailure(http(502, '<html><head><title>502 Bad Gateway</title></head></html>', 'text/html'), FACTS, []);
    expect([badGateway.code, badGateway.cause]).toEqual([
      'TOKEN_ENDPOINT_UNAVAILABLE',
      'the edge (its upstream to Auth0 failed) answered 502.',
    ]);
    expect(code(http(404, 'Not Found', 'text/plain'))).toBe('TOKEN_ENDPOINT_NOT_FOUND');
    expect(code({ kind: 'unreachable', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe('EDGE_UNREACHABLE');
  });
});

describe('binding and commands', () => {
  const token = (claims: Record<string, unknown>) => ({
    accessToken: new UnsecuredJWT(claims).encode(),
    tokenType: 'Bearer',
    expiresIn: 60,
    scope: null,
  });

  it('compares cnf.x5t#S256 with the certificate thumbprint', () => {
    expect(bindingStage(token({ cnf: { 'x5t#S256': 'abc' } }), 'abc').status).toBe('pass');
    expect(bindingStage(token({ cnf: { 'x5t#S256': 'abc' } }), 'xyz').code).toBe('CNF_MISMATCH');
    expect(bindingStage(token({}), 'xyz').code).toBe('CNF_MISSING');
  });

  it('quotes for the shell, including the glob brackets of an IPv6 --connect-to', () => {
    expect(shellQuote("it's a test")).toBe(`'it'\\''s a test'`);
    expect(shellQuote('https://payments.example.com/')).toBe('https://payments.example.com/');
    const endpoint = new URL('https://mtls.login.example.com/oauth/token');
    expect(
      curlTokenRequest({ endpoint, connectTo: { host: '::1', port: 8443 }, edgeCa: false }, { grant_type: 'client_credentials' }, 'none'),
    ).toBe(
      "curl -sS --connect-to 'mtls.login.example.com:443:[::1]:8443' --data-urlencode grant_type=client_credentials https://mtls.login.example.com/oauth/token",
    );
  });
});
