/**
 * Why a token request with our certificate failed, most specific first: what we know locally
 * (expired, revoked, the DN Auth0 holds) explains an edge refusal or a 401 better than the answer
 * alone can.
 */
import type { DiagnosticEvidence } from '../../../shared/contract/index.ts';
import { auth0DnForm, sameDn } from '../pki/names.ts';
import type { EdgeAnswer } from './edge-connection.ts';
import { edgeRefusal, oauthError } from './edge-answers.ts';
import { evidence, fail, type StageOutcome } from './stage.ts';

export interface TokenFailureFacts {
  now: number;
  notBefore: Date;
  notAfter: Date;
  revoked: boolean;
  subjectLines: string;
  subjectRfc4514: string;
  registeredSubjectDn: string | null;
  /** From stage 2: does the edge list our CAs? null when unknown. */
  edgeListsOurCas: boolean | null;
  endpointHost: string;
}

const BIND_FIX =
  'Register the certificate as a cert_subject_dn credential (POST /api/v2/clients/{id}/credentials with its pem) and bind it: PATCH /api/v2/clients/{id} {"client_authentication_methods":{"tls_client_auth":{"credentials":[{"id":"cred_…"}]}},"token_endpoint_auth_method":null}.';

function dnEvidence(facts: TokenFailureFacts): DiagnosticEvidence[] {
  return [
    evidence('Certificate subject (RFC 4514)', facts.subjectRfc4514),
    evidence('Certificate subject (Auth0 form)', auth0DnForm(facts.subjectLines)),
  ];
}

function edgeRefused(refusal: string, facts: TokenFailureFacts, items: DiagnosticEvidence[]): StageOutcome {
  if (facts.now > facts.notAfter.getTime()) {
    items.push(evidence('Certificate notAfter', facts.notAfter.toISOString()));
    return fail(
      'CERT_EXPIRED',
      `The certificate expired on ${facts.notAfter.toISOString()}, and the edge refused it (${refusal}).`,
      'Renew the certificate, register the new one with Auth0, and test again with it.',
      items,
    );
  }
  if (facts.now < facts.notBefore.getTime()) {
    items.push(evidence('Certificate notBefore', facts.notBefore.toISOString()));
    return fail(
      'CERT_NOT_YET_VALID',
      `The certificate is valid only from ${facts.notBefore.toISOString()}, and the edge refused it (${refusal}).`,
      "Wait until the certificate's notBefore, or check this machine's and the edge's clocks.",
      items,
    );
  }
  if (facts.revoked) {
    return fail(
      'CERT_REVOKED',
      `The certificate is revoked, and the edge refused it by its CRL (${refusal}).`,
      'Issue a new certificate, register it with Auth0, and use that one; a revoked certificate cannot be brought back.',
      items,
    );
  }
  const cause =
    facts.edgeListsOurCas === true
      ? `The edge lists our CAs but refused a valid certificate (${refusal}): its crl.pem probably lacks the CRL of one CA in the chain, or a CRL there is out of date.`
      : facts.edgeListsOurCas === false
        ? `The edge refused a valid certificate (${refusal}): its CA bundle does not contain our chain (stage 2 shows the CAs it accepts).`
        : `The edge refused a valid certificate (${refusal}): its CA bundle does not contain our chain, or its crl.pem lacks the CRL of a CA in the chain.`;
  return fail(
    'EDGE_UNTRUSTED_CA',
    cause,
    'Republish the edge bundle for this CA (ca-bundle.pem and crl.pem, with the CRL of every CA in the chain) and reload the edge.',
    items,
  );
}

export function classifyTokenFailure(answer: EdgeAnswer, facts: TokenFailureFacts, items: DiagnosticEvidence[]): StageOutcome {
  if (answer.kind === 'unreachable') {
    return fail(
      'EDGE_UNREACHABLE',
      `The token endpoint could not be reached (${answer.code}).`,
      `Check that the edge for ${facts.endpointHost} is up and reachable from here.`,
      items,
    );
  }
  if (answer.kind === 'server-untrusted') {
    return fail(
      'EDGE_SERVER_UNTRUSTED',
      `The edge's server certificate is not trusted (${answer.code}).`,
      `Trust the CA of the edge's server certificate (edge-ca.pem), and make sure it names ${facts.endpointHost}.`,
      items,
    );
  }
  const refusal = edgeRefusal(answer);
  if (refusal !== null || answer.kind !== 'http') return edgeRefused(refusal ?? answer.kind, facts, items);

  const error = oauthError(answer);
  if (error?.status === 401 && error.error === 'invalid_client') {
    if (facts.registeredSubjectDn && !sameDn(facts.registeredSubjectDn, facts.subjectLines)) {
      items.push(
        ...dnEvidence(facts),
        evidence(
          'Registered subject DN',
          facts.registeredSubjectDn.includes('\n') ? auth0DnForm(facts.registeredSubjectDn) : facts.registeredSubjectDn,
        ),
      );
      return fail(
        'DN_MISMATCH',
        "Auth0 refused the client (invalid_client): the certificate's subject DN is not the one registered on the application's credential.",
        'Register this certificate as the credential (send its pem, so Auth0 reads the DN itself), or issue a certificate with the registered subject.',
        items,
      );
    }
    items.push(...dnEvidence(facts));
    return fail('INVALID_CLIENT', `Auth0 refused the client: ${error.description || 'invalid_client'}.`, BIND_FIX, items);
  }
  if (error && (error.error === 'access_denied' || error.error === 'unauthorized_client')) {
    return fail(
      'ACCESS_DENIED',
      `Auth0 authenticated the client but refused the grant: ${error.description || error.error}.`,
      'Authorize the application for the API (a client grant for this audience) and allow the client_credentials grant.',
      items,
    );
  }
  if (answer.status === 429)
    return fail(
      'RATE_LIMITED',
      'Auth0 answered 429: a rate limit was hit.',
      'Wait for the rate limit to reset, then run the check again.',
      items,
    );
  if (answer.status >= 500) {
    const who = error ? 'Auth0' : 'the edge (its upstream to Auth0 failed)';
    return fail(
      'TOKEN_ENDPOINT_UNAVAILABLE',
      `${who} answered ${answer.status}.`,
      error ? 'Try again later; check Auth0 status.' : "Check the edge's proxy_pass to the tenant's origin and its cname-api-key.",
      items,
    );
  }
  if (answer.status === 404) {
    return fail(
      'TOKEN_ENDPOINT_NOT_FOUND',
      'The token endpoint answered 404.',
      'Forward /oauth/token at the edge to the tenant (the generated edge configuration does).',
      items,
    );
  }
  return fail(
    'TOKEN_REQUEST_FAILED',
    error
      ? `Auth0 refused the request (${answer.status} ${error.error}): ${error.description}`
      : `The token endpoint answered ${answer.status}.`,
    'Read the error above; the request form is grant_type, client_id and audience.',
    items,
  );
}
