const STORAGE_KEY = 'certdesk.token';

/**
 * The per-run access token of the web host. `npm run web` prints a link carrying it in the URL
 * hash (never sent to the server, never in its logs); we move it to sessionStorage so a reload
 * keeps working, and take it off the address bar so it is not shared by a copied link or a
 * screenshot.
 */
export function takeWebToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works for this page's lifetime.
    }
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
