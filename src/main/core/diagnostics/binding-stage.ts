/** Stage 5: RFC 8705 §3.1, the token is bound to our certificate: `cnf["x5t#S256"]` = base64url(SHA-256(DER of the leaf)). */
import { decodeJwt } from 'jose';
import type { TokenResponse } from './edge-answers.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';

export function bindingStage(token: TokenResponse, certificateX5t: string): StageOutcome {
  const items = [evidence('x5t#S256 of the certificate', certificateX5t)];
  let cnf: unknown;
  try {
    cnf = decodeJwt(token.accessToken).cnf;
  } catch (error) {
    return fail(
      'JWT_INVALID',
      `The access token is not a JWT: ${(error as Error).message}`,
      'Request the token for an API (audience) so Auth0 issues a JWT access token.',
      items,
    );
  }
  const bound = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['x5t#S256'] : undefined;
  items.unshift(evidence('cnf.x5t#S256 in the token', typeof bound === 'string' ? bound : '(none)'));
  if (typeof bound !== 'string') {
    return fail(
      'CNF_MISSING',
      'The token carries no cnf.x5t#S256: it is a plain bearer token, usable by anyone who copies it.',
      'Require proof of possession: PATCH /api/v2/clients/{id} {"require_proof_of_possession":true}, or on the API PATCH /api/v2/resource-servers/{id} {"proof_of_possession":{"mechanism":"mtls","required":true}}.',
      items,
    );
  }
  if (bound !== certificateX5t) {
    return fail(
      'CNF_MISMATCH',
      'The token is bound to a different certificate than the one we presented.',
      'Make sure nothing between the client and the edge re-terminates TLS, and that the edge forwards the certificate it verified ($ssl_client_escaped_cert).',
      items,
    );
  }
  return pass(items);
}
