import type {
  TenantDiagnostics,
  TenantAddInput,
  TenantRemoveInput,
  TenantTestResult,
  TenantUpdateInput,
  TenantView,
} from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { TenantRepository } from '../store/tenant-repository.ts';
import { requireNetwork } from '../workstation/role-guard.ts';
import { confirmProduction } from './confirm-production.ts';
import { testConnection, type Auth0Options } from './management.ts';
import { TenantSecrets } from './tenant-secrets.ts';

/**
 * Auth0 tenant profiles: dev, staging and prod side by side, each with its M2M application. The
 * secret goes to TenantSecrets before the row is written, and is removed again if the row is not.
 */
export class Tenants {
  private readonly ctx: CoreContext;
  private readonly repository: TenantRepository;
  private readonly secrets: TenantSecrets;
  private readonly auth0: Auth0Options;
  private readonly revisions = new Map<string, number>();

  constructor(ctx: CoreContext, auth0: Auth0Options = {}) {
    this.ctx = ctx;
    this.repository = new TenantRepository(ctx.db);
    this.secrets = new TenantSecrets(ctx.vault, this.repository);
    this.auth0 = auth0;
  }

  list(): TenantView[] {
    return this.repository.list();
  }

  get(ref: string, field = 'tenant'): TenantView {
    const tenant = this.repository.find(ref);
    if (!tenant) throw new CertdeskError('NOT_FOUND', `There is no tenant "${ref}". List them with \`certdesk tenant list\`.`, { field });
    return tenant;
  }

  async add(input: TenantAddInput): Promise<TenantView> {
    requireNetwork(this.ctx.db, 'adding an Auth0 tenant');
    if (this.repository.nameTaken(input.name))
      throw new CertdeskError('CONFLICT', `A tenant named "${input.name}" exists already; choose another name.`, { field: 'name' });
    const tenant: TenantView = {
      id: newId('tenant'),
      name: input.name,
      environment: input.environment,
      domain: input.domain,
      customDomain: input.customDomain ?? null,
      clientId: input.clientId,
      secretStorage: this.secrets.storageForNewTenant(),
      createdAt: this.ctx.clock.now().toISOString(),
      diagnostics: null,
    };
    const sealed = await this.secrets.put(tenant.id, tenant.secretStorage, input.clientSecret);
    try {
      this.ctx.db.transaction(() => {
        this.repository.insert(tenant, sealed);
        this.ctx.audit.append('tenant.add', tenant.id, auditDetails(tenant));
      })();
    } catch (error) {
      await this.secrets.delete(tenant.id, tenant.secretStorage).catch(() => false);
      if (error instanceof Error && /UNIQUE constraint failed: tenants\.name/.test(error.message)) {
        throw new CertdeskError('CONFLICT', `A tenant named "${input.name}" exists already; choose another name.`, {
          field: 'name',
          cause: error,
        });
      }
      throw error;
    }
    return tenant;
  }

  /**
   * Edits a profile: only the fields given change. A production tenant, before or after the edit,
   * needs its current name typed again (so no edit quietly turns production into development). A
   * new secret replaces the stored one where it lives (keychain, or sealed with the row).
   */
  async update(input: TenantUpdateInput): Promise<TenantView> {
    const tenant = this.get(input.tenant);
    const next: TenantView = {
      ...tenant,
      name: input.name ?? tenant.name,
      environment: input.environment ?? tenant.environment,
      domain: input.domain ?? tenant.domain,
      customDomain: input.customDomain === undefined ? tenant.customDomain : input.customDomain,
      clientId: input.clientId ?? tenant.clientId,
    };
    const changed = (['name', 'environment', 'domain', 'customDomain', 'clientId'] as const).filter((f) => next[f] !== tenant[f]);
    if (changed.length === 0 && input.clientSecret === undefined) return tenant;
    if (next.environment === 'production' && tenant.environment !== 'production' && input.confirm !== tenant.name)
      throw new CertdeskError('CONFIRMATION_REQUIRED', `Type the tenant's name "${tenant.name}" to make it a production tenant.`, {
        field: 'confirm',
      });
    confirmProduction(tenant, input.confirm, 'edit');
    if (next.name.toLowerCase() !== tenant.name.toLowerCase() && this.repository.nameTaken(next.name))
      throw new CertdeskError('CONFLICT', `A tenant named "${next.name}" exists already; choose another name.`, { field: 'name' });
    // The keychain is written first (it cannot join the transaction); the sealed blob goes in with the row.
    const sealed =
      input.clientSecret === undefined ? undefined : await this.secrets.put(tenant.id, tenant.secretStorage, input.clientSecret);
    this.ctx.db.transaction(() => {
      this.repository.update(next);
      if (sealed) this.repository.replaceSealedSecret(tenant.id, sealed);
      this.ctx.audit.append('tenant.update', tenant.id, {
        name: next.name,
        changed: [...changed, ...(input.clientSecret === undefined ? [] : ['clientSecret'])],
        before: Object.fromEntries(changed.map((f) => [f, tenant[f]])),
        after: Object.fromEntries(changed.map((f) => [f, next[f]])),
      });
    })();
    this.revisions.set(tenant.id, (this.revisions.get(tenant.id) ?? 0) + 1);
    return this.get(tenant.id);
  }

  /** Changes with every edit of the tenant: what a cached Management API client is checked against. */
  revisionOf(tenantId: string): number {
    return this.revisions.get(tenantId) ?? 0;
  }

  /** Stores how diagnostics reach this tenant through its edge. */
  setDiagnostics(ref: string, settings: TenantDiagnostics): TenantView {
    const tenant = this.get(ref);
    const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== '')) as TenantDiagnostics;
    this.ctx.db.transaction(() => {
      this.repository.setDiagnostics(tenant.id, Object.keys(clean).length ? clean : null);
      this.ctx.audit.append('tenant.diagnostics', tenant.id, {
        name: tenant.name,
        ...clean,
        ...(clean.edgeCaPem ? { edgeCaPem: `${clean.edgeCaPem.length} characters` } : {}),
      });
    })();
    return this.get(tenant.id);
  }

  /** The tenant's M2M client secret, from the keychain (or sealed store). Never log or return it. */
  secretOf(tenant: TenantView): Promise<string> {
    return this.secrets.get(tenant);
  }

  /** How certdesk reaches this machine's tenants (the sandbox's fetch in tests). */
  get options(): Auth0Options {
    return this.auth0;
  }

  /** "Test connection": gets a Management API token and lists the scopes certdesk lacks, by name. */
  async test(ref: string): Promise<TenantTestResult> {
    requireNetwork(this.ctx.db, 'testing an Auth0 tenant');
    const tenant = this.get(ref);
    const secret = await this.secrets.get(tenant);
    const result = await testConnection(tenant, secret, this.auth0);
    this.ctx.audit.append('tenant.test', tenant.id, { name: tenant.name, ok: result.ok, missing: result.missing });
    return result;
  }

  /** A production tenant is removed only when `confirm` repeats its name exactly. */
  async remove(input: TenantRemoveInput): Promise<{ removed: TenantView }> {
    const tenant = this.get(input.tenant);
    confirmProduction(tenant, input.confirm, 'remove');
    this.ctx.db.transaction(() => {
      this.repository.delete(tenant.id);
      this.ctx.audit.append('tenant.remove', tenant.id, auditDetails(tenant));
    })();
    await this.secrets.delete(tenant.id, tenant.secretStorage).catch(() => false);
    return { removed: tenant };
  }
}

function auditDetails(t: TenantView): Record<string, unknown> {
  return {
    name: t.name,
    environment: t.environment,
    domain: t.domain,
    customDomain: t.customDomain,
    clientId: t.clientId,
    secretStorage: t.secretStorage,
  };
}
