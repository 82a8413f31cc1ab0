/**
 * The customer edge, as nginx would be configured for Auth0 mTLS: TLS with a required client
 * certificate, verified (with CRLs) against the CA bundle; only `/oauth/token`, `/oauth/par` and
 * `/userinfo` are forwarded, with `client-certificate` ($ssl_client_escaped_cert),
 * `client-certificate-ca-verified` ($ssl_client_verify), `cname-api-key` and `x-forwarded-for`
 * ($proxy_add_x_forwarded_for). Anything the client sent in those headers is replaced.
 * Like nginx with `ssl_verify_client on`, it completes the handshake and answers a missing or
 * unverifiable client certificate with its 400 page, before any path is looked at.
 */
import { EventEmitter } from 'node:events';
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { countPemCertificates, nginxEscapeUriComponent, toPem } from './certificates.ts';

export const FORWARDED_PATHS: readonly string[] = ['/oauth/token', '/oauth/par', '/userinfo'];

export interface EdgeOptions {
  /** PEM bundle of the CAs whose certificates the edge accepts (nginx `ssl_client_certificate`). */
  caBundlePem: string;
  /** CRLs, one per CA in the chain (nginx `ssl_crl`: every CA needs one). */
  crlPem?: string | readonly string[];
  port?: number;
  /** The key from `POST /custom-domains/{id}/verify`. Default: the sandbox's primary verified domain's key. */
  cnameApiKey?: string;
  /** nginx `ssl_verify_client optional_no_ca`: let self-signed certificates through, marked FAILED. */
  allowSelfSigned?: boolean;
}

export interface EdgeTlsError {
  code?: string;
  message: string;
  /** OpenSSL's verify result for a certificate the edge refused, e.g. CERT_REVOKED. */
  verifyError?: string;
}

export interface Edge {
  url: string;
  port: number;
  /** The edge server's own certificate, for clients to trust. */
  serverCaPem: string;
  setCnameApiKey(key: string | undefined): void;
  /** Publishes a new CA bundle and CRLs, as reloading nginx would. */
  reload(trust: { caBundlePem: string; crlPem?: string | readonly string[] }): void;
  onTlsError(listener: (error: EdgeTlsError) => void): () => void;
  close(): Promise<void>;
}

/** OpenSSL's X509_verify_cert_error_string() for the codes Node reports, as nginx puts them after `FAILED:`. */
const VERIFY_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  UNABLE_TO_GET_CRL: 'unable to get certificate CRL',
  CRL_HAS_EXPIRED: 'CRL has expired',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
};

/** The verify errors nginx's `optional_no_ca` passes on as FAILED:reason instead of refusing. */
const OPTIONAL_NO_CA_ERRORS: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** nginx's `$ssl_client_verify`: NONE, SUCCESS, or FAILED:reason. */
function clientVerify(socket: TLSSocket, hasCertificate: boolean): string {
  if (!hasCertificate) return 'NONE';
  if (socket.authorized) return 'SUCCESS';
  const code = String(socket.authorizationError);
  return `FAILED:${VERIFY_REASONS[code] ?? code}`;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);
const EDGE_HEADERS = new Set(['client-certificate', 'client-certificate-ca-verified', 'cname-api-key', 'x-forwarded-for']);

function crls(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

function copyHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name) && !drop.has(name)) out[name] = value;
  return out;
}

/** nginx's own 400 page for a client certificate it will not take (its internal 495/496 codes). */
function refuse(res: ServerResponse, reason: string): void {
  const page = `<html>\r\n<head><title>400 ${reason}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${reason}</center>\r\n<hr><center>certdesk sandbox edge</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(400, { 'content-type': 'text/html', connection: 'close' }).end(page);
}

export async function startEdge(
  options: EdgeOptions & { upstream: URL; server: { certPem: string; keyPem: string }; defaultCnameApiKey: () => string | undefined },
): Promise<Edge> {
  const events = new EventEmitter<{ tlsError: [EdgeTlsError] }>();
  let cnameApiKey = options.cnameApiKey;
  const trust = (t: { caBundlePem: string; crlPem?: string | readonly string[] }) => {
    if (countPemCertificates(t.caBundlePem) === 0) throw new Error('The edge CA bundle holds no PEM certificate.');
    return { ca: t.caBundlePem, crl: crls(t.crlPem) };
  };

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerX509Certificate();
    const verifyError = peer && !socket.authorized ? String(socket.authorizationError) : undefined;
    // optional_no_ca lets through no certificate and the five "no trusted issuer" errors only
    // (nginx's ngx_ssl_verify_error_optional); an expired or revoked certificate still gets the 400.
    const tolerated = options.allowSelfSigned === true && (verifyError === undefined || OPTIONAL_NO_CA_ERRORS.has(verifyError));
    if (!tolerated && (!peer || verifyError !== undefined)) {
      events.emit(
        'tlsError',
        peer
          ? {
              code: 'CLIENT_CERTIFICATE_REFUSED',
              message: `client SSL certificate verify error: ${VERIFY_REASONS[verifyError!] ?? verifyError}`,
              verifyError,
            }
          : { code: 'NO_CLIENT_CERTIFICATE', message: 'client sent no required SSL certificate' },
      );
      refuse(res, peer ? 'The SSL certificate error' : 'No required SSL certificate was sent');
      return;
    }
    const path = new URL(req.url ?? '/', 'https://edge').pathname;
    if (!FORWARDED_PATHS.includes(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
      return;
    }
    const headers = copyHeaders(req.headers, EDGE_HEADERS);
    headers.host = options.upstream.host;
    if (peer) headers['client-certificate'] = nginxEscapeUriComponent(toPem(peer.raw));
    headers['client-certificate-ca-verified'] = clientVerify(socket, peer !== undefined);
    const key = cnameApiKey ?? options.defaultCnameApiKey();
    if (key !== undefined) headers['cname-api-key'] = key;
    const previous = req.headers['x-forwarded-for'];
    const remote = socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = previous ? `${Array.isArray(previous) ? previous.join(', ') : previous}, ${remote}` : remote;

    const upstream = httpRequest(
      { host: options.upstream.hostname, port: options.upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, copyHeaders(answer.headers, new Set()));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad Gateway\n');
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  };

  let server: Server;
  try {
    server = createServer(
      {
        cert: options.server.certPem,
        key: options.server.keyPem,
        ...trust(options),
        requestCert: true,
        // The verdict is given in HTTP, as nginx does (see `forward`), not by failing the handshake.
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      forward,
    );
  } catch (error) {
    throw new Error(`The edge could not load its CA bundle or CRLs: ${(error as Error).message}`, { cause: error });
  }
  // A handshake that fails for other reasons (protocol, ciphers): reported, as nginx logs them.
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const verifyError =
      socket.authorizationError === undefined || socket.authorizationError === null ? undefined : String(socket.authorizationError);
    events.emit('tlsError', { code: error.code, message: error.message, verifyError });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    serverCaPem: options.server.certPem,
    setCnameApiKey: (key) => {
      cnameApiKey = key;
    },
    reload: (next) => server.setSecureContext({ cert: options.server.certPem, key: options.server.keyPem, ...trust(next) }),
    onTlsError: (listener) => {
      events.on('tlsError', listener);
      return () => events.off('tlsError', listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
