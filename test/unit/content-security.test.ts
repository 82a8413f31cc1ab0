/** The one CSP builder: what the policy forbids, and that index.html's meta tag spells the same policy. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  contentTypeOf,
  rendererFileHeaders,
} from '../../src/main/host/content-security.ts';

const indexHtml = readFileSync(fileURLToPath(new URL('../../src/renderer/index.html', import.meta.url)), 'utf8');
const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)] as const));

describe('the Content-Security-Policy', () => {
  it('runs only the app’s own scripts: no inline script, no eval, no plugin, no frame, no foreign form or base', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|https?:/);
    expect(contentSecurityPolicy('header')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is the policy index.html carries as its meta tag, less what a meta tag cannot carry', () => {
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1];
    expect(meta).toBe(contentSecurityPolicy('meta'));
    expect(contentSecurityPolicy('meta')).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('goes out with every renderer file, whatever its kind', () => {
    for (const path of ['/r/index.html', '/r/assets/index-abc.js', '/r/assets/index.css', '/r/assets/icon.png', '/r/unknown.bin']) {
      const headers = rendererFileHeaders(path);
      expect(headers['Content-Security-Policy'], path).toBe(CONTENT_SECURITY_POLICY);
      expect(headers['X-Content-Type-Options'], path).toBe('nosniff');
    }
    expect(contentTypeOf('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/r/assets/A.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/assets/x.map')).toBe('application/octet-stream');
    expect(rendererFileHeaders('/r/index.html')['Cache-Control']).toBe('no-store');
  });
});
