/**
 * Exposes `window.certdesk` (a CertdeskApi) built from the contract's channel list, and nothing
 * else: the renderer never sees ipcRenderer, Node, or a channel outside the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENT_CHANNEL, type CertdeskApi, type CertdeskEvent, type Result } from '../shared/contract/index.ts';

const allowed: ReadonlySet<string> = new Set(CHANNELS);

const api: CertdeskApi = {
  invoke(channel, input) {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel "${String(channel)}".`, field: 'channel' },
      } as Result<never>);
    }
    return ipcRenderer.invoke(channel, input);
  },
  onEvent(listener) {
    const wrapped = (_event: IpcRendererEvent, payload: CertdeskEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('certdesk', api);
