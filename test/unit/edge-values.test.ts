import { describe, expect, it } from 'vitest';
import {
  rebuildEdgeHost,
  rebuildEdgeListen,
  rebuildEdgePath,
  rebuildEdgeSettings,
  rebuildEdgeUpstream,
  rebuildHeaderName,
  type Rebuilt,
} from '../../src/shared/validation.ts';

const value = (r: Rebuilt) => (r.ok ? r.value : null);

describe('edge values are rebuilt from their parsed parts', () => {
  it('upstream: scheme, host (IDN as punycode, IPv4, bracketed IPv6) and port, nothing else', () => {
    expect(value(rebuildEdgeUpstream('https://tenant.edge.tenants.auth0.com/'))).toBe('https://tenant.edge.tenants.auth0.com');
    expect(value(rebuildEdgeUpstream('HTTPS://Bücher.Example:8443'))).toBe('https://xn--bcher-kva.example:8443');
    expect(value(rebuildEdgeUpstream('https://tenant.example:443'))).toBe('https://tenant.example');
    expect(value(rebuildEdgeUpstream('http://127.0.0.1:9000/'))).toBe('http://127.0.0.1:9000');
    expect(value(rebuildEdgeUpstream('http://[0:0::1]:9000'))).toBe('http://[::1]:9000');
  });

  it('upstream: user-info, query, fragment, a path and anything the URL parser would bend are refused', () => {
    const refused = [
      'https://user:pass@tenant.example',
      'https://@tenant.example',
      'https://tenant.example?',
      'https://tenant.example/?q=1',
      'https://tenant.example#',
      'https://tenant.example/#f',
      'https://tenant.example/oauth',
      // The URL parser drops tabs and newlines and takes `;` and braces in a host: the raw string must not.
      'https://tenant.example;\n\tproxy_set_header\tx\ty;',
      'https://tenant.example;}location{',
      'https://a\uFF1Bb.example',
      'https://tenant.example\t',
      'https://$host',
      'https://0x7f.1',
      'https://127.1',
      'https://010.0.0.1',
      'https://tenant.example:08443',
      'https://tenant.example:65536',
      'https://a%2eb.example',
      'ftp://tenant.example',
      'tenant.example',
    ];
    for (const v of refused) expect(rebuildEdgeUpstream(v), v).toMatchObject({ ok: false });
  });

  it('host names: DNS names (IDN as punycode) or dotted-quad IPv4 only', () => {
    expect(value(rebuildEdgeHost('Auth.Example.COM'))).toBe('auth.example.com');
    expect(value(rebuildEdgeHost('bücher.example'))).toBe('xn--bcher-kva.example');
    expect(value(rebuildEdgeHost('192.0.2.10'))).toBe('192.0.2.10');
    for (const v of [
      'a_b.example',
      '-a.example',
      'a..b',
      'a.example.',
      '1.2.3',
      '256.1.1.1',
      'a\uFF1Bb',
      'a b',
      'example.123',
      'x'.repeat(64),
    ])
      expect(rebuildEdgeHost(v), v).toMatchObject({ ok: false });
  });

  it('listen: a port, IPv4:port or [IPv6]:port, rebuilt', () => {
    expect(['443', '127.0.0.1:8443', '[0::1]:443'].map((v) => value(rebuildEdgeListen(v)))).toEqual(['443', '127.0.0.1:8443', '[::1]:443']);
    for (const v of ['0', '0443', '65536', '127.1:443', '[::1]', 'localhost:443', '443 default_server', '[::1;]:443'])
      expect(rebuildEdgeListen(v), v).toMatchObject({ ok: false });
  });

  it('paths: absolute, strict characters, no dot segments; doubled and trailing slashes dropped', () => {
    expect(value(rebuildEdgePath('/etc//nginx/certdesk/'))).toBe('/etc/nginx/certdesk');
    for (const v of ['/', 'etc/x', '/etc/a b', '/etc/a#b', '/etc/*.conf', '/etc/a?', '/etc/[ab]', '/etc/../x', '/etc/./x', '/etc/é'])
      expect(rebuildEdgePath(v), v).toMatchObject({ ok: false });
  });

  it('the client-IP header may not stand in for a header the edge sets itself', () => {
    expect(value(rebuildHeaderName('True-Client-IP'))).toBe('True-Client-IP');
    for (const v of ['client-certificate-ca-verified', 'Client-Certificate', 'HOST', 'cname-api-key', 'X Real', 'X:Real'])
      expect(rebuildHeaderName(v), v).toMatchObject({ ok: false });
  });

  it('the key file stays outside the bundle however the paths are spelt', () => {
    const base = {
      serverName: 'auth.example.com',
      listen: '443',
      serverCertificatePath: '/etc/edge/server.pem',
      serverKeyPath: '/etc/edge/server.key',
      upstream: 'https://tenant.example',
      bundleDir: '/etc/edge/bundle/',
    };
    expect(rebuildEdgeSettings({ ...base, cnameApiKeyInclude: '/etc/edge//bundle/cname.conf' })).toMatchObject({
      ok: false,
      errors: { cnameApiKeyInclude: expect.stringContaining('Keep it outside /etc/edge/bundle') },
    });
    expect(rebuildEdgeSettings({ ...base, cnameApiKeyInclude: '/etc/edge/secret/cname.conf', verifyClient: 'off' })).toMatchObject({
      ok: false,
      errors: { verifyClient: expect.any(String) },
    });
    expect(rebuildEdgeSettings({ ...base, cnameApiKeyInclude: '/etc/edge/secret/cname.conf' })).toMatchObject({
      ok: true,
      settings: { bundleDir: '/etc/edge/bundle', upstreamHost: 'auth.example.com', clientIpHeader: 'X-Forwarded-For', verifyClient: 'on' },
    });
  });
});
