/**
 * The `certdesk` command line: the same core and the same validated channels as the app, no Electron.
 * With `--json` every command prints exactly one JSON document on stdout; a failure prints
 * `{"error":{"code","message","field?"}}` and exits as the error-code table says: 1, or 75 when
 * the failure may pass by itself (Auth0 unreachable, rate-limited) and a script may retry.
 */
import { inspect } from 'node:util';
import { Command } from 'commander';
import { ROTATION_STEP_COUNT, type Channel, type ChannelInput, type ChannelOutput } from '../../shared/contract/index.ts';
import { resolveDataDir } from '../core/paths.ts';
import { KeychainSecretStore } from '../core/secrets/keychain-secret-store.ts';
import type { SecretStore } from '../core/secrets/secret-store.ts';
import { CertdeskService, type ServiceOptions } from '../core/service.ts';
import { VERSION } from '../core/version.ts';
import { registerBindingCommands } from './commands/bindings.ts';
import { registerDiagnoseCommand } from './commands/diagnose.ts';
import { registerRotateCommands } from './commands/rotate.ts';
import { registerCertCommands } from './commands/certs.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerAuthorityCommands } from './commands/authorities.ts';
import { registerVaultCommands } from './commands/vault.ts';
import { CliFailure, reportFailure, type CliTools } from './output.ts';
import { registerEdgeCommands, registerScheduleCommand } from './commands/edge.ts';
import { CLI_RELOAD_APPROVER } from './commands/edge-reload.ts';
import { CLI_TARGET_APPROVER } from '../core/delivery/target-approver.ts';
import { registerTargetCommands } from './commands/targets.ts';
import { registerUsageCommand } from './commands/usage.ts';
import { registerSandboxCommands } from './commands/sandbox.ts';
import { lazySandboxFetch } from '../host/sandbox-switch.ts';
import { registerTenantCommands } from './commands/tenants.ts';
import { registerCrlSeriesCommand } from './commands/crl-series.ts';
import { crlSeriesStatus } from '../core/offline/crl-store.ts';
import { registerRoleCommands } from './commands/role.ts';
import { registerTemplateCommands } from './commands/templates.ts';
import { registerWebhookCommands } from './commands/webhook.ts';
import { requireNetwork } from '../core/workstation/role-guard.ts';
import { createHandlers, dispatch } from '../host/dispatch.ts';
import { CLI_EDGE_OPERATOR } from './commands/edge-config.ts';
import { registerPairCommands } from './commands/pair.ts';
import { registerTransferCommands } from './commands/transfer.ts';
import { registerRequestCommands } from './commands/request.ts';
import type { ItemApplier } from '../core/transfer/ports.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Injected in tests that do not run a keyring; the real keychain otherwise. */
  secretStore?: SecretStore;
  /** Injected in tests that point Auth0 calls at the local sandbox. */
  fetch?: typeof fetch;
  /** Injected in tests of the transfer commands: appliers of their own, in place of the workstation's for those kinds. */
  transferAppliers?: readonly ItemApplier[];
}

/**
 * The kill tests' seam: CERTDESK_TEST_ROTATION_PAUSE="<step>:<begin|end>" makes a rotation stop
 * there (and say so on stderr) so the test can kill -9 the process at exactly that point.
 */
function rotationTestSeam(io: CliIo): Pick<ServiceOptions, 'rotation'> {
  const match = /^(\d+):(begin|end)$/.exec(io.env.CERTDESK_TEST_ROTATION_PAUSE ?? '');
  if (!match || Number(match[1]) < 1 || Number(match[1]) > ROTATION_STEP_COUNT) return {};
  const pauseAt = { step: Number(match[1]), phase: match[2] as 'begin' | 'end' };
  return { rotation: { pauseAt, onPause: () => io.stderr(`certdesk: rotation paused at step ${pauseAt.step} ${pauseAt.phase}\n`) } };
}

/** Channels that use no key (or take the passphrase themselves): unlocking first would only cost an scrypt run. */
// Reading the edge's evidence touches no key either.
const NO_UNLOCK = new Set<Channel>([
  'vault:init',
  'vault:unlock',
  'vault:lock',
  'vault:change-passphrase',
  'vault:auto-lock',
  'usage:list',
  'certs:usage',
]);

const USAGE_READS = new Set<Channel>(['usage:list', 'certs:usage']);

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Only before `--`: after it come a custom reload argv's own words (certdesk edge reload set -- …).
  const dashes = argv.indexOf('--');
  const json = (dashes === -1 ? argv : argv.slice(0, dashes)).includes('--json');
  let service: CertdeskService | undefined;

  const open = (): CertdeskService => {
    if (service) return service;
    const global = program.opts<{ dataDir?: string }>();
    service = CertdeskService.open({
      dataDir: resolveDataDir(global.dataDir, io.env),
      secretStore: io.secretStore ?? new KeychainSecretStore(30_000, 'cli'),
      mode: 'cli',
      // One command, then exit: no keys made ahead. The process would wait at exit for a refill's prime search.
      keygen: { reserve: {} },
      // Without an injected fetch, a sandbox started with `certdesk sandbox start` is reachable by its domain.
      fetch: io.fetch ?? lazySandboxFetch(io.env, () => open().tenants.list()),
      ...rotationTestSeam(io),
      emit: (event) => {
        if (json) return;
        if (event.type === 'progress') io.stderr(`  [${event.step}/${event.total}] ${event.label}\n`);
        else if (event.type === 'apply-step' && event.step.status !== 'running')
          io.stderr(`  [${event.index + 1}/${event.total}] ${event.step.status.padEnd(12)} ${event.step.summary}\n`);
        else if (event.type === 'rotation' && event.phase !== 'begin')
          io.stderr(`  rotation ${event.step}/${ROTATION_STEP_COUNT} ${event.name}: ${event.phase} — ${event.detail}\n`);
      },
    });
    return service;
  };

  /** Every command goes through the same zod-validated dispatch as the UI. */
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const svc = open();
    // The audit key comes from the keychain asynchronously; a short-lived process waits for it, so
    // none of its entries is left unkeyed if it is killed.
    await svc.audit.settle();
    // Reading an ssh source opens its client key from the vault.
    if (!NO_UNLOCK.has(channel) || (USAGE_READS.has(channel) && svc.usage.needsVault())) await unlockFromEnv(svc, io.env);
    const result = await dispatch(
      createHandlers(svc, { reloadApprover: CLI_RELOAD_APPROVER, targetApprover: CLI_TARGET_APPROVER, edgeOperator: CLI_EDGE_OPERATOR }),
      channel,
      input,
      // The operator at the terminal is who reads the reference's details.
      (error) => io.stderr(`${inspect(error)}\n`),
    );
    if (!result.ok) throw new CliFailure(result.error);
    return result.value as ChannelOutput<C>;
  };

  const print = (value: unknown, human: () => string) => io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());

  const program = new Command('certdesk')
    .description('certdesk: a private CA and certificate lifecycle manager for OAuth mTLS clients')
    .version(VERSION)
    .option('--data-dir <dir>', 'data folder (default: CERTDESK_DATA_DIR, else the OS app-data folder)')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => (json ? undefined : io.stderr(s)) })
    .showHelpAfterError(false);

  let exitCode = 0;
  const tools: CliTools = {
    call,
    print,
    env: io.env,
    reanchorAudit: async () => {
      const svc = open();
      await svc.audit.settle();
      return svc.audit.reanchor();
    },
    usageSource: async (path) => {
      const svc = open();
      await svc.audit.settle();
      svc.usage.setReadPath(path);
    },
    usageSshSource: async (url, hostKey) => {
      const svc = open();
      await svc.audit.settle();
      // A new client key is sealed under the vault's key.
      await unlockFromEnv(svc, io.env);
      return svc.usage.setSshSource(url, hostKey);
    },
    usageSourceNow: async () => {
      const svc = open();
      await svc.audit.settle();
      return svc.usage.readPath();
    },
    usageOfFile: async (path) => {
      const svc = open();
      await svc.audit.settle();
      return svc.usageOfFile(path);
    },
    transfer: async () => {
      const svc = open();
      await svc.audit.settle();
      // The transfer key is sealed and opened like every other key.
      await unlockFromEnv(svc, io.env);
      for (const applier of io.transferAppliers ?? []) svc.transfer.appliers.register(applier);
      return svc.transfer;
    },
    offline: async () => {
      const svc = open();
      await svc.audit.settle();
      // A generated key is sealed at once: the vault must be open.
      await unlockFromEnv(svc, io.env);
      return svc.offline;
    },
    crlSeries: async (warnDays) => {
      const svc = open();
      await svc.audit.settle();
      const ctx = svc.edgeContext();
      return crlSeriesStatus(ctx, ctx.clock.now(), warnDays);
    },
    workstationRole: async () => open().role(),
    setWorkstationRole: async (role, confirm) => {
      const svc = open();
      await svc.audit.settle();
      return svc.setRole(role, confirm);
    },
    requireNetwork: async (what) => requireNetwork(open().db, what),
    setExitCode: (code) => {
      exitCode = code;
    },
    fail: (failure) => {
      throw new CliFailure(failure);
    },
  };
  registerAuthorityCommands(program, tools);
  registerCertCommands(program, tools);
  registerAuditCommands(program, tools);
  registerEdgeCommands(program, tools);
  registerScheduleCommand(program, tools);
  registerUsageCommand(program, tools);
  registerBindingCommands(program, tools);
  registerDiagnoseCommand(program, tools);
  registerRotateCommands(program, tools);
  await registerSandboxCommands(program, tools, io);
  registerTenantCommands(program, tools);
  registerTargetCommands(program, tools);
  registerVaultCommands(program, tools);
  registerPairCommands(program, tools);
  registerTransferCommands(program, tools);
  registerRequestCommands(program, tools);
  registerCrlSeriesCommand(program, tools);
  registerRoleCommands(program, tools);
  registerTemplateCommands(program, tools);
  registerWebhookCommands(program, tools);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, json || program.opts<{ json?: boolean }>().json === true, io);
  } finally {
    service?.close();
    // The keychain checkpoint is written after the file one; the process must not exit before it is.
    await service?.audit.settle();
  }
}

async function unlockFromEnv(service: CertdeskService, env: NodeJS.ProcessEnv): Promise<void> {
  const passphrase = env.CERTDESK_PASSPHRASE;
  if (service.vault.protection === 'passphrase' && passphrase !== undefined && service.vault.status().state === 'locked') {
    await service.unlockVault({ passphrase });
  }
}
