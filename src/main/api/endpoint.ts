/**
 * One endpoint per channel: the zod schema that admits its input and the handler that serves it,
 * side by side in the domain's file. Each domain file lists its channels; `index.ts` joins them
 * into one map that must cover every channel.
 */
import type { z } from 'zod';
import type { Channel, ChannelInput, ChannelOutput, EdgeTrust, SandboxStatus } from '../../shared/contract/index.ts';
import type { CertdeskService } from '../core/service.ts';

/** What the API needs of a host's local sandbox tenant (the host's SandboxHost is one). */
export interface SandboxPort {
  status(): SandboxStatus;
  start(trust?: EdgeTrust): Promise<{
    status: SandboxStatus;
    managementClient: { clientId: string; clientSecret: string } | null;
    demo?: { customDomain: string; audience: string } | null;
  }>;
  refreshTrust(trust: EdgeTrust): boolean;
  stop(): Promise<SandboxStatus>;
}

/** What a handler runs against: the core, and what the host it runs in can offer. */
export interface ApiContext {
  service: CertdeskService;
  /** The local sandbox tenant; absent where the host cannot run one. */
  sandbox?: SandboxPort;
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
