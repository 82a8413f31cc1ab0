import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Result } from '../../shared/contract/index.ts';
import type { Dispatcher } from '../host/relay/host-side.ts';
import { isTrustedUrl } from './trust.ts';

/**
 * Registers every contract channel; each checks that the sender is our renderer, then dispatches:
 * in main's thread, or across the relay to the service's utilityProcess.
 */
export function registerIpc(call: Dispatcher): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedUrl(event.senderFrame?.url)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This request did not come from the certdesk window.' } };
      }
      return call(channel, input);
    });
  }
}
