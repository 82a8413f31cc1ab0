import type { EdgeReloadRun } from '../../../shared/contract/index.ts';
import { displayArgv } from '../../../shared/contract/index.ts';
import { hasControlCharacters, hasFormatCharacters } from '../../../shared/validation.ts';
import { RELOAD_OUTPUT_LIMIT, RELOAD_TIMEOUT_MS } from '../edge/run-reload.ts';
import { CertdeskError } from '../errors.ts';
import { withSsh, type SshEndpoint } from './ssh-connect.ts';

/** The same bounds as a custom edge reload argv (api/edge-reload.ts). */
const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 4096;

/**
 * An argv as one POSIX shell word per argument. `ssh exec` hands the remote user's shell a single
 * string, so there is no execve on the far side: each argument is single-quoted (inside single
 * quotes nothing is special; an embedded `'` becomes `'\''`). NUL cannot cross at all, a newline
 * would end the command in some shells' parsing of `-c`, and invisible Unicode format characters
 * would make the approved argv read differently from what runs: all three are refused.
 */
export function quoteRemoteArgv(argv: readonly string[]): string {
  if (argv.length === 0 || argv.length > MAX_ARGS || !argv[0])
    throw new CertdeskError('VALIDATION', `The remote reload argv must name a program and have at most ${MAX_ARGS} arguments.`, {
      field: 'reloadArgv',
    });
  return argv
    .map((arg, index) => {
      if (typeof arg !== 'string' || arg.length > MAX_ARG_LENGTH || hasControlCharacters(arg) || hasFormatCharacters(arg))
        throw new CertdeskError(
          'VALIDATION',
          `Argument ${index} of the remote reload argv is longer than ${MAX_ARG_LENGTH} characters or holds a control character (NUL, newline…) or an invisible format character (Unicode Cf); nothing was run.`,
          { field: 'reloadArgv' },
        );
      return `'${arg.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

export interface RemoteReloadOptions {
  timeoutMs?: number;
}

/**
 * Runs the target's reload argv on the host over `ssh exec`, as the edge reload runs locally: bounded
 * in time (the channel is closed and the run counts as timed out) and in captured output.
 */
export async function runRemoteReload(
  endpoint: SshEndpoint,
  argv: readonly string[],
  options: RemoteReloadOptions = {},
): Promise<EdgeReloadRun> {
  const command = quoteRemoteArgv(argv);
  const timeoutMs = options.timeoutMs ?? RELOAD_TIMEOUT_MS;
  const started = performance.now();
  let output = '';
  const capture = (chunk: Buffer) => {
    if (output.length < RELOAD_OUTPUT_LIMIT) output = (output + chunk.toString('utf8')).slice(0, RELOAD_OUTPUT_LIMIT);
  };
  const { status, timedOut } = await withSsh(
    endpoint,
    (client) =>
      new Promise<{ status: number; timedOut: boolean }>((resolve, reject) => {
        client.exec(command, (error, channel) => {
          if (error) return reject(error);
          let timedOut = false;
          let exit: number | null = null;
          const timer = setTimeout(() => {
            timedOut = true;
            channel.close();
            client.end();
          }, timeoutMs);
          channel.on('data', capture);
          channel.stderr.on('data', capture);
          channel.on('exit', (code: number | null, signal?: string) => {
            exit = typeof code === 'number' ? code : -1;
            if (signal) capture(Buffer.from(`killed by signal ${signal}\n`));
          });
          channel.on('close', () => {
            clearTimeout(timer);
            resolve({ status: timedOut ? -1 : (exit ?? -1), timedOut });
          });
        });
      }),
  );
  return {
    command: displayArgv([argv]),
    argv: [[...argv]],
    status,
    output,
    durationMs: Math.round(performance.now() - started),
    timedOut,
  };
}
