/**
 * The edge access log read over ssh, as the operator set it (`certdesk usage --source ssh://…`): the
 * host, port, user, path, pinned host key and the vault-held client key, kept in one settings row
 * sealed with a keyed MAC (approval-mac.ts, its own subkey). Whoever can write the database cannot
 * point certdesk at another host or key: an edited row is refused before any connection is made.
 */
import { hasControlCharacters, hasFormatCharacters } from '../../../shared/validation.ts';
import type { CoreContext } from '../context.ts';
import { createSshClientKey, loadSshClientKey, sshClientKeyLine, type SshClientKey } from '../delivery/ssh-client-key.ts';
import { checkEndpoint, type SshEndpoint } from '../delivery/ssh-connect.ts';
import { approvalSubkey, recordMac, recordMacHolds } from '../edge/approval-mac.ts';
import { CertdeskError } from '../errors.ts';
import { SettingsRepository } from '../store/settings-repository.ts';

/** The settings key of the sealed row; the local read path has its own (`edge.accessLogReadPath`). */
export const ACCESS_LOG_SSH = 'edge.accessLogSsh';
const DOMAIN = 'certdesk-edge-log-source';
const KEY_LABEL = 'edge-access-log';

export interface SshLogAddress {
  host: string;
  port: number;
  user: string;
  path: string;
}

export interface SshLogConfig extends SshLogAddress {
  hostKey: string;
  clientKeyId: string;
  setAt: string;
}

interface StoredRow extends SshLogConfig {
  mac: string;
}

const URL_FIX =
  'Write it as ssh://USER@HOST[:PORT]/ABSOLUTE/PATH, e.g. ssh://certdesk@edge.example.com:22/var/log/nginx/certdesk-mtls.log.';

function invalid(message: string): CertdeskError {
  return new CertdeskError('VALIDATION', `source: ${message} ${URL_FIX}`, { field: 'source' });
}

/** `ssh://user@host[:port]/abs/path` into its parts; the path percent-decoded, as the URL spells spaces. */
export function parseSshLogUrl(text: string): SshLogAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`${JSON.stringify(text)} is not a URL.`);
  }
  if (url.protocol !== 'ssh:') throw invalid(`${JSON.stringify(text)} is not an ssh:// URL.`);
  if (url.password !== '') throw invalid('a password does not belong in the URL (certdesk uses its own client key).');
  if (url.search !== '' || url.hash !== '') throw invalid('the URL has a query or fragment.');
  const user = decodeURIComponent(url.username);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (user === '') throw invalid('the URL names no user.');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw invalid('the path is not valid percent-encoding.');
  }
  if (!path.startsWith('/') || path === '/' || path.endsWith('/')) throw invalid(`the path ${JSON.stringify(path)} does not name a file.`);
  if (path.split('/').some((part) => part === '.' || part === '..')) throw invalid('the path must not contain . or .. segments.');
  if (path.length > 4096 || hasControlCharacters(path) || hasFormatCharacters(path))
    throw invalid('the path holds control characters or is too long.');
  const address = { host, port: url.port === '' ? 22 : Number(url.port), user, path };
  checkEndpoint({ ...address, hostKey: 'SHA256:' + 'A'.repeat(43) });
  return address;
}

/** The source's name in messages and stored positions. */
export function sshLogId(a: SshLogAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `ssh://${encodeURIComponent(a.user)}@${host}:${a.port}${a.path}`;
}

function record(c: SshLogConfig): Record<string, unknown> {
  return { v: 1, host: c.host, port: c.port, user: c.user, path: c.path, hostKey: c.hostKey, clientKeyId: c.clientKeyId, setAt: c.setAt };
}

function readRow(ctx: CoreContext): StoredRow | null {
  const text = new SettingsRepository(ctx.db).get(ACCESS_LOG_SSH);
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as StoredRow;
  } catch {
    return { host: '?', port: 0, user: '?', path: '?', hostKey: '', clientKeyId: '', setAt: '', mac: '' };
  }
}

/** The stored ssh source, or null; `problem` when the row is not the one the operator set. */
export function readSshLogConfig(ctx: CoreContext): { config: SshLogConfig; id: string; problem: string | null } | null {
  const row = readRow(ctx);
  if (row === null) return null;
  const { mac, ...config } = row;
  const key = approvalSubkey(ctx.audit, 'edge-log-source');
  const problem =
    'problem' in key
      ? `the operator's setting cannot be checked: ${key.problem}`
      : recordMacHolds(key.key, DOMAIN, record(config), typeof mac === 'string' ? mac : null)
        ? null
        : 'the stored ssh source no longer matches what the operator set (changed outside certdesk)';
  return { config, id: sshLogId(config), problem };
}

/** The endpoint to connect to, with the client key opened from the vault; refused when the row does not hold. */
export async function sshLogEndpoint(ctx: CoreContext): Promise<SshEndpoint> {
  const stored = readSshLogConfig(ctx);
  if (stored === null) throw new CertdeskError('NOT_FOUND', 'No ssh source of the edge access log is set.', { field: 'source' });
  if (stored.problem !== null)
    throw new CertdeskError(
      'EDGE_LOG_SOURCE_NOT_APPROVED',
      `The edge access log's ssh source ${stored.id} was not read: ${stored.problem}. Nothing was connected to; set it again with certdesk usage --source ssh://… --host-key SHA256:….`,
      { field: 'source' },
    );
  const { config } = stored;
  const clientKey = await loadSshClientKey(ctx, config.clientKeyId);
  return { host: config.host, port: config.port, user: config.user, hostKey: config.hostKey, clientKey };
}

/** What setting the ssh source did: the operator adds `authorizedKey` on the host. */
export interface SshLogSetup extends SshClientKey {
  source: string;
  hostKey: string;
  /** The key of the previous ssh source was kept: a line already authorized on the host still works. */
  clientKeyReused: boolean;
}

/**
 * Seals and stores the ssh source (an operator path: the caller awaited the audit key and unlocked
 * the vault). The client key of a previous ssh source that still holds is reused; else a new one is made.
 * `store` writes the row inside the caller's transaction, with whatever else changes with it.
 */
export async function prepareSshLogSource(
  ctx: CoreContext,
  url: string,
  hostKey: string,
): Promise<{ setup: SshLogSetup; row: string; audit: Record<string, unknown> }> {
  const address = parseSshLogUrl(url);
  checkEndpoint({ ...address, hostKey });
  const key = approvalSubkey(ctx.audit, 'edge-log-source');
  if ('problem' in key)
    throw new CertdeskError(
      'EDGE_LOG_SOURCE_NOT_APPROVED',
      `The ssh source cannot be sealed: ${key.problem}. Nothing was stored; unlock the OS keychain and try again.`,
      { field: 'source' },
    );
  const previous = readSshLogConfig(ctx);
  const reusable = previous !== null && previous.problem === null && ctx.keys.get(previous.config.clientKeyId) !== undefined;
  const client = reusable
    ? await sshClientKeyLine(ctx, previous.config.clientKeyId, KEY_LABEL)
    : await createSshClientKey({ vault: ctx.vault, keys: ctx.keys, clock: ctx.clock }, KEY_LABEL);
  const config: SshLogConfig = { ...address, hostKey, clientKeyId: client.keyId, setAt: ctx.clock.now().toISOString() };
  const row = JSON.stringify({ ...config, mac: recordMac(key.key, DOMAIN, record(config)) });
  const source = sshLogId(address);
  return {
    setup: { ...client, source, hostKey, clientKeyReused: reusable },
    row,
    audit: { source, hostKey, clientKeyFingerprint: client.fingerprint },
  };
}
