/**
 * Request-body schemas for the Management API operations the sandbox emulates, following the
 * OpenAPI subset's request schemas (additionalProperties: false, enums, lengths, patterns). A body
 * that fails answers 400 in Auth0's format with errorCode `invalid_body`.
 */
import { z } from 'zod';
import { managementError, type ApiReply } from './http.ts';
import { CLIENT_APP_TYPES, UPDATE_CLIENT_KEYS, UPDATE_RESOURCE_SERVER_KEYS, UPDATE_TENANT_SETTINGS_KEYS } from './oas-fields.ts';

const dateTime = z.iso.datetime({ offset: true });
const credentialRefs = z.array(z.strictObject({ id: z.string() }));
const methodWithCredentials = z.strictObject({ credentials: credentialRefs });

export const clientAuthenticationMethodsSchema = z
  .strictObject({
    private_key_jwt: methodWithCredentials.optional(),
    tls_client_auth: methodWithCredentials.optional(),
    self_signed_tls_client_auth: methodWithCredentials.optional(),
  })
  .refine((o) => Object.keys(o).length === 1, { message: 'client_authentication_methods must define exactly one method' })
  .nullable();

/** Only known keys; the fields the emulator acts on are type-checked, the rest are kept as sent. */
function knownKeys<T extends z.ZodRawShape>(keys: readonly string[], shape: T) {
  return z.looseObject(shape).superRefine((o, ctx) => {
    const unknown = Object.keys(o).filter((k) => !keys.includes(k));
    if (unknown.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, input: o, message: '' });
    if (Object.keys(o).length === 0) ctx.addIssue({ code: 'custom', message: 'Payload must have at least 1 property', input: o });
  });
}

export const updateClientSchema = knownKeys(UPDATE_CLIENT_KEYS, {
  name: z
    .string()
    .regex(/^[^<>]+$/)
    .optional(),
  description: z.string().max(140).optional(),
  client_secret: z.string().min(1).optional(),
  app_type: z.enum(CLIENT_APP_TYPES as [string, ...string[]]).optional(),
  grant_types: z.array(z.string().min(1)).optional(),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).nullable().optional(),
  client_authentication_methods: clientAuthenticationMethodsSchema.optional(),
  require_proof_of_possession: z.boolean().optional(),
});

export const createCredentialSchema = z.strictObject({
  credential_type: z.enum(['public_key', 'cert_subject_dn', 'x509_cert']),
  name: z.string().max(128).optional(),
  subject_dn: z.string().min(1).max(256).optional(),
  pem: z.string().optional(),
  alg: z.enum(['RS256', 'RS384', 'PS256']).optional(),
  parse_expiry_from_cert: z.boolean().optional(),
  expires_at: dateTime.optional(),
  kid: z
    .string()
    .regex(/^[0-9a-zA-Z-_]{10,64}$/)
    .optional(),
});

export const patchCredentialSchema = z
  .strictObject({ expires_at: dateTime.nullable().optional() })
  .refine((o) => Object.keys(o).length > 0, { message: 'Payload must have at least 1 property' });

export const updateTenantSettingsSchema = knownKeys(UPDATE_TENANT_SETTINGS_KEYS, {
  mtls: z.strictObject({ enable_endpoint_aliases: z.boolean().optional() }).nullable().optional(),
  friendly_name: z.string().optional(),
  default_audience: z.string().optional(),
  picture_url: z.string().optional(),
  support_email: z.string().optional(),
  support_url: z.string().optional(),
  session_lifetime: z.int().min(1).optional(),
  idle_session_lifetime: z.int().min(1).optional(),
  sandbox_version: z.string().max(8).optional(),
  pushed_authorization_requests_supported: z.boolean().nullable().optional(),
});

const hostname = /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;

export const createCustomDomainSchema = z.strictObject({
  domain: z.string().min(3).max(255).regex(hostname),
  type: z.enum(['auth0_managed_certs', 'self_managed_certs']),
  verification_method: z.enum(['txt']).optional(),
  tls_policy: z.enum(['recommended']).optional(),
  custom_client_ip_header: z.enum(['true-client-ip', 'cf-connecting-ip', 'x-forwarded-for', 'x-azure-clientip', '']).nullable().optional(),
  domain_metadata: z
    .record(z.string(), z.string().max(255).nullable())
    .refine((m) => Object.keys(m).length <= 10, { message: 'domain_metadata allows at most 10 properties' })
    .optional(),
  relying_party_identifier: z.string().max(255).regex(hostname).optional(),
});

export const proofOfPossessionSchema = z
  .strictObject({
    mechanism: z.enum(['mtls', 'dpop']),
    required: z.boolean(),
    required_for: z.enum(['public_clients', 'all_clients']).optional(),
  })
  .nullable();

export const updateResourceServerSchema = knownKeys(UPDATE_RESOURCE_SERVER_KEYS, {
  name: z
    .string()
    .max(200)
    .regex(/^[^<>]+$/)
    .optional(),
  scopes: z.array(z.strictObject({ value: z.string().min(1).max(280), description: z.string().max(500).optional() })).optional(),
  signing_alg: z.enum(['HS256', 'RS256', 'RS512', 'PS256']).optional(),
  token_lifetime: z.int().min(0).max(2592000).optional(),
  allow_offline_access: z.boolean().optional(),
  skip_consent_for_verifiable_first_party_clients: z.boolean().optional(),
  enforce_policies: z.boolean().optional(),
  token_dialect: z.enum(['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz']).optional(),
  proof_of_possession: proofOfPossessionSchema.optional(),
});

/** Auth0's wording: `Payload validation error: '…' on property x.y.` */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Payload validation error';
  if (issue.code === 'unrecognized_keys') return `Payload validation error: 'Additional properties not allowed: ${issue.keys.join(',')}'.`;
  const where = issue.path.length > 0 ? ` on property ${issue.path.map(String).join('.')}` : '';
  return `Payload validation error: '${issue.message}'${where}.`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: ApiReply };

export function parseBody<T>(schema: z.ZodType<T>, body: unknown, bodyError?: string): Parsed<T> {
  if (bodyError) return { ok: false, reply: managementError(400, bodyError, 'invalid_body') };
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reply: managementError(400, describe(result.error), 'invalid_body') };
}
