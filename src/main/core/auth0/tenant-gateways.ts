import type { TenantView } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { ManagementGateway, type GatewayOptions } from './management-gateway.ts';
import type { Tenants } from './tenants.ts';

/** One gateway per tenant: its Management API token and its view of the rate limit are shared by every call. */
export class TenantGateways {
  private readonly tenants: Tenants;
  private readonly options: GatewayOptions;
  private readonly cache = new Map<string, { revision: number; clientId: string; domain: string; gateway: ManagementGateway }>();

  constructor(tenants: Tenants, options: GatewayOptions = {}) {
    this.tenants = tenants;
    this.options = options;
  }

  async get(tenant: TenantView): Promise<ManagementGateway> {
    const cached = this.cache.get(tenant.id);
    const revision = this.tenants.revisionOf(tenant.id);
    // An edited profile (a new secret above all) gets a new gateway.
    if (cached && cached.revision === revision && cached.clientId === tenant.clientId && cached.domain === tenant.domain)
      return cached.gateway;
    const secret = await this.tenants.secretOf(tenant);
    const gateway = new ManagementGateway({ ...tenant }, secret, { ...this.tenants.options, ...this.options });
    this.cache.set(tenant.id, { revision, clientId: tenant.clientId, domain: tenant.domain, gateway });
    return gateway;
  }

  /** After an authentication failure the secret is read again next time (it may have been fixed). */
  forgetOn(tenantId: string, error: unknown): void {
    if (error instanceof CertdeskError && error.code === 'AUTH0_AUTH_FAILED') this.cache.delete(tenantId);
  }
}
