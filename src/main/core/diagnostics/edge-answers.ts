/**
 * Who answered a token request: the edge (nginx's own 400 page, or a TLS alert), or Auth0 behind
 * it (an OAuth error object, or a token). The answer text never goes into evidence whole, because a
 * successful one holds the access token.
 */
import type { DiagnosticEvidence } from '../../../shared/contract/index.ts';
import type { EdgeAnswer } from './edge-connection.ts';
import { evidence } from './stage.ts';

export interface OAuthError {
  status: number;
  error: string;
  description: string;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  scope: string | null;
}

/** nginx answers a refused client certificate with 400 (its internal 495/496) and an HTML page. */
const EDGE_STATUSES = new Set([400, 495, 496]);

/** Why the edge refused, when it did; null when the request got past it. */
export function edgeRefusal(answer: EdgeAnswer): string | null {
  if (answer.kind === 'tls-refused') return `TLS: ${answer.code} (${answer.message})`;
  if (answer.kind !== 'http' || !EDGE_STATUSES.has(answer.status) || oauthError(answer)) return null;
  const title = /<title>([^<]*)<\/title>/i.exec(answer.text)?.[1]?.trim();
  return title
    ? `HTTP ${answer.status}: ${title}`
    : `HTTP ${answer.status}: ${answer.text.replace(/\s+/g, ' ').slice(0, 120) || '(empty body)'}`;
}

/** An OAuth error object (`{"error":…,"error_description":…}`), which only the authorization server sends. */
export function oauthError(answer: EdgeAnswer): OAuthError | null {
  if (answer.kind !== 'http' || !answer.json || typeof answer.json.error !== 'string') return null;
  const description = typeof answer.json.error_description === 'string' ? answer.json.error_description : '';
  return { status: answer.status, error: answer.json.error, description };
}

/** A 200 with access_token, token_type (Bearer or DPoP) and expires_in; otherwise what is wrong with it. */
export function tokenResponse(answer: EdgeAnswer): { token: TokenResponse } | { problem: string } | null {
  if (answer.kind !== 'http' || answer.status !== 200) return null;
  const body = answer.json;
  if (!body) return { problem: 'The 200 answer is not a JSON object.' };
  const tokenType = typeof body.token_type === 'string' ? body.token_type : '';
  if (typeof body.access_token !== 'string' || body.access_token.length === 0) return { problem: 'The 200 answer has no access_token.' };
  if (!['bearer', 'dpop'].includes(tokenType.toLowerCase()))
    return { problem: `token_type is ${JSON.stringify(body.token_type)}, expected Bearer or DPoP.` };
  if (typeof body.expires_in !== 'number' || body.expires_in <= 0) return { problem: 'The 200 answer has no positive expires_in.' };
  return {
    token: {
      accessToken: body.access_token,
      tokenType,
      expiresIn: body.expires_in,
      scope: typeof body.scope === 'string' ? body.scope : null,
    },
  };
}

/** Evidence about an answer, without the access token. */
export function answerEvidence(answer: EdgeAnswer): DiagnosticEvidence[] {
  if (answer.kind !== 'http') return [evidence('Connection', `${answer.kind}: ${answer.code} (${answer.message})`)];
  const items = [evidence('HTTP status', answer.status)];
  const error = oauthError(answer);
  if (error) {
    items.push(evidence('error', error.error));
    if (error.description) items.push(evidence('error_description', error.description));
    return items;
  }
  const refusal = edgeRefusal(answer);
  if (refusal) return [...items, evidence('Answered by', `the edge (${refusal})`)];
  const token = tokenResponse(answer);
  if (token && 'token' in token) {
    items.push(evidence('token_type', token.token.tokenType), evidence('expires_in', token.token.expiresIn));
    if (token.token.scope) items.push(evidence('scope', token.token.scope));
    return items;
  }
  if (answer.contentType) items.push(evidence('Content-Type', answer.contentType));
  if (!token) items.push(evidence('Body', answer.text.replace(/\s+/g, ' ').slice(0, 160) || '(empty)'));
  return items;
}
