/**
 * Key generation for issuance (issue 14): a small pool of worker threads where the machine has cores
 * to spare (one less than it has, at most MAX_WORKERS), inline where it has one. A worker answers
 * with the PKCS#8 and the SPKI only: sealing stays with the vault on the service's thread, so a
 * pooled key is sealed exactly as an inline one. A worker makes one key at a time; a caller's key that
 * finds every worker busy (another caller's key, a refill) is made inline, on libuv's pool, beside them. A
 * worker that fails or stops fails the keys it owed with KEYGEN_FAILED; the next key starts a fresh worker.
 *
 * Where there are workers, the pool also keeps a few keys of each type it was asked for made ahead
 * (RESERVE_DEPTH): an issuance takes a ready key instead of waiting for one, and the workers make the
 * next on a spare core. That takes the keygen off an issuance's path (an RSA-3072 key is a prime
 * search of a few hundred milliseconds). A reserve starts only once a key of that type was asked for
 * (a locked or idle service makes none), each key is handed out once, and close() zeroes what is left.
 */
import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { KeyType } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { keySpec } from './key-types.ts';
import type { KeygenAnswer, KeygenJob, KeygenSetup } from './keygen-worker.ts';
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

/**
 * How many keys of each type the pool keeps made ahead once one was asked for: enough EC keys to cover
 * a burst of issuances while a worker makes more (about 0.2 ms each), a couple of RSA keys (whose
 * prime search is what an operator would otherwise wait for). Unlisted types are never made ahead.
 */
export const RESERVE_DEPTH: Readonly<Partial<Record<KeyType, number>>> = {
  'ec-p256': 16,
  'ec-p384': 16,
  'rsa-2048': 2,
  'rsa-3072': 2,
  'rsa-4096': 1,
};

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
  /** How many keys of each type to keep made ahead (default RESERVE_DEPTH; `{}` keeps none). Only with workers. */
  reserve?: Readonly<Partial<Record<KeyType, number>>>;
}

/** Asks of a type that go without a refill after one failed: enough that a failing worker is not restarted for each. */
export const REFILL_PAUSE = 8;

export const defaultKeygenWorkers = (cores = availableParallelism()): number => Math.min(MAX_WORKERS, Math.max(0, cores - 1));

interface Job {
  type: KeyType;
  /** How many keys: one for a caller, a batch for a reserve (one message each way, not one per key). */
  count: number;
  /** A reserve's refill: nobody awaits it, so it neither holds the process open nor rejects to anyone. */
  background: boolean;
  /** A refill whose reserve was discarded (a vault lock) while it was being made: its keys are zeroed on arrival. */
  discarded?: boolean;
  resolve(keys: GeneratedKey[]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /**
   * Where the worker answers. Its own port, not the Worker's: receiveMessageOnPort reads it at once, so a key
   * made ahead is taken even by a caller that never yields to the event loop (a bulk issue runs in one call).
   */
  answers: MessagePort;
  jobs: Map<number, Job>;
  /** Jobs someone awaits: only these hold the process open (a reserve's refill never keeps a CLI from exiting). */
  awaited: number;
}

export class KeygenPool {
  readonly size: number;
  private readonly crypto: Crypto;
  private readonly startWorker: (path: string) => Worker;
  private readonly pooledTypes: ReadonlySet<KeyType>;
  private readonly slots: (Slot | undefined)[];
  private readonly depth: Readonly<Partial<Record<KeyType, number>>>;
  /** Keys made ahead, by type, each handed out once. */
  private readonly reserve = new Map<KeyType, GeneratedKey[]>();
  /** Keys of each type a worker is making for the reserve. */
  private readonly refilling = new Map<KeyType, number>();
  /** After a refill of a type fails, how many more asks of that type go without one (a worker that keeps failing is not restarted at every issuance). */
  private readonly refillPause = new Map<KeyType, number>();
  /** Keys handed out: made ahead, or made when asked (tests read it to tell the two apart). */
  readonly handedOut = { ahead: 0, now: 0 };
  private nextId = 0;
  private closing: Promise<void> | undefined;

  constructor(options: KeygenOptions = {}, crypto: Crypto = defaultCrypto) {
    this.size = Math.min(MAX_WORKERS, Math.max(0, Math.floor(options.workers ?? defaultKeygenWorkers())));
    this.crypto = crypto;
    this.startWorker = options.startWorker ?? ((path) => new Worker(path));
    this.pooledTypes = new Set(options.pooledTypes ?? POOLED_KEY_TYPES);
    this.slots = new Array<Slot | undefined>(this.size).fill(undefined);
    // Made ahead only where a worker can make them: never inline, and never with an injected crypto (tests').
    this.depth = this.size > 0 && crypto === defaultCrypto ? (options.reserve ?? RESERVE_DEPTH) : {};
  }

  /** How many keys of `type` are made and waiting, counting answers not yet read (tests and the bench read it). */
  reserved(type: KeyType): number {
    this.drain();
    return this.reserve.get(type)?.length ?? 0;
  }

  /** How many keys of `type` a worker is making for the reserve (tests read it). */
  refillsInFlight(type: KeyType): number {
    return this.refilling.get(type) ?? 0;
  }

  /**
   * A new key pair of `type`, exported: the caller seals `pkcs8` and zeroes it. A key made ahead if one
   * is ready, otherwise one made now; then the reserve is topped up behind this key, never ahead of it.
   */
  async generate(type: KeyType): Promise<GeneratedKey> {
    if (this.closing) throw keygenFailed(type, 'the service is closing');
    this.drain();
    const ready = this.reserve.get(type)?.shift();
    this.handedOut[ready ? 'ahead' : 'now'] += 1;
    const key = ready ?? this.makeNow(type);
    try {
      this.refill(type);
    } catch {
      // A refill that cannot start (no worker thread) only leaves the reserve short: this key is good.
      this.refillPause.set(type, REFILL_PAUSE);
    }
    return key;
  }

  /**
   * Zeroes and drops every key made ahead, and any still being made (their answers are zeroed on
   * arrival). The service calls it when the vault locks; the reserve fills again on the next issuance.
   */
  discardReserve(): void {
    this.drain();
    for (const keys of this.reserve.values()) for (const key of keys) key.pkcs8.fill(0);
    this.reserve.clear();
    for (const slot of this.slots)
      for (const job of slot?.jobs.values() ?? [])
        if (job.background && !job.discarded) {
          job.discarded = true;
          // No longer counted: the first issuance after the unlock asks for a fresh batch at once.
          this.refilling.set(job.type, (this.refilling.get(job.type) ?? 0) - job.count);
        }
  }

  /** Stops every worker and zeroes the keys made ahead; keys still owed fail with KEYGEN_FAILED. Resolves once each thread has exited. */
  close(): Promise<void> {
    if (!this.closing) {
      for (const keys of this.reserve.values()) for (const key of keys) key.pkcs8.fill(0);
      this.reserve.clear();
      this.closing = Promise.all(this.slots.map((slot) => slot?.worker.terminate())).then(() => {});
    }
    return this.closing;
  }

  private makeNow(type: KeyType): GeneratedKey | Promise<GeneratedKey> {
    const spec = keySpec(type);
    if (this.size > 0 && this.pooledTypes.has(type)) {
      // A worker makes one key at a time (keygen-worker.ts). A key that finds every worker busy (a bulk issue,
      // a refill under way) is made as inline keys are, on libuv's pool, beside the workers: queued behind
      // them, a bulk RSA issue on two cores made its keys on one. So is one no worker could start for.
      const slot = this.idleSlot();
      if (slot)
        return new Promise<GeneratedKey>((resolve, reject) =>
          this.post({ type, count: 1, background: false, resolve: (keys) => resolve(keys[0]!), reject }, slot),
        );
    }
    if (spec.generate.name === 'ECDSA' && this.crypto === defaultCrypto) return generateEcNow(spec.generate as EcKeyGenParams);
    return (async () => {
      const pair = await generateKeyPair(type, this.crypto);
      const spki = new Uint8Array(await this.crypto.subtle.exportKey('spki', pair.publicKey));
      return { pkcs8: await exportPkcs8(pair.privateKey, this.crypto), spki };
    })();
  }

  /**
   * Asks a worker for the keys `type`'s reserve lacks, counting those already on their way, once it lacks
   * half of them: one message for a batch, so the service's thread posts once per several issuances.
   */
  private refill(type: KeyType): void {
    const depth = this.depth[type] ?? 0;
    const want = depth - (this.reserve.get(type)?.length ?? 0) - (this.refilling.get(type) ?? 0);
    if (want <= 0 || want < Math.ceil(depth / 2)) return;
    const paused = this.refillPause.get(type) ?? 0;
    if (paused > 0) return void this.refillPause.set(type, paused - 1);
    const job: Job = {
      type,
      count: want,
      background: true,
      // Kept as the answer is read (no promise in between), so a drain makes them available at once.
      resolve: (made) => {
        this.refilling.set(type, this.refilling.get(type)! - want);
        let keys = this.reserve.get(type);
        if (!keys) this.reserve.set(type, (keys = []));
        keys.push(...made);
      },
      // A failed refill leaves the reserve short: the next asks make their keys as if there were none, then one asks again.
      reject: () => {
        if (job.discarded) return; // already uncounted by discardReserve, and not a failure
        this.refilling.set(type, this.refilling.get(type)! - want);
        this.refillPause.set(type, REFILL_PAUSE);
      },
    };
    this.post(job);
    this.refilling.set(type, (this.refilling.get(type) ?? 0) + want);
  }

  /** Sends `job` to `slot` (by default the least busy worker); throws, having registered nothing, if no worker can take it. */
  private post(job: Job, slot = this.leastBusy()): void {
    const id = ++this.nextId;
    slot.worker.postMessage({ id, algorithm: keySpec(job.type).generate, count: job.count } satisfies KeygenJob);
    slot.jobs.set(id, job);
    // Workers someone waits on hold the process open (a CLI issue must not exit before its key); idle ones,
    // and ones only filling the reserve, do not.
    if (!job.background && slot.awaited++ === 0) slot.worker.ref();
  }

  /** Reads every answer the workers have sent and not yet been read, without waiting for the event loop. */
  private drain(): void {
    for (const slot of this.slots) if (slot) this.drainSlot(slot);
  }

  private drainSlot(slot: Slot): void {
    for (let got = receiveMessageOnPort(slot.answers); got; got = receiveMessageOnPort(slot.answers))
      this.answered(slot, got.message as KeygenAnswer);
  }

  private answered(slot: Slot, answer: KeygenAnswer): void {
    const keys = answer.ok ? answer.keys.map((key) => ({ pkcs8: new Uint8Array(key.pkcs8), spki: new Uint8Array(key.spki) })) : [];
    const job = slot.jobs.get(answer.id);
    // Keys nobody will take (an unknown job, a closing pool, a reserve discarded meanwhile, a wrong count) are zeroed, never kept.
    const refuse = (reason: string) => {
      for (const key of keys) key.pkcs8.fill(0);
      job?.reject(keygenFailed(job.type, reason));
    };
    if (!job) return refuse('');
    slot.jobs.delete(answer.id);
    if (!job.background && --slot.awaited === 0) slot.worker.unref();
    if (!answer.ok) return refuse(answer.message);
    if (this.closing) return refuse('the service is closing');
    if (job.discarded) return refuse('the vault locked');
    if (keys.length !== job.count) return refuse(`its worker answered ${keys.length} keys for ${job.count}`);
    job.resolve(keys);
  }

  /** The least busy worker if it has nothing to do (starting one if need be); undefined if none is idle or none starts. */
  private idleSlot(): Slot | undefined {
    try {
      const slot = this.leastBusy();
      return slot.jobs.size === 0 ? slot : undefined;
    } catch {
      return undefined;
    }
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
    const worker = this.startWorker(coreWorkerPath('keygen-worker'));
    const { port1: answers, port2: replyTo } = new MessageChannel();
    worker.postMessage({ replyTo } satisfies KeygenSetup, [replyTo]);
    const slot: Slot = { worker, answers, jobs: new Map(), awaited: 0 };
    worker.unref();
    // The port never holds the process open itself: a worker with a key owed does (post).
    answers.on('message', (answer: KeygenAnswer) => this.answered(slot, answer));
    answers.unref();
    const fail = (reason: string) => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      // Answers already sent are still good keys; the rest fail.
      this.drainSlot(slot);
      answers.close();
      for (const job of slot.jobs.values()) job.reject(keygenFailed(job.type, reason));
      slot.jobs.clear();
      slot.awaited = 0;
    };
    worker.on('error', (error) => fail(`its worker failed: ${error.message}`));
    worker.on('exit', (code) => fail(this.closing ? 'the service is closing' : `its worker stopped (exit code ${code})`));
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
