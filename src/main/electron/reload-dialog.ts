import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { displayArgv } from '../../shared/contract/index.ts';
import type { ReloadApprover } from '../core/edge/reload-approver.ts';

/**
 * The desktop app's approval of a custom reload argv: a native dialog the renderer cannot answer,
 * showing the exact argv (JSON, so every argument's bounds are visible). Cancel is the default.
 */
export function electronReloadApprover(parent: () => BrowserWindow | null): ReloadApprover {
  return {
    via: 'electron-dialog',
    async confirm(argv) {
      const options: MessageBoxOptions = {
        type: 'warning',
        title: 'Approve a reload command',
        message: 'Let certdesk run this command after every edge publication, including rotations in the background?',
        detail: `${JSON.stringify(argv)}\n\nRun exactly so, without a shell:\n${displayArgv([argv])}`,
        buttons: ['Cancel', 'Approve'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const win = parent();
      const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return answer.response === 1;
    },
  };
}
