/**
 * Which scopes each emulated Management API operation accepts: "any of" the list, taken from the
 * operation's `security` (oAuth2ClientCredentials) in the OpenAPI subset. A test checks the table
 * against the contract. Some operations also gate single fields; those rules follow
 * `docs/auth0-mtls.md`.
 */
import { managementError, type ApiReply } from './http.ts';

export const OPERATION_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'GET /clients': ['read:clients', 'read:client_keys', 'read:client_credentials', 'read:client_summary'],
  'GET /clients/{id}': ['read:clients', 'read:client_keys', 'read:client_credentials', 'read:client_summary'],
  'PATCH /clients/{id}': [
    'update:clients',
    'update:client_keys',
    'update:client_credentials',
    'update:client_token_vault_privileged_access',
  ],
  'GET /clients/{client_id}/credentials': ['read:client_credentials'],
  'POST /clients/{client_id}/credentials': ['create:client_credentials'],
  'GET /clients/{client_id}/credentials/{credential_id}': ['read:client_credentials'],
  'PATCH /clients/{client_id}/credentials/{credential_id}': ['update:client_credentials'],
  'DELETE /clients/{client_id}/credentials/{credential_id}': ['delete:client_credentials'],
  'GET /tenants/settings': ['read:tenant_settings'],
  'PATCH /tenants/settings': ['update:tenant_settings'],
  'GET /custom-domains': ['read:custom_domains'],
  'POST /custom-domains': ['create:custom_domains'],
  'GET /custom-domains/{id}': ['read:custom_domains'],
  'POST /custom-domains/{id}/verify': ['create:custom_domains'],
  'GET /resource-servers': ['read:resource_servers'],
  'GET /resource-servers/{id}': ['read:resource_servers'],
  'PATCH /resource-servers/{id}': ['update:resource_servers'],
};

/** Client fields a token may read only with one of these scopes. */
export const CLIENT_FIELD_READ_SCOPES: Readonly<Record<string, readonly string[]>> = {
  client_authentication_methods: ['read:client_credentials', 'read:client_keys'],
  client_secret: ['read:client_keys'],
};

/** Client fields a token may change only with one of these scopes; any other field needs `update:clients`. */
export const CLIENT_FIELD_UPDATE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  client_authentication_methods: ['update:client_credentials'],
  client_secret: ['update:client_keys'],
  token_endpoint_auth_method: ['update:clients', 'update:client_keys', 'update:client_credentials'],
};

/** What a token with only `read:client_summary` sees of a client. */
export const CLIENT_SUMMARY_FIELDS: readonly string[] = [
  'client_id',
  'name',
  'description',
  'app_type',
  'is_first_party',
  'global',
  'tenant',
];

export function hasAny(granted: ReadonlySet<string>, accepted: readonly string[]): boolean {
  return accepted.some((s) => granted.has(s));
}

export function insufficientScope(accepted: readonly string[]): ApiReply {
  return managementError(403, `Insufficient scope, expected any of: ${accepted.join(', ')}`, 'insufficient_scope');
}

/** Parses a token's `scope` claim (space-separated). */
export function scopeSet(claim: unknown): Set<string> {
  return new Set(typeof claim === 'string' ? claim.split(' ').filter(Boolean) : []);
}
