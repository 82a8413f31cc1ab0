/**
 * The effect of each plan step. Every step looks before it acts (reads the piece of tenant state it
 * changes, and does nothing when it is already as wanted), so a retry, a second apply or a resumed
 * job never duplicates a credential.
 */
import type { PlanStep } from '../../../shared/contract/index.ts';
import type { BindingRepository } from '../store/binding-repository.ts';
import type { ManagementGateway } from './management-gateway.ts';
import { findCredential, methodFor, type PlannedBinding } from './plan.ts';
import {
  CERTIFICATE_CREDENTIAL_TYPES,
  listCredentials,
  readApi,
  readClient,
  readEndpointAliases,
  type ActualClient,
  type ActualCredential,
} from './tenant-state.ts';

export interface StepContext {
  gateway: ManagementGateway;
  bindings: BindingRepository;
  /** The binding with its certificate's facts, as it is now in the database. */
  planned(bindingId: string): PlannedBinding;
  certificatePem(certificateId: string): string;
  tenantId: string;
  /** The application as this run read it, while no step of the run has changed it yet. */
  snapshot(clientId: string): ActualClient | undefined;
  /** Its credentials as this run read them, while no step of the run has added or removed one. */
  snapshotCredentials(clientId: string): ActualCredential[] | undefined;
  /**
   * Records that a step changed the application: later steps read it again. A change of its settings
   * (methods, PoP) leaves the credentials list as read, so a delete after a re-bind needs no new list.
   */
  changed(clientId: string, what: 'settings' | 'credentials'): void;
}

/** The application's certificate credentials: this run's fresh read when there is one, else a new list. */
async function certificateCredentials(ctx: StepContext, clientId: string): Promise<ActualCredential[]> {
  const credentials = ctx.snapshotCredentials(clientId) ?? (await listCredentials(ctx.gateway, clientId));
  return credentials.filter((c) => CERTIFICATE_CREDENTIAL_TYPES.has(c.credentialType));
}

export interface StepOutcome {
  status: 'done' | 'already-done';
  attempts: number;
  /** What the step left behind, for the audit log. */
  details: Record<string, unknown>;
}

type Runner = (step: PlanStep, ctx: StepContext) => Promise<StepOutcome>;

const createCredential: Runner = async (step, ctx) => {
  const b = ctx.planned(step.bindingId ?? '');
  const look = async () =>
    findCredential(
      b,
      (await listCredentials(ctx.gateway, b.clientId)).filter((c) => CERTIFICATE_CREDENTIAL_TYPES.has(c.credentialType)),
    );
  const existing = findCredential(b, await certificateCredentials(ctx, b.clientId));
  if (existing) {
    ctx.bindings.setCredential(b.id, existing.id, existing.expiresAt);
    return { status: 'already-done', attempts: 0, details: { credentialId: existing.id } };
  }
  const pem = ctx.certificatePem(b.certificateId);
  const { value, attempts } = await ctx.gateway.call(
    `add the credential "${b.credentialName}" to ${b.clientId}`,
    async (mc) => {
      const created = await mc.clients.credentials.create(b.clientId, { credential_type: b.credentialType, name: b.credentialName, pem });
      return { id: created.id ?? '', expiresAt: created.expires_at ?? null };
    },
    async () => {
      const again = await look();
      return again && { id: again.id, expiresAt: again.expiresAt };
    },
  );
  ctx.bindings.setCredential(b.id, value.id, value.expiresAt);
  ctx.changed(b.clientId, 'credentials');
  return {
    status: 'done',
    attempts,
    details: { credentialId: value.id, credentialType: b.credentialType, thumbprintSha256: b.thumbprintSha256, expiresAt: value.expiresAt },
  };
};

const setAuthMethods: Runner = async (step, ctx) => {
  const client = ctx.snapshot(step.clientId) ?? (await readClient(ctx.gateway, step.clientId));
  const live = ctx.bindings.liveForClient(ctx.tenantId, step.clientId).map((b) => ctx.planned(b.id));
  const active = live.filter((b) => b.state === 'active');
  const certificateCredentials = client.credentials.filter((c) => CERTIFICATE_CREDENTIAL_TYPES.has(c.credentialType));
  const ownIds = new Map(live.map((b) => [findCredential(b, certificateCredentials)?.id, b.state] as const));
  const ours = active.map((b) => findCredential(b, certificateCredentials)?.id).filter((id): id is string => id !== undefined);
  if (ours.length !== active.length) throw new Error(`set-auth-methods for ${step.clientId} ran before its credentials exist`);
  const foreign = client.boundCredentialIds.filter((id) => !ownIds.has(id));
  const ids = [...ours, ...foreign];
  const method = methodFor(active[0]!.credentialType);
  const same =
    client.authMethod === method &&
    client.tokenEndpointAuthMethod === null &&
    ids.length === client.boundCredentialIds.length &&
    ids.every((id) => client.boundCredentialIds.includes(id));
  if (same) return { status: 'already-done', attempts: 0, details: { method, credentialIds: ids } };
  const { attempts } = await ctx.gateway.call(`bind the credentials of ${step.clientId}`, (mc) =>
    mc.clients.update(step.clientId, {
      client_authentication_methods: { [method]: { credentials: ids.map((id) => ({ id })) } },
      token_endpoint_auth_method: null,
    }),
  );
  ctx.changed(step.clientId, 'settings');
  return { status: 'done', attempts, details: { method, credentialIds: ids, before: client.boundCredentialIds } };
};

const setClientPop: Runner = async (step, ctx) => {
  const client = ctx.snapshot(step.clientId) ?? (await readClient(ctx.gateway, step.clientId));
  if (client.requirePop) return { status: 'already-done', attempts: 0, details: {} };
  const { attempts } = await ctx.gateway.call(`require proof of possession on ${step.clientId}`, (mc) =>
    mc.clients.update(step.clientId, { require_proof_of_possession: true }),
  );
  ctx.changed(step.clientId, 'settings');
  return { status: 'done', attempts, details: { requireProofOfPossession: true } };
};

const setApiPop: Runner = async (step, ctx) => {
  const ref = step.id.slice('set-api-pop:'.length);
  const api = await readApi(ctx.gateway, ref);
  if (api.popRequired) return { status: 'already-done', attempts: 0, details: { api: ref } };
  const { attempts } = await ctx.gateway.call(`require proof of possession on the API ${ref}`, (mc) =>
    mc.resourceServers.update(api.id ?? ref, { proof_of_possession: { mechanism: 'mtls', required: true } }),
  );
  return { status: 'done', attempts, details: { api: ref } };
};

const enableAliases: Runner = async (_step, ctx) => {
  if (await readEndpointAliases(ctx.gateway)) return { status: 'already-done', attempts: 0, details: {} };
  const { attempts } = await ctx.gateway.call("turn on the tenant's mTLS endpoint aliases", (mc) =>
    mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: true } }),
  );
  return { status: 'done', attempts, details: { enableEndpointAliases: true } };
};

const deleteCredential: Runner = async (step, ctx) => {
  const b = ctx.planned(step.bindingId ?? '');
  const look = async () =>
    findCredential(
      b,
      (await listCredentials(ctx.gateway, b.clientId)).filter((c) => CERTIFICATE_CREDENTIAL_TYPES.has(c.credentialType)),
    );
  const existing = findCredential(b, await certificateCredentials(ctx, b.clientId));
  if (!existing) return { status: 'already-done', attempts: 0, details: {} };
  ctx.changed(b.clientId, 'credentials');
  // Auth0 answers 204 to the delete of a credential already gone (its contract has no 404 here): a list
  // older than someone else's delete is harmless.
  const { attempts } = await ctx.gateway.call(
    `remove the credential ${existing.id} from ${b.clientId}`,
    async (mc) => {
      await mc.clients.credentials.delete(b.clientId, existing.id);
      return true;
    },
    async () => ((await look()) ? undefined : true),
  );
  return { status: 'done', attempts, details: { credentialId: existing.id, thumbprintSha256: b.thumbprintSha256 } };
};

export const STEP_RUNNERS: Record<PlanStep['kind'], Runner> = {
  'create-credential': createCredential,
  'set-auth-methods': setAuthMethods,
  'set-client-pop': setClientPop,
  'set-api-pop': setApiPop,
  'enable-endpoint-aliases': enableAliases,
  'delete-credential': deleteCredential,
};
