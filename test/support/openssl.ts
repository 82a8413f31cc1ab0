import { spawnSync } from 'node:child_process';

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
