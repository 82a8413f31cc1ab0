/** Delivery targets and delivery: where a certificate goes, and sending it there. */
import { z } from 'zod';
import { KEY_FORMATS } from '../../shared/contract/index.ts';
import { hasControlCharacters } from '../../shared/validation.ts';
import { CertdeskError } from '../core/errors.ts';
import { reloadArgv } from './edge-reload.ts';
import type { Endpoints } from './endpoint.ts';
import { ref } from './fields.ts';
import { requireNetwork } from '../core/workstation/role-guard.ts';

const path = (field: string) =>
  z
    .string({ error: `${field} must be text` })
    .min(1, { error: `${field} must not be empty` })
    .max(4096, { error: `${field} is longer than 4096 characters` })
    .refine((v) => !hasControlCharacters(v), { error: `${field} must not contain control characters` })
    .refine((v) => v.startsWith('/'), { error: `${field} must be an absolute path` });

const fileName = z.string({ error: 'a file name must be text' }).max(100, { error: 'a file name is longer than 100 characters' });
const names = z.object({ cert: fileName, chain: fileName, fullchain: fileName, key: fileName, p12: fileName }).partial().strict();
const keyFormat = z.enum(KEY_FORMATS, { error: `keyFormat must be one of ${KEY_FORMATS.join(', ')}` });
const mode = z
  .string({ error: 'mode must be octal text such as 0640' })
  .regex(/^0?[0-7]{3}$/, { error: 'mode must be octal such as 0600 or 0640' });
const account = (field: string) =>
  z
    .string({ error: `${field} must be text` })
    .regex(/^([a-z_][a-z0-9_.-]{0,31}\$?|\d{1,10})$/i, { error: `${field} must be a user or group name, or a numeric id` });

const add = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        cert: ref('cert'),
        kind: z.literal('folder'),
        path: path('path').optional(),
        keyFormat: keyFormat.optional(),
        fileNames: names.optional(),
        mode: mode.optional(),
        owner: account('owner').optional(),
        group: account('group').optional(),
        reload: reloadArgv.optional(),
      })
      .strict(),
    z
      .object({
        cert: ref('cert'),
        kind: z.literal('ssh'),
        host: z
          .string({ error: 'host must be text' })
          .regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/, {
            error: 'host must be a host name or an IP address',
          }),
        port: z.number({ error: 'port must be a number' }).int().min(1).max(65535, { error: 'port must be 1–65535' }).optional(),
        user: account('user'),
        path: path('path'),
        hostKey: z.string({ error: 'hostKey must be text' }).regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, {
          error: 'hostKey must be the host key fingerprint as OpenSSH prints it: SHA256:… (ssh-keygen -lf, ssh-keyscan)',
        }),
        keyFormat: keyFormat.optional(),
        fileNames: names.optional(),
        mode: mode.optional(),
        reload: reloadArgv.optional(),
      })
      .strict(),
    z.object({ cert: ref('cert'), kind: z.literal('csr-inbox'), path: path('path') }).strict(),
  ],
  { error: 'kind must be folder, ssh or csr-inbox' },
);

const target = z.object({ target: ref('target') }).strict();

export const targets = {
  'targets:add': {
    input: add,
    handle: async (input, { service, targetApprover }) => {
      // Before any dialog: an offline signer keeps no delivery target.
      requireNetwork(service.db, 'adding a delivery target');
      // Every kind names a place certdesk writes to (and, for folder and ssh, a key): only the operator chooses one.
      if (!targetApprover)
        throw new CertdeskError(
          'TARGET_APPROVAL_UNAVAILABLE',
          `A ${input.kind} target can only be added by the operator on this machine: certdesk target add ${input.cert} --kind ${input.kind} …, or the desktop app. Nothing was stored.`,
          { field: 'kind' },
        );
      const folder =
        input.kind === 'ssh' ? input.path : await targetApprover.chooseFolder(input.path, `Choose the folder for the ${input.kind} target`);
      if (folder === null) throw new CertdeskError('VALIDATION', 'No folder was chosen; nothing was stored.', { field: 'path' });
      if (input.kind === 'folder' && folder === undefined)
        throw new CertdeskError('VALIDATION', 'A folder target needs a path: --path DIR.', { field: 'path' });
      const reload = input.kind === 'csr-inbox' || !input.reload ? [] : [`then runs ${JSON.stringify(input.reload)} (no shell)`];
      // The folder dialog is itself the approval of a folder; a host, its key, or an argv to run is confirmed whole.
      const summary =
        input.kind === 'ssh'
          ? [`ssh ${input.user}@${input.host}:${input.port ?? 22} ${input.path}`, `host key ${input.hostKey}`, ...reload]
          : [`${input.kind} ${folder}`, ...reload];
      if ((input.kind === 'ssh' || reload.length > 0) && !(await targetApprover.confirm(summary)))
        throw new CertdeskError('TARGET_NOT_APPROVED', 'The target was not approved; nothing was stored.', { field: 'kind' });
      return service.delivery.targets.add(input, folder ?? '', targetApprover.via);
    },
  },
  'targets:list': {
    input: z.object({ cert: ref('cert').optional() }).strict(),
    handle: async (input, { service }) => {
      await service.audit.keyLoaded();
      return service.delivery.targets.list(input.cert);
    },
  },
  'targets:test': { input: target, handle: (input, { service }) => service.delivery.targets.test(input.target) },
  'targets:remove': { input: target, handle: (input, { service }) => service.delivery.targets.remove(input.target) },
  // Only ever a release the operator's approved target already held: no path, host or argv comes from the caller.
  'targets:rollback': { input: target, handle: (input, { service }) => service.delivery.rollback(input.target) },
  'targets:history': {
    input: z
      .object({ target: ref('target').optional(), cert: ref('cert').optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    handle: (input, { service }) => service.delivery.history(input),
  },
  'certs:deliver': {
    input: z.object({ cert: ref('cert') }).strict(),
    handle: (input, { service }) => service.delivery.deliverAll(input.cert),
  },
} satisfies Endpoints<
  'targets:add' | 'targets:list' | 'targets:test' | 'targets:remove' | 'targets:rollback' | 'targets:history' | 'certs:deliver'
>;
