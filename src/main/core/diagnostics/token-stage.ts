/** Stage 3: client_credentials over mTLS with our certificate; a token, or the precise reason there is none. */
import type { ClientCertificateFacts } from './client-certificate.ts';
import { postToEdge, type ClientIdentity, type EdgeTarget } from './edge-connection.ts';
import { answerEvidence, tokenResponse, type TokenResponse } from './edge-answers.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';
import { classifyTokenFailure, type TokenFailureFacts } from './token-failure.ts';

export interface TokenStageInput {
  target: EdgeTarget;
  form: Record<string, string>;
  identity: ClientIdentity;
  certificate: ClientCertificateFacts;
  facts: Omit<TokenFailureFacts, 'notBefore' | 'notAfter' | 'subjectLines' | 'subjectRfc4514' | 'endpointHost'>;
}

export async function tokenStage(input: TokenStageInput): Promise<{ outcome: StageOutcome; token: TokenResponse | null }> {
  const cert = input.certificate;
  const items = [
    evidence('Client certificate', `${cert.subjectRfc4514} (serial ${cert.serialHex}, valid until ${cert.notAfter.toISOString()})`),
    evidence('x5t#S256', cert.x5tS256),
  ];
  const answer = await postToEdge(input.target, input.form, input.identity);
  items.push(...answerEvidence(answer));
  const parsed = tokenResponse(answer);
  if (parsed && 'problem' in parsed) {
    return {
      outcome: fail(
        'TOKEN_RESPONSE_INVALID',
        parsed.problem,
        'The token endpoint is not answering as Auth0 does; check what the edge forwards to.',
        items,
      ),
      token: null,
    };
  }
  if (parsed) {
    const { now, revoked } = input.facts;
    // A token for a certificate the edge should have refused: the edge is not checking what it must.
    if (revoked) {
      return {
        outcome: fail(
          'EDGE_ACCEPTED_REVOKED',
          'The certificate is revoked, yet the edge let it through and Auth0 issued a token: the edge is not applying our CRL.',
          'Publish the edge bundle with the current crl.pem, make sure ssl_crl points at it, and reload the edge.',
          items,
        ),
        token: parsed.token,
      };
    }
    if (now > cert.notAfter.getTime()) {
      return {
        outcome: fail(
          'EDGE_ACCEPTED_EXPIRED',
          'The certificate has expired, yet the edge let it through and Auth0 issued a token.',
          "Check the edge's clock and that it verifies client certificates (ssl_verify_client on).",
          items,
        ),
        token: parsed.token,
      };
    }
    return { outcome: pass(items), token: parsed.token };
  }
  const facts: TokenFailureFacts = {
    ...input.facts,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    subjectLines: cert.subjectLines,
    subjectRfc4514: cert.subjectRfc4514,
    endpointHost: input.target.url.hostname,
  };
  return { outcome: classifyTokenFailure(answer, facts, items), token: null };
}
