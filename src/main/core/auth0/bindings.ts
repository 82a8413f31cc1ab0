/**
 * Bindings, plan and apply: which certificate is live on which Auth0 application. `bind` and
 * `unbind` only record intent (a binding row and an outbox entry, no network), so they work on an
 * offline signing workstation. `plan` reads the tenant and diffs; `apply` reconciles step by step.
 */
import type {
  Auth0ClientSummary,
  CustomDomainInput,
  CustomDomainSetup,
  PlanStepKind,
  ApplyInput,
  ApplyResult,
  ApplyStepResult,
  BindInput,
  BindingView,
  OutboxItem,
  TenantPlan,
  TenantView,
  UnbindInput,
  VerifyAudience,
} from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError, isTransientError } from '../errors.ts';
import { newId } from '../ids.ts';
import { SubjectConflicts } from '../inventory/subject-conflicts.ts';
import { sameDn } from '../pki/names.ts';
import { certificateToPem } from '../pki/pem.ts';
import { x509 } from '../pki/x509.ts';
import { ProcessLeases } from '../process-leases.ts';
import { BindingRepository, type BindingRecord } from '../store/binding-repository.ts';
import { LeaseRepository } from '../store/lease-repository.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { OutboxRepository } from '../store/outbox-repository.ts';
import { ApplyLocks } from './apply-locks.ts';
import { STEP_RUNNERS } from './apply-steps.ts';
import { credentialNameFor, toBindingView } from './binding-view.ts';
import { leafRenewalPolicy, renewAt } from '../schedule/renewal-policy.ts';
import { TenantGateways } from './tenant-gateways.ts';
import { confirmProduction, type ProductionConsent } from './confirm-production.ts';
import { setUpCustomDomain } from './custom-domain.ts';
import type { SaveDialogPort } from '../files/save-dialog-port.ts';
import type { GatewayOptions, ManagementGateway } from './management-gateway.ts';
import { MAX_CERTIFICATE_CREDENTIALS, planTenant, type PlannedBinding } from './plan.ts';
import { readTenant, type ActualTenant } from './tenant-state.ts';
import type { Tenants } from './tenants.ts';
import { requireNetwork } from '../workstation/role-guard.ts';

/** Part of a tenant to reconcile: some applications, some kinds of step. */
export interface ApplyScope {
  clientIds?: readonly string[];
  kinds?: readonly PlanStepKind[];
}

export class Bindings {
  readonly repository: BindingRepository;
  readonly outbox: OutboxRepository;
  private readonly ctx: CoreContext;
  private readonly tenants: Tenants;
  private readonly locks = new ApplyLocks();
  private readonly leases: ProcessLeases;
  private readonly gateways: TenantGateways;
  private readonly conflicts: SubjectConflicts;

  constructor(ctx: CoreContext, tenants: Tenants, gatewayOptions: GatewayOptions = {}) {
    this.ctx = ctx;
    this.tenants = tenants;
    this.repository = new BindingRepository(ctx.db);
    this.outbox = new OutboxRepository(ctx.db);
    this.leases = new ProcessLeases(new LeaseRepository(ctx.db));
    this.gateways = new TenantGateways(tenants, gatewayOptions);
    this.conflicts = new SubjectConflicts(ctx.db);
  }

  private certificate(id: string): CertificateRow {
    const row = this.ctx.certificates.get(id, this.ctx.clock.now());
    if (!row) throw new Error(`binding refers to a missing certificate ${id}`);
    return row;
  }

  private planned(record: BindingRecord): PlannedBinding {
    const cert = this.certificate(record.certificateId);
    return {
      ...record,
      thumbprintSha256: cert.sha256Base64url,
      subject: cert.subject,
      subjectLines: cert.subjectLines,
      certificateStatus: cert.status,
      notAfter: cert.notAfter,
    };
  }

  private view(record: BindingRecord, tenantName: string): BindingView {
    const cert = this.certificate(record.certificateId);
    const renewal = renewAt(new Date(cert.notBefore), new Date(cert.notAfter), leafRenewalPolicy(cert.profile));
    return toBindingView(this.planned(record), tenantName, renewal.toISOString());
  }

  list(tenantRef?: string): BindingView[] {
    const names = new Map(this.tenants.list().map((t) => [t.id, t.name]));
    const tenantId = tenantRef === undefined ? undefined : this.tenants.get(tenantRef).id;
    return this.repository.list(tenantId).map((r) => this.view(r, names.get(r.tenantId) ?? r.tenantId));
  }

  listOutbox(tenantRef?: string): OutboxItem[] {
    return this.outbox.list(tenantRef === undefined ? undefined : this.tenants.get(tenantRef).id);
  }

  /** Records the intent to bind; refuses, before any call, what Auth0 would refuse. */
  bind(input: BindInput, resolveCertificate: (ref: string) => CertificateRow): BindingView {
    const tenant = this.tenants.get(input.tenant);
    const cert = resolveCertificate(input.cert);
    if (cert.status === 'revoked')
      throw new CertdeskError('CERT_REVOKED', `Certificate ${cert.subject} is revoked; bind its successor instead.`, { field: 'cert' });
    if (cert.status === 'expired')
      throw new CertdeskError(
        'VALIDITY_OUT_OF_RANGE',
        `Certificate ${cert.subject} expired on ${cert.notAfter}; renew it and bind the new one.`,
        { field: 'cert' },
      );
    const credentialType = sameDn(cert.subject, cert.issuer) && cert.authorityId === null ? 'x509_cert' : 'cert_subject_dn';
    // Auth0 matches cert_subject_dn by DN alone: a DN bound to two applications logs in as either.
    const subject = new x509.X509Certificate(cert.certDer).subjectName;
    const dnConflicts = () => {
      if (credentialType === 'cert_subject_dn') this.conflicts.checkBinding(subject, tenant.id, input.clientId, 'cert');
    };
    dnConflicts();
    const live = this.repository.liveForClient(tenant.id, input.clientId);
    if (live.some((b) => b.certificateId === cert.id))
      throw new CertdeskError('CONFLICT', `Certificate ${cert.subject} is already bound to ${input.clientId} on "${tenant.name}".`, {
        field: 'cert',
      });
    if (live.length >= MAX_CERTIFICATE_CREDENTIALS) {
      throw new CertdeskError(
        'AUTH0_CREDENTIAL_LIMIT',
        `${input.clientId} on "${tenant.name}" already has ${live.length} certificates bound (or waiting to be removed); Auth0 allows ${MAX_CERTIFICATE_CREDENTIALS} per application. Unbind one and apply first.`,
        { field: 'clientId' },
      );
    }
    const mixed = live.find((b) => b.credentialType !== credentialType);
    if (mixed)
      throw new CertdeskError(
        'CONFLICT',
        `${input.clientId} uses ${mixed.credentialType} credentials; Auth0 allows one client authentication method at a time, so a ${credentialType === 'x509_cert' ? 'self-signed' : 'CA-signed'} certificate cannot be bound beside it.`,
        { field: 'cert' },
      );
    const record = {
      id: newId('bind'),
      tenantId: tenant.id,
      clientId: input.clientId,
      certificateId: cert.id,
      credentialType,
      credentialName: credentialNameFor(cert),
      requirePop: input.pop ?? false,
      api: input.api ?? null,
      endpointAliases: input.endpointAliases ?? false,
      state: 'active',
      createdAt: this.ctx.clock.now().toISOString(),
    } as const;
    const verifyAudience = input.api ? undefined : input.verifyAudience?.trim() || undefined;
    const summary = `Bind ${cert.subject} to ${input.clientId}${record.requirePop ? ' with proof of possession' : ''}${record.api ? `, API ${record.api}` : ''}`;
    this.ctx.db.transaction(() => {
      // Again where the row is written: two bindings of one DN to two applications racing cannot both pass.
      dnConflicts();
      this.repository.insert(record);
      this.outbox.add({ id: newId('outbox'), tenantId: tenant.id, bindingId: record.id, kind: 'bind', summary, at: record.createdAt });
      this.ctx.audit.append('binding.create', record.id, {
        tenant: tenant.name,
        clientId: input.clientId,
        certificateId: cert.id,
        thumbprintSha256: cert.sha256Base64url,
        credentialType,
        requirePop: record.requirePop,
        api: record.api,
        endpointAliases: record.endpointAliases,
        ...(verifyAudience ? { verifyAudience } : {}),
      });
      // Asked once: kept as the tenant's flight check audience, never over one the operator set.
      if (verifyAudience && !tenant.diagnostics?.audience)
        this.tenants.setDiagnostics(tenant.id, { ...(tenant.diagnostics ?? {}), audience: verifyAudience });
    })();
    return this.view(this.repository.get(record.id)!, tenant.name);
  }

  /**
   * Marks a binding for removal; apply removes its credential once the others are bound. On a
   * production tenant: the name typed again, or the consent a job was started with for it.
   */
  unbind(input: UnbindInput, options: { consent?: ProductionConsent } = {}): BindingView {
    const record = this.repository.get(input.binding);
    if (!record || record.state === 'removed')
      throw new CertdeskError('NOT_FOUND', `There is no live binding "${input.binding}". List them with \`certdesk bindings\`.`, {
        field: 'binding',
      });
    const tenant = this.tenants.get(record.tenantId);
    confirmProduction(tenant, options.consent ?? input.confirm, 'unbind a certificate on');
    if (record.state === 'retired') return this.view(record, tenant.name);
    const others = this.repository.liveForClient(tenant.id, record.clientId).filter((b) => b.id !== record.id && b.state === 'active');
    if (others.length === 0) {
      throw new CertdeskError(
        'CONFLICT',
        `It is the only certificate bound to ${record.clientId}: removing it would leave the application with no working credential. Bind its successor first (or rotate).`,
        { field: 'binding' },
      );
    }
    const cert = this.certificate(record.certificateId);
    this.ctx.db.transaction(() => {
      this.repository.setState(record.id, 'retired');
      this.outbox.add({
        id: newId('outbox'),
        tenantId: tenant.id,
        bindingId: record.id,
        kind: 'unbind',
        summary: `Unbind ${cert.subject} from ${record.clientId}`,
        at: this.ctx.clock.now().toISOString(),
      });
      this.ctx.audit.append('binding.retire', record.id, {
        tenant: tenant.name,
        clientId: record.clientId,
        certificateId: cert.id,
        credentialId: record.credentialId,
      });
    })();
    return this.view(this.repository.get(record.id)!, tenant.name);
  }

  private gateway(tenant: TenantView): Promise<ManagementGateway> {
    return this.gateways.get(tenant);
  }

  private async read(tenant: TenantView, gateway: ManagementGateway, clientIds?: readonly string[]): Promise<TenantPlan> {
    return (await this.readWithState(tenant, gateway, clientIds)).plan;
  }

  private async readWithState(
    tenant: TenantView,
    gateway: ManagementGateway,
    clientIds?: readonly string[],
  ): Promise<{ plan: TenantPlan; actual: ActualTenant }> {
    const live = clientIds
      ? this.repository.liveForClients(tenant.id, clientIds)
      : this.repository.list(tenant.id).filter((b) => b.state !== 'removed');
    const planned = live.map((b) => this.planned(b));
    const active = planned.filter((b) => b.state === 'active');
    const actual = await readTenant(gateway, {
      clientIds: [...new Set(planned.map((b) => b.clientId))],
      apis: [...new Set(active.map((b) => b.api).filter((a): a is string => a !== null))],
      endpointAliases: active.some((b) => b.endpointAliases),
    });
    return { plan: planTenant(tenant, planned, actual, this.ctx.clock.now()), actual };
  }

  /** The tenant's `default_audience` (Auth0 tenant settings, needs read:tenant_settings), or null when it has none. */
  async defaultAudience(tenantRef: string): Promise<string | null> {
    const tenant = this.tenants.get(tenantRef);
    const gateway = await this.gateway(tenant);
    const settings = (await gateway.call('read the tenant settings', (mc) => mc.tenants.settings.get({ fields: 'default_audience' })))
      .value;
    return typeof settings.default_audience === 'string' && settings.default_audience.trim() !== '' ? settings.default_audience : null;
  }

  /** What a binding without an API would verify with: so the bind dialog asks for an audience only when there is none. */
  async verifyAudience(tenantRef: string): Promise<VerifyAudience> {
    const tenant = this.tenants.get(tenantRef);
    return { defaultAudience: await this.defaultAudience(tenant.id), stored: tenant.diagnostics?.audience ?? null };
  }

  /** The tenant's applications, for choosing what to bind to (needs read:clients). */
  async clients(tenantRef: string): Promise<Auth0ClientSummary[]> {
    requireNetwork(this.ctx.db, "listing an Auth0 tenant's applications");
    const tenant = this.tenants.get(tenantRef);
    const gateway = await this.gateway(tenant);
    const page = (
      await gateway.call('list the applications', (mc) => mc.clients.list({ fields: 'client_id,name,app_type', include_fields: true }))
    ).value;
    return page.data
      .map((c) => ({
        clientId: c.client_id ?? '',
        name: c.name ?? '',
        appType: c.app_type ?? null,
        isCertdeskClient: c.client_id === tenant.clientId,
      }))
      .filter((c) => c.clientId !== '')
      .sort((a, b) => Number(a.isCertdeskClient) - Number(b.isCertdeskClient) || a.name.localeCompare(b.name));
  }

  /** Creates and verifies the tenant's custom domain, writing the cname-api-key include for the edge. */
  async customDomain(input: CustomDomainInput, saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>): Promise<CustomDomainSetup> {
    requireNetwork(this.ctx.db, "setting up an Auth0 tenant's custom domain");
    // Refused before anything is sent: a caller that could name the file could plant the secret anywhere main can write.
    if (input.keyFile !== undefined)
      throw new CertdeskError(
        'FORBIDDEN',
        'auth0:custom-domain takes no keyFile: certdesk asks where to save the cname-api-key in its own save dialog (desktop app), or hands it back once for you to save (web mode, the CLI). Remove keyFile; nothing was sent or written.',
        { field: 'keyFile' },
      );
    const tenant = this.tenants.get(input.tenant);
    // Creating and verifying a custom domain changes the tenant: a production one needs its name typed again, before anything is sent.
    confirmProduction(tenant, input.confirm, 'change the custom domain of');
    const domain = input.domain ?? tenant.customDomain;
    if (!domain)
      throw new CertdeskError(
        'VALIDATION',
        `Tenant "${tenant.name}" has no custom domain; give one (the host name clients use through the edge).`,
        { field: 'domain' },
      );
    const setup = await setUpCustomDomain(
      await this.gateway(tenant),
      { domain, ...(input.clientIpHeader ? { clientIpHeader: input.clientIpHeader } : {}) },
      saveDialog,
    );
    this.ctx.audit.append('auth0.custom-domain', tenant.id, {
      tenant: tenant.name,
      domain: setup.domain,
      status: setup.status,
      keyFile: setup.keyFile,
      keyWritten: setup.keyWritten,
      ...(setup.keyInclude ? { delivery: 'returned' } : {}),
    });
    return setup;
  }

  /** Reads the tenant's state and diffs it against the inventory. Changes nothing. */
  async plan(tenantRef: string): Promise<TenantPlan> {
    requireNetwork(this.ctx.db, 'planning bindings against Auth0');
    const tenant = this.tenants.get(tenantRef);
    return this.read(tenant, await this.gateway(tenant));
  }

  /**
   * Reconciles the tenant with the bindings, step by step; work that cannot be done now stays in
   * the outbox. Two applies never work on the same application at once (see ApplyLocks). `scope`
   * limits the run to some applications and step kinds (rotation uses it); outbox items outside it
   * are left alone. A production tenant takes its name typed again, or the consent a job was
   * started with for it (`consent`, never from a channel's input).
   */
  async apply(
    input: ApplyInput,
    options: { gateway?: ManagementGateway; scope?: ApplyScope; consent?: ProductionConsent } = {},
  ): Promise<ApplyResult> {
    requireNetwork(this.ctx.db, 'applying bindings at Auth0');
    const tenant = this.tenants.get(input.tenant);
    confirmProduction(tenant, options.consent ?? input.confirm, 'apply changes to');
    const release = await this.locks.acquire(tenant.id, options.scope?.clientIds);
    // Another certdesk process (the app, the CLI) applying to the same tenant waits its turn.
    const lease = await this.leases.hold(`apply:${tenant.id}`, 30_000);
    try {
      if (!lease) {
        const message = `Another certdesk process is applying changes to "${tenant.name}"; this apply waits in the outbox. Apply again in a moment.`;
        this.outbox.recordFailure(
          tenant.id,
          'pending',
          message,
          this.ctx.clock.now().toISOString(),
          options.scope?.clientIds ? this.repository.liveForClients(tenant.id, options.scope.clientIds).map((b) => b.id) : undefined,
        );
        return {
          tenantId: tenant.id,
          tenantName: tenant.name,
          outcome: 'queued',
          message,
          steps: [],
          drift: [],
          outbox: this.outbox.list(tenant.id),
        };
      }
      return await this.applyNow(tenant, options);
    } catch (error) {
      this.gateways.forgetOn(tenant.id, error);
      throw error;
    } finally {
      lease?.();
      release();
    }
  }

  private async applyNow(tenant: TenantView, options: { gateway?: ManagementGateway; scope?: ApplyScope }): Promise<ApplyResult> {
    const scope = options.scope;
    const now = () => this.ctx.clock.now().toISOString();
    const inScope = scope?.clientIds
      ? this.repository.liveForClients(tenant.id, scope.clientIds)
      : this.repository.list(tenant.id).filter((b) => b.state !== 'removed');
    const scopedIds = scope ? inScope.map((b) => b.id) : undefined;
    const result = (
      outcome: ApplyResult['outcome'],
      message: string,
      steps: ApplyStepResult[],
      drift: ApplyResult['drift'],
    ): ApplyResult => ({
      tenantId: tenant.id,
      tenantName: tenant.name,
      outcome,
      message,
      steps,
      drift,
      // A scoped apply (a rotation's) reports its own bindings' items: the tenant's whole outbox grows with every rotation.
      outbox: scopedIds ? this.outbox.forBindings(scopedIds) : this.outbox.list(tenant.id),
    });
    const fail = (error: unknown, steps: ApplyStepResult[]): ApplyResult => {
      const reason = error instanceof Error ? error.message : String(error);
      const message = isTransientError(error)
        ? `${reason} Nothing is lost: the change waits in the outbox; apply again when the tenant is reachable.`
        : reason;
      this.outbox.recordFailure(tenant.id, isTransientError(error) ? 'pending' : 'blocked', message, now(), scopedIds);
      if (!isTransientError(error)) throw error;
      return result('queued', message, steps, []);
    };

    let plan: TenantPlan;
    let actual: ActualTenant;
    try {
      const gateway = options.gateway ?? (await this.gateway(tenant));
      ({ plan, actual } = await this.readWithState(tenant, gateway, scope?.clientIds));
      options = { ...options, gateway };
    } catch (error) {
      return fail(error, []);
    }
    const planned = scope?.kinds ? plan.steps.filter((s) => scope.kinds!.includes(s.kind)) : plan.steps;
    if (plan.blocked) {
      const message = plan.drift
        .filter((d) => d.severity === 'blocking')
        .map((d) => `${d.message} ${d.fix}`)
        .join(' ');
      this.outbox.recordFailure(tenant.id, 'blocked', message, now(), scopedIds);
      return result(
        'blocked',
        message,
        planned.map((s) => ({ stepId: s.id, kind: s.kind, summary: s.summary, status: 'not-run', attempts: 0 })),
        plan.drift,
      );
    }
    const steps: ApplyStepResult[] = planned.map((s) => ({
      stepId: s.id,
      kind: s.kind,
      summary: s.summary,
      status: 'not-run',
      attempts: 0,
    }));
    const touched = new Set<string>();
    const credentialsTouched = new Set<string>();
    const context = {
      gateway: options.gateway!,
      bindings: this.repository,
      tenantId: tenant.id,
      planned: (id: string) => this.planned(this.repository.get(id) ?? missing(id)),
      certificatePem: (id: string) => certificateToPem(this.certificate(id).certDer),
      // What this run read a moment ago, under its lock: good for the first look at an application,
      // until a step of this run changes that application.
      snapshot: (clientId: string) => (touched.has(clientId) ? undefined : actual.clients.get(clientId)),
      snapshotCredentials: (clientId: string) => (credentialsTouched.has(clientId) ? undefined : actual.clients.get(clientId)?.credentials),
      changed: (clientId: string, what: 'settings' | 'credentials') => {
        touched.add(clientId);
        if (what === 'credentials') credentialsTouched.add(clientId);
      },
    };
    for (const [index, step] of planned.entries()) {
      const slot = steps[index]!;
      this.ctx.emit({ type: 'apply-step', tenantId: tenant.id, index, total: steps.length, step: { ...slot, status: 'running' } });
      try {
        const outcome = await STEP_RUNNERS[step.kind](step, context);
        Object.assign(slot, { status: outcome.status, attempts: outcome.attempts });
        this.ctx.audit.append(`auth0.${step.kind}`, step.bindingId, {
          tenant: tenant.name,
          clientId: step.clientId,
          step: step.id,
          status: outcome.status,
          attempts: outcome.attempts,
          ...outcome.details,
        });
      } catch (error) {
        Object.assign(slot, { status: 'failed', message: error instanceof Error ? error.message : String(error) });
        this.ctx.audit.append(`auth0.${step.kind}`, step.bindingId, {
          tenant: tenant.name,
          clientId: step.clientId,
          step: step.id,
          status: 'failed',
          error: slot.message,
        });
        this.ctx.emit({ type: 'apply-step', tenantId: tenant.id, index, total: steps.length, step: slot });
        return fail(error, steps);
      }
      this.ctx.emit({ type: 'apply-step', tenantId: tenant.id, index, total: steps.length, step: slot });
    }
    // A binding is settled once nothing of the full plan is left for it (a scoped run may leave some).
    const skipped = plan.steps.filter((s) => !planned.includes(s));
    const unsettledClients = new Set(
      skipped.filter((s) => s.kind === 'set-auth-methods' || s.kind === 'set-client-pop').map((s) => s.clientId),
    );
    const unsettledBindings = new Set(skipped.map((s) => s.bindingId).filter((id): id is string => id !== null));
    const settled = inScope.filter((b) => !unsettledBindings.has(b.id) && !unsettledClients.has(b.clientId));
    this.ctx.db.transaction(() => {
      for (const b of settled) {
        if (b.state === 'active') this.repository.markApplied(b.id, now());
        if (b.state === 'retired') this.repository.setState(b.id, 'removed', now());
      }
      this.outbox.finish(tenant.id, now(), scope ? settled.map((b) => b.id) : undefined);
      this.ctx.audit.append('auth0.apply', tenant.id, {
        tenant: tenant.name,
        ...(scope ? { scope } : {}),
        steps: steps.map((s) => ({ step: s.stepId, status: s.status })),
      });
    })();
    const changed = steps.filter((s) => s.status === 'done').length;
    return steps.length === 0
      ? result('nothing-to-do', `"${tenant.name}" already matches the inventory.`, steps, plan.drift)
      : result(
          'applied',
          `Applied ${changed} change${changed === 1 ? '' : 's'} to "${tenant.name}"${changed < steps.length ? ` (${steps.length - changed} already done)` : ''}.`,
          steps,
          plan.drift,
        );
  }
}

function missing(id: string): never {
  throw new Error(`binding ${id} vanished during apply`);
}
