/** Electron composition root: single instance, hardened window, IPC over the shared handlers. */
import { app, BrowserWindow, Notification } from 'electron';
import { EVENT_CHANNEL, type CertdeskEvent } from '../../shared/contract/index.ts';
import { KeychainSecretStore } from '../core/secrets/keychain-secret-store.ts';
import { CertdeskService } from '../core/service.ts';
import { startBackgroundWork, withNotices, type Notice } from '../host/background.ts';
import { createHandlers, dispatch } from '../host/dispatch.ts';
import { electronEdgeOperator } from './edge-operator.ts';
import { openSandboxHost } from '../host/sandbox-switch.ts';
import { leftOutSandbox } from '../core/sandbox-tenant/sandbox-left-out.ts';
import { parseHostArgs } from '../host/args.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { registerIpc } from './ipc.ts';
import { watchStore } from '../host/store-watch.ts';
import { startServiceProcess } from './service-process.ts';
import { electronReloadApprover } from './reload-dialog.ts';
import { electronTargetApprover } from './target-dialog.ts';
import { electronSaveDialog } from './save-dialog.ts';
import { appIconPath, createMainWindow, hardenSession, rendererDir } from './window.ts';

// The renderer's scheme must be privileged before the app is ready.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const args = parseHostArgs(process.argv.slice(1));
  // Electron's own userData is the same folder resolveDataDir picks, so the CLI shares it.
  if (args.dataDir) app.setPath('userData', args.dataDir);
  let win: BrowserWindow | null = null;
  // Events go to the window while it is there: on macOS the app outlives its window, and at quit the window is
  // destroyed before the service's last events (its lock at close); sending to it then would throw.
  const sendEvent = (event: CertdeskEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  };

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  const showNotice = (notice: Notice) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: notice.title, body: notice.body });
    shown.on('click', () => {
      if (win?.isMinimized()) win.restore();
      win?.focus();
    });
    shown.show();
  };

  void app.whenReady().then(async () => {
    hardenSession();
    serveRenderer(rendererDir);
    // The native About panel (app menu on macOS, Help on Linux/Windows) says what the renderer's About dialog says.
    app.setAboutPanelOptions({
      applicationName: 'certdesk',
      applicationVersion: app.getVersion(),
      copyright: 'MIT licence',
      iconPath: appIconPath(),
    });
    // With --service-thread separate the service runs in a utilityProcess and main only relays (issue 14).
    if (args.serviceThread === 'separate') {
      const saveDialog = electronSaveDialog(() => win);
      const separate = await startServiceProcess({
        start: { dataDir: args.dataDir, mode: 'electron', backgroundNotices: true },
        parts: {
          saveDialog,
          reloadApprover: electronReloadApprover(() => win),
          targetApprover: electronTargetApprover(() => win, saveDialog),
          edgeOperator: electronEdgeOperator(() => win, saveDialog),
        },
        onEvent: sendEvent,
        onNotice: showNotice,
      });
      registerIpc(separate.client.call);
      win = createMainWindow();
      // The store closes (and writes its last audit checkpoint) before the app goes.
      let closed = false;
      app.on('before-quit', (event) => {
        if (closed) return;
        event.preventDefault();
        void separate.stop().finally(() => {
          closed = true;
          app.quit();
        });
      });
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow();
      });
      return;
    }
    // The sandbox's fetch reads the tenants at each request, so it may exist before the service does.
    const sandbox = await openSandboxHost(process.env, () => service.tenants.list());
    app.on('will-quit', () => void sandbox?.stop().catch(() => undefined));
    const service = CertdeskService.open({
      ...(sandbox ? { fetch: sandbox.fetch } : {}),
      dataDir: args.dataDir,
      secretStore: new KeychainSecretStore(),
      mode: 'electron',
      walCheckpoints: true,
      emit: withNotices(sendEvent, showNotice),
    });
    // A file with a private key goes where the operator chooses in main's native save dialog, never where the renderer says.
    // A custom reload argv is stored only once the operator approves it in a native dialog.
    // A delivery target's folder comes from the native folder dialog, never from the renderer.
    // The edge folder comes from a native folder dialog, and edge settings are approved in a native dialog.
    const saveDialog = electronSaveDialog(() => win);
    const handlers = createHandlers(service, {
      sandbox: sandbox ?? leftOutSandbox(),
      saveDialog,
      reloadApprover: electronReloadApprover(() => win),
      targetApprover: electronTargetApprover(() => win, saveDialog),
      edgeOperator: electronEdgeOperator(() => win, saveDialog),
    });
    registerIpc((channel, input) => dispatch(handlers, channel, input));
    win = createMainWindow();
    // Due certificates become an OS notification; waiting rotations resume when their time comes.
    const background = startBackgroundWork(service, { notify: showNotice });
    void background.tick();
    // The CLI's (or another certdesk's) writes: the pages read again what they show.
    const storeWatch = watchStore(service.db, () => sendEvent({ type: 'store-changed' }));
    app.on('before-quit', () => {
      background.stop();
      storeWatch.stop();
      service.close();
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
