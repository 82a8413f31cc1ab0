/**
 * The one Content-Security-Policy the renderer runs under, in every host: the Electron app's
 * `app://` protocol and the web host send it as a header on every response, and index.html carries
 * the same policy as a meta tag (minus what a meta tag cannot carry) for the page's first parse.
 */
import { extname } from 'node:path';

/** Directive → sources. No 'unsafe-eval', no inline script: an injected `<script>` never runs. */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // Mantine writes its CSS variables in style attributes and <style> elements at run time.
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Browsers ignore these in a `<meta http-equiv>` policy (CSP3 §3.3); only the header carries them. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The policy as a header value, or (`meta`) as index.html's meta tag must spell it. */
export function contentSecurityPolicy(form: 'header' | 'meta' = 'header'): string {
  return DIRECTIVES.filter(([name]) => form === 'header' || !HEADER_ONLY.has(name))
    .map(([name, sources]) => `${name} ${sources}`)
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** By extension only: a renderer file is never sniffed (nosniff), so an unknown kind is plain bytes. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The headers every renderer file is served with, by either host. */
export function rendererFileHeaders(path: string): Record<string, string> {
  const type = contentTypeOf(path);
  return {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
  };
}
