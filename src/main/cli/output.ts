/** What every CLI command shares: its tools, how a failure is told apart, printed and turned into the exit code. */
import { CommanderError } from 'commander';
import type { Channel, ChannelInput, ChannelOutput, Failure, UsageReport } from '../../shared/contract/index.ts';
import { EXIT_FAILURE, EXIT_RETRY_LATER, errorCodeInfo } from '../../shared/contract/index.ts';
import { isCertdeskError } from '../core/errors.ts';
import type { SshLogSetup } from '../core/evidence/ssh-log-config.ts';
import type { Transfer } from '../core/transfer/transfer.ts';
import type { OfflineDesk } from '../core/offline/offline-desk.ts';
import type { CrlSeriesStatus } from '../core/offline/crl-store.ts';
import type { RoleRecord } from '../core/workstation/role.ts';
import type { RoleChange } from '../core/workstation/set-role.ts';

/** What a command group gets from the program: the validated dispatch, the printer and the exit code. */
export interface CliTools {
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  print(value: unknown, human: () => string): void;
  fail(failure: Failure): never;
  /** The process exit code for an outcome that is not an error (missing scopes, queued work). */
  setExitCode(code: number): void;
  env: NodeJS.ProcessEnv;
  /**
   * Ties the data folder's audit anchor to the database's store id (`certdesk audit reanchor`). A
   * direct call, not a channel: no UI host (web mode included) can make a replaced database trusted.
   */
  reanchorAudit(): Promise<{ from: string; to: string } | null>;
  /**
   * Sets (or clears) the edge access log certdesk reads, and reads one log once (`certdesk usage`).
   * Direct calls, not channels: no UI host names a file on this machine for main to read.
   */
  usageSource(path: string | null): Promise<void>;
  /** The same over ssh (`certdesk usage --source ssh://… --host-key …`): the client key is made or kept in the vault. */
  usageSshSource(url: string, hostKey: string): Promise<SshLogSetup>;
  /** The configured source (a path, or `ssh://…`), or null. */
  usageSourceNow(): Promise<string | null>;
  usageOfFile(path: string): Promise<UsageReport>;
  /**
   * The transfer core (`certdesk pair`, `certdesk bundle`), unlocked from the environment: direct
   * calls, not channels, as they read and write files the operator names on this machine.
   */
  transfer(): Promise<Transfer>;
  /** Requests for the offline signer and a signer's CA certificates (`certdesk request`, `bundle send-ca`), unlocked from the environment. */
  offline(): Promise<OfflineDesk>;
  /** A publisher's pre-signed CRLs per key-less CA (`certdesk crl-series`): read only, no channel yet. */
  crlSeries(warnDays: number): Promise<CrlSeriesStatus[]>;
  /** The data folder's role (`certdesk role`). */
  workstationRole(): Promise<RoleRecord>;
  /** Sets it (`certdesk role set`): a direct call, not a channel, so no UI host can change a folder's role. */
  setWorkstationRole(role: string, confirm: string | undefined): Promise<RoleChange>;
  /** Refuses `what` when this data folder is an offline signer (for commands that open sockets without a channel). */
  requireNetwork(what: string): Promise<void>;
}

export class CliFailure extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.failure = failure;
  }
}

/** The exit code of a command that ended in this failure: the error-code table's (1, or 75 when it may pass by itself). */
export function exitCodeOf(failure: { code: string }): number {
  return errorCodeInfo(failure.code).exitCode;
}

/**
 * The exit code of a command that did several things (per tenant, per item): 1 when any of them
 * needs the operator, else 75 when any only waits, else 0.
 */
export function worstExitCode(codes: Iterable<number>): number {
  let worst = 0;
  for (const code of codes) {
    if (code === 0) continue;
    if (code !== EXIT_RETRY_LATER) return EXIT_FAILURE;
    worst = EXIT_RETRY_LATER;
  }
  return worst;
}

/** Prints a failure (one JSON document with --json, a line on stderr otherwise) and gives the exit code: 0 for --help and --version, else the table's. */
export function reportFailure(
  error: unknown,
  json: boolean,
  io: { stdout: (text: string) => void; stderr: (text: string) => void },
): number {
  const failure = toFailure(error);
  if (failure === null) return 0; // --help / --version
  if (json) io.stdout(`${JSON.stringify({ error: failure })}\n`);
  else io.stderr(`error: ${failure.message}${failure.field ? ` (field: ${failure.field})` : ''}\n`);
  return exitCodeOf(failure);
}

/**
 * An x5t#S256 thumbprint is base64url and starts with "-" one time in 64: commander then reads it as
 * an option. A word that no option could be (capitals, digits, underscores) gets the way to pass it.
 */
function valueHint(error: CommanderError): string {
  if (error.code !== 'commander.unknownOption') return '';
  const word = /'(-[^']*)'/.exec(error.message)?.[1];
  if (!word || /^--?[a-z][a-z-]*$/.test(word)) return '';
  return `If ${word} is a value (an x5t#S256 thumbprint can start with "-"), put it after "--", e.g. certdesk show -- ${word}. `;
}

function toFailure(error: unknown): Failure | null {
  if (error instanceof CliFailure) return error.failure;
  if (isCertdeskError(error)) return error.toFailure();
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return null;
    const option = /'(--[a-z-]+)/.exec(error.message)?.[1];
    const message = error.message.replace(/^error: /, '').replace(/\.+$/, '');
    return {
      code: 'VALIDATION',
      message: `${message.charAt(0).toUpperCase()}${message.slice(1)}. ${valueHint(error)}See --help.`,
      ...(option ? { field: option.replace(/^--/, '') } : {}),
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${text}` };
}
