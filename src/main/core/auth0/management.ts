/**
 * Talking to a tenant's Management API as its M2M application: the `auth0` SDK client for the mTLS
 * steps, and "Test connection", which gets a token and names the scopes certdesk still lacks.
 */
import { ManagementClient } from 'auth0';
import { decodeJwt } from 'jose';
import type { TenantTestResult } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';

/**
 * Exactly the scopes the five mTLS steps use (see `src/sandbox/scopes.ts` for what each call accepts):
 * read and bind the application (`GET`/`PATCH /clients/{id}`, and `client_authentication_methods`,
 * which needs the credentials scopes), manage its certificate credentials, switch the tenant's mTLS
 * endpoint aliases, set up the custom domain, and require proof of possession on the API.
 */
export const REQUIRED_SCOPES = [
  'read:clients',
  'update:clients',
  'read:client_credentials',
  'create:client_credentials',
  'update:client_credentials',
  'delete:client_credentials',
  'read:tenant_settings',
  'update:tenant_settings',
  'read:custom_domains',
  'create:custom_domains',
  'read:resource_servers',
  'update:resource_servers',
] as const;

export interface TenantEndpoint {
  domain: string;
  clientId: string;
}

export interface Auth0Options {
  fetch?: typeof fetch;
  timeoutInSeconds?: number;
  maxRetries?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 15;

/** A Management API client for this tenant, authenticated as its M2M application. */
export function managementClient(tenant: TenantEndpoint, secret: string, options: Auth0Options = {}): ManagementClient {
  return new ManagementClient({
    domain: tenant.domain,
    clientId: tenant.clientId,
    clientSecret: secret,
    timeoutInSeconds: options.timeoutInSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    maxRetries: options.maxRetries ?? 2,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Requests a Management API token (client_credentials) and compares its `scope` claim with
 * REQUIRED_SCOPES. The token is only read, not verified: it came straight from the tenant over TLS
 * and is not used for anything else. Failures name the field at fault; the secret is never echoed.
 */
export async function testConnection(tenant: TenantEndpoint, secret: string, options: Auth0Options = {}): Promise<TenantTestResult> {
  const doFetch = options.fetch ?? fetch;
  const timeout = options.timeoutInSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const where = `https://${tenant.domain}/oauth/token`;
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: tenant.clientId,
    client_secret: secret,
    audience: `https://${tenant.domain}/api/v2/`,
  });
  let response: Response;
  let payload: unknown;
  try {
    response = await doFetch(where, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeout * 1000),
    });
    payload = await response.json().catch(() => undefined);
  } catch (error) {
    // The fetch itself refused to send (the sandbox fetch's named refusal): its words are the fix.
    if (error instanceof CertdeskError) throw error;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new CertdeskError(
        'AUTH0_TIMEOUT',
        `${tenant.domain} did not answer within ${timeout} s. Check the domain and your network (proxy, VPN), then try again.`,
        { field: 'domain', cause: error },
      );
    }
    const reason = networkReason(error);
    throw new CertdeskError(
      'AUTH0_UNREACHABLE',
      `Cannot reach ${tenant.domain} (${reason}). Check the tenant domain, for example acme.eu.auth0.com.`,
      { field: 'domain', cause: error },
    );
  }
  const answer = isRecord(payload) ? payload : {};
  const description = redact(typeof answer.error_description === 'string' ? answer.error_description : '', secret);
  if (response.ok && typeof answer.access_token === 'string') {
    const granted = scopesOf(answer.access_token, answer.scope);
    const missing = REQUIRED_SCOPES.filter((s) => !granted.includes(s));
    return { ok: missing.length === 0, granted, missing, tokenExpiresIn: typeof answer.expires_in === 'number' ? answer.expires_in : null };
  }
  if (response.status === 401 || answer.error === 'invalid_client' || answer.error === 'unauthorized_client') {
    const refused = m2mRefusal(tenant, description);
    throw new CertdeskError(
      'AUTH0_AUTH_FAILED',
      `${refused.message} Copy both again from the M2M application's settings in the Auth0 dashboard.`,
      { field: refused.field },
    );
  }
  if (response.status === 403 && answer.error === 'access_denied') {
    // Authenticated, but the application has no grant for the Management API: every scope is missing.
    return { ok: false, granted: [], missing: [...REQUIRED_SCOPES], tokenExpiresIn: null };
  }
  if (answer.error === undefined) {
    throw new CertdeskError(
      'AUTH0_UNREACHABLE',
      `${tenant.domain} answered ${response.status} without an OAuth error: it does not look like an Auth0 tenant domain. Use the tenant's own domain (acme.eu.auth0.com), not the custom domain or the dashboard URL.`,
      { field: 'domain' },
    );
  }
  throw new CertdeskError(
    'AUTH0_UNREACHABLE',
    `${tenant.domain} refused the token request (${response.status} ${String(answer.error)}${description ? `: ${description}` : ''}). Try again later.`,
    { field: 'domain' },
  );
}

/**
 * Why the tenant refused certdesk's M2M credentials. Only an answer that says the client is
 * unknown names the client id; Auth0's usual answer ("Client authentication failed", or
 * access_denied "Unauthorized") does not tell a wrong id from a wrong secret, so neither does this.
 */
export function m2mRefusal(tenant: TenantEndpoint, description: string): { field: 'clientId' | 'clientSecret'; message: string } {
  if (/unknown client|client.*not (found|exist)/i.test(description)) {
    return { field: 'clientId', message: `${tenant.domain} does not know the M2M client id ${tenant.clientId}.` };
  }
  return {
    field: 'clientSecret',
    message: `${tenant.domain} refused the M2M credentials (client id ${tenant.clientId}${description ? `: ${description}` : ''}): the client secret is wrong or was rotated, or the client id is not an application of this tenant.`,
  };
}

/** The scopes a Management API token grants: its `scope` claim, else the response's `scope`. */
function scopesOf(token: string, responseScope: unknown): string[] {
  let claim: unknown = responseScope;
  try {
    claim = decodeJwt(token).scope ?? responseScope;
  } catch {
    // Not a JWT: fall back to the token response's `scope` field.
  }
  return typeof claim === 'string' ? claim.split(' ').filter(Boolean) : [];
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 120);
  return error instanceof Error ? error.message.slice(0, 120) : 'network error';
}

function redact(text: string, secret: string): string {
  return secret ? text.replaceAll(secret, '[redacted]') : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
