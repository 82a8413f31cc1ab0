import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Result } from '../../shared/contract/index.ts';
import { dispatch, type Handlers } from '../host/dispatch.ts';
import { isTrustedUrl } from './trust.ts';

/** Registers every contract channel; each checks that the sender is our renderer, then dispatches. */
export function registerIpc(handlers: Handlers): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedUrl(event.senderFrame?.url)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This request did not come from the certdesk window.' } };
      }
      return dispatch(handlers, channel, input);
    });
  }
}
