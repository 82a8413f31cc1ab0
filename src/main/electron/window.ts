import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const rendererIndex = join(here, '../renderer/index.html');
export const rendererUrl = new URL(`file://${rendererIndex}`).href;

/** The CSP the renderer runs under (also set as a meta tag in index.html, which covers file://). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The window icon: the copy electron-builder puts in resources/icons when packaged, else the repo's
 * resources/ seen from the bundle in out/main (whatever folder Electron was started with).
 */
export function appIconPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icons', '512x512.png') : join(here, '../../resources/icons/512x512.png');
}

/** True only for our own renderer document: IPC from any other frame is refused. */
export function isTrustedUrl(url: string | undefined): boolean {
  return url !== undefined && url.split('#')[0] === rendererUrl;
}

/**
 * Hardened per Electron's security checklist: sandboxed renderer with context isolation and no
 * Node, a strict CSP, no navigation, no new windows, every permission request denied.
 */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'certdesk',
    icon: appIconPath(),
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  guardContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex);
  return win;
}

function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Documentation links open in the user's browser; nothing opens inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Session-wide guards; call once, before the first window. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}
