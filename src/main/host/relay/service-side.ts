/**
 * The service's end of the relay: starts the service when the host says so, runs every call through
 * the one dispatch, sends events and notices back, and asks the host for what only the host has
 * (Electron's native dialogs) through proxies that look like the parts an in-thread host passes.
 */
import type { CertdeskEvent } from '../../../shared/contract/index.ts';
import type { Notice } from '../background.ts';
import { dispatch, type Handlers } from '../dispatch.ts';
import { isToService, type RelayPort, type RemotePartName, type ServiceStart, type ToHost, type ToService } from './protocol.ts';

/** What the service side hands the runtime it starts. */
export interface ServiceOutlet {
  event(event: CertdeskEvent): void;
  notice(notice: Notice): void;
  /** Calls `method` of the host's part and resolves with its answer; rejects when the host refused or failed. */
  ask(part: RemotePartName, method: string, args: unknown[]): Promise<unknown>;
}

export interface ServiceRuntime {
  handlers: Handlers;
  stop(): Promise<void>;
}

export type StartRuntime = (start: ServiceStart, outlet: ServiceOutlet) => Promise<ServiceRuntime>;

export function serveRelay(
  port: RelayPort<ToHost, unknown>,
  startRuntime: StartRuntime,
  log: (error: unknown) => void = console.error,
): void {
  let runtime: Promise<ServiceRuntime> | null = null;
  let asked = 0;
  const asks = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const outlet: ServiceOutlet = {
    event: (event) => port.post({ kind: 'event', event }),
    notice: (notice) => port.post({ kind: 'notice', notice }),
    ask: (part, method, args) =>
      new Promise((resolve, reject) => {
        const id = ++asked;
        asks.set(id, { resolve, reject });
        port.post({ kind: 'ask', id, part, method, args });
      }),
  };

  const handle = async (message: ToService) => {
    switch (message.kind) {
      case 'start':
        if (runtime) return;
        runtime = startRuntime(message.start, outlet);
        try {
          await runtime;
          port.post({ kind: 'ready' });
        } catch (error) {
          port.post({ kind: 'fatal', message: error instanceof Error ? error.message : String(error) });
        }
        return;
      case 'call': {
        const running = runtime ? await runtime.catch(() => null) : null;
        const result = running
          ? await dispatch(running.handlers, message.channel, message.input, log)
          : {
              ok: false as const,
              error: { code: 'INTERNAL' as const, message: 'The certdesk service has not started; restart certdesk.' },
            };
        try {
          port.post({ kind: 'result', id: message.id, result });
        } catch (error) {
          // A value the port cannot carry (not structured-cloneable) must still answer the call: never a hang.
          log(error);
          port.post({
            kind: 'result',
            id: message.id,
            result: {
              ok: false,
              error: { code: 'INTERNAL', message: `The answer to ${message.channel} could not be passed back; see the log.` },
            },
          });
        }
        return;
      }
      case 'answer': {
        const waiting = asks.get(message.id);
        asks.delete(message.id);
        if (!waiting) return;
        if (message.ok) waiting.resolve(message.value);
        else waiting.reject(new Error(message.message));
        return;
      }
      case 'stop': {
        const running = runtime ? await runtime.catch(() => null) : null;
        await running?.stop().catch(log);
        port.post({ kind: 'stopped' });
        return;
      }
    }
  };
  port.listen((message) => {
    if (isToService(message)) void handle(message).catch(log);
  });
}
