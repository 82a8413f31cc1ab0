/**
 * Electron's native dialogs stay in main while the service runs in a utilityProcess: the service
 * gets stand-ins with the same interfaces whose methods ask main over the port, and main answers
 * only the methods listed here, on the parts it lent.
 */
import type { HostParts } from '../../api/index.ts';
import type { RemotePartName, RemotePartSpec } from './protocol.ts';

type Ask = (part: RemotePartName, method: string, args: unknown[]) => Promise<unknown>;

/** The methods of each lendable part; nothing else is ever called on a host's part. */
export const REMOTE_METHODS: Record<RemotePartName, readonly string[]> = {
  saveDialog: ['chooseSavePath', 'chooseFolder'],
  reloadApprover: ['confirm'],
  targetApprover: ['chooseFolder', 'confirm'],
  edgeOperator: ['chooseFolder', 'confirmSettings', 'confirmCas'],
};

/** What the host lends, as the spec the service starts with (plain data: it crosses the port). */
export function describeParts(parts: HostParts): RemotePartSpec {
  return {
    ...(parts.saveDialog ? { saveDialog: {} } : {}),
    ...(parts.reloadApprover ? { reloadApprover: { via: parts.reloadApprover.via } } : {}),
    ...(parts.targetApprover ? { targetApprover: { via: parts.targetApprover.via } } : {}),
    ...(parts.edgeOperator ? { edgeOperator: { via: parts.edgeOperator.via, typesFolder: parts.edgeOperator.typesFolder } } : {}),
  };
}

/** The service's stand-ins for the parts the spec names. */
export function remoteParts(spec: RemotePartSpec, ask: Ask): Omit<HostParts, 'sandbox'> {
  const call =
    <T>(part: RemotePartName, method: string) =>
    (...args: unknown[]) =>
      ask(part, method, args) as Promise<T>;
  return {
    ...(spec.saveDialog
      ? {
          saveDialog: {
            chooseSavePath: call<string | null>('saveDialog', 'chooseSavePath'),
            chooseFolder: call<string | null>('saveDialog', 'chooseFolder'),
          },
        }
      : {}),
    ...(spec.reloadApprover
      ? { reloadApprover: { via: spec.reloadApprover.via, confirm: call<boolean>('reloadApprover', 'confirm') } }
      : {}),
    ...(spec.targetApprover
      ? {
          targetApprover: {
            via: spec.targetApprover.via,
            chooseFolder: call<string | null>('targetApprover', 'chooseFolder'),
            confirm: call<boolean>('targetApprover', 'confirm'),
          },
        }
      : {}),
    ...(spec.edgeOperator
      ? {
          edgeOperator: {
            via: spec.edgeOperator.via,
            typesFolder: spec.edgeOperator.typesFolder,
            chooseFolder: call<string | null>('edgeOperator', 'chooseFolder'),
            confirmSettings: call<boolean>('edgeOperator', 'confirmSettings'),
            confirmCas: call<boolean>('edgeOperator', 'confirmCas'),
          },
        }
      : {}),
  };
}

/** Main's answer to an ask: the lent part's listed method, or a refusal naming what was asked. */
export async function answerAsk(parts: HostParts, part: string, method: string, args: unknown[]): Promise<unknown> {
  const methods = (REMOTE_METHODS as Record<string, readonly string[] | undefined>)[part];
  const target = (parts as Record<string, Record<string, unknown> | undefined>)[part];
  const fn = methods?.includes(method) ? target?.[method] : undefined;
  if (typeof fn !== 'function') throw new Error(`the host lends no ${part}.${method}`);
  return (fn as (...a: unknown[]) => unknown).apply(target, args);
}
