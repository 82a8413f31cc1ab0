/**
 * Issue 10, finding 5: a caller chose where main wrote a private key, folders and all. Each test
 * replays the attack through a real host (the loopback web host, the dispatch the Electron IPC
 * uses, the CLI binary) and proves it refused with nothing changed on disk or in the audit log.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import type { SaveDialogPort } from '../../src/main/core/files/save-dialog-port.ts';
import { startWebHost } from '../../src/main/web/host.ts';
import type { CertificateDetail, EdgeSettings, ExportResult, Result } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openssl } from '../support/openssl.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeSettings } from '../support/edge-settings.ts';

const PASS = 'correct horse battery staple';

async function issued() {
  const t = await withIssuingCa();
  const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'victim' }, source: { kind: 'generated' } });
  const audited = () => t.service.listAudit({ limit: 1000 }).total;
  return { t, cert, audited };
}

/** POST /rpc/certs:export on a real web host, with the token, as the page (or a page's attacker) would. */
async function webHost(handlers: ReturnType<typeof createHandlers>) {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  const host = await startWebHost({ handlers, staticDir, log: () => {} });
  onTestFinished(() => host.close());
  return (input: unknown) =>
    new Promise<Result<ExportResult>>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/rpc/certs:export',
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(JSON.parse(body) as Result<ExportResult>));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
}

describe('certs:export refuses a path from its caller', () => {
  it('web host: a path with missing parents or onto an existing file is refused, nothing written, no folder made', async () => {
    const { t, cert, audited } = await issued();
    const rpc = await webHost(createHandlers(t.service));
    const root = tempDir();
    const victim = join(root, 'victim.pem');
    writeFileSync(victim, 'the original\n');
    const before = audited();

    for (const path of [join(root, 'evil', 'dir', 'key.pem'), victim]) {
      for (const format of ['key', 'p12', 'pem'] as const) {
        const reply = await rpc({ cert: cert.id, format, passphrase: PASS, path });
        expect(reply, `${format} → ${path}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'path' } });
      }
    }
    expect(existsSync(join(root, 'evil'))).toBe(false);
    expect(readdirSync(root)).toEqual(['victim.pem']);
    expect(readFileSync(victim, 'utf8')).toBe('the original\n');
    expect(readdirSync(t.dataDir).includes('exports')).toBe(false);
    expect(audited()).toBe(before);
  });

  it('web host: a key export is a download of the protected bytes, and no file appears on the server', async () => {
    const { t, cert } = await issued();
    const rpc = await webHost(createHandlers(t.service));
    const reply = await rpc({ cert: cert.id, format: 'p12', passphrase: PASS });
    expect(reply.ok).toBe(true);
    const exported = (reply as { ok: true; value: ExportResult }).value;
    expect(exported).toMatchObject({ containsKey: true, filename: 'victim.p12' });
    expect(exported.writtenTo).toBeUndefined();
    expect(readdirSync(t.dataDir).includes('exports')).toBe(false);
    const file = join(tempDir(), 'downloaded.p12');
    writeFileSync(file, Buffer.from(exported.contentBase64!, 'base64'));
    const unpacked = openssl(['pkcs12', '-in', file, '-passin', `pass:${PASS}`, '-nodes']);
    expect(unpacked.status, unpacked.output).toBe(0);
    expect(unpacked.stdout).toContain('BEGIN PRIVATE KEY');
    expect(unpacked.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });

  it('desktop dispatch: a renderer path is refused before the save dialog opens; the dialog alone decides', async () => {
    const { t, cert, audited } = await issued();
    const root = tempDir();
    const asked: string[] = [];
    let answer: string | null = null;
    const saveDialog: SaveDialogPort = {
      chooseSavePath: ({ suggestedName }) => {
        asked.push(suggestedName);
        return Promise.resolve(answer);
      },
      chooseFolder: () => Promise.reject(new Error('an export never asks for a folder')),
    };
    const handlers = createHandlers(t.service, { saveDialog });
    const before = audited();

    const attack = await dispatch(handlers, 'certs:export', {
      cert: cert.id,
      format: 'key',
      passphrase: PASS,
      path: join(root, 'evil', 'dir', 'key.pem'),
    });
    expect(attack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'path' } });
    expect(asked).toEqual([]);

    // The operator cancels: nothing written.
    const cancelled = await dispatch(handlers, 'certs:export', { cert: cert.id, format: 'key', passphrase: PASS });
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'path' } });
    // Even the dialog's answer gets no folder made for it.
    answer = join(root, 'missing', 'key.pem');
    const missing = await dispatch(handlers, 'certs:export', { cert: cert.id, format: 'key', passphrase: PASS });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'path' } });
    expect(readdirSync(root)).toEqual([]);
    expect(audited()).toBe(before);

    answer = join(root, 'victim.key.pem');
    const saved = await dispatch(handlers, 'certs:export', { cert: cert.id, format: 'key', passphrase: PASS });
    expect(saved).toMatchObject({ ok: true, value: { containsKey: true, writtenTo: answer } });
    expect(asked).toEqual(['victim.key.pem', 'victim.key.pem', 'victim.key.pem']);
    expect(statSync(answer).mode & 0o777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['victim.key.pem']);
    const decrypted = openssl(['pkey', '-in', answer, '-passin', `pass:${PASS}`, '-pubout']);
    expect(decrypted.status, decrypted.output).toBe(0);
    expect(audited()).toBe(before + 1);
  });
});

describe('certdesk export --out', () => {
  const STORE_PASS = 'cli test store passphrase';

  async function store() {
    const dir = tempDir();
    const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: STORE_PASS, CERTDESK_EXPORT_PASSPHRASE: PASS };
    const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
    await run('vault', 'init', '--protection', 'passphrase');
    await run('ca', 'create', '--name', 'CLI Root');
    await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
    const cert = (await run('issue', '--ca', 'CLI Issuing', '--cn', 'cli-client')).json as CertificateDetail;
    // Read the audit log straight from the SQLite file: another CLI run would unlock the store again.
    const audited = () => {
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    return { run, cert, audited };
  }

  it('refuses a missing parent folder and an existing file without --force; --force replaces it atomically, 0600', async () => {
    const { run, cert, audited } = await store();
    const root = tempDir();
    const before = audited();

    const missing = await run('export', cert.id, '--format', 'key', '--out', join(root, 'evil', 'dir', 'key.pem'));
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'out' } });
    expect(existsSync(join(root, 'evil'))).toBe(false);

    const existing = join(root, 'client.key.pem');
    writeFileSync(existing, 'the original\n', { mode: 0o644 });
    for (const format of ['key', 'pem'] as const) {
      const refused = await run('export', cert.id, '--format', format, '--out', existing);
      expect(refused.json, format).toMatchObject({ error: { code: 'CONFLICT', field: 'out' } });
      expect((refused.json as { error: { message: string } }).error.message).toContain('--force');
    }
    expect(readFileSync(existing, 'utf8')).toBe('the original\n');
    expect(readdirSync(root)).toEqual(['client.key.pem']);
    expect(audited()).toBe(before);

    const forced = await run('export', cert.id, '--format', 'key', '--out', existing, '--force');
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.json).toMatchObject({ containsKey: true, writtenTo: existing });
    expect(forced.stdout).not.toContain('contentBase64');
    expect(statSync(existing).mode & 0o777).toBe(0o600);
    // No temp file left beside it: the rename took its place.
    expect(readdirSync(root)).toEqual(['client.key.pem']);
    const decrypted = openssl(['pkey', '-in', existing, '-passin', `pass:${PASS}`, '-pubout']);
    expect(decrypted.status, decrypted.output).toBe(0);
  });
});

describe('no folder is created on the way', () => {
  it('edge publish into a folder whose parent is missing is refused by name; nothing is made or recorded', async () => {
    const t = await withIssuingCa();
    const root = tempDir();
    const settings: EdgeSettings = edgeSettings({ bundleDir: join(root, 'evil', 'bundle') });
    await expect(t.service.publishEdge({ ca: 'Test Issuing', settings, dir: settings.bundleDir })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      field: 'dir',
    });
    expect(readdirSync(root)).toEqual([]);
    expect(t.service.edgeHistory({})).toEqual([]);
    // The bundle folder itself, in an existing one, is still made: that is the folder the operator named.
    const published = await t.service.publishEdge({ ca: 'Test Issuing', settings, dir: join(root, 'bundle') });
    expect(published.files.length).toBeGreaterThan(0);
    expect(readdirSync(root)).toEqual(['bundle']);
  });
});
