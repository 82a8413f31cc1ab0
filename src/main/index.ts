/** Electron composition root: single instance, hardened window, IPC over the shared handlers. */
import { app, BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../shared/contract.ts';
import { KeychainSecretStore } from './core/secrets/keychain-secret-store.ts';
import { CertdeskService } from './core/service.ts';
import { createHandlers } from './handlers.ts';
import { parseHostArgs } from './host-args.ts';
import { registerIpc } from './ipc.ts';
import { createMainWindow, hardenSession } from './window.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const args = parseHostArgs(process.argv.slice(1));
  // Electron's own userData is the same folder resolveDataDir picks, so the CLI shares it.
  if (args.dataDir) app.setPath('userData', args.dataDir);
  let win: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  void app.whenReady().then(() => {
    hardenSession();
    const service = CertdeskService.open({
      dataDir: args.dataDir,
      secretStore: new KeychainSecretStore(),
      mode: 'electron',
      emit: (event) => win?.webContents.send(EVENT_CHANNEL, event),
    });
    registerIpc(createHandlers(service));
    win = createMainWindow();
    app.on('before-quit', () => service.close());
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
