/**
 * A real workload in its own Node process (workload-client.mjs): a token every 200 ms through the
 * edge, its certificate and key read from the delivery target on every new TLS connection, and
 * every attempt logged as a JSON line that the test reads back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { onTestFinished } from 'vitest';
import { tempDir } from './temp.ts';

const script = fileURLToPath(new URL('./workload-client.mjs', import.meta.url));

export interface WorkloadAttempt {
  /** When the attempt began (ms since the epoch). */
  at: number;
  /** The serial of the certificate presented (hex, as Node's X509Certificate gives it), null if none could be read. */
  serial: string | null;
  status: number | null;
  ok: boolean;
  error?: string;
}

export interface WorkloadOptions {
  mode: 'folder' | 'csr-inbox';
  /** The folder target's folder, or the csr inbox. */
  dir: string;
  /** Where the edge listens; the token URL's name goes in SNI and Host. */
  connect: { host: string; port: number };
  tokenUrl: string;
  caPem: string;
  clientId: string;
  audience: string;
  /** csr-inbox only: the pair the workload starts with, its own folder, and the subject of its CSRs. */
  initialCert?: string;
  initialKey?: string;
  ownDir?: string;
  subject?: string;
}

export interface Workload {
  attempts(): WorkloadAttempt[];
  /**
   * Resolves once `predicate` holds for the attempts logged so far (polled; bounded by `tries`).
   * Throws at once when an attempt failed: every run asserts there are none, so waiting on is moot.
   */
  until(predicate: (attempts: WorkloadAttempt[]) => boolean, what: string, tries?: number): Promise<WorkloadAttempt[]>;
  /** Writes to the workload's stdin (csr-inbox mode: "csr" makes it drop a new request). */
  tell(word: string): void;
  stop(): Promise<WorkloadAttempt[]>;
}

export function startWorkload(options: WorkloadOptions): Workload {
  const log = join(tempDir('certdesk-workload-'), 'attempts.jsonl');
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify({ ...options, log })], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    return attempts();
  };
  onTestFinished(async () => {
    await stop();
  });
  const attempts = (): WorkloadAttempt[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as WorkloadAttempt)
      : [];
  return {
    attempts,
    async until(predicate, what, tries = 600) {
      for (let i = 0; i < tries; i++) {
        if (child.exitCode !== null) throw new Error(`the workload exited (${child.exitCode}) while waiting for ${what}:\n${stderr}`);
        const seen = attempts();
        const failed = failures(seen);
        if (failed.length > 0) throw new Error(`the workload failed while waiting for ${what}:\n${failed.slice(0, 5).join('\n')}`);
        if (predicate(seen)) return seen;
        await sleep(100);
      }
      throw new Error(`the workload did not reach ${what}; last attempts: ${JSON.stringify(attempts().slice(-3))}\n${stderr}`);
    },
    tell: (word) => void child.stdin!.write(`${word}\n`),
    stop,
  };
}

/** The attempts that did not get a token, as readable lines for an assertion message. */
export function failures(attempts: WorkloadAttempt[]): string[] {
  return attempts.filter((a) => !a.ok).map((a) => `${new Date(a.at).toISOString()} serial ${a.serial}: ${a.status ?? a.error}`);
}
