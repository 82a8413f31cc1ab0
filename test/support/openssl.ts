import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface OpensslResult {
  status: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** Runs openssl, the independent verifier of everything certdesk makes. */
export function openssl(args: string[], input?: string | Uint8Array): OpensslResult {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}

/** `openssl req -x509` with a new P-256 key written to `keyPath`; `args` give the subject, validity and extensions. */
export function opensslSelfSigned(keyPath: string, args: string[]): OpensslResult {
  return openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, ...args]);
}

/**
 * A self-signed P-256 server certificate for a test edge (its TLS is not what the tests are about):
 * `server.pem` and `server.key` in `dir`, for `host` and any further DNS names.
 */
export function selfSignedServer(
  dir: string,
  host: string,
  moreNames: readonly string[] = [],
): { certPath: string; keyPath: string; pem: string } {
  const certPath = join(dir, 'server.pem');
  const keyPath = join(dir, 'server.key');
  const sans = [host, ...moreNames].map((name) => `DNS:${name}`).join(',');
  const made = opensslSelfSigned(keyPath, ['-out', certPath, '-days', '2', '-subj', `/CN=${host}`, '-addext', `subjectAltName=${sans}`]);
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.output}`);
  return { certPath, keyPath, pem: openssl(['x509', '-in', certPath]).stdout };
}
