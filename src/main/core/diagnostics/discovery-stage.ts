/** Stage 1: the tenant's OpenID configuration, and the token endpoint a certificate-bound client must use. */
import { evidence, fail, pass, type StageOutcome } from './stage.ts';

export interface DiscoveryFacts {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: URL;
  /** The endpoint came from `mtls_endpoint_aliases` (RFC 8705 §5). */
  viaAlias: boolean;
  /** Issuers a token may carry besides `issuer`: the custom domain's, when discovery was read on the canonical domain. */
  alsoIssuers?: string[];
  /** The URL the document was read from, when it is not the one asked for (the canonical domain's). */
  readFrom?: string;
}

/**
 * Where to read discovery when the custom domain will not serve it: an mTLS edge in front of the
 * custom domain (certdesk's own nginx configuration among them) demands a client certificate for
 * every path and forwards only the token endpoints, so without a certificate it answers 400 and
 * with one 404. Auth0 serves the same tenant's document on its canonical domain.
 */
export interface DiscoveryFallback {
  /** e.g. `https://tenant.eu.auth0.com/.well-known/openid-configuration`. */
  url: string;
  /** The custom domain the edge serves (tokens requested through it carry its issuer). */
  customDomain: string;
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

type DiscoveryResult = { outcome: StageOutcome; value: DiscoveryFacts | null };

/**
 * Stage 1. Reads `discoveryUrl`; when that fails and a fallback is given, reads the canonical
 * domain's document instead, keeps the custom domain for a plain token endpoint (that is the host the
 * edge serves) and accepts the custom domain's issuer, and says so in the evidence.
 */
export async function discoveryStage(discoveryUrl: string, fetchFn: typeof fetch, fallback?: DiscoveryFallback): Promise<DiscoveryResult> {
  const first = await readDiscovery(discoveryUrl, fetchFn);
  if (first.value || !fallback || fallback.url === discoveryUrl) return first;
  const second = await readDiscovery(fallback.url, fetchFn);
  if (!second.value)
    return { outcome: { ...first.outcome, evidence: [...first.outcome.evidence, ...second.outcome.evidence] }, value: null };
  const facts = second.value;
  const canonicalHost = new URL(fallback.url).host;
  const tokenEndpoint = new URL(facts.tokenEndpoint.href);
  if (!facts.viaAlias && tokenEndpoint.host === canonicalHost) tokenEndpoint.host = fallback.customDomain;
  const customIssuer = `https://${fallback.customDomain}/`;
  const note = evidence(
    'Read from the canonical domain',
    `${discoveryUrl} did not serve discovery (an mTLS edge asks every path for a client certificate and forwards only the token endpoints), so it was read from ${fallback.url}; tokens requested through ${fallback.customDomain} carry the issuer ${customIssuer}.`,
  );
  const items = second.outcome.evidence.map((item) =>
    item.label === 'Token endpoint used' && tokenEndpoint.href !== facts.tokenEndpoint.href
      ? evidence(item.label, `${tokenEndpoint.href} (token_endpoint on the custom domain the edge serves)`)
      : item,
  );
  return {
    outcome: pass([...first.outcome.evidence, note, ...items]),
    value: { ...facts, tokenEndpoint, alsoIssuers: facts.issuer === customIssuer ? [] : [customIssuer], readFrom: fallback.url },
  };
}

async function readDiscovery(discoveryUrl: string, fetchFn: typeof fetch): Promise<DiscoveryResult> {
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
