/**
 * Edge access log ingestion (issue 11): lines per second through certdesk's reader (read by offset,
 * parse, check the fields, match serial and issuer to the inventory, tally, store with the new
 * offset), against a bare JSON-lines parse (read the file, split, JSON.parse each line) of the same
 * file in the same run. The log: BENCH_LOG_LINES lines over 50 certificates, with unknown
 * certificates and requests without one mixed in, as nginx's certdesk_mtls format writes them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeUsage } from '../src/main/core/evidence/edge-usage.ts';
import { LocalLogSource } from '../src/main/core/evidence/log-source.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../src/main/core/service.ts';

export interface LogIngestResult {
  lines: number;
  bytes: number;
  rawLinesPerSec: number;
  ingestLinesPerSec: number;
}

const best = async (run: () => Promise<void> | void, times = 3): Promise<number> => {
  let fastest = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
};

export async function logIngestBench(): Promise<LogIngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-log-'));
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli' });
  try {
    await service.createAuthority({ name: 'Bench Root' });
    await service.createAuthority({ name: 'Bench Issuing', parent: 'Bench Root' });
    const certs = [];
    for (let k = 0; k < 50; k++)
      certs.push(await service.issue({ ca: 'Bench Issuing', subject: { commonName: `edge-${k}` }, source: { kind: 'generated' } }));
    // nginx's RFC 2253 form of the issuer: most specific RDN first, as certdesk stores it.
    const issuer = certs[0]!.issuer;
    const count = Number(process.env.BENCH_LOG_LINES ?? 300_000);
    const start = Date.parse('2026-05-01T00:00:00Z');
    const parts: string[] = [];
    for (let n = 0; n < count; n++) {
      const at = new Date(start + n * 250)
        .toISOString()
        .replace('.000Z', '+00:00')
        .replace(/\.\d{3}Z$/, '+00:00');
      const cert = certs[n % certs.length]!;
      const kind = n % 20;
      const [serial, dn, verify] =
        kind === 0
          ? ['', '', 'NONE']
          : kind === 1
            ? [`7F${n.toString(16).toUpperCase()}`, 'CN=Someone Else', 'FAILED:unable to verify']
            : [cert.serialHex.toUpperCase(), issuer, 'SUCCESS'];
      const path = n % 3 === 0 ? '/userinfo' : '/oauth/token';
      parts.push(
        `{"time":"${at}","serial":"${serial}","issuer":"${dn}","verify":"${verify}","path":"${path}","status":"${kind === 0 ? 400 : 200}"}\n`,
      );
    }
    const file = join(dir, 'access.log');
    writeFileSync(file, parts.join(''));
    const bytes = Buffer.byteLength(parts.join(''));

    let parsed = 0;
    const rawMs = await best(() => {
      parsed = 0;
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line) parsed += JSON.parse(line) ? 1 : 0;
    });
    if (parsed !== count) throw new Error(`the bare parse read ${parsed} of ${count} lines`);

    const usage = new EdgeUsage(service.edgeContext(), () => [new LocalLogSource(file)]);
    const db = service.db;
    let read = 0;
    const ingestMs = await best(async () => {
      // From the start each time: no stored offset, no totals (what a first read of this log does).
      db.exec('DELETE FROM edge_log_positions; DELETE FROM edge_usage_minutes; DELETE FROM edge_usage; DELETE FROM edge_usage_unknown;');
      const [outcome] = await usage.read();
      read = outcome!.lines;
    });
    if (read !== count) throw new Error(`certdesk read ${read} of ${count} lines`);
    const stored = db.prepare('SELECT sum(requests) FROM edge_usage').pluck().get() as number;
    const expected = count - Math.ceil(count / 20) - Math.ceil((count - 1) / 20);
    if (stored !== expected) throw new Error(`certdesk stored ${stored} requests for its certificates, expected ${expected}`);
    return { lines: count, bytes, rawLinesPerSec: (count * 1000) / rawMs, ingestLinesPerSec: (count * 1000) / ingestMs };
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
