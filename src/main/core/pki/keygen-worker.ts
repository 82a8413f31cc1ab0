// Worker entry of the keygen pool (keygen-pool.ts): generates key pairs with WebCrypto and answers
// with the PKCS#8 and SPKI DER, so the service's thread only seals and signs. It imports nothing of
// certdesk's: it is loaded from the TypeScript sources and, in the Electron build, as its own file.
import { webcrypto } from 'node:crypto';
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
  void (async (): Promise<KeygenAnswer> => {
    const keys: { pkcs8: ArrayBuffer; spki: ArrayBuffer }[] = [];
    try {
      for (let k = 0; k < job.count; k++) {
        const pair = (await webcrypto.subtle.generateKey(job.algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
        const [pkcs8, spki] = await Promise.all([
          webcrypto.subtle.exportKey('pkcs8', pair.privateKey),
          webcrypto.subtle.exportKey('spki', pair.publicKey),
        ]);
        keys.push({ pkcs8, spki });
      }
      return { id: job.id, ok: true, keys };
    } catch (error) {
      // The keys of a batch that failed part way are never sent: zeroed here.
      for (const key of keys) new Uint8Array(key.pkcs8).fill(0);
      return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  })().then((answer) => {
    // The exported bytes move to the service's thread (transferred, not copied). The CryptoKey objects they
    // came from stay in this thread's heap until its garbage collector takes them.
    // The pool names the port before the first job; without it, failing the worker fails the job (never a lost answer).
    if (!replyTo) throw new Error("a key was asked for before the pool's reply port arrived");
    replyTo.postMessage(answer, answer.ok ? answer.keys.flatMap((key) => [key.pkcs8, key.spki]) : []);
  });
});
