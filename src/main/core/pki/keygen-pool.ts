/**
 * Key generation for issuance (issue 14): a small pool of worker threads where the machine has cores
 * to spare (one less than it has, at most MAX_WORKERS), inline where it has one. A worker answers
 * with the PKCS#8 and the SPKI only: sealing stays with the vault on the service's thread, so a
 * pooled key is sealed exactly as an inline one. A worker that fails or stops fails the keys it
 * owed with KEYGEN_FAILED; the next key starts a fresh worker.
 */
import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyType } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { keySpec } from './key-types.ts';
import type { KeygenAnswer, KeygenJob } from './keygen-worker.ts';
import { exportPkcs8, generateKeyPair } from './keys.ts';
import type { Crypto, EcKeyGenParams } from './webcrypto.ts';
import { defaultCrypto } from './x509.ts';
import { coreWorkerPath } from './worker-path.ts';

/** Enough to keep RSA keygen off the service's thread; more threads than that only compete for the same cores. */
export const MAX_WORKERS = 4;
/**
 * The key types worth a trip to a worker: an RSA key takes tens of milliseconds of prime search; an
 * EC key well under one, about what the round trip costs, so EC stays inline (the bench's keygen rows measure both).
 */
export const POOLED_KEY_TYPES: readonly KeyType[] = ['rsa-2048', 'rsa-3072', 'rsa-4096'];

export interface GeneratedKey {
  pkcs8: Uint8Array;
  spki: Uint8Array;
}

export interface KeygenOptions {
  /** Worker threads; by default one less than the cores (0 on one core: keys are made inline). */
  workers?: number;
  /** Starts a worker; tests wrap it to watch (or stop) the workers the pool starts. */
  startWorker?: (path: string) => Worker;
  /** Which key types go to the workers (default POOLED_KEY_TYPES); the others are made inline. */
  pooledTypes?: readonly KeyType[];
}

export const defaultKeygenWorkers = (cores = availableParallelism()): number => Math.min(MAX_WORKERS, Math.max(0, cores - 1));

interface Slot {
  worker: Worker;
  jobs: Map<number, { type: KeyType; resolve(key: GeneratedKey): void; reject(error: Error): void }>;
}

export class KeygenPool {
  readonly size: number;
  private readonly crypto: Crypto;
  private readonly startWorker: (path: string) => Worker;
  private readonly pooledTypes: ReadonlySet<KeyType>;
  private readonly slots: (Slot | undefined)[];
  private nextId = 0;
  private closing: Promise<void> | undefined;

  constructor(options: KeygenOptions = {}, crypto: Crypto = defaultCrypto) {
    this.size = Math.min(MAX_WORKERS, Math.max(0, Math.floor(options.workers ?? defaultKeygenWorkers())));
    this.crypto = crypto;
    this.startWorker = options.startWorker ?? ((path) => new Worker(path));
    this.pooledTypes = new Set(options.pooledTypes ?? POOLED_KEY_TYPES);
    this.slots = new Array<Slot | undefined>(this.size).fill(undefined);
  }

  /** A new key pair of `type`, exported: the caller seals `pkcs8` and zeroes it. */
  async generate(type: KeyType): Promise<GeneratedKey> {
    const spec = keySpec(type);
    if (this.closing) throw keygenFailed(type, 'the service is closing');
    if (this.size === 0 || !this.pooledTypes.has(type)) {
      if (spec.generate.name === 'ECDSA' && this.crypto === defaultCrypto) return generateEcNow(spec.generate as EcKeyGenParams);
      const pair = await generateKeyPair(type, this.crypto);
      const spki = new Uint8Array(await this.crypto.subtle.exportKey('spki', pair.publicKey));
      return { pkcs8: await exportPkcs8(pair.privateKey, this.crypto), spki };
    }
    const slot = this.leastBusy();
    const id = ++this.nextId;
    return new Promise<GeneratedKey>((resolve, reject) => {
      slot.jobs.set(id, { type, resolve, reject });
      // Busy workers hold the process open (a CLI issue must not exit before its key); idle ones do not.
      slot.worker.ref();
      slot.worker.postMessage({ id, algorithm: spec.generate } satisfies KeygenJob);
    });
  }

  /** Stops every worker; keys still owed fail with KEYGEN_FAILED. Resolves once each thread has exited. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.slots.map((slot) => slot?.worker.terminate())).then(() => {});
    return this.closing;
  }

  private leastBusy(): Slot {
    let best = 0;
    for (let k = 0; k < this.size; k++) {
      const slot = this.slots[k];
      if (!slot) return (this.slots[k] = this.start(k));
      if (slot.jobs.size < this.slots[best]!.jobs.size) best = k;
    }
    return this.slots[best]!;
  }

  private start(index: number): Slot {
    const slot: Slot = { worker: this.startWorker(coreWorkerPath('keygen-worker')), jobs: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (answer: KeygenAnswer) => {
      const job = slot.jobs.get(answer.id);
      if (!job) return;
      slot.jobs.delete(answer.id);
      if (slot.jobs.size === 0) slot.worker.unref();
      if (answer.ok) job.resolve({ pkcs8: new Uint8Array(answer.pkcs8), spki: new Uint8Array(answer.spki) });
      else job.reject(keygenFailed(job.type, answer.message));
    });
    const fail = (reason: string) => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      for (const job of slot.jobs.values()) job.reject(keygenFailed(job.type, reason));
      slot.jobs.clear();
    };
    slot.worker.on('error', (error) => fail(`its worker failed: ${error.message}`));
    slot.worker.on('exit', (code) => fail(this.closing ? 'the service is closing' : `its worker stopped (exit code ${code})`));
    return slot;
  }
}

/**
 * An EC key made on this thread in one node:crypto call: OpenSSL's keygen and both encodings, the same
 * PKCS#8 and SPKI DER WebCrypto exports (test/integration/keygen-pool.test.ts), without three trips through
 * the thread pool. A P-256 key takes about 90 µs this way, WebCrypto's generate and two exports about 200.
 */
function generateEcNow(params: EcKeyGenParams): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: params.namedCurve,
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return { pkcs8: new Uint8Array(privateKey.buffer, privateKey.byteOffset, privateKey.byteLength), spki: new Uint8Array(publicKey) };
}

function keygenFailed(type: KeyType, reason: string): CertdeskError {
  return new CertdeskError(
    'KEYGEN_FAILED',
    `Generating the ${keySpec(type).label} key failed: ${reason}. Nothing was written; issue the certificate again.`,
    { field: 'keyType' },
  );
}
