/**
 * Talking to the mTLS edge with Node's own TLS: the client certificate and key, our trust for the
 * edge's server certificate, SNI and Host set to the endpoint's host while the TCP connection may
 * go elsewhere (like `curl --connect-to`). Every outcome is data, including the edge hanging up.
 */
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { assertProcessOnline } from '../workstation/role-guard.ts';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

export interface EdgeTarget {
  /** The token endpoint, as discovery named it. */
  url: URL;
  /** Send the TCP connection here instead of the URL's host (its name stays in SNI and Host). */
  connectTo?: { host: string; port: number } | undefined;
  /** CA(s) that sign the edge's server certificate; undefined = the system roots. */
  trustPem?: string | undefined;
  timeoutMs?: number;
}

export interface ClientIdentity {
  /** The leaf first, then any intermediates to send. */
  certPem: string;
  keyPem: string;
}

export type EdgeFailure =
  /** The TCP connection failed: nothing listens there, or the name does not resolve. */
  | { kind: 'unreachable'; code: string; message: string }
  /** We refused the edge's server certificate (untrusted, wrong name, expired). */
  | { kind: 'server-untrusted'; code: string; message: string }
  /** The edge ended the TLS session: an alert or a reset during or right after the handshake. */
  | { kind: 'tls-refused'; code: string; message: string };

export type EdgeAnswer =
  { kind: 'http'; status: number; contentType: string; text: string; json: Record<string, unknown> | null } | EdgeFailure;

export type HandshakeResult = { kind: 'ok'; protocol: string; cipher: string; serverSubject: string; serverIssuer: string } | EdgeFailure;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const SERVER_TRUST = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);
const MAX_BODY = 64 * 1024;

export function connectAddress(target: EdgeTarget): { host: string; port: number } {
  return target.connectTo ?? { host: target.url.hostname, port: Number(target.url.port || 443) };
}

function tlsOptions(target: EdgeTarget, identity: ClientIdentity | undefined): ConnectionOptions {
  const { host, port } = connectAddress(target);
  const name = target.url.hostname;
  return {
    host,
    port,
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ...(target.trustPem ? { ca: target.trustPem } : {}),
    ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}),
    // The name to check is the endpoint's, even though the socket goes to `connectTo`.
    checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
  };
}

function classify(error: NodeJS.ErrnoException, connected: boolean): EdgeFailure {
  const code = error.code ?? 'ERROR';
  if (SERVER_TRUST.has(code)) return { kind: 'server-untrusted', code, message: error.message };
  if (!connected || UNREACHABLE.has(code)) return { kind: 'unreachable', code, message: error.message };
  return { kind: 'tls-refused', code, message: error.message };
}

/** A TLS handshake without a client certificate: is the edge there, and do we trust it for this host name? */
export function edgeHandshake(target: EdgeTarget): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    assertProcessOnline(`a TLS connection to ${target.url.host}`);
    let connected = false;
    let settled = false;
    const socket: TLSSocket = tlsConnect(tlsOptions(target, undefined));
    const finish = (result: HandshakeResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(target.timeoutMs ?? 10_000, () =>
      finish({ kind: 'unreachable', code: 'ETIMEDOUT', message: 'The edge did not complete a TLS handshake in time.' }),
    );
    socket.once('connect', () => (connected = true));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerX509Certificate();
      finish({
        kind: 'ok',
        protocol: socket.getProtocol() ?? 'unknown',
        cipher: socket.getCipher().standardName,
        serverSubject: peer?.subject.replaceAll('\n', ', ') ?? '',
        serverIssuer: peer?.issuer.replaceAll('\n', ', ') ?? '',
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(classify(error, connected)));
  });
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** POSTs a form to the endpoint over TLS, with the client certificate when one is given. */
export function postToEdge(target: EdgeTarget, form: Record<string, string>, identity?: ClientIdentity): Promise<EdgeAnswer> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve) => {
    assertProcessOnline(`an HTTPS request to ${target.url.host}`);
    let connected = false;
    let settled = false;
    const finish = (answer: EdgeAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = httpsRequest(
      {
        ...tlsOptions(target, identity),
        method: 'POST',
        path: `${target.url.pathname}${target.url.search}`,
        agent: false,
        headers: {
          host: target.url.host,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          accept: 'application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => finish(classify(error, true)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          finish({
            kind: 'http',
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text,
            json: parseJson(text),
          });
        });
      },
    );
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.setTimeout(target.timeoutMs ?? 15_000, () =>
      req.destroy(Object.assign(new Error('The edge did not answer in time.'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) => finish(classify(error, connected)));
    req.end(body);
  });
}
