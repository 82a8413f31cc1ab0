/**
 * The raw TLS 1.2 probe and Node's TLS client against real OpenSSL servers (Node's tls module):
 * the CertificateRequest's CA names, an edge that asks for no certificate, a TLS 1.3-only edge,
 * something that is not TLS at all, and an edge that refuses at the TLS layer instead of nginx's 400.
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeName, readBundleAuthorities } from '../../src/main/core/diagnostics/client-certificate.ts';
import { edgeHandshakeStage } from '../../src/main/core/diagnostics/edge-handshake-stage.ts';
import { rejectNoCertStage } from '../../src/main/core/diagnostics/rejection-stages.ts';
import { probeServerFlight } from '../../src/main/core/diagnostics/tls-probe.ts';
import { edgeServerCertificate } from '../../src/sandbox/edge-certificate.ts';
import { makeCa } from '../support/sandbox-pki.ts';
import { tempDir } from '../support/temp.ts';

const HOST = 'mtls.login.example.com';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

async function tlsEdge(options: TlsOptions): Promise<{ port: number; serverPem: string }> {
  const cert = await edgeServerCertificate(tempDir(), 'login.example.com');
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem, ...options }, (socket) => socket.end());
  return { port: await listen(server), serverPem: cert.certPem };
}

const target = (port: number, trustPem: string) => ({
  url: new URL(`https://${HOST}/oauth/token`),
  connectTo: { host: '127.0.0.1', port },
  trustPem,
});

describe('edge TLS probe against OpenSSL servers', () => {
  it("reads the CertificateRequest's acceptable CA names, byte for byte our CAs' subjects", async () => {
    const [a, b] = [await makeCa('CN=Probe CA A, O=certdesk tests'), await makeCa('CN=Probe CA B, O=certdesk tests')];
    const edge = await tlsEdge({ requestCert: true, rejectUnauthorized: false, ca: [a.certPem, b.certPem], maxVersion: 'TLSv1.2' });
    const outcome = await probeServerFlight({ host: '127.0.0.1', port: edge.port, serverName: HOST });

    if (outcome.kind !== 'flight' || outcome.flight.kind !== 'hello-done') throw new Error(JSON.stringify(outcome));
    expect(outcome.flight.version).toBe(0x0303);
    expect(outcome.flight.serverCertificates).toHaveLength(1);
    const names = outcome.flight.certificateRequest?.authorities ?? [];
    expect(names.map(describeName)).toEqual(['CN=Probe CA A, O=certdesk tests', 'CN=Probe CA B, O=certdesk tests']);
    expect(names.map((n) => Buffer.from(n).toString('hex'))).toEqual(
      readBundleAuthorities(a.certPem + b.certPem).map((ca) => Buffer.from(ca.subjectDer).toString('hex')),
    );

    const stage = await edgeHandshakeStage(target(edge.port, edge.serverPem), readBundleAuthorities(a.certPem));
    expect(stage.outcome.status).toBe('pass');
    expect(stage.value.listsOurCas).toBe(true);
  });

  it('an edge that asks for no client certificate: EDGE_NO_CLIENT_CERT_REQUEST', async () => {
    const ca = await makeCa();
    const edge = await tlsEdge({ requestCert: false });
    const stage = await edgeHandshakeStage(target(edge.port, edge.serverPem), readBundleAuthorities(ca.certPem));

    expect(stage.outcome.code).toBe('EDGE_NO_CLIENT_CERT_REQUEST');
    expect(stage.outcome.evidence).toContainEqual({ label: 'Client certificate requested', value: 'no' });
  });

  it('a TLS 1.3-only edge answers the TLS 1.2 probe with protocol_version; the stage says so and does not guess', async () => {
    const ca = await makeCa();
    const edge = await tlsEdge({ requestCert: true, rejectUnauthorized: false, ca: ca.certPem, minVersion: 'TLSv1.3' });
    const outcome = await probeServerFlight({ host: '127.0.0.1', port: edge.port, serverName: HOST });
    expect(outcome).toEqual({ kind: 'flight', flight: { kind: 'alert', level: 2, description: 70 } });

    const stage = await edgeHandshakeStage(target(edge.port, edge.serverPem), readBundleAuthorities(ca.certPem));
    expect(stage.outcome.status).toBe('pass');
    expect(stage.outcome.evidence.find((e) => e.label === 'TLS')?.value).toMatch(/^TLSv1\.3, TLS_/);
    expect(stage.outcome.evidence).toContainEqual({
      label: 'Client CA list',
      value: 'not read: the edge speaks TLS 1.3 only, where the CertificateRequest is encrypted',
    });
    expect(stage.value.listsOurCas).toBeNull();
  });

  it('a port that does not speak TLS is reported as such', async () => {
    const server = createTcpServer((socket) => socket.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const port = await listen(server);
    const outcome = await probeServerFlight({ host: '127.0.0.1', port, serverName: HOST });
    expect(outcome).toEqual({
      kind: 'malformed',
      message: 'The server did not answer with TLS (record type 72); is this port speaking TLS?',
    });
  });

  it('an edge that refuses a certificate-less client with a TLS alert (not an HTTP 400) passes reject-no-cert', async () => {
    const ca = await makeCa();
    const cert = await edgeServerCertificate(tempDir(), 'login.example.com');
    const server = createHttpsServer(
      { cert: cert.certPem, key: cert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
      (_req, res) => res.end('{"access_token":"should not happen"}'),
    );
    const port = await listen(server);
    const outcome = await rejectNoCertStage(target(port, cert.certPem), {
      grant_type: 'client_credentials',
      client_id: 'x',
      audience: 'y',
    });

    expect(outcome.status).toBe('pass');
    expect(outcome.evidence[0]?.label).toBe('Refused by');
    expect(outcome.evidence[0]?.value).toMatch(/^the edge \(TLS: /);
  });
});
