/**
 * What the Electron window trusts (src/main/electron/trust.ts, devtools.ts; no Electron import): the
 * external-link allowlist replayed with hostile URLs, the renderer's own URL, the DevTools keys.
 */
import { describe, expect, it } from 'vitest';
import { isDevToolsShortcut, type KeyInput } from '../../src/main/electron/devtools.ts';
import { isAllowedExternalUrl, isTrustedUrl, RENDERER_URL } from '../../src/main/electron/trust.ts';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://auth0.com/docs',
    'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-mtls',
    'https://AUTH0.COM/docs/secure?x=1#y',
    'https://manage.auth0.com/dashboard/eu/acme/applications',
  ])('opens %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)//https://auth0.com/docs'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['plain http', 'http://auth0.com/docs'],
    ['a custom scheme', 'app://certdesk/index.html'],
    ['user-info before the real host', 'https://auth0.com@evil.com/docs'],
    ['user-info with a password', 'https://auth0.com:docs@evil.com/docs'],
    ['user-info on the allowed host', 'https://evil.com@auth0.com/docs'],
    ['a backslash that ends the host', 'https://evil.com\\@auth0.com/docs'],
    ['the allowed name as a subdomain', 'https://auth0.com.evil.com/docs'],
    ['the allowed name in the path', 'https://evil.com/auth0.com/docs'],
    ['the allowed URL in the fragment', 'https://evil.com/#https://auth0.com/docs'],
    ['a Cyrillic look-alike (IDN)', 'https://аuth0.com/docs'],
    ['a punycode look-alike', 'https://xn--uth0-5ve.com/docs'],
    ['a trailing dot', 'https://auth0.com./docs'],
    ['another port', 'https://auth0.com:8443/docs'],
    ['a path outside the docs', 'https://auth0.com/blog'],
    ['a prefix that is not a folder', 'https://auth0.com/docsevil'],
    ['dot segments out of the docs', 'https://auth0.com/docs/../signup'],
    ['encoded dot segments out of the docs', 'https://auth0.com/docs/%2e%2e/signup'],
    ['an unlisted subdomain', 'https://evil.manage.auth0.com/'],
    ['a relative URL', '//auth0.com/docs'],
    ['nothing', ''],
  ])('refuses %s', (_name, url) => expect(isAllowedExternalUrl(url)).toBe(false));
});

describe('isTrustedUrl', () => {
  it('trusts only the renderer document on app://certdesk', () => {
    expect(RENDERER_URL).toBe('app://certdesk/index.html');
    expect(isTrustedUrl('app://certdesk/index.html')).toBe(true);
    expect(isTrustedUrl('app://certdesk/index.html#/inventory')).toBe(true);
    for (const url of [
      undefined,
      '',
      'app://certdesk/index.html?x=1',
      'app://certdesk/other.html',
      'app://evil/index.html',
      'file:///opt/certdesk/resources/app.asar/out/renderer/index.html',
      'https://certdesk/index.html',
      'https://auth0.com/docs',
    ])
      expect(isTrustedUrl(url), String(url)).toBe(false);
  });
});

describe('isDevToolsShortcut', () => {
  const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    key: k,
    control: false,
    meta: false,
    shift: false,
    alt: false,
    ...mods,
  });

  it('catches every shortcut that opens DevTools', () => {
    for (const input of [
      key('F12'),
      key('I', { control: true, shift: true }),
      key('j', { control: true, shift: true }),
      key('C', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('j', { meta: true, alt: true }),
      key('c', { meta: true, shift: true }),
    ])
      expect(isDevToolsShortcut(input), JSON.stringify(input)).toBe(true);
  });

  it('leaves ordinary editing keys alone', () => {
    for (const input of [
      key('i'),
      key('I', { shift: true }),
      key('c', { control: true }),
      key('v', { control: true, shift: true }),
      key('i', { meta: true }),
      key('F5'),
    ])
      expect(isDevToolsShortcut(input), JSON.stringify(input)).toBe(false);
  });
});
