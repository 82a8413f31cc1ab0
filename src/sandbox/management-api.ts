/**
 * The Management API subset under `/api/v2`: routing, bearer-token checks (signature, issuer,
 * audience, expiry) and per-operation scopes, then the resource handlers.
 */
import { errors as joseErrors } from 'jose';
import { header, managementError, type ApiReply, type ApiRequest } from './http.ts';
import { clientRoutes } from './management-clients.ts';
import { credentialRoutes } from './management-credentials.ts';
import { customDomainRoutes } from './management-custom-domains.ts';
import { tenantRoutes } from './management-tenant.ts';
import { hasAny, insufficientScope, OPERATION_SCOPES, scopeSet } from './scopes.ts';
import type { SandboxStore } from './state.ts';
import { managementAudience } from './tenant-admin.ts';
import type { TokenSigner } from './tokens.ts';

export const MANAGEMENT_PREFIX = '/api/v2';

export interface ManagementContext {
  store: SandboxStore;
  req: ApiRequest;
  params: Record<string, string>;
  scopes: ReadonlySet<string>;
}

export interface ManagementRoute {
  method: string;
  /** The OpenAPI path template, relative to `/api/v2`. */
  template: string;
  handle: (ctx: ManagementContext) => ApiReply | Promise<ApiReply>;
}

export const MANAGEMENT_ROUTES: readonly ManagementRoute[] = [...clientRoutes, ...credentialRoutes, ...tenantRoutes, ...customDomainRoutes];

function match(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g.length === 0) return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

async function authorize(
  req: ApiRequest,
  store: SandboxStore,
  signer: TokenSigner,
): Promise<{ scopes: Set<string> } | { reply: ApiReply }> {
  const authorization = header(req.headers, 'authorization');
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return { reply: managementError(401, 'Missing authentication', 'invalid_token') };
  const domain = store.data.domain;
  try {
    // Tokens issued through a verified custom domain carry its issuer; both are accepted.
    const issuers = [domain, ...store.data.custom_domains.filter((d) => d.status === 'ready').map((d) => d.domain)].map(
      (h) => `https://${h}/`,
    );
    const payload = await signer.verify(token, { issuer: issuers, audience: managementAudience(domain), now: req.now });
    return { scopes: scopeSet(payload.scope) };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      return { reply: managementError(401, 'Expired token received for JSON Web Token validation', 'invalid_token') };
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      return { reply: managementError(401, `Bad ${error.claim}: the token was not issued for this API`, 'invalid_token') };
    return { reply: managementError(401, 'Invalid signature received for JSON Web Token validation', 'invalid_token') };
  }
}

/** The emulated operation a request addresses, if any. */
export function findManagementRoute(
  method: string,
  fullPath: string,
): { route: ManagementRoute; params: Record<string, string> } | undefined {
  const path = fullPath.slice(MANAGEMENT_PREFIX.length) || '/';
  for (const route of MANAGEMENT_ROUTES) {
    if (route.method !== method) continue;
    const params = match(route.template, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Answers one request whose path starts with `/api/v2`. */
export async function handleManagement(req: ApiRequest, store: SandboxStore, signer: TokenSigner): Promise<ApiReply> {
  const found = findManagementRoute(req.method, req.path);
  if (!found) return managementError(404, 'Not Found');
  const { route, params } = found;

  const auth = await authorize(req, store, signer);
  const withRoute = (reply: ApiReply): ApiReply => ({ ...reply, route: route.template });
  if ('reply' in auth) return withRoute(auth.reply);
  const accepted = OPERATION_SCOPES[`${route.method} ${route.template}`] ?? [];
  if (!hasAny(auth.scopes, accepted)) return withRoute(insufficientScope(accepted));
  return withRoute(await route.handle({ store, req, params, scopes: auth.scopes }));
}
