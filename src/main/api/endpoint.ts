/**
 * One endpoint per channel: the zod schema that admits its input and the handler that serves it,
 * side by side in the domain's file. Each domain file lists its channels; `index.ts` joins them
 * into one map that must cover every channel.
 */
import type { z } from 'zod';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract/index.ts';
import type { SaveDialogPort } from '../core/files/save-dialog-port.ts';
import type { ReloadApprover } from '../core/edge/reload-approver.ts';
import type { TargetApprover } from '../core/delivery/target-approver.ts';
import type { EdgeOperator } from '../core/edge/edge-operator.ts';
import type { SandboxPort } from '../core/sandbox-tenant/sandbox-port.ts';
import type { CertdeskService } from '../core/service.ts';

export type { SaveDialogPort } from '../core/files/save-dialog-port.ts';
export type { SandboxPort } from '../core/sandbox-tenant/sandbox-port.ts';

/** What a handler runs against: the core, and what the host it runs in can offer. */
export interface ApiContext {
  service: CertdeskService;
  /** The local sandbox tenant; absent where the host cannot run one. */
  sandbox?: SandboxPort;
  /** The operator's native save dialog (the desktop app); absent where files are handed back as bytes. */
  saveDialog?: SaveDialogPort;
  /** Asks the operator, outside the renderer, to approve a custom reload argv; absent in web mode. */
  reloadApprover?: ReloadApprover;
  /** Lets the operator choose where a delivery target writes (the CLI, Electron's native dialogs); absent in web mode. */
  targetApprover?: TargetApprover;
  /** Asks the operator for the edge folder and to approve edge settings (CLI, desktop dialogs); absent in web mode. */
  edgeOperator?: EdgeOperator;
  /** Call after certdesk's CAs or CRLs changed, so a sandbox edge in this process trusts the new ones. */
  trustChanged: () => void;
}

export interface Endpoint<C extends Channel> {
  input: z.ZodType<ChannelInput<C>>;
  handle(input: ChannelInput<C>, ctx: ApiContext): ChannelOutput<C> | Promise<ChannelOutput<C>>;
}

export type Endpoints<K extends Channel> = { [C in K]: Endpoint<C> };

/** Returns `value` after running `effect`, for a handler that must announce what it changed. */
export function after<T>(value: T, effect: () => void): T {
  effect();
  return value;
}
