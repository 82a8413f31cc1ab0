/**
 * `/custom-domains`: create, list, get and verify. Verifying a self-managed domain (always
 * successful here: there is no DNS to check) issues the `cname_api_key` that the edge must forward;
 * it is returned by that one call and never again.
 */
import { ids } from './ids.ts';
import { managementError, type ApiReply } from './http.ts';
import type { ManagementContext, ManagementRoute } from './management-api.ts';
import type { StoredCustomDomain } from './state.ts';
import { createCustomDomainSchema, parseBody } from './validation.ts';

type View = Record<string, unknown>;

function verification(d: StoredCustomDomain): View {
  return {
    methods: [{ name: 'txt', record: d.verification_record, domain: `_cf-custom-hostname.${d.domain}` }],
    status: d.status === 'ready' ? 'verified' : 'pending',
  };
}

/** The fields every custom-domain response schema shares. */
function common(d: StoredCustomDomain): View {
  const view: View = { custom_domain_id: d.custom_domain_id, domain: d.domain, primary: d.primary, status: d.status, type: d.type };
  if (d.type === 'self_managed_certs') view.custom_client_ip_header = d.custom_client_ip_header;
  if (d.tls_policy !== undefined) view.tls_policy = d.tls_policy;
  if (d.domain_metadata !== undefined) view.domain_metadata = d.domain_metadata;
  return view;
}

/** GetCustomDomainResponseContent / CustomDomain. */
export function customDomainView(d: StoredCustomDomain): View {
  const view: View = { ...common(d), is_default: d.primary, origin_domain_name: d.origin_domain_name, verification: verification(d) };
  if (d.relying_party_identifier !== undefined) view.relying_party_identifier = d.relying_party_identifier;
  return view;
}

function notFound(): ApiReply {
  return managementError(404, 'The custom domain does not exist', 'inexistent_custom_domain');
}

function create(ctx: ManagementContext): ApiReply {
  const parsed = parseBody(createCustomDomainSchema, ctx.req.body, ctx.req.bodyError);
  if (!parsed.ok) return parsed.reply;
  const input = parsed.value;
  if (input.type === 'self_managed_certs' && input.tls_policy !== undefined)
    return managementError(400, "The 'tls_policy' cannot be set on self_managed domains", 'invalid_body');
  if (input.type === 'auth0_managed_certs' && input.custom_client_ip_header !== undefined) {
    return managementError(400, "The 'custom_client_ip_header' cannot be set on auth0_managed domains", 'invalid_body');
  }
  const name = input.domain.toLowerCase();
  if (ctx.store.data.custom_domains.some((d) => d.domain === name))
    return managementError(409, 'Custom domain already exists.', 'custom_domain_already_exists');
  const id = ids.customDomain();
  const domain: StoredCustomDomain = {
    custom_domain_id: id,
    domain: name,
    type: input.type,
    status: 'pending_verification',
    primary: false,
    verification_record: ids.verificationRecord(),
    origin_domain_name: `sandbox_${id}.edge.${ctx.store.data.domain}`,
    custom_client_ip_header: input.type === 'self_managed_certs' ? (input.custom_client_ip_header ?? null) : null,
  };
  if (input.type === 'auth0_managed_certs') domain.tls_policy = input.tls_policy ?? 'recommended';
  if (input.domain_metadata !== undefined) domain.domain_metadata = input.domain_metadata;
  if (input.relying_party_identifier !== undefined) domain.relying_party_identifier = input.relying_party_identifier;
  ctx.store.update((d) => d.custom_domains.push(domain));
  // CreateCustomDomainResponseContent has no origin_domain_name.
  const view: View = { ...common(domain), is_default: domain.primary, verification: verification(domain) };
  if (domain.relying_party_identifier !== undefined) view.relying_party_identifier = domain.relying_party_identifier;
  return { status: 201, body: view };
}

function list(ctx: ManagementContext): ApiReply {
  return { status: 200, body: ctx.store.data.custom_domains.map(customDomainView) };
}

function get(ctx: ManagementContext): ApiReply {
  const domain = ctx.store.data.custom_domains.find((d) => d.custom_domain_id === ctx.params.id);
  return domain ? { status: 200, body: customDomainView(domain) } : notFound();
}

function verify(ctx: ManagementContext): ApiReply {
  const domain = ctx.store.data.custom_domains.find((d) => d.custom_domain_id === ctx.params.id);
  if (!domain) return notFound();
  if (domain.status === 'ready') return managementError(400, 'Custom domain already verified.', 'custom_domain_already_verified');
  ctx.store.update((d) => {
    domain.status = 'ready';
    if (!d.custom_domains.some((other) => other.primary)) domain.primary = true;
    if (domain.type === 'self_managed_certs') domain.cname_api_key = ids.cnameApiKey();
  });
  // VerifyCustomDomainResponseContent: the only answer that ever carries cname_api_key.
  const view: View = { ...common(domain), origin_domain_name: domain.origin_domain_name, verification: verification(domain) };
  if (domain.cname_api_key !== undefined) view.cname_api_key = domain.cname_api_key;
  return { status: 200, body: view };
}

export const customDomainRoutes: readonly ManagementRoute[] = [
  { method: 'GET', template: '/custom-domains', handle: list },
  { method: 'POST', template: '/custom-domains', handle: create },
  { method: 'GET', template: '/custom-domains/{id}', handle: get },
  { method: 'POST', template: '/custom-domains/{id}/verify', handle: verify },
];
