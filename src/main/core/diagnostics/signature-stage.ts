/** Stage 4: the access token is a JWT signed by a key of the tenant's JWKS, for our audience, from the discovered issuer, not expired. */
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import type { DiscoveryFacts } from './discovery-stage.ts';
import type { TokenResponse } from './edge-answers.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

async function fetchJwks(url: string, fetchFn: typeof fetch): Promise<{ jwks: JSONWebKeySet } | { problem: string }> {
  try {
    const response = await fetchFn(url, { headers: { accept: 'application/json' } });
    if (!response.ok) return { problem: `the JWKS URI answered ${response.status}` };
    const body = (await response.json()) as unknown;
    if (typeof body !== 'object' || body === null || !Array.isArray((body as JSONWebKeySet).keys))
      return { problem: 'the JWKS has no keys array' };
    return { jwks: body as JSONWebKeySet };
  } catch (error) {
    return { problem: (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message };
  }
}

function verifyFailure(error: unknown, expected: { issuer: string; audience: string }): { code: string; cause: string; fix: string } {
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') {
    return {
      code: 'JWT_ISSUER_MISMATCH',
      cause: `The token's issuer is not ${expected.issuer}.`,
      fix: 'Use the discovery document of the domain the token was requested through (the custom domain when the edge serves it).',
    };
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return {
      code: 'JWT_AUDIENCE_MISMATCH',
      cause: `The token is not for ${expected.audience}.`,
      fix: "Request the token with the API's identifier as audience.",
    };
  }
  if (error instanceof errors.JWTExpired)
    return { code: 'JWT_EXPIRED', cause: 'The token has already expired.', fix: "Check this machine's clock against the tenant's." };
  if (error instanceof errors.JWKSNoMatchingKey)
    return {
      code: 'JWKS_NO_MATCHING_KEY',
      cause: "No key in the tenant's JWKS matches the token's kid.",
      fix: 'Check that discovery and the token endpoint belong to the same tenant.',
    };
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return {
      code: 'JWT_SIGNATURE_INVALID',
      cause: "The token's signature does not verify with the tenant's key.",
      fix: 'Check that discovery and the token endpoint belong to the same tenant; a proxy may be rewriting the answer.',
    };
  return {
    code: 'JWT_INVALID',
    cause: `The token could not be verified: ${(error as Error).message}`,
    fix: 'The token endpoint did not return a JWT access token for this API; check the audience.',
  };
}

export async function signatureStage(
  token: TokenResponse,
  discovery: DiscoveryFacts,
  audience: string,
  fetchFn: typeof fetch,
  now: number,
): Promise<StageOutcome> {
  const items = [evidence('JWKS URI', discovery.jwksUri)];
  const fetched = await fetchJwks(discovery.jwksUri, fetchFn);
  if ('problem' in fetched)
    return fail(
      'JWKS_UNAVAILABLE',
      `The tenant's JWKS could not be read: ${fetched.problem}.`,
      'Check that this machine can reach the jwks_uri from discovery.',
      items,
    );
  items.push(evidence('JWKS keys', fetched.jwks.keys.map((k) => k.kid ?? '(no kid)').join(', ') || '(none)'));
  try {
    const header = decodeProtectedHeader(token.accessToken);
    items.push(evidence('alg', String(header.alg)), evidence('kid', String(header.kid ?? '(none)')));
    const { payload } = await jwtVerify(token.accessToken, createLocalJWKSet(fetched.jwks), {
      issuer: [discovery.issuer, ...(discovery.alsoIssuers ?? [])],
      audience,
      algorithms: ASYMMETRIC,
      currentDate: new Date(now),
    });
    items.push(
      evidence('iss', String(payload.iss)),
      evidence('aud', Array.isArray(payload.aud) ? payload.aud.join(', ') : String(payload.aud)),
      evidence('exp', payload.exp ? new Date(payload.exp * 1000).toISOString() : '(none)'),
    );
    return pass(items);
  } catch (error) {
    const failure = verifyFailure(error, { issuer: [discovery.issuer, ...(discovery.alsoIssuers ?? [])].join(' or '), audience });
    return fail(failure.code, failure.cause, failure.fix, items);
  }
}
