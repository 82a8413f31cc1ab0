/**
 * The renderer is served from `app://certdesk/`, not file://: a file:// page would get no response
 * headers (so no CSP header) and could reach any file the user can read. The handler answers only
 * with files under the renderer build folder, each with the shared CSP header.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, rendererFileHeaders } from '../host/content-security.ts';
import { resolveRendererFile } from '../host/renderer-files.ts';
import { APP_SCHEME, appRequestPath } from './trust.ts';

/** Before `app.whenReady()`: a standard, secure scheme gets an origin, so 'self' and module scripts work. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

const refuse = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });

/** After ready, before the first window: serve `rendererDir` (out/renderer) on the app scheme. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Only GET is served here.');
    const path = appRequestPath(request.url);
    const found = path === null ? null : await resolveRendererFile(rendererDir, path);
    if (found?.kind !== 'file') return refuse(404, 'Not found.');
    const body = await readFile(found.path);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: rendererFileHeaders(found.path) });
  });
}
