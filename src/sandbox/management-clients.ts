/**
 * `GET /clients`, `GET /clients/{id}` and `PATCH /clients/{id}`: the client fields mTLS needs
 * (`client_authentication_methods`, `token_endpoint_auth_method`, `require_proof_of_possession`), with
 * Auth0's field-level scope rules and the mutual exclusion of the two authentication settings.
 */
import { managementError, selectFields, type ApiReply } from './http.ts';
import type { ManagementContext, ManagementRoute } from './management-api.ts';
import { CLIENT_FIELD_READ_SCOPES, CLIENT_FIELD_UPDATE_SCOPES, CLIENT_SUMMARY_FIELDS, hasAny, insufficientScope } from './scopes.ts';
import type { AuthMethodName, ClientAuthenticationMethods, CredentialType, SandboxStore, StoredClient } from './state.ts';
import { parseBody, updateClientSchema } from './validation.ts';

/** Which credential type each authentication method accepts. */
export const METHOD_CREDENTIAL_TYPE: Readonly<Record<AuthMethodName, CredentialType>> = {
  private_key_jwt: 'public_key',
  tls_client_auth: 'cert_subject_dn',
  self_signed_tls_client_auth: 'x509_cert',
};

export function clientNotFound(): ApiReply {
  return managementError(404, 'The client does not exist', 'inexistent_client');
}

export interface ClientVisibility {
  /** Only CLIENT_SUMMARY_FIELDS (a token with `read:client_summary` alone). */
  summaryOnly: boolean;
  authenticationMethods: boolean;
  secret: boolean;
}

/** What a token may read of a client; after a PATCH, the update scopes also show what they changed. */
export function visibility(scopes: ReadonlySet<string>, afterUpdate = false): ClientVisibility {
  const read = (field: string) => [
    ...(CLIENT_FIELD_READ_SCOPES[field] ?? []),
    ...(afterUpdate ? (CLIENT_FIELD_UPDATE_SCOPES[field] ?? []) : []),
  ];
  return {
    summaryOnly: !afterUpdate && !hasAny(scopes, ['read:clients', 'read:client_keys', 'read:client_credentials']),
    authenticationMethods: hasAny(scopes, read('client_authentication_methods')),
    secret: hasAny(scopes, read('client_secret')),
  };
}

/** The client as the Management API shows it. */
export function clientView(client: StoredClient, show: ClientVisibility): Record<string, unknown> {
  const view: Record<string, unknown> = {
    client_id: client.client_id,
    tenant: 'sandbox',
    global: false,
    is_first_party: true,
    oidc_conformant: true,
    callbacks: [],
    allowed_origins: [],
    web_origins: [],
    allowed_clients: [],
    allowed_logout_urls: [],
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000, secret_encoded: false },
    sso_disabled: false,
    cross_origin_authentication: false,
    custom_login_page_on: true,
    is_token_endpoint_ip_header_trusted: false,
    // Fields set by a PATCH that the emulator does not act on, over the defaults above.
    ...client.extra,
    name: client.name,
    app_type: client.app_type,
    grant_types: client.grant_types,
    require_proof_of_possession: client.require_proof_of_possession,
  };
  // The response schema has no null for these two: an unset one is left out.
  if (client.token_endpoint_auth_method !== null) view.token_endpoint_auth_method = client.token_endpoint_auth_method;
  if (client.client_authentication_methods !== null && show.authenticationMethods)
    view.client_authentication_methods = client.client_authentication_methods;
  if (show.secret) view.client_secret = client.client_secret;
  if (show.summaryOnly) {
    for (const key of Object.keys(view)) if (!CLIENT_SUMMARY_FIELDS.includes(key)) delete view[key];
  }
  return view;
}

function getClient(ctx: ManagementContext): ApiReply {
  const client = ctx.store.client(ctx.params.id ?? '');
  if (!client) return clientNotFound();
  return { status: 200, body: selectFields(clientView(client, visibility(ctx.scopes)), ctx.req.query) };
}

/** Offset pagination as Auth0 does it: `page` (from 0) and `per_page` (default 50, at most 100); `include_totals` wraps the page. */
function listClients(ctx: ManagementContext): ApiReply {
  const q = ctx.req.query;
  const page = Math.max(0, Number.parseInt(q.get('page') ?? '0', 10) || 0);
  const perPage = Math.min(100, Math.max(0, Number.parseInt(q.get('per_page') ?? '50', 10) || 50));
  const all = ctx.store.data.clients.map((c) => selectFields(clientView(c, visibility(ctx.scopes)), q));
  const clients = q.has('page') || q.has('per_page') ? all.slice(page * perPage, page * perPage + perPage) : all;
  if (q.get('include_totals') === 'true')
    return { status: 200, body: { start: page * perPage, limit: perPage, total: all.length, clients } };
  return { status: 200, body: clients };
}

/** Checks that every referenced credential exists on this client, once, with the method's type. */
function checkCredentialRefs(store: SandboxStore, clientId: string, methods: ClientAuthenticationMethods): ApiReply | undefined {
  const own = store.credentialsOf(clientId);
  for (const [method, value] of Object.entries(methods) as [AuthMethodName, { credentials: { id: string }[] }][]) {
    const seen = new Set<string>();
    for (const { id } of value.credentials) {
      if (seen.has(id))
        return managementError(400, `Payload validation error: credential ${id} is listed twice in ${method}.`, 'invalid_body');
      seen.add(id);
      const credential = own.find((c) => c.id === id);
      if (!credential) return managementError(400, `Credential ${id} does not exist for client ${clientId}.`, 'invalid_body');
      const expected = METHOD_CREDENTIAL_TYPE[method];
      if (credential.credential_type !== expected) {
        return managementError(
          400,
          `Credential ${id} has credential_type ${credential.credential_type}; ${method} accepts only ${expected} credentials.`,
          'invalid_body',
        );
      }
    }
  }
  return undefined;
}

function updateClient(ctx: ManagementContext): ApiReply {
  const parsed = parseBody(updateClientSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  const body = parsed.value as Record<string, unknown>;
  for (const field of Object.keys(body)) {
    const accepted = CLIENT_FIELD_UPDATE_SCOPES[field] ?? ['update:clients'];
    if (!hasAny(ctx.scopes, accepted)) return insufficientScope(accepted);
  }
  const client = ctx.store.client(ctx.params.id ?? '');
  if (!client) return clientNotFound();

  const methods =
    'client_authentication_methods' in body
      ? (body.client_authentication_methods as ClientAuthenticationMethods | null)
      : client.client_authentication_methods;
  const endpointMethod =
    'token_endpoint_auth_method' in body
      ? (body.token_endpoint_auth_method as StoredClient['token_endpoint_auth_method'])
      : client.token_endpoint_auth_method;
  if (methods !== null && endpointMethod !== null) {
    return managementError(
      400,
      'token_endpoint_auth_method and client_authentication_methods are mutually exclusive: send "token_endpoint_auth_method": null with client_authentication_methods.',
      'invalid_body',
    );
  }
  if (methods) {
    const problem = checkCredentialRefs(ctx.store, client.client_id, methods);
    if (problem) return problem;
  }

  ctx.store.update(() => {
    for (const [key, value] of Object.entries(body)) {
      switch (key) {
        case 'name':
        case 'client_secret':
        case 'app_type':
          client[key] = value as string;
          break;
        case 'grant_types':
          client.grant_types = value as string[];
          break;
        case 'require_proof_of_possession':
          client.require_proof_of_possession = value as boolean;
          break;
        case 'client_authentication_methods':
        case 'token_endpoint_auth_method':
          break;
        default:
          if (value === null) delete client.extra[key];
          else client.extra[key] = value;
      }
    }
    client.client_authentication_methods = methods;
    client.token_endpoint_auth_method = endpointMethod;
  });
  return { status: 200, body: clientView(client, visibility(ctx.scopes, true)) };
}

export const clientRoutes: readonly ManagementRoute[] = [
  { method: 'GET', template: '/clients', handle: listClients },
  { method: 'GET', template: '/clients/{id}', handle: getClient },
  { method: 'PATCH', template: '/clients/{id}', handle: updateClient },
];
