import { dialog, type BrowserWindow } from 'electron';
import type { SaveDialogPort } from '../core/files/save-dialog-port.ts';

/**
 * The desktop app's save and folder dialogs: the only place a key or secret file's path comes from
 * in Electron. Main opens them itself; nothing the renderer sends can choose or pre-fill the folder
 * (only the suggested file name, which main derives from what it saves).
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
    async chooseFolder({ title }) {
      // The operator may make a new folder in the dialog itself; certdesk never makes one for them.
      const options = { title, buttonLabel: 'Save here', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const parent = window();
      const choice = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return choice.canceled || !choice.filePaths[0] ? null : choice.filePaths[0];
    },
  };
}
