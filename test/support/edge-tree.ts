/**
 * What certdesk's edge server block must read as, built by the test from the values it expects
 * (not from certdesk's own rebuilders): the oracle the property test compares nginx's reading with.
 */
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import type { Directive } from './nginx-conf.ts';

export interface ExpectedEdge {
  listen: string;
  serverName: string;
  serverCertificatePath: string;
  serverKeyPath: string;
  bundleDir: string;
  upstream: string;
  host: string;
  clientIpHeader: string;
  verifyClient: string;
  /** The access log's path, or null for none. */
  accessLog: string | null;
  /** What the cname-api-key include holds, as nginx reads it. */
  cnameInclude: Directive[];
}

/** The ASCII host the URL standard makes of `host` (IDN → punycode, lower case, IPv6 compressed). */
const urlHost = (host: string) => new URL(`http://${host}/`).hostname;

/** Doubled and trailing slashes dropped: how a path reads once split into its segments. */
export const segments = (path: string) => `/${path.split('/').filter(Boolean).join('/')}`;

function expectedListen(listen: string): string {
  if (/^\d+$/.test(listen)) return String(Number(listen));
  const colon = listen.lastIndexOf(':');
  const address = listen.slice(0, colon);
  return `${address.startsWith('[') ? urlHost(address) : address}:${Number(listen.slice(colon + 1))}`;
}

/** The values an accepted setting must come out as. */
export function expectedEdge(s: EdgeSettings, cnameInclude: Directive[]): ExpectedEdge {
  const serverName = urlHost(s.serverName);
  return {
    listen: expectedListen(s.listen),
    serverName,
    serverCertificatePath: segments(s.serverCertificatePath),
    serverKeyPath: segments(s.serverKeyPath),
    bundleDir: segments(s.bundleDir),
    upstream: new URL(s.upstream).origin,
    host: s.upstreamHost === undefined ? serverName : urlHost(s.upstreamHost),
    clientIpHeader: s.clientIpHeader ?? 'X-Forwarded-For',
    verifyClient: s.verifyClient ?? 'on',
    accessLog: s.accessLog === undefined ? null : segments(s.accessLog),
    cnameInclude,
  };
}

const d = (name: string, args: string[], block?: Directive[]): Directive => (block ? { name, args, block } : { name, args });

/** The server block as nginx must read it, with the cname-api-key include expanded. */
export function expectedServer(e: ExpectedEdge, verifyDepth: number): Directive {
  const ip = e.clientIpHeader.toLowerCase() === 'x-forwarded-for' ? '$proxy_add_x_forwarded_for' : '$remote_addr';
  return d(
    'server',
    [],
    [
      d('listen', [e.listen, 'ssl']),
      d('server_name', [e.serverName]),
      d('ssl_certificate', [e.serverCertificatePath]),
      d('ssl_certificate_key', [e.serverKeyPath]),
      d('ssl_protocols', ['TLSv1.2', 'TLSv1.3']),
      d('ssl_client_certificate', [`${e.bundleDir}/ca-bundle.pem`]),
      d('ssl_verify_client', [e.verifyClient]),
      d('ssl_verify_depth', [String(verifyDepth)]),
      d('ssl_crl', [`${e.bundleDir}/crl.pem`]),
      ...(e.accessLog === null ? [] : [d('access_log', [e.accessLog, 'certdesk_mtls'])]),
      d(
        'location',
        ['~', '^/(oauth\\/token|oauth\\/par|userinfo)$'],
        [
          d('proxy_pass', [e.upstream]),
          d('proxy_set_header', ['Host', e.host]),
          d('proxy_ssl_server_name', ['on']),
          d('proxy_ssl_name', [e.host]),
          d('proxy_set_header', ['client-certificate', '$ssl_client_escaped_cert']),
          d('proxy_set_header', ['client-certificate-ca-verified', '$ssl_client_verify']),
          d('proxy_set_header', [e.clientIpHeader, ip]),
          ...e.cnameInclude,
        ],
      ),
      d('location', ['/'], [d('return', ['404'])]),
    ],
  );
}

/** The JSON-lines format the issue asks for, written out here rather than taken from certdesk. */
export const EXPECTED_LOG_FORMAT = d('log_format', [
  'certdesk_mtls',
  'escape=json',
  '{"time":"$time_iso8601","serial":"$ssl_client_serial","issuer":"$ssl_client_i_dn","verify":"$ssl_client_verify","path":"$uri","status":"$status"}',
]);

/** The whole file as nginx must read it: the log format (with an access log), then the server block. */
export function expectedConfig(e: ExpectedEdge, verifyDepth: number): Directive[] {
  return [...(e.accessLog === null ? [] : [EXPECTED_LOG_FORMAT]), expectedServer(e, verifyDepth)];
}
