// The async parsePrivateKey for imports: every check runs here first, on the main thread (size,
// structure, the key-derivation cost cap), and only then does the decryption, with up to 2,000,000
// PBKDF2 rounds or 256 MiB of scrypt, run in a worker thread. The main process keeps answering
// the window, the web host and the timers meanwhile.
import { createPrivateKey } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { bufferView } from './pem.ts';
import { coreWorkerPath } from './worker-path.ts';
import type { DecryptAnswer } from './key-decrypt-worker.ts';
import { decodeWith, parsedKey, readPrivateKey, type DecryptJob, type ParsedPrivateKey } from './private-key-formats.ts';

/** Where the decryption worker's file is (see coreWorkerPath). */
export const decryptWorkerPath = (): string => coreWorkerPath('key-decrypt-worker');

export interface DecryptOptions {
  /** Starts the worker; tests wrap it to see whether one was started at all. */
  startWorker?: (path: string, job: DecryptJob) => Worker;
}

const startWorker = (path: string, job: DecryptJob) => new Worker(path, { workerData: job });

/** The worker's answer; rejects only when the worker itself failed (which is not the passphrase's fault). */
function decryptInWorker(job: DecryptJob, start: NonNullable<DecryptOptions['startWorker']>): Promise<DecryptAnswer> {
  return new Promise((resolve, reject) => {
    const worker = start(decryptWorkerPath(), job);
    let settled = false;
    worker.once('message', (answer: DecryptAnswer) => {
      settled = true;
      resolve(answer);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the key-decryption worker stopped (exit code ${code}) without an answer`));
    });
  });
}

/** parsePrivateKey with the decryption of an encrypted key off the main thread; same checks, same errors. */
export async function parsePrivateKeyOffThread(
  input: string | Uint8Array,
  passphrase?: string,
  options: DecryptOptions = {},
): Promise<ParsedPrivateKey> {
  const read = readPrivateKey(input, passphrase);
  if (!('passphrase' in read)) return parsedKey(read);
  const answer = await decryptInWorker(read, options.startWorker ?? startWorker);
  // OpenSSL's failure travels as its code, so decodeWith words it exactly as on the main thread.
  const key = decodeWith(() => {
    if (!answer.ok) throw Object.assign(new Error(answer.message), { code: answer.code });
    return createPrivateKey({ key: bufferView(answer.pkcs8), format: 'der', type: 'pkcs8' });
  }, true);
  if (answer.ok) answer.pkcs8.fill(0);
  return parsedKey(key);
}
