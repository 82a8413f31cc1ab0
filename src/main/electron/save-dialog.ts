import { dialog, type BrowserWindow } from 'electron';
import type { SaveDialogPort } from '../core/files/save-dialog-port.ts';

/**
 * The desktop app's save dialog: the only place a key file's path comes from in Electron. Main
 * opens it itself; nothing the renderer sends can choose or pre-fill the folder (only the suggested
 * file name, which main derives from the certificate).
 */
export function electronSaveDialog(window: () => BrowserWindow | null): SaveDialogPort {
  return {
    async chooseSavePath({ title, suggestedName }) {
      const options = {
        title,
        defaultPath: suggestedName,
        // Linux asks before replacing only when told to; macOS and Windows always ask.
        properties: ['showOverwriteConfirmation' as const],
      };
      const parent = window();
      const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
  };
}
