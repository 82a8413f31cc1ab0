/**
 * What the Electron window trusts, as plain functions (no Electron import, so unit tests load them):
 * its own document on the `app://certdesk` origin, and a short list of https pages that may open in
 * the user's browser. Everything else is refused: IPC from another frame, navigation away from the
 * app, and any other link.
 */

/** The renderer's origin: a privileged scheme (standard, secure) that serves only out/renderer. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'certdesk';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True only for our own renderer document: IPC from any other frame is refused, and so is navigation elsewhere. */
export function isTrustedUrl(url: string | undefined): boolean {
  return url !== undefined && url.split('#')[0] === RENDERER_URL;
}

/** The path (still percent-encoded) an `app://certdesk/...` request asks for, or null for any other URL. */
export function appRequestPath(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) return null;
  return parsed.pathname;
}

/**
 * Pages a link in the app may open in the user's browser: Auth0's documentation and its dashboard
 * (where the operator finishes what certdesk cannot do). Hosts match exactly, after the URL parser
 * has lower-cased them and turned any IDN into punycode, so a look-alike never matches.
 */
const EXTERNAL_ALLOWLIST: ReadonlyArray<{ host: string; pathPrefix: string }> = [
  { host: 'auth0.com', pathPrefix: '/docs' },
  { host: 'manage.auth0.com', pathPrefix: '/' },
];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // No user-info (`https://auth0.com@evil.example` goes to evil.example) and no unusual port.
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return EXTERNAL_ALLOWLIST.some(
    ({ host, pathPrefix }) =>
      parsed.hostname === host && (pathPrefix === '/' || parsed.pathname === pathPrefix || parsed.pathname.startsWith(`${pathPrefix}/`)),
  );
}
