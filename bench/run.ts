/**
 * `npm run bench`: throughput of certdesk's paths as ratios against a baseline measured in the same
 * run, on the same machine, so the figures compare across machines. Not part of `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { CertdeskService } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { seal } from '../src/main/core/secrets/sealing.ts';
import { fillInventory } from './inventory-fill.ts';
import { logIngestBench } from './log-ingest-bench.ts';
import { rotationBench } from './rotation-bench.ts';
import { deliveryBench } from './delivery-bench.ts';
import { closeIssuanceBench, issuanceBench } from './issuance-bench.ts';
import { browserBench } from './browser-bench.ts';
import { benchSections, jsonTarget, opsRow, printRows, writeRowsJson, type Row } from './report.ts';
import { bulkBench } from './bulk-bench.ts';
import { stallBench } from './stall-bench.ts';
import { bundleBench } from './bundle-bench.ts';
import { keygenBench } from './keygen-bench.ts';
import { memoryBench } from './memory-bench.ts';

/**
 * Calls per second of `run` in steady state: over at least `minMs`, after `warmMs` of calls that are not
 * counted. V8 compiles a long path over its first calls (a managed issuance ran at 2–3 ms for its first
 * second here, 1.2–1.5 ms after), and a count that starts too early measures the compiler more than the
 * path. Every row, its baseline too, gets the same warm-up.
 */
async function rate(run: () => Promise<unknown> | unknown, minMs = 1500, warmMs = 1500): Promise<number> {
  const warmStart = performance.now();
  do await run();
  while (performance.now() - warmStart < warmMs);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await run();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const jsonFile = jsonTarget(process.argv.slice(2));
/** `--only crypto,rotation` runs those sections alone (a quick look at a few rows); without it, every one runs. */
const want = benchSections(process.argv.slice(2));
const rows: Row[] = [];
/** Correctness counts (failures, duplicates, wrong states, verification failures): any non-zero one fails the bench. */
const mustBeZero: Record<string, number> = {};
// Baseline 1: raw WebCrypto P-256 keygen + one ECDSA signature (the irreducible crypto of a CA), for several sections.
const rawKeygenSign =
  want('crypto') || want('issuance')
    ? await rate(async () => {
        const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
        await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new Uint8Array(300));
        await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
      })
    : NaN;
if (want('crypto') || want('issuance')) rows.push(opsRow('raw WebCrypto P-256 keygen + sign + export', rawKeygenSign));

if (want('crypto')) {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli' });
  let i = 0;
  await service.createAuthority({ name: 'Bench Root' });
  const createIssuing = await rate(() => service.createAuthority({ name: `Bench Issuing ${i++}`, parent: 'Bench Root' }));
  rows.push(
    opsRow('ca:create issuing P-256 (keygen, sign, seal, insert)', createIssuing, { name: 'raw keygen + sign', value: rawKeygenSign }),
  );

  // Baseline 2: raw AES-256-GCM of a PKCS#8-sized buffer, against certdesk's seal().
  const key = webcrypto.getRandomValues(new Uint8Array(32));
  const pkcs8 = webcrypto.getRandomValues(new Uint8Array(138));
  const { createCipheriv, randomBytes } = await import('node:crypto');
  const rawGcm = await rate(() => {
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    c.update(pkcs8);
    c.final();
    return c.getAuthTag();
  }, 800);
  const sealRate = await rate(() => seal(key, pkcs8, 'key_bench'), 800);
  rows.push(opsRow('raw AES-256-GCM (138-byte PKCS#8)', rawGcm));
  rows.push(opsRow('seal() a P-256 PKCS#8', sealRate, { name: 'raw AES-256-GCM', value: rawGcm }));

  // ca:list over the authorities just created, against a bare SELECT of the same rows.
  const count = service.listAuthorities().length;
  const rawSelect = await rate(() => service.db.prepare('SELECT * FROM authorities').all(), 800);
  const list = await rate(() => service.listAuthorities(), 800);
  rows.push(opsRow(`raw SELECT of ${count} authority rows`, rawSelect));
  rows.push(opsRow(`ca:list (${count} CAs, decoded views cached per process)`, list, { name: 'raw SELECT', value: rawSelect }));

  service.close();
  rmSync(dir, { recursive: true, force: true });
}

if (want('issuance')) {
  // ── Leaf issuance (issue 3; fast path, issue 14), each against its own irreducible crypto. ──
  const issuance = await issuanceBench(rate, rawKeygenSign);
  const leaves = issuance.service;
  rows.push(
    opsRow('certs:issue managed P-256 (keygen, sign, seal, insert, detail)', issuance.issueManaged, {
      name: 'raw keygen + sign',
      value: rawKeygenSign,
    }),
  );
  rows.push(opsRow("raw WebCrypto verify of the CSR's signature + one P-256 sign", issuance.rawVerifySign));
  rows.push(
    opsRow('certs:issue from a CSR (parse, verify, sign, insert, detail)', issuance.signCsr, {
      name: 'raw verify + sign',
      value: issuance.rawVerifySign,
    }),
  );

  // ── A 100,000-certificate inventory: one page of a search, against a bare indexed page read. ──
  const existing = (leaves.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n;
  const fillStart = performance.now();
  fillInventory(leaves.db, 100_000);
  const fillMs = performance.now() - fillStart;
  const total = (leaves.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n;
  const rawPage = await rate(
    () => leaves.db.prepare('SELECT id, common_name, not_after FROM certificates ORDER BY not_after LIMIT 200').all(),
    800,
  );
  rows.push(opsRow(`raw indexed page of 200 from ${total} rows`, rawPage));
  const page = await rate(() => leaves.listCertificates({ limit: 200 }), 800);
  rows.push(opsRow(`certs:list first page of 200 (${total} certs, with total)`, page, { name: 'raw page', value: rawPage }));
  const searched = await rate(() => leaves.listCertificates({ search: 'client-9999', limit: 200 }), 800);
  rows.push(opsRow(`certs:list search "client-9999" (${total} certs)`, searched, { name: 'raw page', value: rawPage }));
  const expiring = await rate(() => leaves.listCertificates({ expiringWithinDays: 30, status: 'active', limit: 200 }), 800);
  rows.push(opsRow(`certs:list active expiring within 30 days (${total} certs)`, expiring, { name: 'raw page', value: rawPage }));
  console.log(`(filled ${total - existing} synthetic inventory rows in ${Math.round(fillMs)} ms)`);

  await closeIssuanceBench(issuance);
}

if (want('bulk')) {
  // ── Bulk issue in one transaction, and the audit checkpoint's cost (issue 14). ──
  const bulk = await bulkBench();
  rows.push(...bulk.rows);
  Object.assign(mustBeZero, bulk.wrong);
}

// ── Bulk issue with the keys made inline, against the keygen pool's workers (issue 14). ──
if (want('keygen')) {
  const keygen = await keygenBench();
  rows.push(...keygen.rows);
  Object.assign(mustBeZero, keygen.wrong);
}

if (want('stall')) {
  // ── The host thread's longest stall, service in the host thread (baseline) and in a worker (issue 14). ──
  const stalls = await stallBench();
  rows.push(...stalls.rows);
  Object.assign(mustBeZero, stalls.wrong);
}

if (want('delivery')) {
  // ── Delivery to a folder target (issue 11), against a bare write of the same files. ──
  const delivery = await deliveryBench(rate);
  rows.push(opsRow(`bare write of a release's ${delivery.files} files (no fsync, no swap)`, delivery.bareRate));
  rows.push(
    opsRow('certs:deliver to a folder target (unseal, build, write + fsync, swap current, prune, record)', delivery.deliveryRate, {
      name: 'bare write',
      value: delivery.bareRate,
    }),
  );
}

if (want('ingest')) {
  // ── Edge access log ingestion (issue 11), against a bare JSON-lines parse of the same file. ──
  const ingest = await logIngestBench();
  rows.push(opsRow(`raw JSON-lines parse (${ingest.lines} lines, ${(ingest.bytes / 1e6).toFixed(1)} MB)`, ingest.rawLinesPerSec));
  rows.push(
    opsRow('edge access log ingestion (read by offset, check, match, tally, store), lines', ingest.ingestLinesPerSec, {
      name: 'raw JSON-lines parse',
      value: ingest.rawLinesPerSec,
    }),
  );
  if (ingest.ingestLinesPerSec / ingest.rawLinesPerSec < 0.5)
    console.error(
      `log ingestion is below its goal: ${(ingest.ingestLinesPerSec / ingest.rawLinesPerSec).toFixed(2)} of a bare parse (goal ≥ 0.5)`,
    );
}

if (want('rotation')) {
  // ── Bulk rotation (issue 5) against the sandbox at a rate limit, with injected 429 and 5xx answers. ──
  const rotation = await rotationBench();
  rows.push(
    opsRow(
      `rotate ${rotation.bindings} bindings at ${rotation.rate} req/s, ${rotation.callsPerRotation} calls per rotation, ${rotation.seconds.toFixed(1)} s (lower bound ${rotation.lowerBoundSeconds.toFixed(1)} s)`,
      rotation.bindings / rotation.seconds,
      { name: 'calls / R', value: rotation.bindings / rotation.lowerBoundSeconds },
    ),
  );
  console.log(
    `(bulk rotation: ${rotation.seconds.toFixed(1)} s for ${rotation.bindings} bindings, lower bound ${rotation.lowerBoundSeconds.toFixed(1)} s = ${rotation.callsPerRotation} Management calls needed per rotation × ${rotation.bindings} / ${rotation.rate} per s; ${rotation.managementCalls} succeeded in the run (${rotation.managementCalls - rotation.callsPerRotation * rotation.bindings} look-agains after faults); ` +
      `the writes alone (${rotation.mutations}) would take ${(rotation.mutations / rotation.rate).toFixed(1)} s; ${rotation.injected429} injected 429 and ${rotation.injected5xx} 5xx answers absorbed; rate-limit overruns ${rotation.overruns}; ${rotation.cpuSeconds.toFixed(1)} CPU s of certdesk in the run, ${rotation.sandboxCpuSeconds.toFixed(1)} of the emulated tenant in its own thread; failures ${rotation.failures}, duplicate creates ${rotation.duplicateCreates}, duplicate deletes ${rotation.duplicateDeletes}, wrong final state ${rotation.wrongFinalState})`,
  );
  // The issue's terms: failures and duplicates must be zero (and pacing must not overrun the limit).
  Object.assign(mustBeZero, {
    'rotation failures': rotation.failures,
    'rotation duplicate creates': rotation.duplicateCreates,
    'rotation duplicate deletes': rotation.duplicateDeletes,
    'rotation wrong final state': rotation.wrongFinalState,
    'rotation rate-limit overruns': rotation.overruns,
  });
}

const nonZero = Object.entries(mustBeZero).filter(([, n]) => n !== 0);
if (nonZero.length > 0) {
  console.error(`the bench FAILED its correctness terms: ${nonZero.map(([name, n]) => `${name} ${n}`).join(', ')}`);
  process.exitCode = 1;
}

// ── The renderer's first page, minified and gzip, against the whole renderer (issue 14). ──
if (want('bundle')) rows.push(...(await bundleBench()));

if (want('browser')) {
  // ── The renderer in Chromium against web mode, 100,000 certificates (issue 14). ──
  rows.push(...(await browserBench()));
}

// ── Peak RSS of the service and of the host apart, 100,000 certificates open in Chromium (issue 14). ──
if (want('memory')) rows.push(...(await memoryBench()));

const memory = process.memoryUsage();
console.log(`certdesk bench, node ${process.version}, ${new Date().toISOString()}`);
printRows(rows);
if (jsonFile) writeRowsJson(jsonFile, rows, { correctness: mustBeZero, exitCode: process.exitCode ?? 0 });
console.log(`rss ${(memory.rss / 1048576).toFixed(1)} MiB, heap used ${(memory.heapUsed / 1048576).toFixed(1)} MiB`);
