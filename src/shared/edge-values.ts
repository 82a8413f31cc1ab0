// nginx edge settings: every value lands inside an nginx directive. A value that merely parses is not
// enough (the URL parser drops tabs and newlines, maps full-width `；` to `;`, and takes `a;b{c}` as a
// host), so each value is rebuilt from its parsed parts, and only that rebuilt value, made of a strict
// set of characters, is ever written. Pure functions only: the renderer and main share them.

/** A value rebuilt from its parsed parts, or why it was refused (worded for the field it belongs to). */
export type Rebuilt = { ok: true; value: string } | { ok: false; error: string };

const ok = (value: string): Rebuilt => ({ ok: true, value });
const no = (error: string): Rebuilt => ({ ok: false, error });

/** What a rebuilt value may contain: nothing nginx reads as syntax (space, `;`, `{`, `}`, quotes, `$`, `#`, `\`, globs). */
export const NGINX_TOKEN = /^[A-Za-z0-9._~+@=,:/[\]-]+$/;

/** One DNS label in ASCII (IDN labels arrive here as `xn--…`). */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
const PORT = /^[1-9]\d{0,4}$/;
/** What a host may be typed with: letters and digits of any script (IDN), dots and hyphens. */
const HOST_INPUT = /^[\p{L}\p{M}\p{N}.-]+$/u;

function isDottedQuad(value: string): boolean {
  return DOTTED_QUAD.test(value) && value.split('.').every((octet) => Number(octet) <= 255);
}

function isPort(value: string): boolean {
  return PORT.test(value) && Number(value) <= 65535;
}

/** The URL parser's ASCII form of a host (IDN → punycode, lower case), or null when it does not parse. */
function asciiHost(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

const HOST_ERROR = 'A host name such as auth.example.com (letters, digits, dashes and dots), or an IPv4 address';

/**
 * A DNS name (an IDN becomes punycode) or a dotted-quad IPv4 address, in lower case. Refuses
 * numeric spellings the URL parser would turn into another address (`0x7f.1`, `127.1`, `010.0.0.1`).
 */
export function rebuildEdgeHost(value: string): Rebuilt {
  if (!HOST_INPUT.test(value)) return no(HOST_ERROR);
  if (isDottedQuad(value)) return ok(value);
  const ascii = asciiHost(value);
  if (ascii === null || ascii.length > 253) return no(HOST_ERROR);
  const labels = ascii.split('.');
  // A last label of digits makes an IPv4 address, which is only taken in its plain dotted-quad form.
  if (/^\d+$/.test(labels.at(-1) ?? '') || /^0x/i.test(labels.at(-1) ?? '') || !labels.every((l) => LDH_LABEL.test(l))) {
    return no(HOST_ERROR);
  }
  return ok(ascii);
}

/** An IPv6 address (without brackets) in its canonical, compressed form. */
function rebuildIpv6(value: string): string | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(':')) return null;
  const ascii = asciiHost(`[${value}]`);
  return ascii === null ? null : ascii.slice(1, -1);
}

const LISTEN_ERROR = 'A port (443) or address:port (127.0.0.1:8443, [::1]:8443), port 1–65535 without leading zeros';

/** nginx `listen`: a port, or IPv4:port or [IPv6]:port. */
export function rebuildEdgeListen(value: string): Rebuilt {
  const match = /^(?:([0-9.]+):|\[([^\]]*)\]:)?([0-9]+)$/.exec(value);
  if (!match || !isPort(match[3]!)) return no(LISTEN_ERROR);
  const [, v4, v6, port] = match;
  if (v4 !== undefined) return isDottedQuad(v4) ? ok(`${v4}:${port}`) : no(LISTEN_ERROR);
  if (v6 !== undefined) {
    const address = rebuildIpv6(v6);
    return address === null ? no(LISTEN_ERROR) : ok(`[${address}]:${port}`);
  }
  return ok(port!);
}

const ORIGIN = 'An origin only: https://host (or http:// for a local rehearsal)';

/**
 * The upstream origin `scheme://host[:port]`: http(s), a host as `rebuildEdgeHost` takes it or a
 * bracketed IPv6 address, an optional port, no path. User name, password, query and fragment are
 * refused, even empty (`https://@x`, `https://x?`, `https://x#`).
 */
export function rebuildEdgeUpstream(value: string): Rebuilt {
  if (value.includes('@')) return no(`${ORIGIN}, without a user name or password`);
  if (value.includes('?')) return no(`${ORIGIN}, without a query`);
  if (value.includes('#')) return no(`${ORIGIN}, without a fragment`);
  const match = /^(https?):\/\/(\[[^\]]*\]|[^/:[\]]*)(?::([0-9]+))?(\/.*)?$/i.exec(value);
  if (!match) return no(`${ORIGIN}, without a path`);
  const [, scheme, hostPart, port, path] = match;
  if (path !== undefined && path !== '/') return no(`${ORIGIN}, without a path`);
  if (port !== undefined && !isPort(port)) return no(`${ORIGIN}; the port must be 1–65535 without leading zeros`);
  let host: string | null;
  if (hostPart!.startsWith('[')) {
    const v6 = rebuildIpv6(hostPart!.slice(1, -1));
    host = v6 === null ? null : `[${v6}]`;
  } else {
    const rebuilt = rebuildEdgeHost(hostPart!);
    host = rebuilt.ok ? rebuilt.value : null;
  }
  if (host === null) return no(`${ORIGIN}; the host must be a host name, an IPv4 address or [an IPv6 address]`);
  const protocol = scheme!.toLowerCase();
  // Plain http carries the client certificate and the cname-api-key in the clear: only to this machine.
  if (protocol === 'http' && !isLoopback(host))
    return no(`http:// only to a loopback address (127.0.0.1, [::1]); use https://${host} for any other host`);
  const defaultPort = protocol === 'https' ? '443' : '80';
  return ok(`${protocol}://${host}${port !== undefined && port !== defaultPort ? `:${port}` : ''}`);
}

/** 127.0.0.0/8 or ::1, as rebuilt (a name such as localhost may resolve anywhere, so it is not one). */
function isLoopback(host: string): boolean {
  return (isDottedQuad(host) && host.startsWith('127.')) || host === '[::1]';
}

const PATH_SEGMENT = /^[A-Za-z0-9._~+@=,-]+$/;

/**
 * An absolute POSIX path on the edge, rebuilt from its segments (`//` and a trailing `/` dropped).
 * Segments hold letters, digits and `. _ ~ + @ = , -` only; `.` and `..` are refused, so a path
 * means what it reads (and the key file's "outside the bundle" check cannot be walked around).
 */
export function rebuildEdgePath(value: string): Rebuilt {
  if (!value.startsWith('/')) return no('An absolute path on the edge, starting with /');
  const segments = value.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return no('A file or folder below /, not / itself');
  if (!segments.every((segment) => PATH_SEGMENT.test(segment)))
    return no("Only letters, digits, '/', '.', '_', '-', '~', '+', '@', '=' and ',': nginx would read anything else as syntax");
  if (segments.some((segment) => segment === '.' || segment === '..')) return no("No '.' or '..' segments: write the path out in full");
  return ok(`/${segments.join('/')}`);
}

/**
 * The cname-api-key include: nginx reads it as configuration and its `include` expands globs, so it
 * is one named `.conf` file (no `*`, `?`, `[`, `]`, no `..`), at an absolute path the operator
 * approves with the other settings. nginx -t would otherwise echo any file it was pointed at.
 */
export function rebuildEdgeInclude(value: string): Rebuilt {
  if (/[*?[\]{}]/.test(value)) return no('One file, without glob characters (* ? [ ] { }): nginx would include every file they match');
  const path = rebuildEdgePath(value);
  if (!path.ok) return path;
  if (!/\/[^/]+\.conf$/.test(path.value))
    return no('A file name ending in .conf (cname-api-key.conf), so nginx never includes a file that is not an include');
  return path;
}

/** Headers the edge itself sets for Auth0: the client-IP header must never stand in for one of them. */
export const RESERVED_EDGE_HEADERS = [
  'host',
  'client-certificate',
  'client-certificate-ca-verified',
  'cname-api-key',
  'connection',
  'content-length',
  'transfer-encoding',
] as const;

/** The header nginx puts the client IP in: letters, digits and dashes, not one the edge sets itself. */
export function rebuildHeaderName(value: string): Rebuilt {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(value)) return no('A header name: letters, digits and dashes');
  if ((RESERVED_EDGE_HEADERS as readonly string[]).includes(value.toLowerCase()))
    return no(`${value} is a header the edge sets itself; name the header Auth0 reads the client IP from`);
  return ok(value);
}

/** The edge settings as typed (the contract's EdgeSettings; src/shared/contract is not importable from here). */
export interface EdgeSettingsInput {
  serverName: string;
  listen: string;
  serverCertificatePath: string;
  serverKeyPath: string;
  upstream: string;
  upstreamHost?: string | undefined;
  cnameApiKeyInclude: string;
  clientIpHeader?: string | undefined;
  bundleDir: string;
  verifyClient?: string | undefined;
  /** Where nginx writes certdesk's JSON-lines access log on the edge; no access log when absent. */
  accessLog?: string | undefined;
}

export type EdgeSettingField = keyof EdgeSettingsInput;

/** Every edge setting, in the form's order: a refusal names the first bad one, so it is the first field the operator sees. */
export const EDGE_SETTING_FIELDS = [
  'serverName',
  'listen',
  'serverCertificatePath',
  'serverKeyPath',
  'upstream',
  'upstreamHost',
  'cnameApiKeyInclude',
  'clientIpHeader',
  'bundleDir',
  'verifyClient',
  'accessLog',
] as const satisfies readonly EdgeSettingField[];

/** Every value the nginx server block is made of, rebuilt; defaults applied. */
export interface RebuiltEdgeSettings {
  serverName: string;
  listen: string;
  serverCertificatePath: string;
  serverKeyPath: string;
  /** `scheme://host[:port]`, for proxy_pass. */
  upstream: string;
  /** The Host header and TLS name sent upstream: upstreamHost, else serverName. */
  upstreamHost: string;
  cnameApiKeyInclude: string;
  clientIpHeader: string;
  bundleDir: string;
  verifyClient: 'on' | 'optional';
  /** The access log's path on the edge, or null for none. */
  accessLog: string | null;
}

export const DEFAULT_CLIENT_IP_HEADER = 'X-Forwarded-For';

/**
 * Rebuilds every setting, or says what is wrong with each (in field order). The key file must lie
 * outside the bundle folder, compared on the rebuilt paths so `//` or a trailing `/` cannot hide it.
 */
export function rebuildEdgeSettings(
  s: EdgeSettingsInput,
): { ok: true; settings: RebuiltEdgeSettings } | { ok: false; errors: Partial<Record<EdgeSettingField, string>> } {
  const errors: Partial<Record<EdgeSettingField, string>> = {};
  const take = (field: EdgeSettingField, rebuilt: Rebuilt): string => {
    if (rebuilt.ok) return rebuilt.value;
    errors[field] = rebuilt.error;
    return '';
  };
  const serverName = take('serverName', rebuildEdgeHost(s.serverName));
  const listen = take('listen', rebuildEdgeListen(s.listen));
  const serverCertificatePath = take('serverCertificatePath', rebuildEdgePath(s.serverCertificatePath));
  const serverKeyPath = take('serverKeyPath', rebuildEdgePath(s.serverKeyPath));
  const upstream = take('upstream', rebuildEdgeUpstream(s.upstream));
  const upstreamHost = s.upstreamHost === undefined ? serverName : take('upstreamHost', rebuildEdgeHost(s.upstreamHost));
  const cnameApiKeyInclude = take('cnameApiKeyInclude', rebuildEdgeInclude(s.cnameApiKeyInclude));
  const clientIpHeader = take('clientIpHeader', rebuildHeaderName(s.clientIpHeader ?? DEFAULT_CLIENT_IP_HEADER));
  const bundleDir = take('bundleDir', rebuildEdgePath(s.bundleDir));
  if (bundleDir && cnameApiKeyInclude.startsWith(`${bundleDir}/`))
    errors.cnameApiKeyInclude = `Keep it outside ${bundleDir}, so publishing the bundle never publishes the key`;
  const verifyClient = s.verifyClient ?? 'on';
  if (verifyClient !== 'on' && verifyClient !== 'optional') errors.verifyClient = "Either 'on' or 'optional'";
  const accessLog = s.accessLog === undefined ? null : take('accessLog', rebuildEdgePath(s.accessLog));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      serverName,
      listen,
      serverCertificatePath,
      serverKeyPath,
      upstream,
      upstreamHost,
      cnameApiKeyInclude,
      clientIpHeader,
      bundleDir,
      verifyClient: verifyClient as 'on' | 'optional',
      accessLog,
    },
  };
}
