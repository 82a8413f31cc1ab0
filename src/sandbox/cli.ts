/**
 * `sandbox start`: parses the options, starts the sandbox (and the edge when a CA bundle is known:
 * --ca-bundle, else the trust certdesk passes in, else the one saved by an earlier start)
 * and prints one JSON line. Shared by `src/sandbox/main.ts`, `certdesk sandbox start` and the app.
 *
 *   --dir <folder> [--port N] [--domain D]
 *   [--ca-bundle <pem> [--crl <pem>]… [--edge-port N] [--allow-self-signed]]
 *   [--token-type Bearer|DPoP] [--rate-limit N] [--fail-5xx-share X] [--fail-429-share X] [--latency-ms N] [--reset-share X] [--seed N]
 *
 * The bundle and CRLs are copied to `<dir>/edge/`, so a later start without --ca-bundle brings the
 * edge back with them. The printed secret belongs to the sandbox's own M2M application only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type EdgeOptions, type FaultConfig, type Sandbox } from './server.ts';

export const SANDBOX_START_USAGE = `Usage: sandbox start [options]
  --dir <folder>          state folder (default: $CERTDESK_SANDBOX_DIR or ~/.certdesk-sandbox)
  --port <n>              Auth0 emulator port on 127.0.0.1 (default: any free port)
  --domain <name>         tenant domain for a new folder (default: sandbox.certdesk.test)
  --ca-bundle <pem>       start the mTLS edge, trusting these CAs
  --crl <pem>             a CRL for the edge (repeat for each CA in the chain)
  --edge-port <n>         edge port on 127.0.0.1 (default: any free port)
  --allow-self-signed     edge in optional_no_ca mode, for self_signed_tls_client_auth
  --token-type <t>        token_type of certificate-bound tokens: Bearer (default) or DPoP
  --rate-limit <n>        requests per second per API before 429 (default 1000)
  --fail-5xx-share <x>    share (0..1) of requests answered 503
  --fail-429-share <x>    share (0..1) of requests answered 429 (another client's burst)
  --latency-ms <n>        delay before every answer
  --reset-share <x>       share (0..1) of connections reset without an answer
  --seed <n>              seed for the shares above
`;

/** The sandbox's state folder: --dir, else CERTDESK_SANDBOX_DIR, else ~/.certdesk-sandbox. */
export function sandboxDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit ?? env.CERTDESK_SANDBOX_DIR ?? join(homedir(), '.certdesk-sandbox');
}

export interface SandboxCliIo {
  stdout: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** What the edge trusts when no --ca-bundle is given: certdesk's CAs and CRLs (saved for later starts). */
  edgeTrust?: EdgeTrustFiles;
}

export interface EdgeTrustFiles {
  caBundlePem: string;
  crlPems: readonly string[];
}

const isCrlFile = (n: string) => /^crl-\d+\.pem$/.test(n);

/** Saves the edge's trust in `<dir>/edge/`, replacing the CRLs, so the next start finds it. */
export function writeEdgeTrust(dir: string, trust: EdgeTrustFiles): void {
  const edgeDir = join(dir, 'edge');
  mkdirSync(edgeDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(edgeDir, 'ca-bundle.pem'), trust.caBundlePem);
  for (const f of readdirSync(edgeDir).filter(isCrlFile)) rmSync(join(edgeDir, f));
  trust.crlPems.forEach((pem, i) => writeFileSync(join(edgeDir, `crl-${i}.pem`), pem));
}

function fail(io: SandboxCliIo, code: string, message: string): { exitCode: number } {
  io.stdout(`${JSON.stringify({ error: { code, message } })}\n`);
  return { exitCode: 1 };
}

/** Starts the sandbox; the caller keeps it running and stops it (e.g. on SIGINT). */
export async function sandboxStart(argv: readonly string[], io: SandboxCliIo): Promise<{ sandbox?: Sandbox; exitCode: number }> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean' },
        dir: { type: 'string' },
        port: { type: 'string' },
        domain: { type: 'string' },
        'ca-bundle': { type: 'string' },
        crl: { type: 'string', multiple: true },
        'edge-port': { type: 'string' },
        'allow-self-signed': { type: 'boolean' },
        'token-type': { type: 'string' },
        'rate-limit': { type: 'string' },
        'fail-5xx-share': { type: 'string' },
        'fail-429-share': { type: 'string' },
        'latency-ms': { type: 'string' },
        'reset-share': { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(io, 'BAD_ARGUMENTS', `${(error as Error).message}\n${SANDBOX_START_USAGE}`);
  }
  if (values.help) {
    io.stdout(SANDBOX_START_USAGE);
    return { exitCode: 0 };
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const tokenType = values['token-type'] ?? 'Bearer';
  if (tokenType !== 'Bearer' && tokenType !== 'DPoP') return fail(io, 'BAD_ARGUMENTS', '--token-type must be Bearer or DPoP');
  const dir = sandboxDir(values.dir, io.env);
  const edgeDir = join(dir, 'edge');

  try {
    if (values['ca-bundle']) {
      writeEdgeTrust(dir, {
        caBundlePem: readFileSync(values['ca-bundle'], 'utf8'),
        crlPems: (values.crl ?? []).map((file) => readFileSync(file, 'utf8')),
      });
    } else if (io.edgeTrust) {
      writeEdgeTrust(dir, io.edgeTrust);
    }
    let edge: EdgeOptions | undefined;
    if (existsSync(join(edgeDir, 'ca-bundle.pem'))) {
      const crlPem = readdirSync(edgeDir)
        .filter(isCrlFile)
        .map((n) => readFileSync(join(edgeDir, n), 'utf8'));
      edge = {
        caBundlePem: readFileSync(join(edgeDir, 'ca-bundle.pem'), 'utf8'),
        crlPem: crlPem.length > 0 ? crlPem : undefined,
        port: num(values['edge-port']),
        allowSelfSigned: values['allow-self-signed'],
      };
    }
    const faults: Partial<FaultConfig> = {
      tokenType,
      rateLimitPerSecond: num(values['rate-limit']),
      fail5xxShare: num(values['fail-5xx-share']),
      fail429Share: num(values['fail-429-share']),
      latencyMs: num(values['latency-ms']),
      resetShare: num(values['reset-share']),
      seed: num(values.seed),
    };
    // A new sandbox comes with a demo application and API, so every flow can be tried at once.
    const sandbox = await startSandbox({ dir, port: num(values.port), domain: values.domain, faults, edge, demo: true });
    io.stdout(
      `${JSON.stringify({
        url: sandbox.url,
        domain: sandbox.domain,
        edgeUrl: sandbox.edgeUrl ?? null,
        edgeServerCaPem: sandbox.edgeServerCaPem ?? null,
        managementClient: sandbox.managementClient ?? null,
        dir,
      })}\n`,
    );
    return { sandbox, exitCode: 0 };
  } catch (error) {
    return fail(io, 'SANDBOX_START_FAILED', `The sandbox did not start (state folder ${dir}): ${(error as Error).message}`);
  }
}
