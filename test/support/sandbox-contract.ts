/**
 * Checks every answer of the sandbox against Auth0's contract in test/fixtures/auth0 (OpenAPI 3.1,
 * i.e. JSON Schema 2020-12, validated with ajv):
 * - the status must be one the operation declares (injected 5xx excepted: no contract lists them);
 * - a body the operation describes must validate against that response schema;
 * - Management API error bodies, which the contract leaves undescribed, must have Auth0's shape
 *   `{statusCode, error, message, errorCode?}` with statusCode equal to the HTTP status;
 * - token errors must validate against the Authentication API's ErrorResponse;
 * - discovery and JWKS, outside both contracts, against minimal RFC 8414 / RFC 7517 schemas.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ResponseRecord } from '../../src/sandbox/server.ts';

const REFERENCE = fileURLToPath(new URL('../fixtures/auth0/', import.meta.url));
export const managementOas = JSON.parse(readFileSync(`${REFERENCE}auth0-management-api-mtls-subset.oas.json`, 'utf8')) as OpenApi;
export const authenticationOas = JSON.parse(readFileSync(`${REFERENCE}auth0-authentication-api-token.oas.json`, 'utf8')) as OpenApi;

export interface OpenApiOperation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Formats the Management API contract names beyond JSON Schema's; shapes as Auth0 documents them. */
const CUSTOM_FORMATS: Record<string, RegExp | true> = {
  'credential-id': /^cred_[A-Za-z0-9]+$/,
  'client-id': /^[A-Za-z0-9_-]+$/,
  'absolute-uri-or-empty': /^(|[a-z][a-z0-9+.-]*:\S*)$/i,
  'absolute-https-uri-or-empty': /^(|https:\/\/\S+)$/,
  'email-or-empty': /^(|[^@\s]+@[^@\s]+)$/,
  url: /^https?:\/\/\S+$/,
  'url-or-null': /^https?:\/\/\S+$/,
  'url-with-placeholders': true,
  'absolute-https-uri-with-placeholders-or-empty': true,
  'callback-url': true,
  acr: true,
  'connection-profile-id': true,
  'user-attribute-profile-id': true,
  'organization-id': true,
  cidr: true,
  ipv6_cidr: true,
  'ec-initiate-login-uri-template-url': true,
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const [name, check] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, check);
ajv.addSchema(managementOas, 'management.json');
ajv.addSchema(authenticationOas, 'authentication.json');

const managementErrorSchema = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, errorCode: { type: 'string' } },
});

const discoverySchema = ajv.compile({
  type: 'object',
  required: [
    'issuer',
    'token_endpoint',
    'jwks_uri',
    'response_types_supported',
    'token_endpoint_auth_methods_supported',
    'tls_client_certificate_bound_access_tokens',
  ],
  properties: {
    issuer: { type: 'string', pattern: '^https://[^/]+/$' },
    token_endpoint: { type: 'string', format: 'uri' },
    jwks_uri: { type: 'string', format: 'uri' },
    tls_client_certificate_bound_access_tokens: { type: 'boolean' },
    mtls_endpoint_aliases: {
      type: 'object',
      required: ['token_endpoint'],
      properties: { token_endpoint: { type: 'string', pattern: '^https://mtls\\.' } },
    },
  },
});

const jwksSchema = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['kty', 'kid', 'n', 'e', 'alg', 'use'],
        properties: { kty: { const: 'RSA' }, alg: { const: 'RS256' }, use: { const: 'sig' } },
      },
    },
  },
});

const compiled = new Map<string, ValidateFunction>();
function schemaAt(document: 'management.json' | 'authentication.json', pointer: string): ValidateFunction {
  const key = `${document}#${pointer}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `${document}#${encodeURI(pointer)}` });
    compiled.set(key, validate);
  }
  return validate;
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function errorsOf(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { dataVar: 'body' });
}

/** Returns what is wrong with one recorded answer, or an empty list. */
export function contractViolations(r: ResponseRecord): string[] {
  if (r.reset) return [];
  const where = `${r.method} ${r.path} → ${r.status}`;
  const problems: string[] = [];
  const injected5xx = r.injected && r.status >= 500;

  if (r.api === 'management') {
    if (r.status >= 400 && !managementErrorSchema(r.body)) problems.push(`${where}: error body: ${errorsOf(managementErrorSchema)}`);
    if (r.status >= 400 && (r.body as { statusCode?: number } | undefined)?.statusCode !== r.status)
      problems.push(`${where}: statusCode differs from the HTTP status`);
    if (!r.route) return r.status === 404 ? problems : [...problems, `${where}: no route`];
    const operation = managementOas.paths[r.route]?.[r.method.toLowerCase()];
    if (!operation) return [...problems, `${where}: ${r.method} ${r.route} is not in the Management API contract`];
    const declared = operation.responses[String(r.status)];
    if (!declared && !injected5xx) problems.push(`${where}: status ${r.status} is not declared for ${r.method} ${r.route}`);
    const schema = declared?.content?.['application/json']?.schema;
    if (schema) {
      const v = schemaAt(
        'management.json',
        `/paths/${escapePointer(r.route)}/${r.method.toLowerCase()}/responses/${r.status}/content/application~1json/schema`,
      );
      if (!v(r.body)) problems.push(`${where}: ${errorsOf(v)}`);
    } else if (r.status < 300 && r.body !== undefined) {
      problems.push(`${where}: the contract declares no body for this status`);
    }
    return problems;
  }

  if (r.route === '/oauth/token') {
    const operation = authenticationOas.paths['/oauth/token']?.post;
    const declared = operation?.responses[String(r.status)];
    if (!declared && !injected5xx) problems.push(`${where}: status ${r.status} is not declared for POST /oauth/token`);
    if (declared) {
      const v = schemaAt('authentication.json', `/paths/~1oauth~1token/post/responses/${r.status}/content/application~1json/schema`);
      // Documented deviation: auth0-mtls.md asks for a configurable DPoP token_type on bound tokens,
      // which TokenResponse's enum (Bearer only) does not list. Everything else must still validate.
      const body =
        r.status === 200 && (r.body as { token_type?: string }).token_type === 'DPoP'
          ? { ...(r.body as object), token_type: 'Bearer' }
          : r.body;
      if (!v(body)) problems.push(`${where}: ${errorsOf(v)}`);
    }
    return problems;
  }
  if (r.route === '/.well-known/openid-configuration' && !discoverySchema(r.body)) return [`${where}: ${errorsOf(discoverySchema)}`];
  if (r.route === '/.well-known/jwks.json' && !jwksSchema(r.body)) return [`${where}: ${errorsOf(jwksSchema)}`];
  if (r.status >= 400) {
    const v = schemaAt('authentication.json', '/components/schemas/ErrorResponse');
    if (!v(r.body)) problems.push(`${where}: ${errorsOf(v)}`);
  }
  return problems;
}
