/**
 * The API: every channel's schema and handler, one file per domain (as Vault's PKI backend keeps
 * one path_*.go per operation), joined here into the one map every host dispatches through.
 */
import { CHANNELS, type Channel, type ChannelInput, type ChannelOutput } from '../../shared/contract/index.ts';
import type { ReloadApprover } from '../core/edge/reload-approver.ts';
import type { TargetApprover } from '../core/delivery/target-approver.ts';
import type { EdgeOperator } from '../core/edge/edge-operator.ts';
import type { CertdeskService } from '../core/service.ts';
import { app } from './app.ts';
import { audit } from './audit.ts';
import { authorities } from './authorities.ts';
import { bindings } from './bindings.ts';
import { certificates } from './certificates.ts';
import { diagnostics } from './diagnostics.ts';
import { edge } from './edge.ts';
import type { ApiContext, Endpoints, SandboxPort, SaveDialogPort } from './endpoint.ts';
import { rotation } from './rotation.ts';
import { sandbox, followTrust } from './sandbox.ts';
import { schedule } from './schedule.ts';
import { targets } from './targets.ts';
import { templates } from './templates.ts';
import { tenants } from './tenants.ts';
import { usage } from './usage.ts';
import { transfer } from './transfer.ts';

export type { ApiContext, Endpoint, Endpoints, SandboxPort, SaveDialogPort } from './endpoint.ts';

/** Every channel's endpoint; `satisfies` fails the type check while a channel has none. */
export const endpoints = {
  ...app,
  ...authorities,
  ...certificates,
  ...audit,
  ...edge,
  ...schedule,
  ...tenants,
  ...bindings,
  ...diagnostics,
  ...rotation,
  ...targets,
  ...sandbox,
  ...usage,
  ...transfer,
  ...templates,
} satisfies Endpoints<Channel>;

/** The handlers bound to one service and host, as the dispatch runs them. */
export type Handlers = { [C in Channel]: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>> };

/** What a host brings besides the core. */
export interface HostParts {
  /** The local sandbox tenant; absent where the host cannot run one. */
  sandbox?: SandboxPort;
  /** Where the operator picks the file a key is saved to; only the desktop app has one. */
  saveDialog?: SaveDialogPort;
  /** The CLI (its explicit command) and Electron (a native dialog); the web host has none. */
  reloadApprover?: ReloadApprover;
  /** The CLI (its explicit command) and Electron (native dialogs); the web host has none. */
  targetApprover?: TargetApprover;
  /** The CLI (its explicit commands) and Electron (native dialogs); the web host has none. */
  edgeOperator?: EdgeOperator;
}

export function createHandlers(service: CertdeskService, parts: HostParts = {}): Handlers {
  const ctx: ApiContext = {
    service,
    ...(parts.sandbox ? { sandbox: parts.sandbox } : {}),
    ...(parts.saveDialog ? { saveDialog: parts.saveDialog } : {}),
    ...(parts.reloadApprover ? { reloadApprover: parts.reloadApprover } : {}),
    ...(parts.targetApprover ? { targetApprover: parts.targetApprover } : {}),
    ...(parts.edgeOperator ? { edgeOperator: parts.edgeOperator } : {}),
    trustChanged: parts.sandbox ? followTrust(service, parts.sandbox) : () => undefined,
  };
  const bind = <C extends Channel>(channel: C) => {
    const endpoint = (endpoints as Endpoints<Channel>)[channel];
    return (input: ChannelInput<C>) => endpoint.handle(input, ctx);
  };
  return Object.fromEntries(CHANNELS.map((channel) => [channel, bind(channel)])) as Handlers;
}
