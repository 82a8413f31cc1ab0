/**
 * From what an operator asked for to the spec that is approved and stored: defaults filled in, file
 * names and modes checked, owner and group resolved to ids, a folder path checked (and the folder
 * itself made, in an existing parent, when it is new).
 */
import { mkdirSync } from 'node:fs';
import {
  DEFAULT_FILE_NAMES_V1,
  TARGET_SPEC_VERSION,
  type TargetAddInput,
  type TargetFileNames,
  type TargetSpec,
} from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { checkTargetFolder } from './folder-path.ts';
import { resolveOwnerId } from './owners.ts';
import { initInbox } from './csr-inbox-answer.ts';
import { RELEASE_MANIFEST } from './release.ts';
import { checkEndpoint } from './ssh-connect.ts';
import { checkRemotePath } from './ssh-release-tree.ts';

export const DEFAULT_KEY_MODE = 0o600;
export const DEFAULT_PUBLIC_MODE = 0o644;

/** `0640` or `640`: an octal mode for the key file; never readable, writable or runnable by others. */
export function parseKeyMode(text: string | undefined): number {
  if (text === undefined) return DEFAULT_KEY_MODE;
  if (!/^0?[0-7]{3}$/.test(text))
    throw new CertdeskError('VALIDATION', `mode must be an octal file mode such as 0600 or 0640; got ${JSON.stringify(text)}.`, {
      field: 'mode',
    });
  const mode = parseInt(text, 8);
  if (mode & 0o007)
    throw new CertdeskError(
      'VALIDATION',
      `mode ${text} lets every user on the machine at the key; use 0600 or 0640 (owner, and at most the group).`,
      {
        field: 'mode',
      },
    );
  if (!(mode & 0o400))
    throw new CertdeskError('VALIDATION', `mode ${text} does not let the owner read the key; use 0600 or 0640.`, { field: 'mode' });
  return mode;
}

export function fileNames(given: Partial<TargetFileNames> | undefined): TargetFileNames {
  const names = { ...DEFAULT_FILE_NAMES_V1, ...given };
  const seen = new Set<string>();
  for (const [role, name] of Object.entries(names)) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(name) || name === RELEASE_MANIFEST)
      throw new CertdeskError(
        'VALIDATION',
        `names.${role} must be a plain file name (letters, digits, _ . -, not starting with a dot); got ${JSON.stringify(name)}.`,
        {
          field: `names.${role}`,
        },
      );
    if (seen.has(name))
      throw new CertdeskError('VALIDATION', `names.${role} is ${name}, the name of another file too; give each file its own name.`, {
        field: `names.${role}`,
      });
    seen.add(name);
  }
  return names;
}

/** A folder the operator chose, checked; made when new (only the folder itself, 0755). */
export function prepareFolder(path: string): string {
  const folder = checkTargetFolder(path, { allowMissing: true });
  try {
    mkdirSync(folder, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return checkTargetFolder(folder);
}

/** The pinned fingerprint as `ssh-keygen -l` prints it: OpenSSH leaves out base64's `=` padding. */
export function pinnedHostKey(text: string): string {
  return text.replace(/=$/, '');
}

/** An ssh target's host, port, user, pin and remote path, checked before anything (its client key) is made. */
export function checkSshInput(input: Extract<TargetAddInput, { kind: 'ssh' }>): void {
  checkEndpoint({ host: input.host, port: input.port ?? 22, user: input.user, hostKey: pinnedHostKey(input.hostKey) });
  checkRemotePath(input.path);
}

/**
 * The spec to approve; `folder` is the operator's choice (typed in the CLI, or from the native dialog).
 * `clientKeyId`: an ssh target's own client key, made for it (see Targets.add).
 */
export function buildSpec(input: TargetAddInput, folder: string, clientKeyId?: string): TargetSpec {
  switch (input.kind) {
    case 'folder': {
      return {
        v: TARGET_SPEC_VERSION,
        kind: 'folder',
        path: prepareFolder(folder),
        keyFormat: input.keyFormat ?? 'pem',
        fileNames: fileNames(input.fileNames),
        keyMode: parseKeyMode(input.mode),
        publicMode: DEFAULT_PUBLIC_MODE,
        uid: resolveOwnerId(input.owner, 'owner'),
        gid: resolveOwnerId(input.group, 'group'),
        reload: input.reload ? [...input.reload] : null,
      };
    }
    case 'ssh':
      checkSshInput(input);
      if (!clientKeyId) throw new CertdeskError('INTERNAL', 'An ssh target is stored only with its client key.');
      return {
        v: TARGET_SPEC_VERSION,
        kind: 'ssh',
        host: input.host,
        port: input.port ?? 22,
        user: input.user,
        path: input.path,
        hostKey: pinnedHostKey(input.hostKey),
        clientKeyId,
        keyFormat: input.keyFormat ?? 'pem',
        fileNames: fileNames(input.fileNames),
        keyMode: parseKeyMode(input.mode),
        publicMode: DEFAULT_PUBLIC_MODE,
        reload: input.reload ? [...input.reload] : null,
      };
    case 'csr-inbox':
      // The inbox's own rules (no symlink, not writable by others), and its issued/ and rejected/ folders.
      return { v: TARGET_SPEC_VERSION, kind: 'csr-inbox', path: initInbox(checkTargetFolder(folder, { allowMissing: true })).path };
  }
}

/** Lines an operator confirms (the desktop app's message box) and the CLI prints. */
export function describeSpec(spec: TargetSpec): string[] {
  switch (spec.kind) {
    case 'folder':
      return [
        `folder ${spec.path}`,
        `key as ${spec.keyFormat}, mode ${spec.keyMode.toString(8).padStart(4, '0')}${spec.uid !== null ? `, owner ${spec.uid}` : ''}${spec.gid !== null ? `, group ${spec.gid}` : ''}`,
        ...(spec.reload ? [`then runs ${JSON.stringify(spec.reload)} (no shell)`] : []),
      ];
    case 'ssh':
      return [
        `ssh ${spec.user}@${spec.host}:${spec.port} ${spec.path}`,
        `host key ${spec.hostKey}`,
        ...(spec.reload ? [`then runs ${JSON.stringify(spec.reload)} on the host`] : []),
      ];
    case 'csr-inbox':
      return [`csr inbox ${spec.path}`];
  }
}
