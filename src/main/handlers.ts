import type { Channel, ChannelInput, ChannelOutput, EdgeTrust, Failure, Result, SandboxStatus } from '../shared/contract/index.ts';
import { CHANNELS } from '../shared/contract/index.ts';
import { CertdeskError, isCertdeskError } from './core/errors.ts';
import type { CertdeskService } from './core/service.ts';
import type { SandboxHost } from './sandbox-host.ts';
import { schemas } from './schemas.ts';

export type Handlers = { [C in Channel]: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>> };

/** The exhaustive handler map: a channel without a handler fails the type check. */
export interface HostParts {
  /** The local sandbox tenant; absent where the host cannot run one. */
  sandbox?: SandboxHost;
}

function noSandbox(): never {
  throw new CertdeskError('FORBIDDEN', 'This host cannot run the sandbox tenant; start it with: certdesk sandbox start', {
    field: 'sandbox',
  });
}

/**
 * Starts the sandbox and, the first time, adds it as a development tenant (its M2M secret goes to
 * the keychain), with the demo custom domain. While the flight check settings are certdesk's own
 * (none yet, or this sandbox edge's), they follow the edge, whose port changes on every start: so
 * diagnostics, and verification in a rotation, work against the sandbox with nothing to set up.
 */
async function startSandboxTenant(service: CertdeskService, sandbox: SandboxHost): Promise<SandboxStatus> {
  // A store that cannot give its trust now (a locked vault) must not keep the sandbox from starting.
  const { status, managementClient, demo } = await sandbox.start(await currentTrust(service).catch(() => undefined));
  let tenant = service.tenants.list().find((t) => t.domain === status.domain);
  if (!tenant && managementClient && status.domain) {
    const name = service.tenants.list().some((t) => t.name.toLowerCase() === 'sandbox') ? 'Sandbox (local)' : 'Sandbox';
    tenant = await service.addTenant({
      name,
      environment: 'development',
      domain: status.domain,
      ...(demo ? { customDomain: demo.customDomain } : {}),
      clientId: managementClient.clientId,
      clientSecret: managementClient.clientSecret,
    });
  }
  const current = tenant?.diagnostics ?? null;
  if (tenant && status.edgeUrl && status.edgeCaPem && (current === null || current.edgeCaPem === status.edgeCaPem)) {
    const edgeAddress = new URL(status.edgeUrl).host;
    if (current?.edgeAddress !== edgeAddress)
      tenant = service.tenants.setDiagnostics(tenant.id, {
        ...current,
        edgeAddress,
        edgeCaPem: status.edgeCaPem,
        ...(current?.audience || !demo ? {} : { audience: demo.audience }),
      });
  }
  return { ...status, tenantName: tenant?.name ?? null };
}

function after<T>(value: T, effect: () => void): T {
  effect();
  return value;
}

/** certdesk's CAs and CRLs for the sandbox's edge; none while certdesk holds no CA (the edge then stays off). */
async function currentTrust(service: CertdeskService): Promise<EdgeTrust | undefined> {
  try {
    return await service.edgeTrust();
  } catch (error) {
    if (error instanceof CertdeskError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Keeps the edge of a sandbox running in this process trusting certdesk's current CAs and CRLs:
 * after a CA is added, a certificate revoked (by the operator or a rotation; its CA's CRL is then
 * signed again) or any CRL signed.
 */
function followTrust(service: CertdeskService, sandbox: SandboxHost): () => void {
  let pending = false;
  const refresh = () => {
    if (pending || sandbox.status().owner !== 'this-app') return;
    pending = true;
    // After the signing that triggered it has settled; a CRL read here is then the one just signed.
    setImmediate(() => {
      pending = false;
      if (!service.db.open) return; // the app is closing
      currentTrust(service)
        .then((trust) => trust && sandbox.refreshTrust(trust))
        .catch((error: unknown) =>
          console.error('certdesk: the sandbox edge kept its previous trust:', error instanceof Error ? error.message : error),
        );
    });
  };
  service.crls.onSigned(refresh);
  service.inventory.onRevoked(refresh);
  return refresh;
}

function sandboxStatus(service: CertdeskService, sandbox: SandboxHost): SandboxStatus {
  const status = sandbox.status();
  return { ...status, tenantName: service.tenants.list().find((t) => t.domain === status.domain)?.name ?? null };
}

export function createHandlers(service: CertdeskService, parts: HostParts = {}): Handlers {
  const { sandbox } = parts;
  const trustChanged = sandbox ? followTrust(service, sandbox) : () => undefined;
  return {
    'app:info': () => service.info(),
    'vault:init': (input) => service.initVault(input),
    'vault:unlock': (input) => service.unlockVault(input),
    'ca:list': () => service.listAuthorities(),
    'ca:create': async (input) => after(await service.createAuthority(input), trustChanged),
    'ca:import': async (input) => after(await service.importAuthority(input), trustChanged),
    'profiles:list': () => service.listProfiles(),
    'certs:issue': (input) => service.issue(input),
    'certs:list': (input) => service.listCertificates(input),
    'certs:get': (input) => service.getCertificate(input),
    'certs:renew': (input) => service.renew(input),
    'certs:revoke': (input) => service.revoke(input),
    'certs:export': (input) => service.exportCertificate(input),
    'certs:import': (input) => service.importCertificate(input),
    'certs:lint': (input) => service.lint(input),
    'crl:generate': (input) => service.generateCrl(input),
    'audit:list': (input) => service.listAudit(input),
    'audit:verify': () => service.verifyAudit(),
    'edge:preview': (input) => service.previewEdge(input),
    'edge:publish': (input) => service.publishEdge(input),
    'edge:history': (input) => service.edgeHistory(input),
    'edge:trust': () => service.edgeTrust(),
    'schedule:list': (input) => service.schedule(input),
    'schedule:ics': (input) => service.scheduleIcs(input),
    'tenants:list': () => service.listTenants(),
    'tenants:add': (input) => service.addTenant(input),
    'tenants:test': (input) => service.testTenant(input),
    'tenants:remove': (input) => service.removeTenant(input),
    'bindings:create': async (input) => service.bind(input),
    'bindings:list': async (input) => service.bindings.list(input.tenant),
    'bindings:remove': async (input) => service.bindings.unbind(input),
    'auth0:plan': (input) => service.bindings.plan(input.tenant),
    'auth0:apply': (input) => service.bindings.apply(input),
    'outbox:list': async (input) => service.bindings.listOutbox(input.tenant),
    'auth0:clients': (input) => service.bindings.clients(input.tenant),
    'auth0:custom-domain': (input) => service.bindings.customDomain(input),
    'tenants:diagnostics': async (input) => service.tenants.setDiagnostics(input.tenant, input.settings),
    'diagnostics:run': (input) => service.diagnostics.run(input),
    'diagnostics:files': (input) => service.diagnostics.writeFiles(input),
    'rotation:start': (input) => service.rotate(input),
    'rotation:list': async () => service.rotations.list(),
    'rotation:resume': (input) => service.resumeRotations(input),
    'rotation:cancel': (input) => service.cancelRotations(input),
    'rotation:bulk': (input) => service.rotateAllDue(input),
    'sandbox:status': async () => (sandbox ? sandboxStatus(service, sandbox) : noSandbox()),
    // A CRL signed while the sandbox was starting is taken up at once.
    'sandbox:start': async () => (sandbox ? after(await startSandboxTenant(service, sandbox), trustChanged) : noSandbox()),
    'sandbox:stop': async () => (sandbox ? { ...(await sandbox.stop()), tenantName: null } : noSandbox()),
  };
}

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value);
}

/**
 * The one entry point every transport uses (Electron IPC, web host, tests): validates the raw
 * input with the channel's schema, runs the handler, and turns every outcome into a Result.
 * It never throws; an unexpected exception becomes INTERNAL with its message, and is logged.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  log: (error: unknown) => void = console.error,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${String(channel).slice(0, 80)}".`, field: 'channel' });
  }
  const parsed = schemas[channel].safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : undefined;
    const message =
      issue?.code === 'unrecognized_keys'
        ? `Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove it.`
        : (issue?.message ?? 'Invalid input.');
    // An oversized paste is its own, more helpful, code.
    const code = issue?.code === 'too_big' && issue.origin === 'string' && Number(issue.maximum) >= 4096 ? 'INPUT_TOO_LARGE' : 'VALIDATION';
    return fail({ code, message, ...(field ? { field } : issue?.code === 'unrecognized_keys' ? { field: issue.keys[0] } : {}) });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isCertdeskError(error)) return fail(error.toFailure());
    log(error);
    return fail({
      code: 'INTERNAL',
      message: `certdesk hit an unexpected error: ${error instanceof Error ? error.message : String(error)}. Nothing was changed; please report it.`,
    });
  }
}

function fail(error: Failure): Result<never> {
  return { ok: false, error };
}
