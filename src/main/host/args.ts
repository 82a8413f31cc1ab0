import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths.ts';

export interface HostArgs {
  dataDir: string;
  port: number;
  staticDir: string | undefined;
}

/** Arguments shared by the web host and the Electron app: `--data-dir DIR`, `--port N`, `--static DIR`. */
export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, static: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const port = Number(values.port ?? env.CERTDESK_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number (0 picks a free one), not "${String(values.port)}"`);
  return {
    dataDir: resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined, env),
    port,
    staticDir: typeof values.static === 'string' ? values.static : undefined,
  };
}
