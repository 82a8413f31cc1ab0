import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import type { EdgeOperator } from '../core/edge/edge-operator.ts';
import { caApprovalText } from '../core/edge/ca-approval-text.ts';
import type { SaveDialogPort } from '../core/files/save-dialog-port.ts';

/**
 * The desktop app's edge operator: the edge folder comes from main's native folder dialog, and
 * settings that reach nginx are approved in a native dialog showing every value (changed ones
 * marked). The renderer can answer neither. Cancel is the default.
 */
export function electronEdgeOperator(parent: () => BrowserWindow | null, folders: Pick<SaveDialogPort, 'chooseFolder'>): EdgeOperator {
  return {
    via: 'electron-dialog',
    typesFolder: false,
    chooseFolder: () => folders.chooseFolder({ title: 'Choose the edge folder (the bundle is written here)' }),
    async confirmSettings({ folder, settings, changed }) {
      const lines = Object.entries(settings).map(([field, value]) => `${changed.includes(field) ? '• ' : '  '}${field}: ${String(value)}`);
      const options: MessageBoxOptions = {
        type: 'warning',
        title: 'Approve the edge settings',
        message: 'Write an nginx configuration with these settings, now and in every later publication (rotations included)?',
        detail: `Edge folder: ${folder}\n\n${lines.join('\n')}\n\n• changed since the last approval`,
        buttons: ['Cancel', 'Approve'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      return ask(parent, options);
    },
    // The set of issuing CAs nginx trusts: names and full fingerprints, the change marked (ca-approval-text.ts).
    confirmCas(request) {
      return ask(parent, {
        type: 'warning',
        ...caApprovalText(request),
        buttons: ['Cancel', 'Approve'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      });
    },
  };
}

/** Shows the dialog over the window when there is one; true only for the Approve button (Cancel is the default). */
async function ask(parent: () => BrowserWindow | null, options: MessageBoxOptions): Promise<boolean> {
  const win = parent();
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return answer.response === 1;
}
