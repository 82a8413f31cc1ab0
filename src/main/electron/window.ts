import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../host/content-security.ts';
import { isDevToolsShortcut } from './devtools.ts';
import { isAllowedExternalUrl, isTrustedUrl, RENDERER_URL } from './trust.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
/** What `app://certdesk/` serves (see app-protocol.ts). */
export const rendererDir = join(here, '../renderer');

/**
 * The window icon: the copy electron-builder puts in resources/icons when packaged, else the repo's
 * resources/ seen from the bundle in out/main (whatever folder Electron was started with).
 */
export function appIconPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icons', '512x512.png') : join(here, '../../resources/icons/512x512.png');
}

/**
 * Hardened per Electron's security checklist: sandboxed renderer with context isolation and no
 * Node, a strict CSP, no navigation, no new windows, every permission request denied, no DevTools when packaged.
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
      // A middle click fires no auxclick, so it cannot be a second way to open a link.
      disableBlinkFeatures: 'Auxclick',
      // An operator's build has no DevTools: a console there could call the API as the app does.
      devTools: !app.isPackaged,
    },
  });
  guardContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(RENDERER_URL);
  return win;
}

function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Nothing opens inside the app; a few documentation and dashboard pages open in the user's browser.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (app.isPackaged) {
    contents.on('before-input-event', (event, input) => {
      if (isDevToolsShortcut(input)) event.preventDefault();
    });
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
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
