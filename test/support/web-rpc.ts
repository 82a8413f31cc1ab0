/** The real web host over HTTP, with its token, as the renderer (or anything holding the token) calls it. */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { createHandlers } from '../../src/main/host/dispatch.ts';
import { startWebHost } from '../../src/main/web/host.ts';
import { tempDir } from './temp.ts';

export interface RpcAnswer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; field?: string; message: string };
}

export async function webRpc(
  handlers: ReturnType<typeof createHandlers>,
): Promise<(channel: string, input: unknown) => Promise<RpcAnswer>> {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  const host = await startWebHost({ handlers, staticDir, log: () => {} });
  onTestFinished(() => host.close());
  return (channel, input) =>
    new Promise<RpcAnswer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: `/rpc/${encodeURIComponent(channel)}`,
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(JSON.parse(body) as RpcAnswer));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
}

type Db = { prepare(sql: string): { get(): unknown } };

/** Row counts of the tables a publication or an approval could touch. */
export function edgeCounts(db: Db): Record<string, number> {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    publications: count('edge_publications'),
    actions: count('edge_reload_actions'),
    config: count('edge_config'),
    audit: count('audit_log'),
  };
}
