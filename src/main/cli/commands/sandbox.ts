/**
 * `certdesk sandbox start|status|stop`: the local sandbox tenant (Auth0 emulator + mTLS edge) for
 * rehearsing without a real tenant. `start` runs in the foreground and records itself in
 * `<dir>/running.json` (and its per-start secret in a 0600 file beside it), so `status` and `stop`
 * from another terminal can find it. With CERTDESK_NO_SANDBOX=1 the emulator is not even loaded,
 * and each of these commands fails with the error that says so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { Bounds } from '../../api/limits.ts';
import { sandboxLeftOut, sandboxLeftOutError } from '../../core/sandbox-tenant/sandbox-left-out.ts';
import { parseDecimal, parseWholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';

const PORT: Bounds = { min: 0, max: 65_535 };
const SHARE: Bounds = { min: 0, max: 1 };
/** The numeric options of `sandbox start` (parsed by the emulator itself): checked here first, the CLI's way. */
const SANDBOX_NUMBERS: Record<string, (text: string, option: string) => number> = {
  port: (t, o) => parseWholeNumber(t, o, PORT),
  'edge-port': (t, o) => parseWholeNumber(t, o, PORT),
  'rate-limit': (t, o) => parseWholeNumber(t, o, { min: 1, max: 1_000_000 }),
  'latency-ms': (t, o) => parseWholeNumber(t, o, { min: 0, max: 600_000 }),
  seed: (t, o) => parseWholeNumber(t, o, { min: 0, max: 0xffff_ffff }),
  'fail-5xx-share': (t, o) => parseDecimal(t, o, SHARE),
  'fail-429-share': (t, o) => parseDecimal(t, o, SHARE),
  'reset-share': (t, o) => parseDecimal(t, o, SHARE),
};

/** Refuses a malformed number among `sandbox start`'s raw arguments (`--port 8080` or `--port=8080`). */
function checkSandboxNumbers(args: readonly string[]): void {
  args.forEach((arg, i) => {
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const option = flag.replace(/^--/, '');
    const parse = flag.startsWith('--') && Object.hasOwn(SANDBOX_NUMBERS, option) ? SANDBOX_NUMBERS[option] : undefined;
    const value = inline ?? args[i + 1];
    // A missing value is left to the emulator's own argument parser, which names it.
    if (parse && value !== undefined) parse(value, option);
  });
}

export async function registerSandboxCommands(
  program: Command,
  tools: CliTools,
  io: { stdout: (text: string) => void; stderr: (text: string) => void },
): Promise<void> {
  const sandbox = program.command('sandbox').description('the local sandbox tenant: an Auth0 emulator and an mTLS edge on 127.0.0.1');
  if (sandboxLeftOut(tools.env)) {
    const leftOut = (): never => tools.fail(sandboxLeftOutError().toFailure());
    for (const name of ['start', 'status', 'stop'])
      sandbox.command(name).allowUnknownOption(true).allowExcessArguments(true).helpOption(false).action(leftOut);
    return;
  }
  const { SANDBOX_START_USAGE, sandboxDir, sandboxStart } = await import('../../../sandbox/index.ts');
  const { clearRunning, processAlive: alive, readRunning, writeRunning } = await import('../../host/sandbox.ts');
  sandbox
    .command('start')
    .description('run the sandbox in the foreground until Ctrl+C (prints one JSON line with its URLs)')
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[options...]', SANDBOX_START_USAGE)
    .action(async (args: string[]) => {
      if (args.includes('--help') || args.includes('-h'))
        return io.stdout(`Usage: certdesk sandbox start [options]\n${SANDBOX_START_USAGE.split('\n').slice(1).join('\n')}`);
      checkSandboxNumbers(args);
      // With --ca-bundle the emulator takes nothing of this data folder; otherwise it serves this folder's CAs.
      if (!args.includes('--ca-bundle')) await tools.requireNetwork('the sandbox tenant');
      const dirIndex = args.indexOf('--dir');
      const dir = sandboxDir(dirIndex >= 0 ? args[dirIndex + 1] : undefined, tools.env);
      if (readRunning(dir))
        tools.fail({
          code: 'CONFLICT',
          message: `A sandbox already runs on ${dir}; stop it first (certdesk sandbox stop --dir ${dir}).`,
          field: 'dir',
        });
      // Without --ca-bundle, the edge trusts certdesk's own CAs and CRLs (none yet: no edge). If the
      // store cannot give them (a locked vault, no keychain), the emulator still starts, with the
      // trust an earlier start saved, and says why.
      const edgeTrust = args.includes('--ca-bundle')
        ? undefined
        : await tools.call('edge:trust', {}).catch((error: unknown) => {
            const failure = (error as { failure?: { code?: string; message?: string } }).failure;
            if (failure?.code !== 'NOT_FOUND')
              io.stderr(
                `certdesk: the sandbox edge does not take certdesk's CAs this time: ${failure?.message ?? (error as Error).message}\n`,
              );
            return undefined;
          });
      // Listen before the URLs are printed: whoever reads them may stop the sandbox at once.
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const started = await sandboxStart(args, { stdout: io.stdout, env: tools.env, edgeTrust });
      if (!started.sandbox) {
        tools.setExitCode(started.exitCode);
        return;
      }
      writeRunning(dir, started.sandbox);
      await stopRequested;
      await started.sandbox.stop();
      clearRunning(dir);
    });
  sandbox
    .command('status')
    .description('is a sandbox running on this folder, and where')
    .option('--dir <folder>', 'state folder (default: CERTDESK_SANDBOX_DIR or ~/.certdesk-sandbox)')
    .action((o: { dir?: string }) => {
      const running = readRunning(sandboxDir(o.dir, tools.env));
      tools.print({ running: running !== null, ...(running ?? {}) }, () =>
        running
          ? `Sandbox running (pid ${running.pid}) at ${running.url}${running.edgeUrl ? `, edge ${running.edgeUrl}` : ''}\n`
          : 'No sandbox is running on this folder.\n',
      );
    });
  sandbox
    .command('stop')
    .description('stop the sandbox running on this folder')
    .option('--dir <folder>', 'state folder (default: CERTDESK_SANDBOX_DIR or ~/.certdesk-sandbox)')
    .action(async (o: { dir?: string }) => {
      const dir = sandboxDir(o.dir, tools.env);
      const running = readRunning(dir);
      if (!running) tools.fail({ code: 'NOT_FOUND', message: `No sandbox is running on ${dir}.`, field: 'dir' });
      process.kill(running.pid, 'SIGTERM');
      for (let i = 0; i < 200 && alive(running.pid); i++) await sleep(50);
      if (alive(running.pid)) tools.fail({ code: 'INTERNAL', message: `The sandbox (pid ${running.pid}) did not stop within 10 s.` });
      tools.print({ stopped: true, pid: running.pid }, () => `Stopped the sandbox (pid ${running.pid}).\n`);
    });
}
