import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { dialogTargetApprover, type TargetApprover } from '../core/delivery/target-approver.ts';
import type { SaveDialogPort } from '../core/files/save-dialog-port.ts';

/**
 * The desktop app's approval of a delivery target: the folder comes from main's native folder
 * dialog (a path the renderer sent is never used), and a host or an argv to run is confirmed in a
 * native message box the renderer cannot answer. Cancel is the default.
 */
export function electronTargetApprover(parent: () => BrowserWindow | null, saveDialog: SaveDialogPort): TargetApprover {
  return dialogTargetApprover(
    (request) => saveDialog.chooseFolder(request),
    async (summary) => {
      const options: MessageBoxOptions = {
        type: 'warning',
        title: 'Approve a delivery target',
        message: 'Let certdesk deliver this certificate, its key and its renewals here?',
        detail: summary.join('\n'),
        buttons: ['Cancel', 'Approve'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const win = parent();
      const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return answer.response === 1;
    },
  );
}
