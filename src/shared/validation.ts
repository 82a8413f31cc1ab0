// The input patterns that the renderer checks as the operator types and main checks again before
// acting: kept in one place so the two can never disagree about what a valid value is.
// Pure functions and constants only: src/shared imports nothing outside itself.

import { rebuildEdgeHost, rebuildEdgeListen, rebuildEdgePath, rebuildEdgeUpstream, rebuildHeaderName } from './edge-values.ts';

/** C0 and C1 control characters: never valid in a name, a subject field or a one-line command. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/**
 * Invisible format characters (Unicode category Cf): bidi overrides and isolates (U+202A–202E,
 * U+2066–2069), zero-width spaces and joiners, marks (U+200B–200F), the BOM (U+FEFF). Text shown to
 * the operator for approval must not carry them: they make it read differently from what is run.
 */
export const FORMAT_CHARACTERS = /\p{Cf}/u;

export function hasFormatCharacters(value: string): boolean {
  return FORMAT_CHARACTERS.test(value);
}

/** Client IDs and API identifiers never contain white space. */
export function hasWhitespace(value: string): boolean {
  return /\s/.test(value);
}

/** Every PEM label a private key travels under: PKCS#8, encrypted PKCS#8, OpenSSL's RSA/EC/DSA, OpenSSH. */
export const PRIVATE_KEY_PEM = /-----BEGIN (?:ENCRYPTED |RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----/;

/** A private key pasted where a CSR or a certificate belongs: the page says so and sends nothing, main refuses it. */
export function containsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_PEM.test(text);
}

/** ISO 3166-1 alpha-2 country code, in capitals (`US`, `DE`), as X.509's countryName wants it. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

export function isCountryCode(value: string): boolean {
  return COUNTRY_CODE.test(value);
}

/** A DNS host name: labels of 1–63 letters, digits or inner hyphens, 253 characters in all. */
export const DNS_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;

export function isDnsName(value: string): boolean {
  return DNS_NAME.test(value);
}

/** An Auth0 tenant domain or custom domain: a DNS name with at least one dot (`acme.eu.auth0.com`). */
export function isTenantDomain(value: string): boolean {
  return DNS_NAME.test(value) && value.includes('.');
}

/**
 * A host name as an operator pastes it, cleaned up: `https://auth.acme.com/` is `auth.acme.com`.
 * Only the `https://` prefix and trailing slashes go; any other scheme or a path is left for the
 * host-name check to refuse by name.
 */
export function cleanHostName(value: string): string {
  return value
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Starts with a URL scheme (`https://`): what an operator pastes where a bare host name belongs. */
export function hasUrlScheme(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** An RFC 822 mailbox as an email SAN carries it (deliberately loose: one `@`, a dot in the domain). */
export const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL_ADDRESS.test(value);
}

/** A URI SAN: an absolute URI with a scheme (`spiffe://example.org/client`), printable, at most 2048 characters. */
export function isUriSan(value: string): boolean {
  return value.length <= 2048 && !hasControlCharacters(value) && /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value);
}

/** The SAN kinds certdesk puts in a certificate (the contract's SAN_TYPES; src/shared/validation imports nothing). */
export type SanKind = 'dns' | 'uri' | 'email';

/**
 * What is wrong with a SAN, or null when certdesk may put it in a certificate: one rule for SANs the
 * operator types and SANs a CSR asks for, so a CSR cannot slip in a name (a wildcard, an underscore,
 * a space) the form would refuse.
 */
export function sanProblem(type: SanKind, value: string): string | null {
  if (type === 'dns')
    return isDnsName(value) ? null : 'a DNS SAN must be a host name such as client.example.com (no wildcards, spaces or underscores)';
  if (type === 'uri') return isUriSan(value) ? null : 'a URI SAN must be an absolute URI such as spiffe://example.org/client';
  return value.length <= 254 && isEmailAddress(value) ? null : 'an email SAN must be an address such as ops@example.com';
}

/** An http(s) URL that parses. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//.test(value) && URL.canParse(value);
}

/** An https URL that parses (discovery documents are only fetched over TLS). */
export function isHttpsUrl(value: string): boolean {
  return /^https:\/\//.test(value) && URL.canParse(value);
}

/** The diagnostics edge address: `host:port` or `[v6]:port`, port 1–65535. */
export const EDGE_ADDRESS = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export function isEdgeAddress(value: string): boolean {
  if (!EDGE_ADDRESS.test(value)) return false;
  const port = Number(/:(\d+)$/.exec(value)?.[1]);
  return port >= 1 && port <= 65535;
}

// nginx edge settings: the rules and the rebuilders live in edge-values.ts; these predicates say
// only whether a value would be taken.
export * from './edge-values.ts';

/** nginx `server_name` and the upstream Host header: a DNS name (IDN allowed) or an IPv4 address. */
export function isEdgeHost(value: string): boolean {
  return rebuildEdgeHost(value).ok;
}

/** nginx `listen`: a port (443), or IPv4:port / [IPv6]:port. */
export function isEdgeListen(value: string): boolean {
  return rebuildEdgeListen(value).ok;
}

/** The header nginx reads the client IP from. */
export function isHeaderName(value: string): boolean {
  return rebuildHeaderName(value).ok;
}

/** An absolute POSIX path with nothing nginx would read as syntax. */
export function isNginxSafePath(value: string): boolean {
  return rebuildEdgePath(value).ok;
}

/** The upstream origin: http(s), no path, user name, query or fragment (`https://tenant.edge.tenants.auth0.com`). */
export function isEdgeUpstream(value: string): boolean {
  return rebuildEdgeUpstream(value).ok;
}
