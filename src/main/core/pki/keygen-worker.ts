// Worker entry of the keygen pool (keygen-pool.ts): generates key pairs and answers with the PKCS#8
// and SPKI DER, so the service's thread only seals and signs. It imports nothing of certdesk's: it is
// loaded from the TypeScript sources and, in the Electron build, as its own file.
//
// Each key is made synchronously, on this thread, never as a job on libuv's pool: Node 24 aborts the
// whole process (a failed CHECK in KeyGenJob::ToResult) when a worker's asynchronous keygen completes
// while the worker is being stopped, as at process exit. Measured with three workers making keys and
// process.exit() at a random moment: 11 aborts in 150 runs with WebCrypto's generateKey, 0 in 150 with
// generateKeyPairSync. A stop now waits for the key being made, then the thread ends.
import { generateKeyPairSync, type webcrypto } from 'node:crypto';
import { parentPort, type MessagePort } from 'node:worker_threads';

export interface KeygenJob {
  id: number;
  /** WebCrypto's generate parameters, as keySpec(type).generate gives them. */
  algorithm: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;
  /** How many key pairs, made one after another (one core's worth of work), answered together. */
  count: number;
}

/** The pool's first message: the port to answer on (a port the pool can read without waiting, keygen-pool.ts). */
export interface KeygenSetup {
  replyTo: MessagePort;
}

export type KeygenAnswer =
  { id: number; ok: true; keys: { pkcs8: ArrayBuffer; spki: ArrayBuffer }[] } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('keygen-worker.ts runs only as a worker thread (src/main/core/pki/keygen-pool.ts starts it).');

let replyTo: MessagePort | undefined;

port.on('message', (message: KeygenJob | KeygenSetup) => {
  if ('replyTo' in message) {
    replyTo = message.replyTo;
    return;
  }
  const job = message;
  const keys: { pkcs8: ArrayBuffer; spki: ArrayBuffer }[] = [];
  let answer: KeygenAnswer;
  try {
    for (let k = 0; k < job.count; k++) keys.push(generate(job.algorithm));
    answer = { id: job.id, ok: true, keys };
  } catch (error) {
    // The keys of a batch that failed part way are never sent: zeroed here.
    for (const key of keys) new Uint8Array(key.pkcs8).fill(0);
    answer = { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  // The exported bytes move to the service's thread (transferred, not copied); no key object outlives this call.
  // The pool names the port before the first job; without it, failing the worker fails the job (never a lost answer).
  if (!replyTo) throw new Error("a key was asked for before the pool's reply port arrived");
  replyTo.postMessage(answer, answer.ok ? answer.keys.flatMap((key) => [key.pkcs8, key.spki]) : []);
});

/** One key pair as WebCrypto's generate parameters describe it, in the DER WebCrypto's exportKey gives (keygen-pool.test.ts compares them). */
function generate(algorithm: KeygenJob['algorithm']): { pkcs8: ArrayBuffer; spki: ArrayBuffer } {
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const pair =
    'namedCurve' in algorithm
      ? generateKeyPairSync('ec', { namedCurve: algorithm.namedCurve, privateKeyEncoding, publicKeyEncoding })
      : generateKeyPairSync('rsa', {
          modulusLength: algorithm.modulusLength,
          publicExponent: exponent(algorithm.publicExponent),
          privateKeyEncoding,
          publicKeyEncoding,
        });
  const pkcs8 = own(pair.privateKey);
  pair.privateKey.fill(0);
  return { pkcs8, spki: own(pair.publicKey) };
}

/** WebCrypto's big-endian exponent bytes as a number (65537 for [1, 0, 1]). */
function exponent(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** A copy in an ArrayBuffer of its own, transferable without handing over a pooled slab. */
function own(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
