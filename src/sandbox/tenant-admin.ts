/**
 * What an Auth0 dashboard admin does outside the Management API subset: create applications, APIs
 * and client grants. Used to seed a new sandbox and by tests.
 */
import { ids } from './ids.ts';
import type { ProofOfPossession, SandboxStateData, SandboxStore, StoredClient, TokenEndpointAuthMethod } from './state.ts';

/** The scopes certdesk needs for the five mTLS steps, granted to the seeded M2M application. */
export const CERTDESK_MANAGEMENT_SCOPES = [
  'read:clients',
  'update:clients',
  'read:client_keys',
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

export interface NewClient {
  name: string;
  clientId?: string;
  clientSecret?: string;
  appType?: string;
  grantTypes?: string[];
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
}

export interface NewResourceServer {
  identifier: string;
  name?: string;
  scopes?: string[];
  proofOfPossession?: ProofOfPossession | null;
  tokenLifetime?: number;
}

export function managementAudience(domain: string): string {
  return `https://${domain}/api/v2/`;
}

export function emptyState(domain: string): SandboxStateData {
  return {
    version: 1,
    domain,
    tenant_settings: {
      friendly_name: 'certdesk sandbox',
      picture_url: '',
      support_email: '',
      support_url: '',
      default_audience: '',
      default_directory: '',
      enabled_locales: ['en'],
      session_lifetime: 168,
      idle_session_lifetime: 72,
      sandbox_version: '22',
      mtls: { enable_endpoint_aliases: false },
      pushed_authorization_requests_supported: false,
    },
    clients: [],
    credentials: [],
    client_grants: [],
    resource_servers: [
      {
        id: ids.resourceServer(),
        name: 'Auth0 Management API',
        identifier: managementAudience(domain),
        is_system: true,
        scopes: CERTDESK_MANAGEMENT_SCOPES.map((value) => ({ value })),
        signing_alg: 'RS256',
        token_lifetime: 86400,
        token_lifetime_for_web: 7200,
        allow_offline_access: false,
        skip_consent_for_verifiable_first_party_clients: false,
        enforce_policies: false,
        token_dialect: 'access_token',
        proof_of_possession: null,
        extra: {},
      },
    ],
    custom_domains: [],
  };
}

export class TenantAdmin {
  private readonly store: SandboxStore;

  constructor(store: SandboxStore) {
    this.store = store;
  }

  createClient(input: NewClient): { clientId: string; clientSecret: string } {
    const client: StoredClient = {
      client_id: input.clientId ?? ids.clientId(),
      client_secret: input.clientSecret ?? ids.clientSecret(),
      name: input.name,
      app_type: input.appType ?? 'non_interactive',
      grant_types: input.grantTypes ?? ['client_credentials'],
      token_endpoint_auth_method: input.tokenEndpointAuthMethod ?? 'client_secret_post',
      client_authentication_methods: null,
      require_proof_of_possession: false,
      extra: {},
    };
    if (this.store.client(client.client_id)) throw new Error(`A client with id ${client.client_id} exists already.`);
    this.store.update((d) => d.clients.push(client));
    return { clientId: client.client_id, clientSecret: client.client_secret };
  }

  /** A machine-to-machine application with a client grant for the Management API. */
  createM2mClient(input: { name?: string; scopes: readonly string[]; clientId?: string; clientSecret?: string }): {
    clientId: string;
    clientSecret: string;
  } {
    const created = this.createClient({
      name: input.name ?? 'M2M application',
      clientId: input.clientId,
      clientSecret: input.clientSecret,
    });
    this.grant({ clientId: created.clientId, audience: managementAudience(this.store.data.domain), scopes: input.scopes });
    return created;
  }

  /** Creates or replaces the client grant of `clientId` for `audience`. */
  grant(input: { clientId: string; audience: string; scopes: readonly string[] }): void {
    if (!this.store.client(input.clientId)) throw new Error(`No client ${input.clientId}.`);
    if (!this.store.resourceServer(input.audience)) throw new Error(`No API with identifier ${input.audience}.`);
    this.store.update((d) => {
      d.client_grants = d.client_grants.filter((g) => !(g.client_id === input.clientId && g.audience === input.audience));
      d.client_grants.push({ id: ids.clientGrant(), client_id: input.clientId, audience: input.audience, scope: [...input.scopes] });
    });
  }

  createResourceServer(input: NewResourceServer): { id: string } {
    if (this.store.resourceServer(input.identifier)) throw new Error(`An API with identifier ${input.identifier} exists already.`);
    const id = ids.resourceServer();
    this.store.update((d) =>
      d.resource_servers.push({
        id,
        name: input.name ?? input.identifier,
        identifier: input.identifier,
        is_system: false,
        scopes: (input.scopes ?? []).map((value) => ({ value })),
        signing_alg: 'RS256',
        token_lifetime: input.tokenLifetime ?? 86400,
        token_lifetime_for_web: 7200,
        allow_offline_access: false,
        skip_consent_for_verifiable_first_party_clients: true,
        enforce_policies: false,
        token_dialect: 'access_token',
        proof_of_possession: input.proofOfPossession ?? null,
        extra: {},
      }),
    );
    return { id };
  }

  /**
   * A self-managed custom domain already verified, as the dashboard would leave it after DNS
   * verification: the edge of a demo sandbox forwards its cname-api-key without any setup.
   */
  verifiedCustomDomain(domain: string): void {
    const name = domain.toLowerCase();
    if (this.store.data.custom_domains.some((d) => d.domain === name)) return;
    const id = ids.customDomain();
    this.store.update((d) =>
      d.custom_domains.push({
        custom_domain_id: id,
        domain: name,
        type: 'self_managed_certs',
        status: 'ready',
        primary: !d.custom_domains.some((other) => other.primary),
        verification_record: ids.verificationRecord(),
        origin_domain_name: `sandbox_${id}.edge.${d.domain}`,
        custom_client_ip_header: null,
        cname_api_key: ids.cnameApiKey(),
      }),
    );
  }
}

/** The demo sandbox's custom domain, the name clients dial through its edge. */
export function demoCustomDomain(tenantDomain: string): string {
  return `auth.${tenantDomain}`;
}

/** The demo sandbox's API identifier. */
export function demoAudience(tenantDomain: string): string {
  return `https://api.${tenantDomain}/`;
}
