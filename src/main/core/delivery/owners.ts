/**
 * A target's owner and group as numeric ids. Names are looked up in /etc/passwd and /etc/group
 * (no `id` command, no shell); numbers are taken as they are. Resolved once, when the target is
 * added, so the approved spec holds exactly the ids that will be used.
 */
import { readFileSync } from 'node:fs';
import { CertdeskError } from '../errors.ts';

const NAME = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

function lookup(file: string, name: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && /^\d+$/.test(fields[2])) return Number(fields[2]);
  }
  return null;
}

export function resolveOwnerId(
  value: string | undefined,
  kind: 'owner' | 'group',
  files = { passwd: '/etc/passwd', group: '/etc/group' },
): number | null {
  if (value === undefined || value === '') return null;
  if (/^\d{1,10}$/.test(value)) {
    const id = Number(value);
    if (id <= 0xfffffffe) return id;
  }
  if (!NAME.test(value))
    throw new CertdeskError(
      'VALIDATION',
      `${kind} must be a numeric id or a ${kind === 'owner' ? 'user' : 'group'} name; got ${JSON.stringify(value)}.`,
      {
        field: kind,
      },
    );
  const id = lookup(kind === 'owner' ? files.passwd : files.group, value);
  if (id === null)
    throw new CertdeskError(
      'NOT_FOUND',
      `There is no ${kind === 'owner' ? 'user' : 'group'} "${value}" in ${kind === 'owner' ? files.passwd : files.group}; give a numeric id instead.`,
      { field: kind },
    );
  return id;
}
