/** Stage 1: the tenant's OpenID configuration, and the token endpoint a certificate-bound client must use. */
import { evidence, fail, pass, type StageOutcome } from './stage.ts';

export interface DiscoveryFacts {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: URL;
  /** The endpoint came from `mtls_endpoint_aliases` (RFC 8705 §5). */
  viaAlias: boolean;
}

const ALIAS_FIX = 'PATCH /api/v2/tenants/settings with {"mtls":{"enable_endpoint_aliases":true}}';

function httpsUrl(value: unknown): URL | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export async function discoveryStage(
  discoveryUrl: string,
  fetchFn: typeof fetch,
): Promise<{ outcome: StageOutcome; value: DiscoveryFacts | null }> {
  const items = [evidence('Discovery URL', discoveryUrl)];
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(discoveryUrl, { headers: { accept: 'application/json' } });
    text = await response.text();
  } catch (error) {
    const reason = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return {
      outcome: fail(
        'DISCOVERY_UNREACHABLE',
        `The discovery document could not be fetched (${reason}).`,
        'Check the tenant or custom domain in the discovery URL, and that this machine can reach it over HTTPS.',
        items,
      ),
      value: null,
    };
  }
  items.push(evidence('HTTP status', response.status));
  if (!response.ok) {
    return {
      outcome: fail(
        'DISCOVERY_FAILED',
        `The discovery URL answered ${response.status}.`,
        'Use https://<tenant or custom domain>/.well-known/openid-configuration.',
        items,
      ),
      value: null,
    };
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {
      outcome: fail(
        'DISCOVERY_INVALID',
        'The discovery URL did not answer with JSON.',
        'Use https://<tenant or custom domain>/.well-known/openid-configuration.',
        items,
      ),
      value: null,
    };
  }
  const issuer = typeof doc.issuer === 'string' ? doc.issuer : null;
  const jwksUri = httpsUrl(doc.jwks_uri);
  const plain = httpsUrl(doc.token_endpoint);
  const aliases =
    typeof doc.mtls_endpoint_aliases === 'object' && doc.mtls_endpoint_aliases !== null
      ? (doc.mtls_endpoint_aliases as Record<string, unknown>)
      : null;
  const alias = httpsUrl(aliases?.token_endpoint);
  const tokenEndpoint = alias ?? plain;
  if (!issuer || !jwksUri || !tokenEndpoint) {
    const missing = [!issuer && 'issuer', !jwksUri && 'jwks_uri (https)', !tokenEndpoint && 'token_endpoint (https)']
      .filter(Boolean)
      .join(', ');
    return {
      outcome: fail(
        'DISCOVERY_INVALID',
        `The discovery document lacks ${missing}.`,
        "Point the check at the tenant's own discovery document.",
        items,
      ),
      value: null,
    };
  }
  items.push(
    evidence('Issuer', issuer),
    evidence('JWKS URI', jwksUri.href),
    evidence(
      'Token endpoint used',
      alias
        ? `${alias.href} (mtls_endpoint_aliases.token_endpoint)`
        : `${tokenEndpoint.href} (token_endpoint; the document has no mTLS alias)`,
    ),
  );
  if (alias && plain) items.push(evidence('Plain token endpoint', plain.href));
  if (!alias)
    items.push(evidence('Note', `Certificate-bound clients must use the mTLS alias when there is one; to publish it: ${ALIAS_FIX}.`));
  if (doc.tls_client_certificate_bound_access_tokens !== undefined)
    items.push(evidence('tls_client_certificate_bound_access_tokens', String(doc.tls_client_certificate_bound_access_tokens)));
  return { outcome: pass(items), value: { issuer, jwksUri: jwksUri.href, tokenEndpoint, viaAlias: alias !== null } };
}
