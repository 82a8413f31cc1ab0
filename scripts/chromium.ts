/**
 * Debian's Chromium, as the E2E suite and `npm run icons` launch it: Playwright's own browser
 * download cannot run on these machines, and without the background-networking switches Chromium
 * keeps calling out to a network it does not have.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where Debian puts daemons (nginx, sshd): not on a regular user's PATH, so a lookup for one tries
 * these after PATH.
 */
export const SYSTEM_SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The full path of `command` on PATH (then in `alsoIn`), looked up here rather than through a shell. */
export function which(command: string, alsoIn: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...alsoIn]) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** CHROMIUM_PATH if set, else `chromium` on PATH. */
export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH || which('chromium');
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
