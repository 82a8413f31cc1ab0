import { randomBytes } from 'node:crypto';

/** Short, prefixed, random identifiers (`ca_…`, `key_…`): readable in logs, unguessable, no ordering leak. */
export function newId(
  prefix: 'ca' | 'key' | 'store' | 'cert' | 'tenant' | 'bind' | 'outbox' | 'rot' | 'batch' | 'tgt' | 'req' | 'tpl',
): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
