/**
 * A real nginx edge for a certdesk data folder: a self-signed TLS server certificate (the edge's own,
 * never certdesk's), an origin that answers 200, the cname-api-key include, and a `nginx` wrapper first
 * on PATH so that the `nginx` reload preset reaches this nginx (its signals read the compiled-in prefix).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { delimiter, join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { freePort, startNginx, type RunningNginx } from './nginx.ts';
import { selfSignedServer } from './openssl.ts';
import { tlsPost } from './tls-post.ts';
import { tempDir } from './temp.ts';

export const EDGE_HOST = 'auth.example.test';

export interface EdgeRig {
  work: string;
  port: number;
  settings: EdgeSettings;
  /** The edge's TLS certificate, for the client to trust. */
  serverPem: string;
  /** Starts nginx on the bundle's server block (publish once first) and puts its wrapper on PATH. */
  start(): Promise<RunningNginx>;
  /** A token request through the edge, presenting this client certificate (PEM, with its chain) and key. */
  token(client: { cert: string; key: string }): ReturnType<typeof tlsPost>;
}

export async function edgeRig(): Promise<EdgeRig> {
  const work = tempDir();
  const origin = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => origin.close(() => resolve())));
  selfSignedServer(work, EDGE_HOST);
  mkdirSync(join(work, 'secret'), { mode: 0o700 });
  writeFileSync(join(work, 'secret', 'cname-api-key.conf'), 'proxy_set_header cname-api-key "rig-cname-key";\n');
  const port = await freePort();
  const settings: EdgeSettings = {
    serverName: EDGE_HOST,
    listen: `127.0.0.1:${port}`,
    serverCertificatePath: join(work, 'server.pem'),
    serverKeyPath: join(work, 'server.key'),
    upstream: `http://127.0.0.1:${(origin.address() as { port: number }).port}`,
    cnameApiKeyInclude: join(work, 'secret', 'cname-api-key.conf'),
    bundleDir: join(work, 'bundle'),
  };
  const start = async () => {
    const prefix = join(work, 'nginx');
    const nginx = await startNginx(prefix, join(settings.bundleDir, 'certdesk-edge.conf'), port);
    onTestFinished(() => nginx.stop());
    const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
    if (!found) throw new Error('nginx is not installed');
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'nginx'), `#!/bin/sh\nexec '${found}' -p '${prefix}' -c '${nginx.conf}' "$@"\n`, { mode: 0o755 });
    const before = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
    onTestFinished(() => {
      process.env.PATH = before;
    });
    return nginx;
  };
  const serverPem = readFileSync(join(work, 'server.pem'), 'utf8');
  const token = (client: { cert: string; key: string }) =>
    tlsPost({
      host: '127.0.0.1',
      port,
      path: '/oauth/token',
      servername: EDGE_HOST,
      ca: serverPem,
      cert: client.cert,
      key: client.key,
      form: { grant_type: 'client_credentials' },
    });
  return { work, port, settings, serverPem, start, token };
}
