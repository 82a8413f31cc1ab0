import { describe, expect, it } from 'vitest';
import {
  hasControlCharacters,
  hasFormatCharacters,
  hasUrlScheme,
  hasWhitespace,
  isCountryCode,
  isDnsName,
  isEdgeAddress,
  isEdgeHost,
  isEdgeListen,
  isEdgeUpstream,
  isEmailAddress,
  isHeaderName,
  isHttpsUrl,
  isHttpUrl,
  isNginxSafePath,
  isTenantDomain,
  isUriSan,
  sanProblem,
} from '../../src/shared/validation.ts';

describe('shared validation patterns', () => {
  it('country codes are two capitals', () => {
    expect(['US', 'DE'].map(isCountryCode)).toEqual([true, true]);
    expect(['us', 'USA', 'U', ''].map(isCountryCode)).toEqual([false, false, false, false]);
  });

  it('DNS names: 1–63 character labels without edge hyphens, 253 in all', () => {
    expect(['client.example.com', 'localhost', 'a-b.c0'].map(isDnsName)).toEqual([true, true, true]);
    expect(['-a.com', 'a-.com', 'a..com', '*.example.com', 'a b', `${'a'.repeat(64)}.com`].map(isDnsName)).toEqual(Array(6).fill(false));
    expect(isDnsName(`${'a'.repeat(63)}.com`)).toBe(true);
    expect(isDnsName(Array(64).fill('abc').join('.'))).toBe(false);
  });

  it('tenant domains need a dot and no scheme', () => {
    expect(isTenantDomain('dev-abc.us.auth0.com')).toBe(true);
    expect(isTenantDomain('localhost')).toBe(false);
    expect(hasUrlScheme('https://dev-abc.us.auth0.com')).toBe(true);
    expect(hasUrlScheme('dev-abc.us.auth0.com')).toBe(false);
  });

  it('email, URLs, white space and control characters', () => {
    expect(isEmailAddress('ops@example.com')).toBe(true);
    expect(isEmailAddress('ops@example')).toBe(false);
    expect(isHttpUrl('http://127.0.0.1:8080/api')).toBe(true);
    expect(isHttpUrl('ftp://example.com')).toBe(false);
    expect(isHttpsUrl('https://example.com/.well-known/openid-configuration')).toBe(true);
    expect(isHttpsUrl('http://example.com')).toBe(false);
    expect(hasWhitespace('abc def')).toBe(true);
    expect(hasWhitespace('abcdef')).toBe(false);
    expect(hasControlCharacters('a\u0007b')).toBe(true);
    expect(hasControlCharacters('a\u0085b')).toBe(true);
    expect(hasControlCharacters('Acme GmbH')).toBe(false);
  });

  it('format characters (Unicode Cf) are the bidi and zero-width ones control characters miss', () => {
    const invisible = [
      0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0xfeff,
    ];
    for (const code of invisible) {
      const value = `nginx${String.fromCodePoint(code)}-s`;
      expect(hasFormatCharacters(value), code.toString(16)).toBe(true);
      // The reason for the second predicate: the control-character one lets every one of these through.
      expect(hasControlCharacters(value), code.toString(16)).toBe(false);
    }
    expect(hasFormatCharacters('/usr/sbin/nginx -s reload')).toBe(false);
    expect(hasFormatCharacters('Grüße, 東京, עברית')).toBe(false);
  });

  it('edge address is host:port with a port in range', () => {
    expect(['127.0.0.1:8443', 'edge.example.com:443', '[::1]:8443'].map(isEdgeAddress)).toEqual([true, true, true]);
    expect(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'https://edge:443'].map(isEdgeAddress)).toEqual([false, false, false, false]);
  });

  it('nginx edge settings refuse anything that could break out of a directive', () => {
    expect(isEdgeHost('auth.example.com')).toBe(true);
    expect(isEdgeHost('auth.example.com; evil')).toBe(false);
    expect(['443', '127.0.0.1:8443', '[::1]:443'].map(isEdgeListen)).toEqual([true, true, true]);
    expect(['ssl', 'localhost:443'].map(isEdgeListen)).toEqual([false, false]);
    expect(isHeaderName('X-Forwarded-For')).toBe(true);
    expect(isHeaderName('X Forwarded')).toBe(false);
    expect(isNginxSafePath('/etc/nginx/certdesk/bundle.pem')).toBe(true);
    expect(['relative/path', '/a b', '/a;b', '/a{b}', '/$x', '/a"b', '/a\\b'].map(isNginxSafePath)).toEqual(Array(7).fill(false));
    expect(isEdgeUpstream('https://tenant.edge.tenants.auth0.com')).toBe(true);
    expect(isEdgeUpstream('http://127.0.0.1:9000/')).toBe(true);
    expect(['https://x.com/path', 'https://x.com/?q=1', 'https://x.com/#f', 'ftp://x.com', 'x.com'].map(isEdgeUpstream)).toEqual(
      Array(5).fill(false),
    );
  });

  it("SANs: one rule for typed ones and a CSR's, naming what is wrong", () => {
    expect(sanProblem('dns', 'client.example.com')).toBeNull();
    expect(sanProblem('uri', 'spiffe://example.org/client')).toBeNull();
    expect(sanProblem('email', 'ops@example.com')).toBeNull();
    for (const junk of ['*.example.com', 'bad_name.example.com', 'a b.com', 'x\u0000.com', ''])
      expect(sanProblem('dns', junk), junk).toMatch(/DNS SAN must be a host name/);
    for (const junk of ['nocolon', 'https://a\nb', `https://${'a'.repeat(2050)}`]) expect(isUriSan(junk), junk).toBe(false);
    expect(sanProblem('email', `${'a'.repeat(250)}@example.com`)).toMatch(/email SAN/);
  });
});
