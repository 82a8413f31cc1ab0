/**
 * The messages between a host and the certdesk service when the service runs apart from the host's
 * own thread (issue 14): a worker thread in web mode, a utilityProcess in Electron. The relay is
 * generic over channels: a call carries the channel's name and the raw input, and the service side
 * runs the one dispatch (validation, handler, error shapes) exactly as an in-thread host would.
 * Nothing here imports Electron or node:worker_threads: each host adapts its own port.
 */
import type { CertdeskEvent, Failure, Result } from '../../../shared/contract/index.ts';
import type { Notice } from '../background.ts';

/** What a host lends the service: the native dialogs only Electron has. Their methods are asked back over the port. */
export interface RemotePartSpec {
  saveDialog?: Record<string, never>;
  reloadApprover?: { via: string };
  targetApprover?: { via: string };
  edgeOperator?: { via: string; typesFolder: boolean };
}
export type RemotePartName = keyof RemotePartSpec;

export interface ServiceStart {
  dataDir: string;
  mode: 'web' | 'electron';
  /** Whether the background's due and CRL notices go to the host (Electron's OS notifications); web mode has its banner. */
  backgroundNotices: boolean;
  parts: RemotePartSpec;
}

export type ToService =
  | { kind: 'start'; start: ServiceStart }
  | { kind: 'call'; id: number; channel: string; input: unknown }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; message: string }
  | { kind: 'stop' };

export type ToHost =
  | { kind: 'ready' }
  | { kind: 'fatal'; message: string }
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: CertdeskEvent }
  | { kind: 'notice'; notice: Notice }
  | { kind: 'ask'; id: number; part: RemotePartName; method: string; args: unknown[] }
  | { kind: 'stopped' };

/** One end of the port, whatever carries it (a worker's parentPort, a utilityProcess, a MessageChannel in tests). */
export interface RelayPort<Out, In> {
  post(message: Out): void;
  listen(listener: (message: In) => void): void;
}

const TO_SERVICE = new Set(['start', 'call', 'answer', 'stop']);
const TO_HOST = new Set(['ready', 'fatal', 'result', 'event', 'notice', 'ask', 'stopped']);

function kindIn(value: unknown, kinds: ReadonlySet<string>): boolean {
  return typeof value === 'object' && value !== null && kinds.has(String((value as { kind?: unknown }).kind));
}

/** Only this relay's messages are acted on: anything else on the port is ignored, never dispatched. */
export const isToService = (value: unknown): value is ToService => kindIn(value, TO_SERVICE);
export const isToHost = (value: unknown): value is ToHost => kindIn(value, TO_HOST);

/** The failure every call still waiting gets when the service is gone: a named error, never a hang. */
export function serviceGone(reason: string): Result<never> {
  const error: Failure = {
    code: 'INTERNAL',
    message: `The certdesk service stopped (${reason}); restart certdesk. A change in flight may or may not have been saved: check it before trying again.`,
  };
  return { ok: false, error };
}
