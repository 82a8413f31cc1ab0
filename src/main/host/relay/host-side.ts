/**
 * The host's end of the relay: starts the service on the other side of the port, turns each contract
 * call into a message and its result back into a Result (the same shapes the in-thread dispatch
 * gives), delivers events and notices, and answers the service's asks with the parts it lends.
 * When the service is gone, every waiting call and every later one gets a named failure, never a hang.
 */
import type { CertdeskEvent, Result } from '../../../shared/contract/index.ts';
import type { HostParts } from '../../api/index.ts';
import type { Notice } from '../background.ts';
import { isToHost, serviceGone, type RelayPort, type ServiceStart, type ToHost, type ToService } from './protocol.ts';
import { answerAsk, describeParts } from './remote-parts.ts';

/** The one call signature every transport dispatches through, in the host's thread or across the relay. */
export type Dispatcher = (channel: unknown, input: unknown) => Promise<Result<unknown>>;

export interface RelayClient {
  /** Resolves once the service has opened its store; rejects with the reason it could not. */
  ready: Promise<void>;
  call: Dispatcher;
  /** Asks the service to close its store and waits for it (the caller then ends the thread or process). */
  stop(timeoutMs?: number): Promise<void>;
  /** The thread or process ended: every call still waiting fails, and so does every later one. */
  gone(reason: string): void;
}

export interface RelayHostOptions {
  start: Omit<ServiceStart, 'parts'>;
  parts?: HostParts;
  onEvent(event: CertdeskEvent): void;
  onNotice?(notice: Notice): void;
  log?: (error: unknown) => void;
}

export function connectRelay(port: RelayPort<ToService, unknown>, options: RelayHostOptions): RelayClient {
  const parts = options.parts ?? {};
  let nextId = 0;
  let goneReason: string | null = null;
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  let stopped: (() => void) | null = null;
  let settleReady: { resolve(): void; reject(error: Error): void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  // Awaited by whoever cares; an unobserved failure must not crash the host on its own.
  ready.catch(() => undefined);

  const handle = (message: ToHost) => {
    switch (message.kind) {
      case 'ready':
        return settleReady?.resolve();
      case 'fatal':
        return settleReady?.reject(new Error(message.message));
      case 'result': {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        return resolve?.(message.result);
      }
      case 'event':
        return options.onEvent(message.event);
      case 'notice':
        return options.onNotice?.(message.notice);
      case 'ask':
        return void answerAsk(parts, message.part, message.method, message.args).then(
          (value) => port.post({ kind: 'answer', id: message.id, ok: true, value }),
          (error: unknown) =>
            port.post({ kind: 'answer', id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
        );
      case 'stopped':
        return stopped?.();
    }
  };
  port.listen((message) => {
    if (isToHost(message)) handle(message);
  });
  port.post({ kind: 'start', start: { ...options.start, parts: describeParts(parts) } });

  return {
    ready,
    call(channel, input) {
      if (goneReason !== null) return Promise.resolve(serviceGone(goneReason));
      const id = ++nextId;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        port.post({ kind: 'call', id, channel: typeof channel === 'string' ? channel : String(channel), input });
      });
    },
    stop(timeoutMs = 15_000) {
      if (goneReason !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        stopped = () => {
          clearTimeout(timer);
          resolve();
        };
        port.post({ kind: 'stop' });
      });
    },
    gone(reason) {
      goneReason ??= reason;
      settleReady?.reject(new Error(`the certdesk service stopped before it was ready (${reason})`));
      for (const resolve of waiting.values()) resolve(serviceGone(reason));
      waiting.clear();
      stopped?.();
    },
  };
}
