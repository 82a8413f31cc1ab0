// Worker entry: decrypts one encrypted private key (its PBKDF2 or scrypt runs here, not on the
// main thread) and answers with the PKCS#8 DER or OpenSSL's error code. It imports nothing of
// certdesk's: it is loaded from the TypeScript sources and, in the Electron build, as its own file.
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

interface Job {
  key: string | Uint8Array;
  format: 'pem' | 'der';
  type?: 'pkcs8';
  passphrase: string;
}

export type DecryptAnswer = { ok: true; pkcs8: Uint8Array } | { ok: false; code: string | undefined; message: string };

const job = workerData as Job;
let answer: DecryptAnswer;
try {
  const key = createPrivateKey({ ...job, key: typeof job.key === 'string' ? job.key : Buffer.from(job.key) });
  const der = key.export({ type: 'pkcs8', format: 'der' });
  answer = { ok: true, pkcs8: new Uint8Array(der) };
  der.fill(0); // the copy above is the one that travels
} catch (error) {
  const code = (error as { code?: unknown }).code;
  answer = {
    ok: false,
    code: typeof code === 'string' ? code : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}
// Transferred, not copied: the main thread's copy is then the only one, and it zeroes it.
parentPort?.postMessage(answer, answer.ok ? [answer.pkcs8.buffer as ArrayBuffer] : []);
