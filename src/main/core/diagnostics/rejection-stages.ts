/**
 * Stages 6 and 7: the token endpoint must refuse a request without a certificate (at the edge) and
 * one with a certificate from another CA (at the edge, or by Auth0 as invalid_client).
 */
import type { ClientIdentity, EdgeAnswer, EdgeTarget } from './edge-connection.ts';
import { postToEdge } from './edge-connection.ts';
import { answerEvidence, edgeRefusal, oauthError, tokenResponse } from './edge-answers.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';
import type { DiagnosticEvidence } from '../../../shared/contract/index.ts';

function connectionFailure(answer: EdgeAnswer, items: DiagnosticEvidence[]): StageOutcome | null {
  if (answer.kind === 'unreachable')
    return fail(
      'EDGE_UNREACHABLE',
      `The token endpoint could not be reached (${answer.code}), so the refusal could not be tested.`,
      'Make the edge reachable, then run the check again.',
      items,
    );
  if (answer.kind === 'server-untrusted')
    return fail(
      'EDGE_SERVER_UNTRUSTED',
      `The edge's server certificate is not trusted (${answer.code}).`,
      "Trust the CA of the edge's server certificate (edge-ca.pem).",
      items,
    );
  return null;
}

function unexpected(answer: EdgeAnswer, items: DiagnosticEvidence[]): StageOutcome {
  const status = answer.kind === 'http' ? answer.status : answer.kind;
  return fail(
    'UNEXPECTED_ANSWER',
    `The token endpoint answered ${status}, which is neither a refusal by the edge nor invalid_client.`,
    'Read the evidence; the expected answer is the edge refusing the connection (nginx 400) or Auth0 401 invalid_client.',
    items,
  );
}

export async function rejectNoCertStage(target: EdgeTarget, form: Record<string, string>): Promise<StageOutcome> {
  const answer = await postToEdge(target, form);
  const items = answerEvidence(answer);
  const failure = connectionFailure(answer, items);
  if (failure) return failure;
  if (tokenResponse(answer)) {
    return fail(
      'TOKEN_WITHOUT_CERT',
      'CRITICAL: a token was issued to a request without any client certificate.',
      "Set ssl_verify_client on at the edge, and make tls_client_auth the application's only authentication method (token_endpoint_auth_method null).",
      items,
    );
  }
  const refusal = edgeRefusal(answer);
  if (refusal) return pass([evidence('Refused by', `the edge (${refusal})`), ...items]);
  if (oauthError(answer)) {
    return fail(
      'EDGE_VERIFY_NOT_ON',
      'The edge let a request without a certificate through to Auth0; Auth0 refused it, but the edge must.',
      'Set ssl_verify_client on (not optional) at the edge and reload it.',
      items,
    );
  }
  return unexpected(answer, items);
}

export async function rejectForeignCertStage(
  target: EdgeTarget,
  form: Record<string, string>,
  foreign: ClientIdentity & { subject: string },
): Promise<StageOutcome> {
  const answer = await postToEdge(target, form, foreign);
  const items = [evidence('Foreign certificate', foreign.subject), ...answerEvidence(answer)];
  const failure = connectionFailure(answer, items);
  if (failure) return failure;
  if (tokenResponse(answer)) {
    return fail(
      'FOREIGN_CERT_ACCEPTED',
      'CRITICAL: a token was issued for a certificate from a CA we do not run.',
      'Make the edge trust only our CA bundle (ssl_client_certificate, ssl_verify_client on), and bind only our certificates to the application.',
      items,
    );
  }
  const refusal = edgeRefusal(answer);
  if (refusal) return pass([evidence('Refused by', `the edge (${refusal})`), ...items]);
  const error = oauthError(answer);
  if (error?.status === 401 && error.error === 'invalid_client') return pass([evidence('Refused by', 'Auth0 (invalid_client)'), ...items]);
  return unexpected(answer, items);
}
