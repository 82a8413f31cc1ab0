/**
 * The Authentication API side: `POST /oauth/token` (client_credentials, by secret or by mTLS through
 * the edge), `/.well-known/openid-configuration` and `/.well-known/jwks.json`. Access tokens are RS256
 * JWTs; when the client or the API requires proof of possession, they carry `cnf.x5t#S256` of the
 * presented certificate and the configured `token_type`.
 */
import { authenticateClient, readEdgeContext, type EdgeContext } from './client-auth.ts';
import { header, isRecord, tokenError, type ApiReply, type ApiRequest } from './http.ts';
import type { SandboxStore, StoredClient, StoredResourceServer } from './state.ts';
import type { TokenSigner } from './tokens.ts';

export interface AuthDeps {
  store: SandboxStore;
  signer: TokenSigner;
  tokenType: () => 'Bearer' | 'DPoP';
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function params(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** RFC 6749 §2.3.1: `Authorization: Basic` with form-encoded id and secret. */
function basicCredentials(req: ApiRequest): { id: string; secret: string } | undefined {
  const value = header(req.headers, 'authorization')?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unform = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
  return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

/** Whether a token for this client and API must be bound to the client certificate (mTLS mechanism). */
function popRequired(client: StoredClient, api: StoredResourceServer): boolean {
  const pop = api.proof_of_possession;
  const apiRequires = pop !== null && pop.required && pop.mechanism === 'mtls' && pop.required_for !== 'public_clients';
  return client.require_proof_of_possession || apiRequires;
}

export function issuerHost(store: SandboxStore, edge: EdgeContext | null, req: ApiRequest): string {
  if (edge) return edge.customDomain.domain;
  const host = header(req.headers, 'host')?.split(':')[0]?.toLowerCase();
  const custom = store.data.custom_domains.find((d) => d.status === 'ready' && d.domain === host);
  return custom?.domain ?? store.data.domain;
}

export async function handleToken(req: ApiRequest, deps: AuthDeps): Promise<ApiReply> {
  const { store } = deps;
  if (req.bodyError) return tokenError(400, 'invalid_request', req.bodyError);
  const p = params(req.body);
  const basic = basicCredentials(req);
  if (!p.grant_type) return tokenError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (p.grant_type !== 'client_credentials')
    return tokenError(
      400,
      'unsupported_grant_type',
      `Grant type '${p.grant_type}' is not emulated by the sandbox: use client_credentials.`,
    );
  const clientId = p.client_id ?? basic?.id;
  if (!clientId) return tokenError(400, 'invalid_request', 'Missing required parameter: client_id');

  const edgeRead = readEdgeContext(req, store);
  if ('reply' in edgeRead) return edgeRead.reply;
  const edge = edgeRead.edge;

  const client = store.client(clientId);
  if (!client) return tokenError(401, 'invalid_client', `Unknown client: ${clientId}`);
  const auth = authenticateClient(store, client, p.client_secret ?? basic?.secret, edge, req.now);
  if (!auth.ok) return auth.reply;
  if (!client.grant_types.includes('client_credentials')) {
    return tokenError(403, 'unauthorized_client', "Grant type 'client_credentials' not allowed for the client.");
  }

  const defaultAudience = store.data.tenant_settings.default_audience;
  const audience = p.audience ?? (typeof defaultAudience === 'string' && defaultAudience.length > 0 ? defaultAudience : undefined);
  if (!audience) return tokenError(403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured');
  const api = store.resourceServer(audience);
  if (!api || api.identifier !== audience) return tokenError(403, 'access_denied', `Service not found: ${audience}`);
  const grant = store.grant(client.client_id, audience);
  if (!grant) {
    return tokenError(
      403,
      'access_denied',
      `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
    );
  }
  const requested = p.scope?.split(' ').filter(Boolean);
  const scopes = requested ? grant.scope.filter((s) => requested.includes(s)) : grant.scope;

  let x5tS256: string | undefined;
  if (popRequired(client, api)) {
    if (!auth.certificate)
      return tokenError(
        400,
        'invalid_request',
        'Proof of possession is required: request the token over mTLS, through the edge, with the client certificate.',
      );
    x5tS256 = auth.certificate.thumbprintSha256;
  } else if (api.proof_of_possession?.required && api.proof_of_possession.mechanism === 'dpop') {
    return tokenError(400, 'invalid_request', 'This API requires DPoP proof of possession, which the sandbox does not emulate.');
  }

  const accessToken = await deps.signer.signAccessToken({
    issuer: `https://${issuerHost(store, edge, req)}/`,
    audience,
    subject: `${client.client_id}@clients`,
    azp: client.client_id,
    scope: scopes.join(' '),
    expiresInSeconds: api.token_lifetime,
    x5tS256,
    now: req.now,
  });
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: x5tS256 ? deps.tokenType() : 'Bearer',
    expires_in: api.token_lifetime,
  };
  if (scopes.length > 0) body.scope = scopes.join(' ');
  return { status: 200, body, headers: NO_STORE };
}

export function handleDiscovery(req: ApiRequest, store: SandboxStore): ApiReply {
  const edgeRead = readEdgeContext(req, store);
  const host = issuerHost(store, 'edge' in edgeRead ? edgeRead.edge : null, req);
  const base = `https://${host}/`;
  const body: Record<string, unknown> = {
    issuer: base,
    authorization_endpoint: `${base}authorize`,
    token_endpoint: `${base}oauth/token`,
    device_authorization_endpoint: `${base}oauth/device/code`,
    userinfo_endpoint: `${base}userinfo`,
    mfa_challenge_endpoint: `${base}mfa/challenge`,
    jwks_uri: `${base}.well-known/jwks.json`,
    registration_endpoint: `${base}oidc/register`,
    revocation_endpoint: `${base}oauth/revoke`,
    end_session_endpoint: `${base}oidc/logout`,
    scopes_supported: [
      'openid',
      'profile',
      'offline_access',
      'name',
      'given_name',
      'family_name',
      'nickname',
      'email',
      'email_verified',
      'picture',
      'created_at',
      'identities',
      'phone',
      'address',
    ],
    response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token', 'code token id_token'],
    code_challenge_methods_supported: ['S256', 'plain'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'tls_client_auth',
      'self_signed_tls_client_auth',
    ],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    claims_supported: [
      'aud',
      'auth_time',
      'created_at',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'identities',
      'iss',
      'name',
      'nickname',
      'phone_number',
      'picture',
      'sub',
    ],
    request_uri_parameter_supported: false,
    request_parameter_supported: false,
    id_token_signing_alg_values_supported: ['HS256', 'RS256', 'PS256'],
    tls_client_certificate_bound_access_tokens: true,
  };
  const mtls = store.data.tenant_settings.mtls;
  if (isRecord(mtls) && mtls.enable_endpoint_aliases === true) {
    const aliasHost = host === store.data.domain ? (store.primaryDomain()?.domain ?? host) : host;
    body.mtls_endpoint_aliases = { token_endpoint: `https://mtls.${aliasHost}/oauth/token` };
  }
  return { status: 200, body };
}

export function handleJwks(signer: TokenSigner): ApiReply {
  return { status: 200, body: signer.jwks() };
}
