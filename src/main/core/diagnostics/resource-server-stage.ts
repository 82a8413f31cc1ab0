/** Stage 8: a resource server must refuse a certificate-bound token presented without the certificate (401 invalid_token). */
import type { TokenResponse } from './edge-answers.ts';
import { evidence, fail, pass, type StageOutcome } from './stage.ts';

export async function resourceServerStage(resourceUrl: string, token: TokenResponse, fetchFn: typeof fetch): Promise<StageOutcome> {
  const items = [evidence('Resource URL', resourceUrl), evidence('Authorization', `${token.tokenType} <the access token from stage 3>`)];
  let response: Response;
  try {
    response = await fetchFn(resourceUrl, { headers: { authorization: `${token.tokenType} ${token.accessToken}` } });
  } catch (error) {
    const reason = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return fail(
      'RESOURCE_UNREACHABLE',
      `The resource server could not be reached (${reason}).`,
      'Check the resource URL and that it is reachable from here.',
      items,
    );
  }
  await response.body?.cancel();
  items.push(evidence('HTTP status', response.status));
  const challenge = response.headers.get('www-authenticate');
  if (challenge) items.push(evidence('WWW-Authenticate', challenge));
  if (response.status === 401) return pass(items);
  if (response.ok) {
    return fail(
      'RESOURCE_ACCEPTS_UNBOUND',
      'The resource server accepted the bound token without the certificate: a stolen token would work there.',
      'Make the resource server require mTLS and compare cnf.x5t#S256 with the SHA-256 of the presented certificate (RFC 8705 §3), answering 401 invalid_token otherwise.',
      items,
    );
  }
  return fail(
    'UNEXPECTED_ANSWER',
    `The resource server answered ${response.status}, not 401.`,
    'A missing or mismatched certificate must get 401 invalid_token.',
    items,
  );
}
