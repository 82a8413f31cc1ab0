import type { DeliveryStatus, KeyFormat, TargetSpec, TargetView } from '../../../shared/contract/index.ts';

/** Where a target writes, as an operator would type it: a folder, user@host:path, or the inbox folder. */
export function targetWhere(spec: TargetSpec): string {
  if (spec.kind === 'ssh') return `${spec.user}@${spec.host}${spec.port === 22 ? '' : `:${spec.port}`}:${spec.path}`;
  return spec.path;
}

const KEY_FORMAT_LABELS: Record<KeyFormat, string> = {
  pem: 'PKCS#8 PEM',
  encrypted: 'encrypted PEM',
  p12: 'PKCS#12',
};

/** A csr-inbox never receives a key: the workload keeps its own. */
export function targetKeyFormat(spec: TargetSpec): string {
  return spec.kind === 'csr-inbox' ? 'key stays with the workload' : KEY_FORMAT_LABELS[spec.keyFormat];
}

/** How the panel names a target in a dialog or an aria-label: its kind and where. */
export function targetName(target: TargetView): string {
  return `${target.kind} target ${targetWhere(target.spec)}`;
}

/** The command an operator runs on this machine to add a folder target (web mode cannot choose where a key is written). */
export function addFolderTargetCommand(certificateId: string): string {
  return `certdesk target add ${certificateId} --kind folder --path DIR`;
}

export const DELIVERY_STATUS_COLORS: Record<DeliveryStatus, string> = { done: 'teal', skipped: 'gray', failed: 'red' };
