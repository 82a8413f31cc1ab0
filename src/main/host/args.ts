import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths.ts';

export interface HostArgs {
  dataDir: string;
  port: number;
  staticDir: string | undefined;
  /**
   * Where the service runs: `separate` (web mode's worker thread, Electron's utilityProcess) or `host`
   * (the host's own thread, as before issue 14). Unset: the host's default.
   */
  serviceThread: ServiceThread | undefined;
}

export type ServiceThread = 'host' | 'separate';

/** Arguments shared by the web host and the Electron app: `--data-dir DIR`, `--port N`, `--static DIR`, `--service-thread host|separate`. */
export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, static: { type: 'string' }, 'service-thread': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const port = Number(values.port ?? env.CERTDESK_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number (0 picks a free one), not "${String(values.port)}"`);
  const thread = values['service-thread'] ?? env.CERTDESK_SERVICE_THREAD;
  if (thread !== undefined && thread !== 'host' && thread !== 'separate')
    throw new Error(`--service-thread must be "host" or "separate" (CERTDESK_SERVICE_THREAD likewise), not "${String(thread)}"`);
  return {
    serviceThread: thread,
    dataDir: resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined, env),
    port,
    staticDir: typeof values.static === 'string' ? values.static : undefined,
  };
}
