import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildEdgeBundle, writeEdgeBundle } from '../../src/main/core/edge/edge-bundle.ts';
import type { EdgeSettings } from '../../src/main/core/edge/nginx-config.ts';
import { freePort, startNginx } from '../support/nginx.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { tlsPost } from '../support/tls-post.ts';

/** Stands in for Auth0's origin: every forwarded request gets 200. */
async function origin(): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"access_token":"t"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** nginx logs a request as it finishes it, which may be just after the client has the answer. */
async function linesOf(path: string, count: number): Promise<Array<Record<string, string>>> {
  for (let i = 0; i < 400; i++) {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const lines = text.split('\n').filter(Boolean);
    if (lines.length >= count) return lines.map((l) => JSON.parse(l) as Record<string, string>);
    await sleep(25);
  }
  throw new Error(`the access log ${path} did not reach ${count} lines`);
}

describe('evidence of use from a real nginx access log', () => {
  it('logs serial and issuer of each client certificate as JSON lines, and certdesk counts them per certificate', async () => {
    const t = await withIssuingCa();
    const work = tempDir();
    const server = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=auth.example.test');
    const serverCert = await t.service.issue({
      ca: 'Test Issuing',
      profile: 'mtls-server',
      sans: [{ type: 'dns', value: 'auth.example.test' }],
      source: { kind: 'csr', csr: server.csr, useCsrSubject: true },
    });
    writeFileSync(
      join(work, 'server.pem'),
      serverCert.chainPem
        .split(/(?=-----BEGIN)/)
        .slice(0, 2)
        .join(''),
    );
    const issue = async (cn: string) => {
      const csr = opensslCsr([...KEY_ARGS['ec-p256']], `/O=YourOrg/CN=${cn}`);
      const cert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: csr.csr, useCsrSubject: true } });
      return { cert, key: readFileSync(csr.keyPath, 'utf8') };
    };
    const a = await issue('app-a');
    const b = await issue('app-b');
    const unused = await issue('app-unused');
    const rootPem = a.cert.chainPem.split(/(?=-----BEGIN)/)[2]!;

    const port = await freePort();
    mkdirSync(join(work, 'secret'), { mode: 0o700 });
    writeFileSync(join(work, 'secret', 'cname.conf'), 'proxy_set_header cname-api-key "k";\n');
    mkdirSync(join(work, 'logs'));
    const accessLog = join(work, 'logs', 'certdesk-mtls.log');
    const settings: EdgeSettings = {
      serverName: 'auth.example.test',
      listen: `127.0.0.1:${port}`,
      serverCertificatePath: join(work, 'server.pem'),
      serverKeyPath: server.keyPath,
      upstream: `http://127.0.0.1:${await origin()}`,
      cnameApiKeyInclude: join(work, 'secret', 'cname.conf'),
      bundleDir: join(work, 'bundle'),
      accessLog,
    };
    writeEdgeBundle(await buildEdgeBundle(t.service.edgeContext(), t.service.crls, 'Test Issuing', settings), settings.bundleDir);
    const nginx = await startNginx(join(work, 'nginx'), join(settings.bundleDir, 'certdesk-edge.conf'), port);
    onTestFinished(() => nginx.stop());
    const call = (path: string, client?: { cert: { pem: string }; key: string }) =>
      tlsPost({
        host: '127.0.0.1',
        port,
        path,
        servername: 'auth.example.test',
        form: { grant_type: 'client_credentials' },
        ca: rootPem,
        ...(client ? { cert: client.cert.pem, key: client.key } : {}),
      });

    for (let i = 0; i < 3; i++) expect((await call('/oauth/token', a)).status, nginx.errorLog()).toBe(200);
    expect((await call('/api/v2/clients', a)).status).toBe(404);
    expect((await call('/userinfo?x=1', b)).status).toBe(200);
    expect((await call('/oauth/token')).status).toBe(400);

    // What nginx wrote, checked against openssl's own reading of each certificate.
    const lines = await linesOf(accessLog, 6);
    const serialOf = (pem: string) =>
      openssl(['x509', '-noout', '-serial'], pem)
        .stdout.trim()
        .replace(/^serial=/, '');
    const issuerOf = (pem: string) =>
      openssl(['x509', '-noout', '-issuer', '-nameopt', 'RFC2253'], pem)
        .stdout.trim()
        .replace(/^issuer=/, '');
    expect(lines.map((l) => [l.serial, l.path, l.status, l.verify])).toEqual([
      [serialOf(a.cert.pem), '/oauth/token', '200', 'SUCCESS'],
      [serialOf(a.cert.pem), '/oauth/token', '200', 'SUCCESS'],
      [serialOf(a.cert.pem), '/oauth/token', '200', 'SUCCESS'],
      [serialOf(a.cert.pem), '/api/v2/clients', '404', 'SUCCESS'],
      [serialOf(b.cert.pem), '/userinfo', '200', 'SUCCESS'],
      ['', '/oauth/token', '400', 'NONE'],
    ]);
    expect(lines[0]!.issuer).toBe(issuerOf(a.cert.pem));
    expect(lines[0]!.issuer).toMatch(/^CN=Test Issuing/);
    expect(Number.isFinite(Date.parse(lines[0]!.time!))).toBe(true);

    // certdesk reads the log through its configured path and keeps the counts.
    expect(t.service.usage.configured()).toBe(false);
    t.service.usage.setReadPath(accessLog);
    expect(t.service.usage.configured()).toBe(true);
    expect(t.service.listAudit({ limit: 1000 }).items.filter((e) => e.action === 'edge.usage.source')).toMatchObject([
      { details: { path: accessLog } },
    ]);
    const report = await t.service.usageReport({});
    expect(report.reads).toEqual([{ source: accessLog, lines: 6, skipped: 0, restarted: null, certificates: 2, unknown: 0, anonymous: 1 }]);
    expect(report.certificates.map((c) => [c.certificateId, c.requests, c.tokenSuccesses, c.lastStatus])).toEqual(
      expect.arrayContaining([
        [a.cert.id, 4, 3, 404],
        [b.cert.id, 1, 0, 200],
      ]),
    );
    expect(t.service.usage.tokenSuccessesSince(a.cert.id, new Date(Date.now() - 3600_000))).toBe(3);
    expect(t.service.usage.requestsSince(b.cert.id, new Date(Date.now() - 3600_000))).toBe(1);
    // Quiet since a moment after its last request, to the second nginx logs: not a whole minute later.
    const lastB = Date.parse(t.service.usage.usage(b.cert.id)!.lastSeen);
    expect(t.service.usage.requestsSince(b.cert.id, new Date(lastB + 1000))).toBe(0);
    expect(t.service.usage.requestsSince(b.cert.id, new Date(lastB + 500))).toBe(1);

    // Read again with nothing new: nothing is counted twice.
    await t.service.usage.refresh();
    expect(t.service.usage.usage(a.cert.id)).toMatchObject({ requests: 4, lastStatus: 404 });

    // The inventory shows when each was last seen; the schedule flags the one never seen.
    const page = await t.service.listCertificates({});
    const lastSeen = new Map(page.items.map((i) => [i.id, i.lastSeenAtEdge]));
    expect(lastSeen.get(a.cert.id)).toBe(t.service.usage.usage(a.cert.id)!.lastSeen);
    expect(lastSeen.get(unused.cert.id)).toBeNull();
    const schedule = t.service.schedule({});
    expect(schedule.find((i) => i.id === unused.cert.id)?.edge).toEqual({ lastSeen: null, flag: 'never-seen' });
    expect(schedule.find((i) => i.id === a.cert.id)?.edge).toMatchObject({ flag: null });

    // Revoked, but the edge has not had the new CRL yet: the workload still presents it, and the schedule says so.
    await t.service.revoke({ cert: a.cert.id, reason: 'superseded' });
    expect((await call('/oauth/token', a)).status).toBe(200);
    await linesOf(accessLog, 7);
    const panel = await t.service.certificateUsage({ cert: a.cert.id });
    expect(panel).toMatchObject({ configured: true, readError: null, usage: { requests: 5, tokenSuccesses: 4, status: 'revoked' } });
    expect(panel.lastDay).toHaveLength(24);
    expect(panel.lastDay.reduce((n, h) => n + h.requests, 0)).toBe(5);
    const flagged = t.service.schedule({ withinDays: 0 }).find((i) => i.id === a.cert.id);
    expect(flagged?.edge?.flag).toBe('still-presented');
    expect(flagged?.warnings.join(' ')).toMatch(/Still presented at the edge though revoked/);
  });
});
