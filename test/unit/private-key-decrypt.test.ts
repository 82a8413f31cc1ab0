/**
 * An encrypted key import decrypts in a worker thread: the main thread keeps running while the
 * most expensive key derivation certdesk accepts (2,000,000 PBKDF2 rounds) runs, and the cost cap
 * still refuses a greedy file before any worker starts. Nothing here measures time: the proof is a
 * count of main-thread callbacks that ran while the import was in flight.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_PBKDF2_ITERATIONS } from '../../src/main/core/pki/kdf-cost.ts';
import { decryptWorkerPath, parsePrivateKeyOffThread, type DecryptOptions } from '../../src/main/core/pki/private-key-decrypt.ts';
import { parsePrivateKey } from '../../src/main/core/pki/private-key-formats.ts';
import { openssl } from '../support/openssl.ts';

const PASS = 'correct horse battery staple';

let dir: string;
let plain: Uint8Array;
let maxCost: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-decrypt-'));
  const make = (args: string[]) => {
    const r = openssl(args);
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.output}`);
  };
  make(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'key.pem')]);
  const iterations = String(MAX_IMPORT_PBKDF2_ITERATIONS);
  make([
    'pkcs8',
    '-topk8',
    '-v2',
    'aes-256-cbc',
    '-iter',
    iterations,
    '-in',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'max.pem'),
    '-passout',
    `pass:${PASS}`,
  ]);
  plain = parsePrivateKey(readFileSync(join(dir, 'key.pem'), 'utf8')).pkcs8;
  maxCost = readFileSync(join(dir, 'max.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the real worker and notes that it did. */
function watchedWorkers(): { started: string[]; options: DecryptOptions } {
  const started: string[] = [];
  return {
    started,
    options: {
      startWorker: (path, job) => {
        started.push(path);
        return new Worker(path, { workerData: job });
      },
    },
  };
}

/** Counts setImmediate callbacks on this (the main) thread until `work` settles. */
async function ticksWhile<T>(work: () => Promise<T> | T): Promise<{ ticks: number; result: T }> {
  let ticks = 0;
  let done = false;
  const spin = () => {
    ticks++;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  try {
    const result = await work();
    return { ticks, result };
  } finally {
    done = true;
  }
}

function withPbkdf2Rounds(pem: string, rounds: number): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const root = asn1js.fromBER(der).result as asn1js.Sequence;
  const algorithm = root.valueBlock.value[0] as asn1js.Sequence;
  const kdf = (algorithm.valueBlock.value[1] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  (kdf.valueBlock.value[1] as asn1js.Sequence).valueBlock.value[1] = new asn1js.Integer({ value: rounds });
  const body = Buffer.from(root.toBER()).toString('base64');
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
}

describe('encrypted key import off the main thread', () => {
  it('the worker loads from the TypeScript sources here', () => {
    expect(decryptWorkerPath()).toMatch(/key-decrypt-worker\.ts$/);
    expect(existsSync(decryptWorkerPath())).toBe(true);
  });

  it('while a max-cost key (2,000,000 PBKDF2 rounds) decrypts, main-thread callbacks keep running', async () => {
    const { started, options } = watchedWorkers();
    const { ticks, result } = await ticksWhile(() => parsePrivateKeyOffThread(maxCost, PASS, options));
    expect(started).toHaveLength(1);
    expect(ticks).toBeGreaterThan(0);
    expect(result.keyType).toBe('ec-p256');
    expect(Buffer.from(result.pkcs8).equals(Buffer.from(plain))).toBe(true);
    // The same decryption on the main thread lets no callback through: what the count above tells apart.
    expect((await ticksWhile(() => parsePrivateKey(maxCost, PASS))).ticks).toBe(0);
  });

  it('refuses a key that asks for more than the cap, or gives no passphrase, before any worker starts', async () => {
    const { started, options } = watchedWorkers();
    await expect(parsePrivateKeyOffThread(withPbkdf2Rounds(maxCost, 2 ** 31 - 1), PASS, options)).rejects.toMatchObject({
      code: 'PEM_INVALID',
      field: 'key',
      message: expect.stringMatching(/2,147,483,647 PBKDF2 rounds/),
    });
    await expect(
      parsePrivateKeyOffThread(withPbkdf2Rounds(maxCost, MAX_IMPORT_PBKDF2_ITERATIONS + 1), PASS, options),
    ).rejects.toMatchObject({
      code: 'PEM_INVALID',
    });
    await expect(parsePrivateKeyOffThread(maxCost, undefined, options)).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'keyPassphrase',
    });
    await expect(parsePrivateKeyOffThread(maxCost.slice(0, 200), PASS, options)).rejects.toMatchObject({ code: 'PEM_INVALID' });
    expect(started).toEqual([]);
  });

  it('reports a wrong passphrase as on the main thread, and decodes a plain key without a worker', async () => {
    const { started, options } = watchedWorkers();
    const cheap = withPbkdf2Rounds(maxCost, 2048);
    await expect(parsePrivateKeyOffThread(cheap, 'not the passphrase', options)).rejects.toMatchObject({
      code: 'PASSPHRASE_WRONG',
      field: 'keyPassphrase',
    });
    expect(started).toHaveLength(1);
    const parsed = await parsePrivateKeyOffThread(readFileSync(join(dir, 'key.pem'), 'utf8'), undefined, options);
    expect(Buffer.from(parsed.pkcs8).equals(Buffer.from(plain))).toBe(true);
    expect(started).toHaveLength(1);
  });

  it('a worker that fails is not blamed on the passphrase', async () => {
    const crashing: DecryptOptions = { startWorker: () => new Worker('throw new Error("worker crashed")', { eval: true }) };
    const error = await parsePrivateKeyOffThread(maxCost, PASS, crashing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('worker crashed');
    expect((error as { code?: string }).code).not.toBe('PASSPHRASE_WRONG');
  });
});
