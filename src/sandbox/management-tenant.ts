/**
 * Tenant settings (`mtls.enable_endpoint_aliases` turns on discovery's mTLS endpoint aliases) and
 * resource servers (`proof_of_possession` asks for certificate-bound tokens).
 */
import { isRecord, managementError, selectFields, type ApiReply } from './http.ts';
import type { ManagementContext, ManagementRoute } from './management-api.ts';
import { RESOURCE_SERVER_RESPONSE_KEYS, TENANT_SETTINGS_RESPONSE_KEYS } from './oas-fields.ts';
import type { ProofOfPossession, StoredResourceServer } from './state.ts';
import { parseBody, updateResourceServerSchema, updateTenantSettingsSchema } from './validation.ts';

export function tenantSettingsView(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).filter(([k, v]) => TENANT_SETTINGS_RESPONSE_KEYS.includes(k) && v !== null && v !== undefined),
  );
}

function getSettings(ctx: ManagementContext): ApiReply {
  return { status: 200, body: selectFields(tenantSettingsView(ctx.store.data.tenant_settings), ctx.req.query) };
}

function updateSettings(ctx: ManagementContext): ApiReply {
  const parsed = parseBody(updateTenantSettingsSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  ctx.store.update((d) => {
    for (const [key, value] of Object.entries(parsed.value as Record<string, unknown>)) {
      const current = d.tenant_settings[key];
      // Object settings (flags, mtls, …) merge one level deep, as Auth0's PATCH does.
      d.tenant_settings[key] = isRecord(value) && isRecord(current) ? { ...current, ...value } : value;
    }
  });
  return { status: 200, body: tenantSettingsView(ctx.store.data.tenant_settings) };
}

export function resourceServerView(rs: StoredResourceServer): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(rs.extra).filter(([k]) => RESOURCE_SERVER_RESPONSE_KEYS.includes(k))),
    id: rs.id,
    name: rs.name,
    is_system: rs.is_system,
    identifier: rs.identifier,
    scopes: rs.scopes,
    signing_alg: rs.signing_alg,
    allow_offline_access: rs.allow_offline_access,
    skip_consent_for_verifiable_first_party_clients: rs.skip_consent_for_verifiable_first_party_clients,
    token_lifetime: rs.token_lifetime,
    token_lifetime_for_web: rs.token_lifetime_for_web,
    enforce_policies: rs.enforce_policies,
    token_dialect: rs.token_dialect,
  };
  if (rs.proof_of_possession) view.proof_of_possession = rs.proof_of_possession;
  return view;
}

function resourceServerNotFound(): ApiReply {
  return managementError(404, 'The resource server does not exist', 'inexistent_resource_server');
}

function listResourceServers(ctx: ManagementContext): ApiReply {
  return { status: 200, body: ctx.store.data.resource_servers.map(resourceServerView) };
}

/** `{id}` is the resource server's id or its identifier (URL-encoded), as in Auth0. */
function getResourceServer(ctx: ManagementContext): ApiReply {
  const rs = ctx.store.resourceServer(ctx.params.id ?? '');
  return rs ? { status: 200, body: resourceServerView(rs) } : resourceServerNotFound();
}

function updateResourceServer(ctx: ManagementContext): ApiReply {
  const parsed = parseBody(updateResourceServerSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  const rs = ctx.store.resourceServer(ctx.params.id ?? '');
  // The contract has no 404 for this PATCH: an unknown id is a bad request URI.
  if (!rs) return managementError(400, 'Invalid request URI: the resource server does not exist.', 'invalid_uri');
  if (rs.is_system) return managementError(400, 'System resource servers cannot be patched.', 'operation_not_supported');
  ctx.store.update(() => {
    for (const [key, value] of Object.entries(parsed.value as Record<string, unknown>)) {
      switch (key) {
        case 'name':
        case 'signing_alg':
        case 'token_dialect':
          rs[key] = value as string;
          break;
        case 'token_lifetime':
          rs.token_lifetime = value as number;
          break;
        case 'allow_offline_access':
        case 'skip_consent_for_verifiable_first_party_clients':
        case 'enforce_policies':
          rs[key] = value as boolean;
          break;
        case 'scopes':
          rs.scopes = value as StoredResourceServer['scopes'];
          break;
        case 'proof_of_possession':
          rs.proof_of_possession = value as ProofOfPossession | null;
          break;
        default:
          if (value === null) delete rs.extra[key];
          else rs.extra[key] = value;
      }
    }
  });
  // The contract answers this PATCH with 201.
  return { status: 201, body: resourceServerView(rs) };
}

export const tenantRoutes: readonly ManagementRoute[] = [
  { method: 'GET', template: '/tenants/settings', handle: getSettings },
  { method: 'PATCH', template: '/tenants/settings', handle: updateSettings },
  { method: 'GET', template: '/resource-servers', handle: listResourceServers },
  { method: 'GET', template: '/resource-servers/{id}', handle: getResourceServer },
  { method: 'PATCH', template: '/resource-servers/{id}', handle: updateResourceServer },
];
